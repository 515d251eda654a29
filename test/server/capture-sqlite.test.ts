import { after } from 'node:test';
import { defineCaptureSuite } from './capture-suite.ts';
import { sqliteDatabases } from './harness.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineCaptureSuite('sqlite', databases.fresh);
