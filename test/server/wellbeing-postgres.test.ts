import { after, it } from 'node:test';
import { postgresDatabases } from './harness.ts';
import { defineWellbeingSuite } from './wellbeing-suite.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('wellbeing norms and export on PostgreSQL', (context) => {
    context.skip(
      'ENRICH_TEST_PG_URL is not set: the PostgreSQL wellbeing suite did not run (.ci/run sets it)',
    );
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  defineWellbeingSuite('postgres', databases.fresh);
}
