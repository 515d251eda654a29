import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Lower-case hex SHA-256 of an input file's bytes, as reports print it to identify the data they were run on. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The enrich version from package.json, as reports print it beside the input's hash. */
export function packageVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}
