import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENRICH_MINIMISATION } from '../templates/enrich.ts';
import { allocate } from './allocate.ts';
import { type MinimisationConfig, resolveRandomisationConfig, type TrialArm } from './config.ts';
import { minimisationScores, minimisationStep } from './minimisation.ts';
import { type RandomSource, randomBelow } from './random-source.ts';
import { createSeededRandom } from './seeded-random.ts';
import { drawParticipantStrata, simulateRandomisation } from './simulate.ts';
import { createRandomisationState } from './state.ts';

function arms(ratios: readonly number[]): TrialArm[] {
  return ratios.map((ratio, index) => ({ name: String.fromCharCode(97 + index), ratio }));
}

function scripted(words: readonly number[]): RandomSource {
  let next = 0;
  return {
    nextUint32() {
      if (next >= words.length) throw new Error('scripted random source exhausted');
      return words[next++] as number;
    },
  };
}

const TWO_FACTORS: MinimisationConfig = {
  kind: 'minimisation',
  arms: arms([1, 1]),
  factors: [
    { name: 'site', levels: ['s1', 's2'], weight: 1 },
    { name: 'diagnosis_group', levels: ['psychosis', 'personality', 'other'], weight: 2 },
  ],
};

describe('minimisationScores (worked by hand)', () => {
  // Participant at site s1 (earlier: 3 on a, 1 on b) and diagnosis "other" (earlier: 2 on a, 2 on b).
  const counts = [
    [
      [3, 1],
      [0, 0],
    ],
    [
      [0, 0],
      [0, 0],
      [2, 2],
    ],
  ];
  it('range: a -> site 4:1 (4-1 = 3) + 2 x diagnosis 3:2 (1) = 5; b -> 3:2 (1) + 2 x 2:3 (1) = 3', () => {
    assert.deepEqual(minimisationScores(resolveRandomisationConfig(TWO_FACTORS), counts, [0, 2]), [5, 3]);
  });
  it('variance (denominator K - 1; for two arms (x - y)^2 / 2): a -> 9/2 + 2 x 1/2 = 5.5; b -> 1/2 + 2 x 1/2 = 1.5', () => {
    const config = resolveRandomisationConfig({ ...TWO_FACTORS, imbalance: 'variance' });
    assert.deepEqual(minimisationScores(config, counts, [0, 2]), [5.5, 1.5]);
  });
  it('unequal ratio 2:1 divides counts by the ratio: 4:1 -> a gives 5/2 vs 1 (1.5), b gives 4/2 vs 2 (0)', () => {
    const config = resolveRandomisationConfig({
      kind: 'minimisation',
      arms: arms([2, 1]),
      factors: [{ name: 'site', levels: ['s1'] }],
    });
    assert.deepEqual(minimisationScores(config, [[[4, 1]]], [0]), [1.5, 0]);
  });
  it('the TSDoc example: 2 on a, 1 on b -> [2, 0]', () => {
    const config = resolveRandomisationConfig({
      kind: 'minimisation',
      arms: arms([1, 1]),
      factors: [{ name: 'site', levels: ['s1'] }],
    });
    assert.deepEqual(minimisationScores(config, [[[2, 1]]], [0]), [2, 0]);
  });
});

