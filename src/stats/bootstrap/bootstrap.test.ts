import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose } from '../../../test/helpers/approx.ts';
import { BootstrapIntervalError, InvalidArgumentError } from '../errors.ts';
import { createRRandom } from '../random/index.ts';
import {
  type CliCase,
  type IntervalCase,
  readBootstrapFixture,
  readTrialColumns,
  type SummaryCase,
} from './bootstrap-fixture.test-support.ts';
import {
  type BootstrapResult,
  type BootstrapStatistic,
  bootCi,
  bootstrap,
  bootstrapIndices,
  differenceInMeansStatistic,
  jackknife,
  meanStatistic,
  medianStatistic,
  ratioOfMeansStatistic,
  sdStatistic,
} from './index.ts';

// reference/bootstrap.R: set.seed(seed); b <- boot(d, statistic, R, strata = ...); boot.ci(b, conf,
// type = c("norm", "basic", "perc", "bca"), index = j, L = empinf(b, index = j, type = "jack")), boot 1.3-28.1.
// Tolerances:
// - resample indices: exact (the RNG and boot's index layout are copied);
// - replicates: the statistics reproduce R's long-double sums by double-double summation, so at least
//   99.9% of replicates (all but one when R < 1000) are bit-identical and none differs by more than one unit in the last place
//   (2.3e-16 relative); t0 exact;
// - bias, SE, intervals, w, a, influence: 1e-12 relative (R's long-double sums and pow/qnorm/pnorm
//   round differently from ours in the last bit; observed max about 1e-15).
const fixture = readBootstrapFixture();
const INTERVAL_TOLERANCE = { relative: 1e-12, absolute: 1e-13 };

function ordinal(length: number): Int32Array {
  return Int32Array.from({ length }, (_, index) => index);
}

function assertReplicates(actual: Float64Array, expected: number[], where: string): void {
  assert.equal(actual.length, expected.length, `${where}: number of replicates`);
  let differing = 0;
  expected.forEach((value, replicate) => {
    const got = actual[replicate] as number;
    if (got === value) return;
    differing++;
    assertClose(got, value, { relative: 2.3e-16 }, `${where}: replicate ${replicate + 1}`);
  });
  assert.ok(
    differing <= Math.max(1, expected.length / 1000),
    `${where}: ${differing} replicates differ in the last bit`,
  );
}

function assertInterval(actual: [number, number] | undefined, expected: number[], where: string): void {
  assert.ok(actual, `${where}: missing`);
  assertClose(actual[0], expected[0] as number, INTERVAL_TOLERANCE, `${where} lower`);
  assertClose(actual[1], expected[1] as number, INTERVAL_TOLERANCE, `${where} upper`);
}

function assertIntervals(result: BootstrapResult, expected: IntervalCase, where: string): void {
  const ci = bootCi(result, { conf: expected.conf, index: expected.index - 1 });
  assertInterval(ci.normal, expected.normal, `${where} normal`);
  assertInterval(ci.basic, expected.basic, `${where} basic`);
  assertInterval(ci.percent, expected.percent, `${where} percent`);
  assertInterval(ci.bca, expected.bca, `${where} bca`);
  assertClose(ci.bcaConstants?.w as number, expected.w[0] as number, INTERVAL_TOLERANCE, `${where}: w`);
  assertClose(ci.bcaConstants?.a as number, expected.a[0] as number, INTERVAL_TOLERANCE, `${where}: a`);
  assert.deepEqual(
    ci.warnings.map((warning) => warning.replace(/^[a-z]+: /, '')),
    expected.warnings,
    `${where}: warnings`,
  );
  const influence = jackknife({ n: result.n, statistic: result.statistic, strata: result.strata }).influence[
    expected.index - 1
  ] as Float64Array;
  expected.influence.forEach((value, row) => {
    assertClose(influence[row] as number, value, INTERVAL_TOLERANCE, `${where}: L[${row + 1}]`);
  });
}

