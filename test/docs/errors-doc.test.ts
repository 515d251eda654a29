import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every error code the product can raise: `code: 'x'`, `super('x', ...)` and `code = 'x'` in src/. */
function codesInSource(): Set<string> {
  const pattern = /(?:code: '|super\('|code = ')([a-z0-9_]+)'/g;
  const codes = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) codes.add(match[1] as string);
  }
  return codes;
}

function codesInDocs(): Set<string> {
  const table = readFileSync(join(root, 'docs/reference/errors.md'), 'utf8');
  return new Set([...table.matchAll(/^\| `([a-z0-9_]+)` +\|/gm)].map((match) => match[1] as string));
}

it('docs/reference/errors.md lists exactly the error codes the code raises', () => {
  const inSource = [...codesInSource()].sort();
  const inDocs = [...codesInDocs()].sort();
  assert.ok(inSource.length > 0, 'found no error codes in src/: the scan is broken');
  assert.deepEqual(inDocs, inSource);
});
