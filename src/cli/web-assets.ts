import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebAssets } from '../server/index.ts';

/** The built browser app inside this package (`npm run build:web` writes it; `npm ci` runs that). */
export const WEB_DIST_DIRECTORY = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Reads the built browser app from a directory for `buildApp({ webAssets })`; paths outside it and
 * missing files read as undefined.
 */
export function createDirectoryAssets(directory: string = WEB_DIST_DIRECTORY): WebAssets {
  const root = resolve(directory);
  return {
    async read(path) {
      const file = resolve(root, path);
      if (!file.startsWith(root + sep)) return undefined;
      try {
        return await readFile(file);
      } catch {
        return undefined;
      }
    },
  };
}