function assertSummary(result: BootstrapResult, expected: SummaryCase, where: string): void {
  assert.deepEqual(Array.from(result.t0), expected.t0, `${where}: t0`);
  expected.bias.forEach((value, index) => {
    assertClose(result.bias[index] as number, value, INTERVAL_TOLERANCE, `${where}: bias`);
  });
  expected.se.forEach((value, index) => {
    assertClose(result.se[index] as number, value, INTERVAL_TOLERANCE, `${where}: se`);
  });
  if (expected.t) assertReplicates(result.t[0] as Float64Array, expected.t, where);
  for (const interval of expected.intervals)
    assertIntervals(result, interval, `${where} [index ${interval.index}, conf ${interval.conf}]`);
}

describe('bootstrap draws the resamples of boot::boot', () => {
  const layout = fixture.cases.layout;
  const x = Float64Array.from(layout.x);
  it('unstratified: sample.int(n, n * R, TRUE) in column-major order (boot.array)', () => {
    const indices = bootstrapIndices(x.length, layout.plain.R, createRRandom(layout.plain.seed));
    const rows = Array.from({ length: layout.plain.R }, (_, replicate) =>
      Array.from(indices.subarray(replicate * x.length, (replicate + 1) * x.length), (index) => index + 1),
    );
    assert.deepEqual(rows, layout.plain.indices);
    const result = bootstrap({
      n: x.length,
      statistic: meanStatistic(x),
      replicates: layout.plain.R,
      rng: createRRandom(layout.plain.seed),
    });
    assert.deepEqual(Array.from(result.t[0] as Float64Array), layout.plain.t);
  });

  it('stratified, strata interleaved, one stratum of a single row kept in every resample', () => {
    const result = bootstrap({
      n: x.length,
      statistic: meanStatistic(x),
      replicates: layout.stratified.R,
      rng: createRRandom(layout.stratified.seed),
      strata: layout.strata,
    });
    const indices = bootstrapIndices(
      x.length,
      layout.stratified.R,
      createRRandom(layout.stratified.seed),
      result.strata,
    );
    const rows = Array.from({ length: layout.stratified.R }, (_, replicate) =>
      Array.from(indices.subarray(replicate * x.length, (replicate + 1) * x.length), (index) => index + 1),
    );
    assert.deepEqual(rows, layout.stratified.indices);
    assert.deepEqual(Array.from(result.t[0] as Float64Array), layout.stratified.t);
    const influence = jackknife({ n: x.length, statistic: meanStatistic(x), strata: layout.strata })
      .influence[0] as Float64Array;
    layout.stratified.influence.forEach((value, row) => {
      assertClose(influence[row] as number, value, INTERVAL_TOLERANCE, `L[${row + 1}]`);
    });
  });
});

function cliStatistic(
  expected: CliCase,
  columns: ReturnType<typeof readTrialColumns>,
  keep: number[],
): BootstrapStatistic {
  const pick = (name: string) =>
    Float64Array.from(keep, (row) => (columns.numeric[name] as Float64Array)[row] as number);
  const x = pick(expected.column);
  switch (expected.statistic) {
    case 'mean':
      return meanStatistic(x);
    case 'median':
      return medianStatistic(x);
    case 'sd':
      return sdStatistic(x);
    case 'ratio-of-means':
      return ratioOfMeansStatistic(x, pick(expected.column2 as string));
    case 'difference-in-means':
      // factor(arm): levels control < peer, so peer minus control.
      return differenceInMeansStatistic(
        x,
        Int32Array.from(keep, (row) => (columns.arm[row] === 'peer' ? 1 : 0)),
      );
  }
}

