import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocate } from './allocate.ts';
import type { PermutedBlockConfig, TrialArm } from './config.ts';
import { resolveRandomisationConfig } from './config.ts';
import { drawBlock } from './permuted-blocks.ts';
import { createSeededRandom } from './seeded-random.ts';
import { createRandomisationState } from './state.ts';

const FACTORS = [
  { name: 'site', levels: ['s1', 's2', 's3'] },
  { name: 'diagnosis_group', levels: ['psychosis', 'personality'] },
];

function arms(ratios: readonly number[]): TrialArm[] {
  return ratios.map((ratio, index) => ({ name: `arm_${index + 1}`, ratio }));
}

/**
 * The balance bound of stratified permuted blocks. Within a stratum every completed block holds each arm in
 * the exact ratio, so the imbalance comes only from the current, unfinished block. In a block of size
 * s = m W (W the ratio sum) arm k has a = m w_k places; after j of the s allocations it has c of them, with
 * c <= min(j, a) and c >= j - (s - a). The deviation c - j a / s is therefore largest at j = a (all of k
 * first) and smallest at j = s - a (all of k last), so |c_k - n w_k / W| <= m w_k (W - w_k) / W, with m from
 * the largest block size. For 1:1 (W = 2, w = 1) each arm is within s_max / 4 of n / 2, so the difference
 * between the arms is at most s_max / 2 (3 for blocks of 2, 4 and 6).
 */
function scaledDeviationBound(ratios: readonly number[], maxBlockSize: number, arm: number): number {
  // The bound times W, so that the check is in whole numbers: |c_k W - n w_k| <= m w_k (W - w_k).
  const ratioSum = ratios.reduce((sum, ratio) => sum + ratio, 0);
  const weight = ratios[arm] as number;
  return (maxBlockSize / ratioSum) * weight * (ratioSum - weight);
}

const DESIGNS: { ratios: number[]; blockSizes: number[] }[] = [
  { ratios: [1, 1], blockSizes: [2, 4, 6] },
  { ratios: [2, 1], blockSizes: [3, 6, 9] },
  { ratios: [1, 1, 1], blockSizes: [3, 6] },
  { ratios: [3, 2], blockSizes: [5, 10] },
  { ratios: [2, 1, 1], blockSizes: [4, 8, 12] },
  { ratios: [1, 1], blockSizes: [8] },
];
const SEEDS = 40;
const PARTICIPANTS = 240;

describe('permuted blocks keep every stratum within the balance bound at every allocation', () => {
  for (const design of DESIGNS) {
    const label = `${design.ratios.join(':')}, block sizes ${design.blockSizes.join(', ')}`;
    it(`${label}: ${SEEDS} seeds x ${PARTICIPANTS} participants over 6 strata`, () => {
      const config: PermutedBlockConfig = {
        kind: 'permuted_blocks',
        arms: arms(design.ratios),
        factors: FACTORS,
        blockSizes: design.blockSizes,
      };
      const resolved = resolveRandomisationConfig(config);
      const maxBlock = Math.max(...design.blockSizes);
      const bounds = design.ratios.map((_, arm) => scaledDeviationBound(design.ratios, maxBlock, arm));
      const ratioSum = resolved.ratioSum;
      let largestDeviation = 0;
      for (let seed = 0; seed < SEEDS; seed++) {
        const random = createSeededRandom(seed, 1);
        const participants = createSeededRandom(seed, 0);
        let state = createRandomisationState(config);
        const counts = new Map<string, number[]>();
        for (let index = 0; index < PARTICIPANTS; index++) {
          const participant = {
            site: FACTORS[0]?.levels[participants.nextUint32() % 3] as string,
            diagnosis_group: FACTORS[1]?.levels[participants.nextUint32() % 2] as string,
          };
          const step = allocate(config, state, participant, random);
          const stratumCounts = counts.get(step.allocation.stratum) ?? design.ratios.map(() => 0);
          const n = stratumCounts.reduce((sum, count) => sum + count, 0);
          if (step.decision.kind === 'permuted_blocks' && step.decision.newBlock) {
            // A new block starts only when the previous one is complete: the stratum is in exact ratio.
            design.ratios.forEach((ratio, arm) => {
              assert.equal((stratumCounts[arm] as number) * ratioSum, n * ratio);
            });
          }
          const arm = resolved.arms.indexOf(step.allocation.arm);
          stratumCounts[arm] = (stratumCounts[arm] as number) + 1;
          counts.set(step.allocation.stratum, stratumCounts);
          design.ratios.forEach((ratio, armIndex) => {
            const deviation = Math.abs((stratumCounts[armIndex] as number) * ratioSum - (n + 1) * ratio);
            largestDeviation = Math.max(largestDeviation, deviation / (bounds[armIndex] as number));
            assert.ok(
              deviation <= (bounds[armIndex] as number),
              `seed ${seed}, ${step.allocation.stratum}, arm ${armIndex + 1}: deviation ${deviation}`,
            );
          });
          state = step.nextState;
        }
      }
      // The bound is tight: some stratum reaches it (a bound never approached would not test much).
      assert.equal(largestDeviation, 1);
    });
  }

  it('1:1 with blocks of 2, 4, 6: |difference| never exceeds 3 and reaches 3', () => {
    const config: PermutedBlockConfig = { kind: 'permuted_blocks', arms: arms([1, 1]), factors: [] };
    let largest = 0;
    for (let seed = 0; seed < 100; seed++) {
      const random = createSeededRandom(seed);
      let state = createRandomisationState(config);
      let difference = 0;
      for (let index = 0; index < 200; index++) {
        const step = allocate(config, state, {}, random);
        difference += step.allocation.arm === 'arm_1' ? 1 : -1;
        assert.ok(Math.abs(difference) <= 3);
        largest = Math.max(largest, Math.abs(difference));
        state = step.nextState;
      }
    }
    assert.equal(largest, 3);
  });
});

