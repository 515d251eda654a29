import { after } from 'node:test';
import { sqliteDatabases } from './harness.ts';
import { defineWellbeingSuite } from './wellbeing-suite.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineWellbeingSuite('sqlite', databases.fresh);