describe('minimisationStep: the probability rule', () => {
  const three = resolveRandomisationConfig({
    kind: 'minimisation',
    arms: arms([1, 1, 1]),
    factors: [{ name: 'site', levels: ['s1'] }],
  });
  // Earlier counts 2:1:1, so a scores 2 and b, c score 1: b and c tie as minimising arms.
  const counts = [[[2, 1, 1]]];
  it('ties among minimising arms are broken at random; the preferred arm is assigned when u < p', () => {
    // Draws: tie break randomBelow(2) -> 1 (arm c); u = 0 < 0.8 -> c.
    const step = minimisationStep(three, counts, [0], scripted([1, 0, 0]));
    assert.equal(step.arm, 2);
    assert.deepEqual(step.decision.scores, [2, 1, 1]);
    assert.deepEqual(step.decision.minimisingArms, ['b', 'c']);
    assert.equal(step.decision.preferredArm, 'c');
    assert.equal(step.decision.rule, 'preferred');
    // a: never preferred, gets (1 - p) x 1/2 from either tie break; b, c: p/2 + (1 - p) x 1/2 x 1/2.
    const probabilities = step.decision.probabilities;
    assert.ok(Math.abs((probabilities[0] as number) - 0.1) < 1e-15);
    assert.ok(Math.abs((probabilities[1] as number) - 0.45) < 1e-15);
    assert.ok(Math.abs((probabilities[2] as number) - 0.45) < 1e-15);
  });
  it('with probability 1 - p another arm, in proportion to the ratios', () => {
    // Tie break -> c; u = 1 - 2^-53 >= p; then randomBelow(2) over a, b (weights 1, 1, 0) -> 0 (a).
    const step = minimisationStep(three, counts, [0], scripted([1, 4294967295, 4294967295, 0]));
    assert.equal(step.arm, 0);
    assert.equal(step.decision.rule, 'other');
  });
  it('when every arm ties it allocates in the ratio with one draw', () => {
    const ratio = resolveRandomisationConfig({
      kind: 'minimisation',
      arms: arms([2, 1]),
      factors: [
        { name: 'site', levels: ['s1'] },
        { name: 'diagnosis_group', levels: ['x'] },
      ],
    });
    // Scaled counts (n / ratio): site 0:0 -> a gives 1/2 vs 0 (range 0.5), b gives 0 vs 1 (1);
    // diagnosis 1:0 -> a gives 1 vs 0 (1), b gives 1/2 vs 1 (0.5). Both total 1.5: a tie, so
    // randomBelow(3) decides: 0, 1 -> a; 2 -> b.
    const step = minimisationStep(ratio, [[[0, 0]], [[1, 0]]], [0, 0], scripted([2]));
    assert.deepEqual(step.decision.scores, [1.5, 1.5]);
    assert.equal(step.arm, 1);
    assert.equal(step.decision.rule, 'all_tied');
    assert.equal(step.decision.preferredArm, undefined);
    assert.deepEqual(step.decision.probabilities, [2 / 3, 1 / 3]);
  });
  it('with unequal ratios the very first participant is not a tie: the larger arm is preferred', () => {
    const ratio = resolveRandomisationConfig({
      kind: 'minimisation',
      arms: arms([2, 1]),
      factors: [{ name: 'site', levels: ['s1'] }],
    });
    const step = minimisationStep(ratio, [[[0, 0]]], [0], scripted([0, 0]));
    assert.deepEqual(step.decision.scores, [0.5, 1]);
    assert.equal(step.decision.preferredArm, 'a');
  });
  it('p = 1 is deterministic minimisation (no random element except ties)', () => {
    const config = resolveRandomisationConfig({ ...TWO_FACTORS, preferredArmProbability: 1 });
    // u = 1 - 2^-53 < 1 = p, so the preferred arm b is still chosen.
    const step = minimisationStep(
      config,
      [
        [
          [3, 1],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
          [2, 2],
        ],
      ],
      [0, 2],
      scripted([4294967295, 4294967295]),
    );
    assert.equal(step.arm, 1);
  });
});

/** 200 simulated ENRICH trials of 590 participants: worst final margin per trial, and every decision. */
function enrichTrials() {
  const worstMargin: number[] = [];
  const worstMarginSimple: number[] = [];
  let contested = 0;
  let preferredChosen = 0;
  for (let trial = 0; trial < 200; trial++) {
    const result = simulateRandomisation(ENRICH_MINIMISATION, {
      participants: 590,
      participantRandom: createSeededRandom(trial, 0),
      allocationRandom: createSeededRandom(trial, 1),
    });
    worstMargin.push(Math.max(...result.margins.map((margin) => margin.imbalance)));
    // Simple randomisation of the same participants (same stream 0), a fair coin each.
    const participants = createSeededRandom(trial, 0);
    const coin = createSeededRandom(trial, 2);
    const difference = new Map<string, number>();
    for (let index = 0; index < 590; index++) {
      const strata = drawParticipantStrata(ENRICH_MINIMISATION, participants);
      const sign = randomBelow(coin, 2) === 0 ? 1 : -1;
      for (const [factor, level] of Object.entries(strata)) {
        const key = `${factor}=${level}`;
        difference.set(key, (difference.get(key) ?? 0) + sign);
      }
    }
    worstMarginSimple.push(Math.max(...[...difference.values()].map(Math.abs)));
  }
  // The probability check replays trials step by step to see each decision.
  for (let trial = 0; trial < 40; trial++) {
    const participants = createSeededRandom(1000 + trial, 0);
    const random = createSeededRandom(1000 + trial, 1);
    let state = createRandomisationState(ENRICH_MINIMISATION);
    for (let index = 0; index < 590; index++) {
      const step = allocate(
        ENRICH_MINIMISATION,
        state,
        drawParticipantStrata(ENRICH_MINIMISATION, participants),
        random,
      );
      if (step.decision.kind === 'minimisation' && step.decision.preferredArm !== undefined) {
        contested++;
        if (step.allocation.arm === step.decision.preferredArm) preferredChosen++;
      }
      state = step.nextState;
    }
  }
  return { worstMargin, worstMarginSimple, contested, preferredChosen };
}

function quantile(values: readonly number[], probability: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(probability * (sorted.length - 1))] as number;
}

