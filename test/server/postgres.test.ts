import { after, it } from 'node:test';
import { postgresDatabases } from './harness.ts';
import { defineServerSuite } from './server-suite.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('HTTP API on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL server suite did not run (.ci/run sets it)');
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  defineServerSuite('postgres', databases.fresh);
}
