import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixturesDirectory = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Absolute path of a file under test/fixtures/. */
export function fixturePath(relativePath: string): string {
  return fixturesDirectory + relativePath;
}

/** Reads and parses a committed JSON fixture written by a script in reference/. */
export function readFixture<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(fixturePath(relativePath), 'utf8')) as T;
}
