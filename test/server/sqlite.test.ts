import { after } from 'node:test';
import { sqliteDatabases } from './harness.ts';
import { defineServerSuite } from './server-suite.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineServerSuite('sqlite', databases.fresh);
