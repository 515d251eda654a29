/**
 * The end-to-end world: the built browser app (built here when web/dist is missing or older than
 * web/src), a real `enrich serve --demo` child process on a temporary database and a free port, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here (printed), or false. */
export const skipReason: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`;

function newest(directory: string): number {
  let latest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds web/dist unless it is there and newer than every source of the app. */
export function ensureWebBuilt(): void {
  const index = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(newest(join(ROOT, 'web/src')), statSync(join(ROOT, 'web/index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A running `enrich serve --demo`. */
export interface DemoServer {
  readonly url: string;
  readonly directory: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts `enrich serve --demo` on a temporary database and a free port; resolves when it prints its URL. */
export async function startDemoServer(): Promise<DemoServer> {
  const directory = mkdtempSync(join(tmpdir(), 'enrich-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin/enrich.js'), 'serve', '--demo', '--db', join(directory, 'demo.db'), '--port', '0'],
    { cwd: directory, env: { ...process.env, ENRICH_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`enrich serve did not start in 90 s:\n${stdout}\n${stderr}`)),
      90_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /open the app: (http:\/\/\S+?)\/?\n/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`enrich serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    directory,
    output: () => `${stdout}\n${stderr}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The demo accounts' passwords (printed by `enrich serve --demo`). */
export const DEMO_PASSWORD = (username: string) => `demo-${username}`;

/** Signs in through the sign-in page and waits for the role's home page. */
export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD(username));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.locator('main h1').first().waitFor();
}

/** Where screenshots go: ENRICH_SCREENSHOTS if set (e.g. docs/images), else a temporary directory. */
export function screenshotDirectory(): string {
  const directory = process.env.ENRICH_SCREENSHOTS ?? join(tmpdir(), 'enrich-e2e-screenshots');
  mkdirSync(directory, { recursive: true });
  return directory;
}

/** The page's visible text and its whole DOM (attributes included), for "never shows X" checks. */
export async function everythingOnPage(page: Page): Promise<string> {
  const text = await page.evaluate<string>('document.body.innerText');
  const html = await page.content();
  return `${text}\n${html}`;
}
