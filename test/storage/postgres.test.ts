import { randomBytes } from 'node:crypto';
import { after, it } from 'node:test';
import pg from 'pg';
import { defineStoreSuite } from './store-suite.ts';

const adminUrl = process.env.ENRICH_TEST_PG_URL;

if (adminUrl === undefined || adminUrl === '') {
  it('PostgreSQL storage suite', (context) => {
    context.skip('ENRICH_TEST_PG_URL is not set: the PostgreSQL storage suite did not run (.ci/run sets it)');
  });
} else {
  // Each test gets its own database, enrich_test_<random>_<n>, dropped when the file's tests end.
  const prefix = `enrich_test_${randomBytes(4).toString('hex')}`;
  const created: string[] = [];
  const admin = async <T>(body: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await body(client);
    } finally {
      await client.end();
    }
  };
  after(async () => {
    await admin(async (client) => {
      for (const name of created) await client.query(`drop database if exists ${name} with (force)`);
    });
  });
  defineStoreSuite('postgres', async () => {
    const name = `${prefix}_${created.length + 1}`;
    await admin((client) => client.query(`create database ${name}`));
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { kind: 'postgres', url: url.toString() };
  });
}
