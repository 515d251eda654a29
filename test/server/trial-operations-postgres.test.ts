import { after, it } from 'node:test';
import { postgresDatabases } from './harness.ts';
import { defineTrialOperationsSuite } from './trial-operations-suite.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('trial operations on PostgreSQL', (context) => {
    context.skip(
      'ENRICH_TEST_PG_URL is not set: the PostgreSQL trial operations suite did not run (.ci/run sets it)',
    );
  });
} else {
  const databases = postgresDatabases(adminUrl);
  after(databases.cleanup);
  defineTrialOperationsSuite('postgres', databases.fresh);
}
