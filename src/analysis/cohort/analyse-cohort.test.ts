import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv } from '../../table/index.ts';
import { snakeCaseKeys } from '../trial-analysis-fixture.test-support.ts';
import { analyseCohort } from './analyse-cohort.ts';
import { type CohortAnalysis, type CohortScoreSummary, suppressedText } from './cohort-analysis-types.ts';
import { PLACEHOLDER_COHORT_MEASURES } from './cohort-measures.ts';
import { CohortDataError } from './errors.ts';
import {
  type CohortScores,
  formatCohortNormsCsv,
  readCohortNorms,
  readCohortResponses,
  validateCohortNorms,
} from './read-cohort.ts';

interface CohortCase {
  name: string;
  data: string;
  norms: string;
  participants: number[];
  scores: Record<string, unknown>[];
}

const testCase = (readFixture('cohort.json') as { cases: CohortCase[] }).cases[0] as CohortCase;

function read(path: string) {
  return parseCsv(readFileSync(fixturePath(path)), path);
}

function stripForR(value: unknown): unknown {
  // enrich's result also carries the label and `suppressed` (null here: no group under 5); R writes neither.
  if (Array.isArray(value)) return value.map(stripForR);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'label' && key !== 'suppressed')
        .map(([key, item]) => [key, stripForR(item)]),
    );
  }
  return value;
}

describe('analyseCohort against reference/cohort.R', () => {
  const measures = PLACEHOLDER_COHORT_MEASURES;
  const result = analyseCohort(
    readCohortResponses(read(testCase.data), measures),
    readCohortNorms(read(testCase.norms), measures),
    measures,
  );
  it('per-timepoint descriptives, paired change with d_z, one-sample test against norms', () => {
    // Complementary suppression withholds some change rows of this file (items missing make a score's T1 group
    // differ from its paired group by 1 to 4 people); reference/cohort.R computes every row. Compare the
    // published rows with R; a withheld row is all nulls.
    const published = (scores: Record<string, unknown>[]) =>
      scores.map((score, index) => ({
        ...score,
        change: (score.change as unknown[]).filter(
          (_, position) => result.scores[index]?.change[position]?.suppressed === null,
        ),
      }));
    // 1e-10: sums, means and t distribution functions (pt/qt agree with R to 1e-12); only summation order differs.
    assertDeepClose(
      published(stripForR(snakeCaseKeys(result.scores)) as Record<string, unknown>[]),
      published(testCase.scores),
      { relative: 1e-10, absolute: 1e-13 },
    );
    const changeRows = result.scores.flatMap((score) => score.change);
    const withheld = changeRows.filter((row) => row.suppressed !== null);
    assert.ok(withheld.length > 0 && withheld.length < changeRows.length);
    for (const row of withheld) {
      assert.match(
        String(row.suppressed),
        /^would reveal fewer than 5 people by differencing with the T\d group$/,
      );
      assert.deepEqual(
        Object.entries(row).filter(
          ([key, value]) => key !== 'timepoint' && key !== 'suppressed' && value !== null,
        ),
        [],
      );
    }
    assert.deepEqual(
      result.participants.map((entry) => entry.n),
      testCase.participants,
    );
    assert.ok(result.scores.every((score) => score.timepoints.every((entry) => entry.suppressed === null)));
  });
  it('refuses a minimum group size below 5', () => {
    assert.throws(
      () => analyseCohort({ source: 'x', rows: [] }, [], measures, { minimumGroupSize: 4 }),
      (error: unknown) =>
        error instanceof RangeError &&
        error.message === 'analyseCohort requires a minimum group size of at least 5 (got 4)',
    );
  });
});

