/**
 * `enrich serve --demo` as a process: it creates the demo database, prints the URL and the accounts, serves
 * the API, and on SIGTERM lets a request in flight finish, closes the database and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/enrich.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'enrich-serve-'));
after(() => rmSync(directory, { recursive: true, force: true }));

it('enrich serve --demo creates and serves the demo trial; SIGTERM shuts it down cleanly', {
  timeout: 120_000,
}, async () => {
  const child = spawn(process.execPath, [bin, 'serve', '--demo', '--port', '0'], {
    cwd: directory,
    env: { ...process.env, ENRICH_LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match !== null && stdout.includes('dmc')) resolve(match[1] as string);
    });
    child.on('exit', () => reject(new Error(`exited early: ${stdout}\n${stderr}`)));
  });
  assert.match(stdout, /^creating the demo database \.\/enrich-demo\.db \.\.\.\n/);
  assert.match(stdout, /enrich serving \.\/enrich-demo\.db \(sqlite\) at http:\/\/127\.0\.0\.1:\d+\n/);
  for (const account of [
    'admin',
    'manager',
    'researcher',
    'coordinator',
    'peerworker',
    'statistician',
    'dmc',
  ]) {
    assert.match(stdout, new RegExp(`\\n  ${account} +demo-${account} +\\w+\\n`));
  }
  const health = await fetch(`${url}/api/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', version: '0.1.0', database: 'sqlite' });
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'researcher', password: 'demo-researcher' }),
  });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const list = await fetch(`${url}/api/trials/enrich-demo/participants`, { headers: { cookie } });
  const body = (await list.json()) as { participants: { site_id: string; status: string }[] };
  assert.ok(body.participants.length >= 10);
  assert.ok(body.participants.every((participant) => participant.site_id === 'site_1'));
  assert.ok(body.participants.some((participant) => participant.status === 'randomised'));
  assert.ok(!JSON.stringify(body).includes('"arm"'));
  // The demo is old enough to analyse: in the statistician's (blinded) export at least a third of the
  // randomised have the primary 12-month outcome, and the recruitment target is stored with the trial.
  const statistician = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'statistician', password: 'demo-statistician' }),
  });
  const statisticianCookie = (statistician.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const exported = await fetch(`${url}/api/trials/enrich-demo/analysis-dataset.csv?blinded=true`, {
    headers: { cookie: statisticianCookie },
  });
  assert.equal(exported.status, 200);
  const [header, ...rows] = (await exported.text()).trim().split('\n');
  const column = (header as string).split(',').indexOf('readmitted_12m');
  assert.ok(column >= 0);
  const withOutcome = rows.filter((row) => /^[01]$/.test(row.split(',')[column] ?? '')).length;
  assert.ok(withOutcome * 3 >= rows.length, `${withOutcome} of ${rows.length} with readmitted_12m`);
  const target = await fetch(`${url}/api/trials/enrich-demo/recruitment/target`, {
    headers: { cookie: statisticianCookie },
  });
  assert.equal(((await target.json()) as { target: { total: number } }).target.total, 72);
  // A request in flight when SIGTERM arrives still gets its answer.
  const inFlight = fetch(`${url}/api/trials/enrich-demo/participants`, { headers: { cookie } });
  await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill('SIGTERM');
  assert.equal((await inFlight).status, 200);
  assert.equal(await exited, 0);
  assert.match(stderr, /SIGTERM: finishing requests in flight/);
  // The database is intact and the audit chain verifies.
  const verify = spawn(process.execPath, [bin, 'audit', 'verify', '--db', 'enrich-demo.db'], {
    cwd: directory,
  });
  let verified = '';
  verify.stdout.on('data', (chunk) => {
    verified += String(chunk);
  });
  assert.equal(await new Promise((resolve) => verify.on('exit', resolve)), 0);
  assert.match(verified, /^audit trail of enrich-demo\.db intact: \d+ entries/);
});