describe('bootstrap and bootCi agree with boot and boot.ci on the trial data', () => {
  const columns = readTrialColumns();
  for (const expected of fixture.cases.cli) {
    it(expected.name, () => {
      const used = [expected.column, expected.column2, expected.strata].filter(
        (name) => name !== null && name !== 'arm',
      ) as string[];
      const keep = columns.arm.flatMap((_, row) =>
        used.every((name) => !Number.isNaN((columns.numeric[name] as Float64Array)[row] as number))
          ? [row]
          : [],
      );
      assert.equal(keep.length, expected.n);
      const strata =
        expected.strata === null
          ? undefined
          : expected.strata === 'arm'
            ? keep.map((row) => (columns.arm[row] === 'peer' ? 1 : 0))
            : keep.map((row) => (columns.numeric[expected.strata as string] as Float64Array)[row] as number);
      const result = bootstrap({
        n: keep.length,
        statistic: cliStatistic(expected, columns, keep),
        replicates: expected.R,
        rng: createRRandom(expected.seed),
        ...(strata === undefined ? {} : { strata }),
      });
      assertSummary(result, expected, expected.name);
    });
  }
});

describe('bootstrap and bootCi on other statistics', () => {
  it('a two-valued statistic (cost and outcome differences), intervals for index 1 and 2', () => {
    const expected = fixture.cases.multi;
    const columns = readTrialColumns();
    const cost = columns.numeric.cost as Float64Array;
    const outcome = columns.numeric.outcome as Float64Array;
    const keep = columns.arm.flatMap((_, row) => (Number.isNaN(outcome[row] as number) ? [] : [row]));
    const costs = Float64Array.from(keep, (row) => cost[row] as number);
    const outcomes = Float64Array.from(keep, (row) => outcome[row] as number);
    const arm = Int32Array.from(keep, (row) => (columns.arm[row] === 'peer' ? 1 : 0));
    const costDifference = differenceInMeansStatistic(costs, arm);
    const outcomeDifference = differenceInMeansStatistic(outcomes, arm);
    const result = bootstrap({
      n: keep.length,
      statistic: (indices) => [costDifference(indices) as number, outcomeDifference(indices) as number],
      replicates: expected.R,
      rng: createRRandom(expected.seed),
      strata: arm,
    });
    assertSummary(result, expected, 'two-valued');
  });

  it("boot's city data: ratio sum(x)/sum(u) at conf 0.90 and 0.95", () => {
    const expected = fixture.cases.city;
    const ratio = ratioOfMeansStatistic(Float64Array.from(expected.x), Float64Array.from(expected.u));
    const x = Float64Array.from(expected.x);
    const u = Float64Array.from(expected.u);
    // R's statistic is sum(x[i]) / sum(u[i]); with these integer data the sums are exact.
    const statistic: BootstrapStatistic = (indices) => {
      let top = 0;
      let bottom = 0;
      for (const index of indices) {
        top += x[index] as number;
        bottom += u[index] as number;
      }
      return top / bottom;
    };
    assert.ok(Math.abs((ratio(ordinal(10)) as number) - (statistic(ordinal(10)) as number)) < 1e-15);
    const result = bootstrap({ n: 10, statistic, replicates: expected.R, rng: createRRandom(expected.seed) });
    assertSummary(result, expected, 'city');
  });

  it("R = 19: end points at the extreme order statistics, with boot's warning for each", () => {
    const expected = fixture.cases.extreme;
    const x = Float64Array.from(expected.x);
    const result = bootstrap({
      n: x.length,
      statistic: meanStatistic(x),
      replicates: expected.R,
      rng: createRRandom(expected.seed),
    });
    assertSummary(result, expected, 'extreme');
    assert.deepEqual(bootCi(result).warnings, [
      'basic: extreme order statistics used as endpoints',
      'percent: extreme order statistics used as endpoints',
      'bca: extreme order statistics used as endpoints',
    ]);
  });

  it('the minimum: no replicate below t0, so BCa is undefined as boot.ci says', () => {
    const expected = fixture.cases.minimum;
    assert.equal(expected.error, "estimated adjustment 'w' is infinite");
    const x = Float64Array.from(expected.x);
    const minimum: BootstrapStatistic = (indices) =>
      Math.min(...Array.from(indices, (index) => x[index] as number));
    const result = bootstrap({
      n: x.length,
      statistic: minimum,
      replicates: expected.R,
      rng: createRRandom(expected.seed),
    });
    assertInterval(bootCi(result, { types: ['percent'] }).percent, expected.percent, 'percent');
    assert.throws(
      () => bootCi(result, { types: ['bca'] }),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapIntervalError);
        assert.equal(error.code, 'bootstrap_interval_undefined');
        assert.equal(
          error.message,
          'bootCi requires some replicates below t0 and some not for the BCa bias correction (got 0 of 99 below t0 = 1.9)',
        );
        return true;
      },
    );
  });

  it("types selects the intervals; influence values can be passed in (R's L)", () => {
    const x = new Float64Array([2, 4, 9, 1, 7, 3, 3, 8]);
    const result = bootstrap({
      n: x.length,
      statistic: meanStatistic(x),
      replicates: 200,
      rng: createRRandom(8),
    });
    const only = bootCi(result, { types: ['normal'] });
    assert.deepEqual(
      Object.keys(only).filter((key) => ['normal', 'basic', 'percent', 'bca'].includes(key)),
      ['normal'],
    );
    const jack = jackknife({ n: x.length, statistic: meanStatistic(x) }).influence[0] as Float64Array;
    assert.deepEqual(bootCi(result, { influence: jack }).bca, bootCi(result).bca);
    assert.notDeepEqual(
      bootCi(result, { influence: jack.map((value) => value ** 3) }).bca,
      bootCi(result).bca,
    );
  });

  it('the documented examples', () => {
    assert.equal(meanStatistic(new Float64Array([1, 2, 6]))(new Int32Array([0, 0, 2])), 8 / 3);
    assert.equal(sdStatistic(new Float64Array([1, 2, 6]))(ordinal(3)), 2.6457513110645907);
    assert.equal(medianStatistic(new Float64Array([5, 1, 3, 4]))(ordinal(4)), 3.5);
    assert.equal(medianStatistic(new Float64Array([5, 1, 3]))(ordinal(3)), 3);
    assert.equal(ratioOfMeansStatistic(new Float64Array([2, 4]), new Float64Array([1, 3]))(ordinal(2)), 1.5);
    assert.equal(
      differenceInMeansStatistic(new Float64Array([1, 2, 5]), new Int32Array([0, 0, 1]))(ordinal(3)),
      3.5,
    );
    assert.ok(
      Number.isNaN(
        differenceInMeansStatistic(
          new Float64Array([1, 2]),
          new Int32Array([0, 1]),
        )(new Int32Array([0, 0])) as number,
      ),
    );
    assert.deepEqual(
      Array.from(
        jackknife({ n: 3, statistic: meanStatistic(new Float64Array([1, 2, 6])) })
          .influence[0] as Float64Array,
      ),
      [-2, -1, 3],
    );
  });
});