describe('norms as data: validateCohortNorms and formatCohortNormsCsv', () => {
  const measures = PLACEHOLDER_COHORT_MEASURES;
  it('the CSV written from norms reads back to the same norms', () => {
    const norms = readCohortNorms(read(testCase.norms), measures);
    // The first two norms get sources a spreadsheet would run as formulas, the first a negative mean.
    const formulas = ['=HYPERLINK("http://x","y")', "@SUM(A1) and 'quotes'"];
    const odd = [
      ...norms.map((norm, index) =>
        index < 2
          ? { ...norm, source: formulas[index] as string, mean: index === 0 ? -1.5 : norm.mean }
          : norm,
      ),
      { measure: 'team_working', subscale: null, mean: 0.1 + 0.2, sd: 1 / 3, source: 'A, "quoted" source' },
    ];
    const csv = formatCohortNormsCsv(odd);
    // Spreadsheet formulas are guarded (apostrophe, quoted); the negative mean stays a number.
    const lines = csv.split('\n');
    assert.ok(lines[1]?.endsWith(`,-1.5,${odd[0]?.sd},"'=HYPERLINK(""http://x"",""y"")"`), lines[1]);
    assert.ok(lines[2]?.endsWith(`,"'@SUM(A1) and 'quotes'"`), lines[2]);
    assert.deepEqual(readCohortNorms(parseCsv(new TextEncoder().encode(csv), 'norms.csv'), measures), odd);
    assert.deepEqual(validateCohortNorms(odd, measures), odd);
  });
  it('reports every problem of norms given as data, by index and field', () => {
    assert.throws(
      () =>
        validateCohortNorms(
          [
            { measure: 'happiness', subscale: null, mean: 1, sd: 1, source: 'x' },
            { measure: 'burnout', subscale: 'sleep', mean: 1, sd: 0, source: ' ' },
          ],
          measures,
        ),
      (error: unknown) =>
        error instanceof CohortDataError &&
        error.code === 'cohort_norms_invalid' &&
        error.message ===
          [
            'norms: norms[0].measure: a norm requires a measure of the cohort (wellbeing, burnout, job_satisfaction, team_working) (got "happiness")',
            'norms: norms[1].subscale: a norm requires a subscale of burnout or an empty cell (got "sleep")',
            'norms: norms[1].sd: a norm requires an SD above 0 (got "0")',
            'norms: norms[1].source: a norm requires its source (got a missing cell)',
          ].join('\n'),
    );
  });
});

