import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

// Every kind of bad input the CLI contract names: exit 2, one message on stderr naming what, where and
// why, and nothing on stdout.
const scratch = mkdtempSync(join(tmpdir(), 'enrich-errors-'));
function csv(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const data = csv('data.csv', 'y,x,g,t,e,count\n1,2,a,5,1,3\n0,3,b,-1,0,-2\n2,4,a,3,2,0\n1,5,b,4,1,1\n');
const proportions = csv('proportions.csv', 'y,x\n0,1\n0.5,2\n1,3\n');
const threeLevels = csv('levels.csv', 'y,x\nlow,1\nmid,2\nhigh,3\n');

const cases: [string, string[], string][] = [
  [
    'unknown column',
    ['glm', data, '--formula', 'y ~ z', '--family', 'gaussian'],
    `formula_invalid]: formula term z requires a column "z" in ${data} (got columns y, x, g, t, e, count)`,
  ],
  [
    'non-numeric value in a numeric term',
    ['glm', data, '--formula', 'y ~ log(g)', '--family', 'gaussian'],
    'formula_invalid]: formula term log(g) requires a numeric column "g" (got non-numeric values such as "a")',
  ],
  [
    'non-numeric response',
    ['glm', data, '--formula', 'g ~ x', '--family', 'poisson'],
    `model_data_invalid]: glm requires a numeric response for family poisson (got "a" in row 1 of ${data}, column g)`,
  ],
  [
    'binomial response outside 0/1',
    ['glm', data, '--formula', 'y ~ x', '--family', 'binomial'],
    'model_data_invalid]: glm requires a 0/1 response for family binomial (got 2 in row 3)',
  ],
  [
    'binomial proportions',
    ['glm', proportions, '--formula', 'y ~ x', '--family', 'binomial'],
    'model_data_invalid]: glm requires a 0/1 response for family binomial (got 0.5 in row 2)',
  ],
  [
    'binomial factor with three levels',
    ['glm', threeLevels, '--formula', 'y ~ x', '--family', 'binomial'],
    'model_data_invalid]: glm requires a 0/1 response or a two-level factor for family binomial (got 3 levels in y: high, low, mid)',
  ],
  [
    'negative counts for poisson',
    ['glm', data, '--formula', 'count ~ x', '--family', 'poisson'],
    'model_data_invalid]: glm requires a non-negative response for family poisson (got -2 in row 2)',
  ],
  [
    'negative counts for negbin',
    ['glm', data, '--formula', 'count ~ x', '--family', 'negbin'],
    'model_data_invalid]: glm requires a non-negative response for family negbin (got -2 in row 2)',
  ],
  [
    'non-positive values for Gamma',
    ['glm', data, '--formula', 'count ~ x', '--family', 'Gamma'],
    'model_data_invalid]: glm requires a positive response for family Gamma (got -2 in row 2)',
  ],
  [
    'negative times (cox)',
    ['cox', data, '--formula', 'Surv(t, y) ~ x'],
    'model_data_invalid]: cox requires non-negative times (got -1 in row 2)',
  ],
  [
    'negative times (km)',
    ['km', data, '--formula', 'Surv(t, y) ~ 1'],
    'model_data_invalid]: kaplanMeier requires non-negative times (got -1 in row 2)',
  ],
  [
    'negative times (logrank)',
    ['logrank', data, '--formula', 'Surv(t, y) ~ g'],
    'model_data_invalid]: logrankTest requires non-negative times (got -1 in row 2)',
  ],
  [
    'event not 0/1',
    ['cox', data, '--formula', 'Surv(x, e) ~ t'],
    'model_data_invalid]: cox requires a 0/1 event (got 2 in row 3)',
  ],
  [
    'survival formula without Surv()',
    ['km', data, '--formula', 'y ~ g'],
    'model_data_invalid]: km requires a formula of the form Surv(time, event) ~ ... (got "y ~ g")',
  ],
  [
    'logrank without groups',
    ['logrank', data, '--formula', 'Surv(x, y) ~ 1'],
    'model_data_invalid]: logrank requires at least one grouping variable after ~ (got "Surv(x, y) ~ 1")',
  ],
  [
    'formula syntax',
    ['glm', data, '--formula', 'y ~ x +', '--family', 'gaussian'],
    'formula_invalid]: formula "y ~ x +" requires a variable, a number or "(" at character 8 (got the end of the formula)',
  ],
  [
    'missing --family',
    ['glm', data, '--formula', 'y ~ x'],
    `usage]: --family is required\nusage: enrich glm FILE.csv --formula "F" --family gaussian|binomial|poisson|Gamma|negbin [--link L] [--robust HC0|HC1|HC3] [--json]`,
  ],
  [
    'unknown family',
    ['glm', data, '--formula', 'y ~ x', '--family', 'tweedie'],
    'usage]: --family requires one of gaussian, binomial, poisson, Gamma, negbin (got "tweedie")',
  ],
  [
    'bad --max-iterations',
    ['cox', data, '--formula', 'Surv(x, y) ~ t', '--max-iterations', '0'],
    'usage]: --max-iterations requires a whole number >= 1 (got "0")',
  ],
];

describe('bad input: exit 2, a clear message on stderr, stdout empty', () => {
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const run = await runCli(argv);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.ok(run.stderr.startsWith(`enrich: error [${message}`), `stderr was: ${run.stderr}`);
    });
  }
});
