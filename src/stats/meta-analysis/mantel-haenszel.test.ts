import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { InvalidArgumentError, ModelDataError } from '../errors.ts';
import { rmaMh, rmaPeto } from './mantel-haenszel.ts';
import { metaAnalysis } from './meta-analysis.ts';
import type { BinaryStudyData, EffectMeasure } from './types.ts';

/** One case of test/fixtures/meta-analysis-mh.json (reference/meta-analysis-mh.R). */
export interface MhFixtureCase {
  name: string;
  data: string;
  measure: EffectMeasure;
  method: 'MH' | 'PETO';
  test: 'z';
  subgroup: string | null;
  leave_one_out: boolean;
  input: Record<string, (number | string)[]>;
  expected: Record<string, unknown>;
}

export function readMhCases(): MhFixtureCase[] {
  return readFixture<{ cases: MhFixtureCase[] }>('meta-analysis-mh.json').cases;
}

function tables(testCase: MhFixtureCase): BinaryStudyData {
  const numbers = (name: string) => Float64Array.from(testCase.input[name] as number[]);
  return {
    kind: 'binary',
    study: (testCase.input.study as string[]).map(String),
    events1: numbers('events1'),
    n1: numbers('n1'),
    events2: numbers('events2'),
    n2: numbers('n2'),
  };
}

/** camelCase result -> the fixture's snake_case keys; NaN -> null (R's NA, as the CLI's JSON). */
function snake(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(snake);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const name =
        key === 'QDf'
          ? 'Q_df'
          : key === 'QPValue'
            ? 'Q_p_value'
            : /^[A-Z][A-Za-z0-9]*$/.test(key)
              ? key
              : key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      out[name] = snake(item);
    }
    return out;
  }
  return value;
}

// Closed-form sums in the same order as metafor: agreement to rounding. Values that are 0 in exact
// arithmetic (Breslow-Day with one informative table, R prints 1e-28) pass within 1e-14 absolute.
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

describe('metaAnalysis with MH and PETO agrees with metafor 3.8-1 rma.mh / rma.peto (reference/meta-analysis-mh.R)', () => {
  for (const testCase of readMhCases()) {
    it(`${testCase.name}: ${testCase.method === 'PETO' ? 'rma.peto' : `rma.mh(measure = "${testCase.measure}")`}`, () => {
      const subgroupColumn = testCase.subgroup;
      const groupOf = subgroupColumn === null ? undefined : (testCase.input[subgroupColumn] as string[]);
      const result = metaAnalysis(tables(testCase), {
        measure: testCase.measure,
        method: testCase.method,
        leaveOneOut: testCase.leave_one_out,
        ...(subgroupColumn === null || groupOf === undefined
          ? {}
          : { subgroup: { column: subgroupColumn, groupOf, levels: [...new Set(groupOf)].sort() } }),
      });
      assertDeepClose(snake(result), testCase.expected, TOLERANCE);
    });
  }
});

describe('Mantel-Haenszel and Peto: checks derived without R', () => {
  const one: BinaryStudyData = {
    kind: 'binary',
    study: ['A'],
    events1: [12],
    n1: [40],
    events2: [20],
    n2: [44],
  };

  it('with one table the MH odds and risk ratios are the table ratios', () => {
    // a = 12, b = 28, c = 20, d = 24: OR = (12·24)/(28·20), RR = (12/40)/(20/44)
    assert.ok(Math.abs(Math.exp(rmaMh('OR', one).estimate) / ((12 * 24) / (28 * 20)) - 1) < 1e-14);
    assert.ok(Math.abs(Math.exp(rmaMh('RR', one).estimate) / (12 / 40 / (20 / 44)) - 1) < 1e-14);
    assert.ok(Math.abs(rmaMh('RD', one).estimate - (12 / 40 - 20 / 44)) < 1e-15);
  });

  it('the Peto log OR of one table is (O - E)/V', () => {
    const E = (32 * 40) / 84;
    const V = (32 * 52 * 40 * 44) / (84 ** 2 * 83);
    assert.ok(Math.abs(rmaPeto(one).estimate / ((12 - E) / V) - 1) < 1e-13);
  });

  it('rejects MH for continuous measures, PETO for RR and the Knapp-Hartung test', () => {
    const continuous = {
      kind: 'continuous' as const,
      study: ['A', 'B'],
      mean1: [1, 2],
      sd1: [1, 1],
      n1: [10, 10],
      mean2: [0, 1],
      sd2: [1, 1],
      n2: [10, 10],
    };
    assert.throws(
      () => metaAnalysis(continuous, { measure: 'SMD', method: 'MH' }),
      (error: unknown) =>
        error instanceof InvalidArgumentError &&
        error.message ===
          'method MH (Mantel-Haenszel) requires a binary measure RR, OR or RD with events and group sizes per arm (got measure SMD)',
    );
    assert.throws(
      () => metaAnalysis(one, { measure: 'RR', method: 'PETO' }),
      /method PETO \(Peto's odds ratio\) requires measure OR \(got measure RR\)/,
    );
    assert.throws(
      () => metaAnalysis(one, { measure: 'OR', method: 'MH', test: 'knha' }),
      /method MH \(Mantel-Haenszel\) requires test z \(got test knha\)/,
    );
  });

  it('says why an MH estimate is not estimable', () => {
    const noEvents: BinaryStudyData = { ...one, events1: [0] };
    assert.throws(
      () => metaAnalysis(noEvents, { measure: 'RR', method: 'MH' }),
      (error: unknown) =>
        error instanceof ModelDataError &&
        /risk ratio of the studies requires events in both arms/.test(error.message),
    );
    assert.throws(
      () => metaAnalysis({ ...one, events1: [0], events2: [0] }, { measure: 'OR', method: 'PETO' }),
      /Peto's odds ratio requires at least one study with both events and non-events/,
    );
  });
});