describe('minimisation on the ENRICH design (7 sites x 3 diagnosis groups, p = 0.8, range)', () => {
  const trials = enrichTrials();
  it('keeps every margin small over 200 trials of 590: median worst margin <= 4, 95th percentile <= 6', () => {
    // Simple randomisation leaves a site of ~84 with a difference of SD ~9 and a diagnosis group of ~197
    // with SD ~14; minimisation holds each of the 10 margins to a few participants.
    assert.ok(quantile(trials.worstMargin, 0.5) <= 4, `median ${quantile(trials.worstMargin, 0.5)}`);
    assert.ok(quantile(trials.worstMargin, 0.95) <= 6, `95th ${quantile(trials.worstMargin, 0.95)}`);
  });
  it('beats simple randomisation of the same participants in at least 95 % of trials, by a factor >= 3 in median', () => {
    const better = trials.worstMargin.filter(
      (worst, trial) => worst < (trials.worstMarginSimple[trial] as number),
    ).length;
    assert.ok(better >= 190, `better in ${better} of 200`);
    assert.ok(
      quantile(trials.worstMarginSimple, 0.5) >= 3 * quantile(trials.worstMargin, 0.5),
      `medians: simple ${quantile(trials.worstMarginSimple, 0.5)}, minimisation ${quantile(trials.worstMargin, 0.5)}`,
    );
  });
  it('assigns the preferred arm with probability 0.8 (binomial, within 4 SD)', () => {
    const { contested, preferredChosen } = trials;
    assert.ok(contested > 10000, `contested decisions ${contested}`);
    const sd = Math.sqrt(contested * 0.8 * 0.2);
    assert.ok(
      Math.abs(preferredChosen - 0.8 * contested) < 4 * sd,
      `${preferredChosen} of ${contested} (expected ${0.8 * contested} +- ${4 * sd})`,
    );
  });
});

describe('minimisation with other probabilities and unequal ratios', () => {
  it('p = 0.65 with 3 arms 2:1:1: preferred with probability 0.65, others in ratio 2:1:1 (within 4 SD)', () => {
    const config: MinimisationConfig = {
      kind: 'minimisation',
      arms: arms([2, 1, 1]),
      factors: [
        { name: 'site', levels: ['s1', 's2', 's3', 's4'] },
        { name: 'diagnosis_group', levels: ['x', 'y', 'z'] },
      ],
      preferredArmProbability: 0.65,
    };
    let contested = 0;
    let preferred = 0;
    let expectedA = 0;
    let observedA = 0;
    for (let trial = 0; trial < 60; trial++) {
      const participants = createSeededRandom(trial, 0);
      const random = createSeededRandom(trial, 1);
      let state = createRandomisationState(config);
      for (let index = 0; index < 300; index++) {
        const step = allocate(config, state, drawParticipantStrata(config, participants), random);
        const decision = step.decision;
        if (decision.kind === 'minimisation' && decision.preferredArm !== undefined) {
          contested++;
          if (step.allocation.arm === decision.preferredArm) preferred++;
          else if (decision.preferredArm !== 'a') {
            // Preferred b or c but not chosen: a gets 2 / 3 of the remaining probability (ratio 2 of 2 + 1).
            expectedA += 2 / 3;
            if (step.allocation.arm === 'a') observedA++;
          }
        }
        state = step.nextState;
      }
    }
    const sd = Math.sqrt(contested * 0.65 * 0.35);
    assert.ok(Math.abs(preferred - 0.65 * contested) < 4 * sd, `${preferred} of ${contested}`);
    const otherCount = expectedA * 1.5;
    const otherSd = Math.sqrt(otherCount * (2 / 3) * (1 / 3));
    assert.ok(Math.abs(observedA - expectedA) < 4 * otherSd, `a ${observedA} vs ${expectedA}`);
  });
  it('2:1 keeps the allocation ratio overall: share of the larger arm within 0.01 of 2/3 (200 trials of 300)', () => {
    const config: MinimisationConfig = {
      kind: 'minimisation',
      arms: arms([2, 1]),
      factors: [
        { name: 'site', levels: ['s1', 's2', 's3', 's4'] },
        { name: 'diagnosis_group', levels: ['x', 'y', 'z'] },
      ],
    };
    let larger = 0;
    const worstMargin: number[] = [];
    for (let trial = 0; trial < 200; trial++) {
      const result = simulateRandomisation(config, {
        participants: 300,
        participantRandom: createSeededRandom(trial, 0),
        allocationRandom: createSeededRandom(trial, 1),
      });
      larger += result.overall.counts.a as number;
      worstMargin.push(Math.max(...result.margins.map((margin) => margin.imbalance)));
    }
    // Ratio-scaled margins (|a / 2 - b|) stay balanced too.
    assert.ok(quantile(worstMargin, 0.5) <= 4, `median worst margin ${quantile(worstMargin, 0.5)}`);
    assert.ok(Math.abs(larger / 60000 - 2 / 3) < 0.01, `share ${larger / 60000}`);
  });
});
