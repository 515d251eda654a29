import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomisationStateError, RandomisationStratumError } from '../errors.ts';
import { ENRICH_BLOCK_RANDOMISATION, ENRICH_MINIMISATION } from '../templates/enrich.ts';
import { allocate } from './allocate.ts';
import type { PermutedBlockConfig, RandomisationConfig } from './config.ts';
import { createSeededRandom, restoreSeededRandom } from './seeded-random.ts';
import { drawParticipantStrata } from './simulate.ts';
import { createRandomisationState, type RandomisationState } from './state.ts';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Runs n allocations from the empty state; returns the states and allocations. */
function run(config: RandomisationConfig, seed: number, n: number) {
  const participants = createSeededRandom(seed, 0);
  const random = createSeededRandom(seed, 1);
  let state = createRandomisationState(config);
  const states: RandomisationState[] = [state];
  const allocations = [];
  for (let index = 0; index < n; index++) {
    const step = allocate(config, state, drawParticipantStrata(config, participants), random);
    allocations.push(step.allocation);
    state = step.nextState;
    states.push(state);
  }
  return { states, allocations };
}

describe('allocate is a pure step', () => {
  for (const config of [ENRICH_BLOCK_RANDOMISATION, ENRICH_MINIMISATION]) {
    it(`${config.kind}: same state + same draws -> same result; the state passed in is not mutated`, () => {
      const { states } = run(config, 3, 40);
      const state = deepFreeze(structuredClone(states[40] as RandomisationState));
      const before = JSON.stringify(state);
      const participant = { site: 'site_2', diagnosis_group: 'personality' };
      const randomA = createSeededRandom(8);
      const randomB = restoreSeededRandom(randomA.snapshot());
      // Frozen: any write to the state would throw in strict-mode module code.
      const first = allocate(config, state, participant, randomA);
      const second = allocate(config, state, participant, randomB);
      assert.deepEqual(first, second);
      assert.equal(JSON.stringify(state), before);
      assert.equal(first.allocation.sequence, 41);
      assert.equal(first.allocation.stratum, 'site_2/personality');
      assert.notEqual(first.nextState, state);
    });
    it(`${config.kind}: a state stored as JSON and read back continues exactly as the live run`, () => {
      const whole = run(config, 12, 120);
      // Stop after 50, store the state (and the generators) as JSON, resume in a "new process".
      const participants = createSeededRandom(12, 0);
      const random = createSeededRandom(12, 1);
      let state = createRandomisationState(config);
      const allocations = [];
      for (let index = 0; index < 120; index++) {
        if (index === 50) state = JSON.parse(JSON.stringify(state)) as RandomisationState;
        const step = allocate(config, state, drawParticipantStrata(config, participants), random);
        allocations.push(step.allocation);
        state = step.nextState;
      }
      assert.deepEqual(allocations, whole.allocations);
      assert.deepEqual(state, whole.states[120]);
    });
  }
  it('sequence numbers run 1, 2, 3 ... and the counts follow the allocations', () => {
    const { states, allocations } = run(ENRICH_BLOCK_RANDOMISATION, 5, 30);
    assert.deepEqual(
      allocations.map((allocation) => allocation.sequence),
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    const last = states[30] as RandomisationState;
    const siteCounts = last.levelCounts[0] as number[][];
    const expectedSite = ENRICH_BLOCK_RANDOMISATION.factors[0]?.levels.map((level) =>
      ['peer_support', 'usual_care'].map(
        (arm) =>
          allocations.filter(
            (allocation) => allocation.arm === arm && allocation.stratum.startsWith(`${level}/`),
          ).length,
      ),
    );
    assert.deepEqual(siteCounts, expectedSite);
  });
  it('minimisation keeps no pending blocks; blocks drop a stratum when its block is finished', () => {
    const minimisation = run(ENRICH_MINIMISATION, 1, 30);
    assert.deepEqual(minimisation.states[30]?.pendingBlocks, {});
    const config: PermutedBlockConfig = { ...ENRICH_BLOCK_RANDOMISATION, blockSizes: [2] };
    const participant = { site: 'site_1', diagnosis_group: 'other' };
    const random = createSeededRandom(1);
    const first = allocate(config, createRandomisationState(config), participant, random);
    assert.deepEqual(Object.keys(first.nextState.pendingBlocks), ['site_1/other']);
    const second = allocate(config, first.nextState, participant, random);
    assert.deepEqual(second.nextState.pendingBlocks, {});
    assert.notEqual(first.allocation.arm, second.allocation.arm);
  });
  it('a level named like an Object.prototype key is an ordinary stratum', () => {
    const config: PermutedBlockConfig = {
      kind: 'permuted_blocks',
      arms: ENRICH_BLOCK_RANDOMISATION.arms,
      factors: [{ name: 'site', levels: ['__proto__', 'constructor'] }],
    };
    let state = createRandomisationState(config);
    const random = createSeededRandom(2);
    for (let index = 0; index < 12; index++) {
      const site = index % 2 === 0 ? '__proto__' : 'constructor';
      const step = allocate(config, state, { site }, random);
      assert.equal(step.allocation.stratum, site);
      state = step.nextState;
    }
    assert.equal(Object.getPrototypeOf(state.pendingBlocks), Object.prototype);
  });
});

describe('allocate rejects a participant whose strata do not match (class, code, message)', () => {
  const state = createRandomisationState(ENRICH_BLOCK_RANDOMISATION);
  function assertStratumError(participant: Record<string, string>, message: string) {
    assert.throws(
      () => allocate(ENRICH_BLOCK_RANDOMISATION, state, participant, createSeededRandom(1)),
      (error: unknown) => {
        assert.ok(error instanceof RandomisationStratumError);
        assert.equal(error.code, 'randomisation_stratum_invalid');
        assert.equal(error.message, message);
        return true;
      },
    );
  }
  it('an unknown level', () => {
    assertStratumError(
      { site: 'site_9', diagnosis_group: 'psychosis' },
      'participant stratum "site" requires one of site_1, site_2, site_3, site_4, site_5, site_6, site_7 (got "site_9")',
    );
  });
  it('not an object', () => {
    assertStratumError(
      null as unknown as Record<string, string>,
      'participant strata require an object of factor name -> level (got null)',
    );
  });
  it('a missing factor and an extra one, both named', () => {
    assertStratumError(
      { site: 'site_1', diagnosis: 'psychosis' },
      [
        'participant stratum "diagnosis_group" requires one of psychosis, personality, other (got nothing)',
        'participant strata require only the factors site, diagnosis_group (got "diagnosis")',
      ].join('\n'),
    );
  });
});

describe('allocate rejects a state that does not fit the configuration (class, code, message)', () => {
  const participant = { site: 'site_1', diagnosis_group: 'other' };
  function assertStateError(config: RandomisationConfig, state: unknown, message: string) {
    assert.throws(
      () => allocate(config, state as RandomisationState, participant, createSeededRandom(1)),
      (error: unknown) => {
        assert.ok(error instanceof RandomisationStateError);
        assert.equal(error.code, 'randomisation_state_invalid');
        assert.equal(error.message, message);
        return true;
      },
    );
  }
  const blocks = createRandomisationState(ENRICH_BLOCK_RANDOMISATION);
  const afterOne = allocate(ENRICH_BLOCK_RANDOMISATION, blocks, participant, createSeededRandom(6)).nextState;
  it('another method', () => {
    assertStateError(
      ENRICH_MINIMISATION,
      blocks,
      'randomisation state requires kind "minimisation" as configured (got "permuted_blocks")',
    );
  });
  it('another version, a bad sequence', () => {
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...blocks, version: 2 },
      'randomisation state requires version 1 (got 2)',
    );
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...blocks, sequence: -1 },
      'randomisation state sequence requires a whole number >= 0 (got -1)',
    );
  });
  it('counts of the wrong shape or not summing to the sequence', () => {
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...blocks, levelCounts: [] },
      'randomisation state counts require one entry per factor (2)',
    );
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...blocks, levelCounts: [blocks.levelCounts[0]?.slice(1), blocks.levelCounts[1]] },
      'randomisation state counts for "site" require 7 levels',
    );
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...afterOne, sequence: 2 },
      'randomisation state counts for "site" require a total equal to the sequence',
    );
  });
  it('a pending block that is not a valid unfinished block; the message names the stratum only', () => {
    const [label, block] = Object.entries(afterOne.pendingBlocks)[0] as [
      string,
      { size: number; remaining: number[] },
    ];
    const tampered = { ...afterOne, pendingBlocks: { [label]: { size: block.size, remaining: [7] } } };
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      tampered,
      `randomisation state pending block of stratum "${label}" requires a valid unfinished block`,
    );
    assertStateError(
      ENRICH_BLOCK_RANDOMISATION,
      { ...afterOne, pendingBlocks: { 'site_9/other': block } },
      'randomisation state pending block requires a configured stratum (got "site_9/other")',
    );
    assertStateError(
      ENRICH_MINIMISATION,
      { ...createRandomisationState(ENRICH_MINIMISATION), pendingBlocks: { [label]: block } },
      'randomisation state pending blocks require none under minimisation',
    );
  });
});
