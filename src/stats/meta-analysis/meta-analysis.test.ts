import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { metaAnalysis } from './meta-analysis.ts';
import type { EffectMeasure, MetaMethod, MetaTest, StudyData } from './types.ts';

/** One case of test/fixtures/meta-analysis.json (reference/meta-analysis.R). */
export interface MetaFixtureCase {
  name: string;
  data: string;
  measure: EffectMeasure;
  method: MetaMethod;
  test: MetaTest;
  subgroup: string | null;
  leave_one_out: boolean;
  input: Record<string, (number | string)[]>;
  expected: Record<string, unknown>;
}

export function readMetaCases(): MetaFixtureCase[] {
  return readFixture<{ cases: MetaFixtureCase[] }>('meta-analysis.json').cases;
}

function studyData(testCase: MetaFixtureCase): StudyData {
  const input = testCase.input;
  const numbers = (name: string) => Float64Array.from(input[name] as number[]);
  const study = (input.study as string[]).map(String);
  if (['RR', 'OR', 'RD'].includes(testCase.measure)) {
    return {
      kind: 'binary',
      study,
      events1: numbers('events1'),
      n1: numbers('n1'),
      events2: numbers('events2'),
      n2: numbers('n2'),
    };
  }
  if (['SMD', 'MD'].includes(testCase.measure)) {
    return {
      kind: 'continuous',
      study,
      mean1: numbers('mean1'),
      sd1: numbers('sd1'),
      n1: numbers('n1'),
      mean2: numbers('mean2'),
      sd2: numbers('sd2'),
      n2: numbers('n2'),
    };
  }
  return { kind: 'generic', study, yi: numbers('yi'), vi: numbers('vi') };
}

/** camelCase result -> the fixture's snake_case keys (`QDf` -> `Q_df`, `QPValue` -> `Q_p_value`). */
function snake(value: unknown): unknown {
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

// The estimators copy metafor's iterations (Fisher scoring start, step, threshold 1e-5 and ll0check;
// R's zeroin for Paule-Mandel), so results agree with R to rounding: 1e-10 relative. Values that are 0
// in exact arithmetic (tau² truncated at 0, a p-value of 1) pass within 1e-14 absolute.
const TOLERANCE = { relative: 1e-10, absolute: 1e-14 };

describe('metaAnalysis agrees with metafor 3.8-1 (reference/meta-analysis.R)', () => {
  for (const testCase of readMetaCases()) {
    it(`${testCase.name}: rma(measure = "${testCase.measure}", method = "${testCase.method}", test = "${testCase.test}")`, () => {
      const data = studyData(testCase);
      const subgroupColumn = testCase.subgroup;
      const groupOf = subgroupColumn === null ? undefined : (testCase.input[subgroupColumn] as string[]);
      const result = metaAnalysis(data, {
        measure: testCase.measure,
        method: testCase.method,
        test: testCase.test,
        leaveOneOut: testCase.leave_one_out,
        ...(subgroupColumn === null || groupOf === undefined
          ? {}
          : { subgroup: { column: subgroupColumn, groupOf, levels: [...new Set(groupOf)].sort() } }),
      });
      assertDeepClose(snake(result), testCase.expected, TOLERANCE);
    });
  }
});
