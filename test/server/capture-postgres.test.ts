import { after, it } from 'node:test';
import { defineCaptureSuite } from './capture-suite.ts';
import { postgresDatabases } from './harness.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('fidelity and wellbeing capture routes on PostgreSQL', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL suite did not run (.ci/run sets it)');
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  defineCaptureSuite('postgres', databases.fresh);
}