describe('complementary suppression: published groups differ by 0 or at least 5 people', () => {
  const measures = PLACEHOLDER_COHORT_MEASURES;
  /** Rows with only the wellbeing total: `groups[t]` lists the workers at timepoint t+1. */
  function cohort(groups: readonly (readonly string[])[]): CohortScores {
    const rows = groups.flatMap((workers, index) =>
      workers.map((worker, position) => ({
        worker,
        timepoint: (index + 1) as 1 | 2 | 3,
        // Distinct, irregular values so that no mean or change is degenerate.
        scores: new Map([['wellbeing', 30 + ((position * 7 + index * 11 + worker.length * 3) % 23)]]),
      })),
    );
    return { source: 'synthetic', rows };
  }
  const workers = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
  const wellbeing = (analysis: CohortAnalysis) =>
    analysis.scores.find(
      (score) => score.measure === 'wellbeing' && score.subscale === null,
    ) as CohortScoreSummary;

  it('6 at T1, 5 of them at T2: the change row is withheld, so the 6th T1 score cannot be recovered', () => {
    const data = cohort([workers('w', 6), workers('w', 5)]);
    const score = wellbeing(analyseCohort(data, [], measures));
    const [t1, t2] = score.timepoints;
    const change = score.change[0];
    assert.equal(t1?.n, 6);
    assert.equal(t2?.n, 5);
    assert.equal(change?.suppressed, 'would reveal fewer than 5 people by differencing with the T1 group');
    assert.equal(change?.meanChange, null);
    assert.equal(change?.n, null);
    // The attack 6·mean(T1) − 5·(mean(T2) − mean change) needs the withheld mean change.
    const value = (worker: string, timepoint: number) =>
      data.rows
        .find((row) => row.worker === worker && row.timepoint === timepoint)
        ?.scores.get('wellbeing') as number;
    const sum = (values: number[]) => values.reduce((total, item) => total + item, 0);
    const meanChange = sum(workers('w', 5).map((worker) => value(worker, 2) - value(worker, 1))) / 5;
    // Had the row been published, the attack would give w6's T1 score exactly (up to rounding).
    const attack = (published: number | null) =>
      published === null ? null : 6 * (t1?.mean as number) - 5 * ((t2?.mean as number) - published);
    assert.ok(Math.abs((attack(meanChange) as number) - value('w6', 1)) < 1e-9);
    assert.equal(attack(change?.meanChange ?? null), null);
  });

  it('the paired groups of T2 and T3 differ by one worker: the change to T3 is withheld', () => {
    // T1: w1..w12; T2: w1..w6 and five new workers; T3: w1..w5. Pairs: T2 w1..w6, T3 w1..w5. Every pair group
    // differs from T1, T2 and T3 by 0 or 5+, but the two pair groups differ by w6 alone.
    const data = cohort([workers('w', 12), [...workers('w', 6), ...workers('new', 5)], workers('w', 5)]);
    const score = wellbeing(analyseCohort(data, [], measures));
    assert.deepEqual(
      score.timepoints.map((entry) => entry.n),
      [12, 11, 5],
    );
    assert.equal(score.change[0]?.suppressed, null);
    assert.equal(score.change[0]?.n, 6);
    assert.equal(
      score.change[1]?.suppressed,
      'would reveal fewer than 5 people by differencing with the change to T2',
    );
    assert.equal(score.change[1]?.meanChange, null);
  });

  it('still publishes identical groups and groups that differ by 5 or more', () => {
    const same = wellbeing(
      analyseCohort(cohort([workers('w', 6), workers('w', 6), workers('w', 6)]), [], measures),
    );
    assert.deepEqual(
      same.change.map((row) => [row.n, row.suppressed]),
      [
        [6, null],
        [6, null],
      ],
    );
    assert.ok(same.change.every((row) => typeof row.meanChange === 'number'));
    const apart = wellbeing(
      analyseCohort(cohort([workers('w', 10), workers('w', 5), workers('w', 5)]), [], measures),
    );
    assert.deepEqual(
      apart.change.map((row) => [row.n, row.suppressed]),
      [
        [5, null],
        [5, null],
      ],
    );
    assert.ok(apart.timepoints.every((entry) => entry.suppressed === null));
  });

  it('publishes only the timepoints given; a change to Tt needs T1..Tt', () => {
    const data = cohort([workers('w', 6), workers('w', 6), workers('w', 6)]);
    const onlyT1 = wellbeing(analyseCohort(data, [], measures, { publishedTimepoints: [1] }));
    assert.deepEqual(
      onlyT1.timepoints.map((entry) => entry.suppressed),
      [null, 'collection open', 'collection open'],
    );
    assert.equal(onlyT1.timepoints[1]?.mean, null);
    assert.deepEqual(
      analyseCohort(data, [], measures, { publishedTimepoints: [1] }).participants.map(
        (entry) => entry.suppressed,
      ),
      [null, 'collection open', 'collection open'],
    );
    assert.deepEqual(
      onlyT1.change.map((row) => row.suppressed),
      ['collection open', 'collection open'],
    );
    const withoutT2 = wellbeing(analyseCohort(data, [], measures, { publishedTimepoints: [1, 3] }));
    assert.deepEqual(
      withoutT2.change.map((row) => row.suppressed),
      ['collection open', 'collection open'],
    );
    assert.equal(withoutT2.timepoints[2]?.n, 6);
  });

  it('suppressedText names the reason', () => {
    assert.equal(suppressedText('fewer than 5'), '<5 (suppressed)');
    assert.equal(suppressedText('collection open'), 'withheld: collection open');
    assert.equal(
      suppressedText('would reveal fewer than 5 people by differencing with the T1 group'),
      'withheld: would reveal fewer than 5 people by differencing with the T1 group',
    );
  });
});
