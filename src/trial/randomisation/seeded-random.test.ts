import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/helpers/fixtures.ts';
import { createSeededRandom, restoreSeededRandom, splitmix64Outputs } from './seeded-random.ts';

// reference/seeded-random.c: xoshiro128** 1.1 and splitmix64 in C99 unsigned integer arithmetic. The port
// must agree exactly (integers, no tolerance).
interface SeededCase {
  seed: number;
  stream: number;
  state: number[];
  outputs: number[];
  output_1000: number;
}
const fixture = readFixture<{ splitmix64_1234567: string[]; cases: SeededCase[] }>('seeded-random.json');

describe('createSeededRandom agrees exactly with the C reference', () => {
  it('splitmix64 from 1234567 gives the published check values', () => {
    assert.deepEqual(splitmix64Outputs(1234567, 5), fixture.splitmix64_1234567);
    assert.equal(fixture.splitmix64_1234567[0], '6457827717110365317');
  });
  for (const testCase of fixture.cases) {
    it(`seed ${testCase.seed}, stream ${testCase.stream}`, () => {
      const random = createSeededRandom(testCase.seed, testCase.stream);
      assert.deepEqual(random.snapshot(), testCase.state);
      const outputs = testCase.outputs.map(() => random.nextUint32());
      assert.deepEqual(outputs, testCase.outputs);
      let last = 0;
      for (let index = outputs.length; index < 1000; index++) last = random.nextUint32();
      assert.equal(last, testCase.output_1000);
    });
  }
  it('documented example: seed 0 starts with 3737715805', () => {
    assert.equal(createSeededRandom(0).nextUint32(), 3737715805);
  });
});

describe('snapshot and restore', () => {
  it('a restored generator continues exactly where the snapshot was taken', () => {
    const random = createSeededRandom(99);
    for (let index = 0; index < 17; index++) random.nextUint32();
    const copy = restoreSeededRandom(random.snapshot());
    const expected = Array.from({ length: 50 }, () => random.nextUint32());
    assert.deepEqual(
      Array.from({ length: 50 }, () => copy.nextUint32()),
      expected,
    );
  });
  it('snapshot is a copy: drawing afterwards does not change it', () => {
    const random = createSeededRandom(5);
    const snapshot = random.snapshot();
    random.nextUint32();
    assert.notDeepEqual(random.snapshot(), snapshot);
  });
});

describe('errors', () => {
  it('rejects a negative, fractional or unsafe seed and a bad stream', () => {
    for (const seed of [-1, 1.5, 2 ** 53, Number.NaN]) {
      assert.throws(() => createSeededRandom(seed), {
        name: 'RangeError',
        message: `createSeededRandom requires a whole-number seed in [0, 2^53) (got ${seed})`,
      });
    }
    assert.throws(() => createSeededRandom(1, -1), {
      name: 'RangeError',
      message: 'createSeededRandom requires a whole-number stream >= 0 (got -1)',
    });
  });
  it('rejects an all-zero or malformed state', () => {
    assert.throws(() => restoreSeededRandom([0, 0, 0, 0]), {
      name: 'RangeError',
      message: 'restoreSeededRandom requires four 32-bit whole numbers, not all zero (got [0, 0, 0, 0])',
    });
    assert.throws(() => restoreSeededRandom([1, 2, 3, 2 ** 32]), RangeError);
  });
});
