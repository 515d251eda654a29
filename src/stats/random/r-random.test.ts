import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { readBootstrapFixture } from '../bootstrap/bootstrap-fixture.test-support.ts';
import { InvalidArgumentError } from '../errors.ts';
import { createRRandom } from './index.ts';

// reference/bootstrap.R: set.seed(seed) then runif / sample.int / sample / rnorm in R 4.2.2 with the
// default kinds. The generator copies R's algorithms, so every value must be identical (deepEqual on
// doubles written with 17 significant digits, which round-trip exactly).
const fixture = readBootstrapFixture();

describe('createRRandom matches set.seed(seed) streams exactly', () => {
  for (const expected of fixture.cases.rng) {
    it(`seed ${expected.seed}`, () => {
      const rng = createRRandom(expected.seed);
      assert.deepEqual(Array.from(rng.randomSeed()), expected.random_seed, '.Random.seed after set.seed');
      assert.deepEqual(Array.from(rng.runif(10)), expected.runif, 'runif(10)');
      assert.deepEqual(Array.from(rng.runif(3, 2, 5)), expected.runif_scaled, 'runif(3, 2, 5)');
      assert.deepEqual(
        Array.from(rng.sampleInt(10, 25, true)),
        expected.sample_10,
        'sample.int(10, 25, TRUE)',
      );
      assert.deepEqual(Array.from(rng.sampleInt(590, 25, true)), expected.sample_590, 'sample.int(590, ...)');
      assert.deepEqual(
        Array.from(rng.sampleInt(65536, 25, true)),
        expected.sample_65536,
        'n = 2^16 (two chunks)',
      );
      assert.deepEqual(Array.from(rng.sampleInt(65537, 25, true)), expected.sample_65537, 'n = 2^16 + 1');
      assert.deepEqual(Array.from(rng.sampleInt(100000, 25, true)), expected.sample_100000, 'n = 100000');
      assert.deepEqual(
        Array.from(rng.sampleInt(2147483647, 10, true)),
        expected.sample_int_max,
        'n = INT_MAX',
      );
      assert.deepEqual(Array.from(rng.sampleInt(1, 3, true)), expected.sample_1, 'n = 1 still draws');
      assert.deepEqual(Array.from(rng.sampleInt(10)), expected.permutation_10, 'sample.int(10)');
      assert.deepEqual(
        Array.from(rng.sampleInt(1000, 30)),
        expected.without_replacement,
        'sample.int(1000, 30)',
      );
      const letters = Array.from({ length: 26 }, (_, index) => String.fromCharCode(97 + index));
      assert.deepEqual(rng.sample(letters), expected.sample_letters, 'sample(letters)');
      assert.deepEqual(Array.from(rng.rnorm(10)), expected.rnorm, 'rnorm(10)');
      assert.deepEqual(Array.from(rng.rnorm(5, 10, 2)), expected.rnorm_scaled, 'rnorm(5, 10, 2)');
      assert.deepEqual(Array.from(rng.runif(3)), expected.after, 'runif(3) afterwards: same position');
    });
  }

  it('a long stream across many 624-word regenerations (seed 2024)', () => {
    const expected = fixture.cases.long_stream;
    const rng = createRRandom(expected.seed);
    assert.deepEqual(Array.from(rng.runif(3000)), expected.runif);
    assert.deepEqual(Array.from(rng.rnorm(3000)), expected.rnorm);
    assert.deepEqual(Array.from(rng.sampleInt(7919, 3000, true)), expected.sample);
  });

  // reference/doc-examples.R: set.seed(1); runif(3) / sample.int(10, 10, TRUE) / sample.int(10, 1) - 1
  const examples = readFixture<{
    cases: { runif_seed1: number[]; sample_int_seed1: number[]; unif_index_seed1: number };
  }>('doc-examples.json').cases;
  const firstUniform = examples.runif_seed1[0];

  it('the documented example', () => {
    const rng = createRRandom(1);
    assert.deepEqual(Array.from(rng.runif(3)), examples.runif_seed1);
    assert.deepEqual(Array.from(createRRandom(1).sampleInt(10, 10, true)), examples.sample_int_seed1);
  });

  it('unifIndices is sample.int(n, count, TRUE) - 1, for one and two 16-bit chunks', () => {
    for (const n of [7, 590, 65536, 100000]) {
      const oneBased = Array.from(createRRandom(3).sampleInt(n, 500, true), (value) => value - 1);
      assert.deepEqual(Array.from(createRRandom(3).unifIndices(n, 500)), oneBased);
    }
  });

  it('streams are independent: no global state', () => {
    const first = createRRandom(1);
    const second = createRRandom(1);
    first.runif(100);
    assert.equal(second.unifRand(), firstUniform);
    assert.equal(createRRandom(1).unifIndex(10), examples.unif_index_seed1);
  });

  it('draws nothing when R draws nothing (runif with min = max, rnorm with sd = 0)', () => {
    const rng = createRRandom(1);
    assert.deepEqual(Array.from(rng.runif(2, 3, 3)), [3, 3]);
    assert.deepEqual(Array.from(rng.rnorm(2, 5, 0)), [5, 5]);
    assert.equal(rng.unifRand(), firstUniform);
  });
});

describe('createRRandom rejects what R rejects', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'a fractional seed',
      () => createRRandom(1.5),
      'createRRandom requires an integer seed between -2147483647 and 2147483647, as set.seed (got 1.5)',
    ],
    [
      'a seed beyond the integer range',
      () => createRRandom(2 ** 31),
      'createRRandom requires an integer seed between -2147483647 and 2147483647, as set.seed (got 2147483648)',
    ],
    [
      'n = 0 with draws',
      () => createRRandom(1).sampleInt(0, 1, true),
      'sampleInt requires a whole number n between 1 and 2147483647 (got 0)',
    ],
    [
      'n beyond INT_MAX',
      () => createRRandom(1).sampleInt(2 ** 31, 1, true),
      'sampleInt requires a whole number n between 1 and 2147483647 (got 2147483648)',
    ],
    [
      'size > n without replacement',
      () => createRRandom(1).sampleInt(3, 4),
      'sampleInt requires size <= n when replace = false (got size 4 > n 3)',
    ],
    [
      'a negative size',
      () => createRRandom(1).sampleInt(3, -1, true),
      'sampleInt requires a whole number of draws >= 0 (got -1)',
    ],
    [
      'unifIndex of 0',
      () => createRRandom(1).unifIndex(0),
      'unifIndex requires a whole number n between 1 and 2147483647 (got 0)',
    ],
    [
      'runif with max < min',
      () => createRRandom(1).runif(1, 2, 1),
      'runif requires finite min <= max (got min 2, max 1)',
    ],
    [
      'rnorm with a negative sd',
      () => createRRandom(1).rnorm(1, 0, -1),
      'rnorm requires a finite mean and a finite sd >= 0 (got mean 0, sd -1)',
    ],
    [
      'rnorm with a fractional count',
      () => createRRandom(1).rnorm(1.5),
      'rnorm requires a whole number of draws >= 0 (got 1.5)',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentError);
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
