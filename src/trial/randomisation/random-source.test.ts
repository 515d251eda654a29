import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RandomSource, randomBelow, randomUnit, randomWeightedIndex, shuffle } from './random-source.ts';
import { createSeededRandom } from './seeded-random.ts';

/** A source that replays fixed words, and fails the test if asked for more. */
function scripted(words: readonly number[]): RandomSource & { used: () => number } {
  let next = 0;
  return {
    nextUint32() {
      if (next >= words.length) throw new Error('scripted random source exhausted');
      return words[next++] as number;
    },
    used: () => next,
  };
}

describe('randomBelow', () => {
  it('rejects draws at or above the largest multiple of n below 2^32 (no modulo bias)', () => {
    // n = 3: 2^32 mod 3 = 1, so the limit is 2^32 - 1 and the draw 2^32 - 1 is rejected.
    const source = scripted([4294967295, 7]);
    assert.equal(randomBelow(source, 3), 1);
    assert.equal(source.used(), 2);
  });
  it('n = 1 and n = 2^32', () => {
    assert.equal(randomBelow(scripted([123]), 1), 0);
    assert.equal(randomBelow(scripted([4294967295]), 2 ** 32), 4294967295);
  });
  it('is uniform: 60,000 draws below 6 fall within 5 SD of 10,000 each', () => {
    const random = createSeededRandom(2024);
    const counts = new Array<number>(6).fill(0);
    for (let index = 0; index < 60000; index++) {
      const value = randomBelow(random, 6);
      counts[value] = (counts[value] as number) + 1;
    }
    const sd = Math.sqrt(60000 * (1 / 6) * (5 / 6));
    for (const count of counts) assert.ok(Math.abs(count - 10000) < 5 * sd, `count ${count}`);
  });
  it('rejects an impossible n', () => {
    for (const n of [0, 1.5, 2 ** 32 + 1]) {
      assert.throws(() => randomBelow(scripted([]), n), {
        name: 'RangeError',
        message: `randomBelow requires a whole number in [1, 2^32] (got ${n})`,
      });
    }
  });
});

describe('randomUnit', () => {
  it('builds 53 bits from the upper 27 and 26 bits of two words: 0 and the largest double below 1', () => {
    assert.equal(randomUnit(scripted([0, 0])), 0);
    assert.equal(randomUnit(scripted([4294967295, 4294967295])), 1 - 2 ** -53);
    assert.equal(randomUnit(scripted([2 ** 31, 0])), 0.5);
  });
});

describe('randomWeightedIndex', () => {
  it('maps one draw below the total onto the cumulative weights', () => {
    // weights [2, 0, 1]: draws 0, 1 -> index 0; 2 -> index 2 (index 1 has weight 0).
    assert.equal(randomWeightedIndex(scripted([0]), [2, 0, 1]), 0);
    assert.equal(randomWeightedIndex(scripted([1]), [2, 0, 1]), 0);
    assert.equal(randomWeightedIndex(scripted([2]), [2, 0, 1]), 2);
  });
  it('rejects fractional, negative or all-zero weights', () => {
    assert.throws(() => randomWeightedIndex(scripted([0]), [1, 0.5]), {
      name: 'RangeError',
      message: 'randomWeightedIndex requires whole-number weights >= 0 (got 0.5)',
    });
    assert.throws(() => randomWeightedIndex(scripted([0]), [0, 0]), {
      name: 'RangeError',
      message: 'randomWeightedIndex requires a positive total weight (got 0)',
    });
  });
});

describe('shuffle', () => {
  it('returns a new permutation of the items and leaves the input alone', () => {
    const items = Object.freeze([0, 0, 1, 1, 1]);
    const shuffled = shuffle(createSeededRandom(3), items);
    assert.notEqual(shuffled, items);
    assert.deepEqual([...shuffled].sort(), [...items].sort());
  });
  it('is uniform over the 24 orders of 4 items (48,000 shuffles, each within 5 SD of 2,000)', () => {
    const random = createSeededRandom(11);
    const counts = new Map<string, number>();
    for (let index = 0; index < 48000; index++) {
      const key = shuffle(random, ['a', 'b', 'c', 'd']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 24);
    const sd = Math.sqrt(48000 * (1 / 24) * (23 / 24));
    for (const count of counts.values()) assert.ok(Math.abs(count - 2000) < 5 * sd, `count ${count}`);
  });
});
