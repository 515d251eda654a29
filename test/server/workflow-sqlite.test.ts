import { after } from 'node:test';
import { sqliteDatabases } from './harness.ts';
import { defineWorkflowSuite } from './workflow-suite.ts';

const databases = sqliteDatabases();
after(databases.cleanup);
defineWorkflowSuite('sqlite', databases.fresh);
