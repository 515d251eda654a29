import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { fixturePath } from '../helpers/fixtures.ts';

// The installed entry point, run as a user runs it: exit codes and which stream gets what.
const binary = fileURLToPath(new URL('../../bin/enrich.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'enrich-cli-'));

function enrich(...argv: string[]) {
  const run = spawnSync(process.execPath, [binary, ...argv], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bin/enrich.js', () => {
  it('prints one JSON document on stdout and nothing on stderr', () => {
    const run = enrich(
      'glm',
      fixturePath('data/warpbreaks.csv'),
      '--formula',
      'breaks ~ wool * tension',
      '--family',
      'poisson',
      '--json',
    );
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    const json = JSON.parse(run.stdout) as { n: number; coefficients: { term: string }[] };
    assert.equal(json.n, 54);
    assert.deepEqual(
      json.coefficients.map((coefficient) => coefficient.term),
      ['(Intercept)', 'woolB', 'tensionL', 'tensionM', 'woolB:tensionL', 'woolB:tensionM'],
    );
  });

  it('prints a readable table without --json', () => {
    const run = enrich('km', fixturePath('data/aml.csv'), '--formula', 'Surv(time, status) ~ x');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Model: survfit\(Surv\(time, status\) ~ x\)/);
    assert.match(run.stdout, /x=Maintained +11 +7 +31 /);
  });

  it('exits 2 with a message naming the missing file, stdout empty', () => {
    const run = enrich('glm', join(scratch, 'absent.csv'), '--formula', 'y ~ x', '--family', 'gaussian');
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `enrich: error [file_unreadable]: input file ${join(scratch, 'absent.csv')} requires a readable file (got no such file)\n`,
    );
  });

  it('exits 2 for a ragged CSV, naming file and line', () => {
    const file = join(scratch, 'ragged.csv');
    writeFileSync(file, 'y,x\n1,2\n3\n');
    const run = enrich('glm', file, '--formula', 'y ~ x', '--family', 'gaussian', '--json');
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `enrich: error [csv_ragged_row]: ${file}:3: every CSV row requires 2 cells as in the header (got 1 at line 3)\n`,
    );
  });

  it('exits 2 for an unknown command or option', () => {
    const unknown = enrich('regress');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.equal(
      unknown.stderr,
      `enrich: error [usage]: unknown command "regress" (commands: ${COMMANDS.map((command) => command.name).join(', ')}; see enrich --help)\n`,
    );
    const badOption = enrich('glm', 'x.csv', '--formula', 'y ~ x', '--family', 'binomial', '--robust', 'HC9');
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--robust requires one of HC0, HC1, HC3 \(got "HC9"\)/);
  });

  it('prints help with exit 0', () => {
    const run = enrich('--help');
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /enrich glm FILE\.csv --formula "F" --family gaussian\|binomial\|poisson\|Gamma\|negbin/,
    );
  });
});