function expectError(
  call: () => unknown,
  errorClass: new (...args: never[]) => Error,
  message: string,
): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

/** A statistic that returns two values on its first call (t0) and one afterwards. */
function firstCallTwoValues(): BootstrapStatistic {
  let calls = 0;
  return () => (calls++ === 0 ? [1, 2] : [1]);
}

describe('bootstrap, jackknife, bootCi and the statistics reject impossible input', () => {
  const x = new Float64Array([1, 2, 3, 4]);
  const rng = () => createRRandom(1);
  const cases: [string, () => unknown, new (...args: never[]) => Error, string][] = [
    [
      'n = 0',
      () => bootstrap({ n: 0, statistic: meanStatistic(x), replicates: 10, rng: rng() }),
      InvalidArgumentError,
      'bootstrap requires a whole number of rows n >= 1 (got 0)',
    ],
    [
      'replicates = 0',
      () => bootstrap({ n: 4, statistic: meanStatistic(x), replicates: 0, rng: rng() }),
      InvalidArgumentError,
      'bootstrap requires a whole number of replicates >= 1 (got 0)',
    ],
    [
      'too many draws',
      () => bootstrap({ n: 100000, statistic: meanStatistic(x), replicates: 100000, rng: rng() }),
      InvalidArgumentError,
      'bootstrap requires n * replicates <= 2147483647 index draws (got 100000 * 100000)',
    ],
    [
      'strata of the wrong length',
      () => bootstrap({ n: 4, statistic: meanStatistic(x), replicates: 10, rng: rng(), strata: [1, 2] }),
      InvalidArgumentError,
      'bootstrap requires one stratum label per row (got 2 labels for 4 rows)',
    ],
    [
      'a missing stratum',
      () =>
        bootstrap({
          n: 4,
          statistic: meanStatistic(x),
          replicates: 10,
          rng: rng(),
          strata: [1, 2, Number.NaN, 1],
        }),
      InvalidArgumentError,
      'bootstrap requires finite stratum labels (got NaN in row 3)',
    ],
    [
      'a statistic that changes length',
      () =>
        bootstrap({
          n: 4,
          statistic: firstCallTwoValues(),
          replicates: 10,
          rng: rng(),
        }),
      InvalidArgumentError,
      'bootstrap requires the statistic to return 2 value(s) for every resample (got 1 in replicate 1)',
    ],
    [
      'a statistic with no value',
      () => bootstrap({ n: 4, statistic: () => [], replicates: 10, rng: rng() }),
      InvalidArgumentError,
      'bootstrap requires a statistic with at least one value (got none)',
    ],
    [
      'jackknife with one row',
      () => jackknife({ n: 1, statistic: meanStatistic(x) }),
      InvalidArgumentError,
      'jackknife requires a whole number of rows n >= 2 (got 1)',
    ],
    [
      'jackknife with a statistic that changes length',
      () => jackknife({ n: 4, statistic: (indices) => (indices.length === 4 ? [1] : [1, 2]) }),
      InvalidArgumentError,
      'jackknife requires the statistic to return 1 value(s) every time (got 2 without row 1)',
    ],
    [
      'a non-finite value',
      () => meanStatistic(new Float64Array([1, Number.NaN])),
      InvalidArgumentError,
      'meanStatistic requires finite values (got NaN at position 2)',
    ],
    [
      'columns of different length',
      () => ratioOfMeansStatistic(x, new Float64Array([1])),
      InvalidArgumentError,
      'ratioOfMeansStatistic requires two columns of equal length (got 4 and 1)',
    ],
    [
      'group codes of the wrong length',
      () => differenceInMeansStatistic(x, new Int32Array(2)),
      InvalidArgumentError,
      'differenceInMeansStatistic requires one group code per value (got 2 codes for 4 values)',
    ],
    [
      'a group code other than 0/1',
      () => differenceInMeansStatistic(x, new Int32Array([0, 1, 2, 0])),
      InvalidArgumentError,
      'differenceInMeansStatistic requires group codes 0 or 1 (got 2 at position 3)',
    ],
  ];
  const result = bootstrap({ n: 4, statistic: meanStatistic(x), replicates: 50, rng: rng() });
  const constant = bootstrap({ n: 4, statistic: () => 7, replicates: 50, rng: rng() });
  cases.push(
    [
      'conf = 1',
      () => bootCi(result, { conf: 1 }),
      InvalidArgumentError,
      'bootCi requires 0 < conf < 1 (got 1)',
    ],
    [
      'an index beyond the statistic',
      () => bootCi(result, { index: 1 }),
      InvalidArgumentError,
      'bootCi requires an index between 0 and 0 (got 1)',
    ],
    [
      'influence values of the wrong length',
      () => bootCi(result, { influence: [1, 2] }),
      InvalidArgumentError,
      'bootCi requires one influence value per row (got 2 for 4 rows)',
    ],
    [
      'all replicates equal',
      () => bootCi(constant),
      BootstrapIntervalError,
      'bootCi requires replicates that are not all equal (got all 50 equal to 7)',
    ],
    [
      'influence values all zero',
      () => bootCi(result, { influence: [0, 0, 0, 0] }),
      BootstrapIntervalError,
      'bootCi requires finite influence values with some spread for the BCa acceleration (got a = NaN)',
    ],
  );
  for (const [name, call, errorClass, message] of cases)
    it(name, () => expectError(call, errorClass, message));
});
