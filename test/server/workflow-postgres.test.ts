import { after, it } from 'node:test';
import { postgresDatabases } from './harness.ts';
import { defineWorkflowSuite } from './workflow-suite.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('workflow routes on PostgreSQL', (context) => {
    context.skip(
      'ENRICH_TEST_PG_URL is not set: the PostgreSQL workflow suite did not run (.ci/run sets it)',
    );
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  defineWorkflowSuite('postgres', databases.fresh);
}
