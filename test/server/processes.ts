/**
 * Helpers for tests and benchmarks that run `enrich serve` as separate processes: a prepared trial in a
 * database, a server child process on a random loopback port, a bearer token, and a small HTTP client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSecureRandom, type DatabaseTarget, openTrialStore } from '../../src/storage/index.ts';
import { ENRICH_TRIAL_CONFIG, type ScreeningLogEntry, type TrialStore } from '../../src/trial/index.ts';

export const BIN = fileURLToPath(new URL('../../bin/enrich.js', import.meta.url));
export const ADMIN_PASSWORD = 'process-admin-password';
const SYSTEM = { actor: { userId: 'system', role: 'admin' as const } };
const GROUPS = ['psychosis', 'personality', 'other'] as const;

/** Where `--db` points for a target. */
export function dbArgument(target: DatabaseTarget): string {
  return target.kind === 'sqlite' ? target.path : target.url;
}

/** One eligible, consented person awaiting randomisation. */
export interface PendingPerson {
  readonly screeningId: string;
  readonly site: string;
  readonly diagnosisGroup: (typeof GROUPS)[number];
}

/**
 * Creates the schema, an `admin` account, trial `enrich` (ENRICH template, sites site_1..site_<sites>) and
 * `count` eligible, consented people (strata spread over sites and diagnosis groups); closes the store.
 */
export async function prepareTrial(
  target: DatabaseTarget,
  count: number,
  sites = 3,
): Promise<PendingPerson[]> {
  const store = await openTrialStore(target, {
    now: () => new Date(),
    random: createSecureRandom(),
    migrate: true,
  });
  try {
    await store.createUser({ username: 'admin', password: ADMIN_PASSWORD, role: 'admin', sites: [] }, SYSTEM);
    await store.createTrial('enrich', ENRICH_TRIAL_CONFIG, SYSTEM);
    for (let site = 1; site <= sites; site++) {
      await store.createSite('enrich', { siteId: `site_${site}`, name: `Site ${site}` }, SYSTEM);
    }
    return await addPending(store, count, sites, 0);
  } finally {
    await store.close();
  }
}

/** Adds `count` eligible, consented people to trial `enrich` (ids `S<offset + i>`). */
export async function addPending(
  store: TrialStore,
  count: number,
  sites: number,
  offset: number,
): Promise<PendingPerson[]> {
  const people: PendingPerson[] = [];
  const today = new Date().toISOString().slice(0, 10);
  for (let index = 0; index < count; index++) {
    const number = offset + index;
    const person: PendingPerson = {
      screeningId: `S${String(number).padStart(6, '0')}`,
      site: `site_${(number % sites) + 1}`,
      diagnosisGroup: GROUPS[Math.floor(number / sites) % 3] as PendingPerson['diagnosisGroup'],
    };
    const screening: ScreeningLogEntry = {
      screeningId: person.screeningId,
      trialId: 'enrich',
      site: person.site,
      screenedDate: today,
      screenedBy: 'system',
      criteria: {
        ageYears: 30,
        admissionsPrior2y: 1,
        organicMentalDisorder: false,
        primaryDiagnosis:
          person.diagnosisGroup === 'personality' ? 'personality_disorder' : person.diagnosisGroup,
        diagnosisGroup: person.diagnosisGroup,
      },
      outcome: 'pending',
    };
    await store.saveRecords(
      'enrich',
      [
        { kind: 'screening', record: screening },
        {
          kind: 'consent',
          record: {
            screeningId: person.screeningId,
            consentDate: today,
            consentFormVersion: '1.0',
            takenBy: 'system',
            recordsAccess: true,
            recordsAfterWithdrawal: true,
          },
        },
      ],
      SYSTEM,
    );
    people.push(person);
  }
  return people;
}

/** A running `enrich serve` child process. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM and wait. */
  stop(): Promise<number | string>;
}

/** Starts `enrich serve --db <target> --port 0` and waits for its address. */
export function startServer(
  target: DatabaseTarget,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', dbArgument(target), '--port', '0'], {
    env: { ...process.env, ENRICH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? String(signal))),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`enrich serve did not start: ${stdout}${stderr}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const match = / at (http:\/\/[^\s]+)/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          child,
          exited,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`enrich serve exited (${code}) before listening: ${stdout}${stderr}`));
    });
  });
}

/** Logs the admin in over HTTP and makes an API token. */
export async function adminToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
  const tokens = await fetch(`${url}/api/auth/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf },
  });
  if (tokens.status !== 201) throw new Error(`tokens: ${tokens.status} ${await tokens.text()}`);
  return ((await tokens.json()) as { token: string }).token;
}

/** One randomisation over HTTP with a bearer token: status, body and latency in ms. */
export async function randomiseOverHttp(
  url: string,
  token: string,
  screeningId: string,
): Promise<{ status: number; body: { sequence_number?: number; arm?: string }; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/participants/${screeningId}/randomise`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { sequence_number?: number; arm?: string };
  return { status: response.status, body, ms: performance.now() - started };
}

/** Largest |difference between the two arms| at any point of the sequence, per stratum. */
export function runningImbalance(
  allocations: readonly { sequence: number; strata: Readonly<Record<string, string>>; arm: string }[],
): Map<string, number> {
  const counts = new Map<string, Map<string, number>>();
  const worst = new Map<string, number>();
  for (const allocation of [...allocations].sort((a, b) => a.sequence - b.sequence)) {
    const stratum = `${allocation.strata.site}/${allocation.strata.diagnosis_group}`;
    const arms = counts.get(stratum) ?? new Map<string, number>();
    arms.set(allocation.arm, (arms.get(allocation.arm) ?? 0) + 1);
    counts.set(stratum, arms);
    const values = ['peer_support', 'usual_care'].map((arm) => arms.get(arm) ?? 0);
    const imbalance = Math.abs((values[0] as number) - (values[1] as number));
    worst.set(stratum, Math.max(worst.get(stratum) ?? 0, imbalance));
  }
  return worst;
}
