import { after } from 'node:test';
import { defineDirectorySuite } from './directory-suite.ts';
import { sqliteDatabases } from './harness.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineDirectorySuite('sqlite', databases.fresh);
