import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { defineStoreSuite } from './store-suite.ts';

const directory = mkdtempSync(join(tmpdir(), 'enrich-store-'));
let count = 0;
after(() => rmSync(directory, { recursive: true, force: true }));

defineStoreSuite('sqlite', async () => ({ kind: 'sqlite', path: join(directory, `test-${++count}.db`) }));
