import { after } from 'node:test';
import { sqliteDatabases } from './harness.ts';
import { defineTrialOperationsSuite } from './trial-operations-suite.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineTrialOperationsSuite('sqlite', databases.fresh);