describe('blocks', () => {
  it('hold each arm size / ratio sum x ratio times', () => {
    const resolved = resolveRandomisationConfig({
      kind: 'permuted_blocks',
      arms: arms([2, 1, 1]),
      factors: [],
      blockSizes: [4, 8],
    });
    const random = createSeededRandom(8);
    for (let index = 0; index < 200; index++) {
      const block = drawBlock(resolved, random);
      const multiple = block.size / 4;
      assert.deepEqual(
        [0, 1, 2].map((arm) => block.remaining.filter((item) => item === arm).length),
        [2 * multiple, multiple, multiple],
      );
    }
  });
  it('sizes are drawn uniformly from the configured set (30,000 blocks, each within 5 SD of 10,000)', () => {
    const resolved = resolveRandomisationConfig({ kind: 'permuted_blocks', arms: arms([1, 1]), factors: [] });
    const random = createSeededRandom(77);
    const counts = new Map<number, number>();
    for (let index = 0; index < 30000; index++) {
      const size = drawBlock(resolved, random).size;
      counts.set(size, (counts.get(size) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), [2, 4, 6]);
    const sd = Math.sqrt(30000 * (1 / 3) * (2 / 3));
    for (const count of counts.values()) assert.ok(Math.abs(count - 10000) < 5 * sd, `count ${count}`);
  });
  it('a single configured size uses no draw for the size', () => {
    const resolved = resolveRandomisationConfig({
      kind: 'permuted_blocks',
      arms: arms([1, 1]),
      factors: [],
      blockSizes: [2],
    });
    let draws = 0;
    const block = drawBlock(resolved, {
      nextUint32() {
        draws++;
        return 0;
      },
    });
    assert.equal(block.size, 2);
    assert.equal(draws, 1, 'one draw for the Fisher-Yates swap of a block of 2');
  });
});

describe('unpredictability (documented in docs/reference/randomisation.md)', () => {
  // A recruiter who sees every earlier allocation in a stratum and guesses the arm that is behind
  // (Blackwell & Hodges 1957, the convergence strategy; a coin toss when level) expects
  // b + 2^(2b-1) / choose(2b, b) - 1/2 correct guesses in a 1:1 block of 2b (Matts & Lachin 1988): 1.5 of 2,
  // 17/6 of 4, 4.1 of 6. The difference is 0 at every block end, so with block sizes drawn at random the
  // long-run rate is E[correct per block] / E[block size]. Random sizes barely lower this rate; what they
  // remove is certainty (with a known fixed size the last allocation of every block is known).
  function expectedCorrect(blockSize: number): number {
    const half = blockSize / 2;
    let choose = 1;
    for (let index = 1; index <= half; index++) choose = (choose * (half + index)) / index;
    return half + 2 ** (blockSize - 1) / choose - 0.5;
  }
  function theoreticalRate(blockSizes: number[]): number {
    const correct = blockSizes.reduce((sum, size) => sum + expectedCorrect(size), 0);
    return correct / blockSizes.reduce((sum, size) => sum + size, 0);
  }
  function guessRate(blockSizes: number[], total: number): number {
    const config: PermutedBlockConfig = {
      kind: 'permuted_blocks',
      arms: arms([1, 1]),
      factors: [],
      blockSizes,
    };
    const random = createSeededRandom(4);
    let state = createRandomisationState(config);
    let difference = 0;
    let correct = 0;
    for (let index = 0; index < total; index++) {
      const step = allocate(config, state, {}, random);
      const isFirst = step.allocation.arm === 'arm_1';
      if (difference === 0) correct += 0.5;
      else if (difference < 0 === isFirst) correct += 1;
      difference += isFirst ? 1 : -1;
      state = step.nextState;
    }
    return correct / total;
  }
  it('the guess rate agrees with theory: 3/4 (blocks of 2), 17/24 (4), 0.7028 (2, 4, 6 at random)', () => {
    assert.equal(theoreticalRate([2]), 0.75);
    assert.ok(Math.abs(theoreticalRate([4]) - 17 / 24) < 1e-15);
    // 40,000 allocations: the rate's SD is below 0.0025, so 0.01 is 4 SD.
    for (const sizes of [[2], [4], [2, 4, 6]]) {
      const rate = guessRate(sizes, 40000);
      const expected = theoreticalRate(sizes);
      assert.ok(Math.abs(rate - expected) < 0.01, `sizes ${sizes.join(', ')}: ${rate} vs ${expected}`);
    }
  });
});
