import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomisationConfigError } from '../errors.ts';
import { ENRICH_BLOCK_RANDOMISATION, ENRICH_MINIMISATION } from '../templates/enrich.ts';
import { stratumLabels } from './config.ts';
import { createSeededRandom } from './seeded-random.ts';
import {
  allocationImbalance,
  drawParticipantStrata,
  simulateRandomisation,
  summariseAllocations,
} from './simulate.ts';

function assertConfigError(action: () => unknown, message: string) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof RandomisationConfigError);
    assert.equal(error.code, 'randomisation_config_invalid');
    assert.equal(error.message, message);
    return true;
  });
}

describe('allocationImbalance', () => {
  it('is the range of count / ratio', () => {
    assert.equal(allocationImbalance([5, 3], [1, 1]), 2);
    assert.equal(allocationImbalance([4, 2], [2, 1]), 0);
    assert.equal(allocationImbalance([3, 2, 0], [2, 1, 1]), 2);
  });
});

describe('simulateRandomisation', () => {
  const result = simulateRandomisation(ENRICH_BLOCK_RANDOMISATION, {
    participants: 590,
    participantRandom: createSeededRandom(42, 0),
    allocationRandom: createSeededRandom(42, 1),
  });
  it('allocates every participant once, in sequence, and reports every stratum in label order', () => {
    assert.equal(result.allocations.length, 590);
    assert.deepEqual(
      result.allocations.map((allocation) => allocation.sequence),
      Array.from({ length: 590 }, (_, index) => index + 1),
    );
    assert.deepEqual(
      result.strata.map((stratum) => stratum.stratum),
      stratumLabels(ENRICH_BLOCK_RANDOMISATION),
    );
    assert.equal(result.finalState.sequence, 590);
  });
  it('per-stratum counts and running imbalance agree with a recount from the allocations', () => {
    for (const stratum of result.strata) {
      const own = result.allocations.filter((allocation) => allocation.stratum === stratum.stratum);
      let difference = 0;
      let largest = 0;
      for (const allocation of own) {
        difference += allocation.arm === 'peer_support' ? 1 : -1;
        largest = Math.max(largest, Math.abs(difference));
      }
      assert.equal(stratum.n, own.length);
      assert.deepEqual(stratum.counts, {
        peer_support: own.filter((allocation) => allocation.arm === 'peer_support').length,
        usual_care: own.filter((allocation) => allocation.arm === 'usual_care').length,
      });
      assert.equal(stratum.maxRunningImbalance, largest);
      assert.ok(largest <= 3, 'blocks of at most 6: never more than 3 apart');
    }
    const overall = result.overall.counts;
    assert.equal((overall.peer_support as number) + (overall.usual_care as number), 590);
  });
  it('margins add up to the overall counts for each factor', () => {
    for (const factor of ['site', 'diagnosis_group']) {
      const margins = result.margins.filter((margin) => margin.factor === factor);
      assert.equal(
        margins.reduce((sum, margin) => sum + (margin.counts.peer_support as number), 0),
        result.overall.counts.peer_support,
      );
    }
  });
  it('is deterministic for a seed, and the participants do not depend on the method', () => {
    const again = simulateRandomisation(ENRICH_BLOCK_RANDOMISATION, {
      participants: 590,
      participantRandom: createSeededRandom(42, 0),
      allocationRandom: createSeededRandom(42, 1),
    });
    assert.deepEqual(again.allocations, result.allocations);
    const minimised = simulateRandomisation(ENRICH_MINIMISATION, {
      participants: 590,
      participantRandom: createSeededRandom(42, 0),
      allocationRandom: createSeededRandom(42, 1),
    });
    assert.deepEqual(
      minimised.allocations.map((allocation) => allocation.stratum),
      result.allocations.map((allocation) => allocation.stratum),
    );
  });
  it('summariseAllocations rejects an allocation outside the configuration', () => {
    assert.throws(
      () => summariseAllocations(ENRICH_BLOCK_RANDOMISATION, [{ arm: 'placebo', stratum: 'site_1/other' }]),
      {
        name: 'RangeError',
        message: 'summariseAllocations requires configured arms and strata (got placebo in site_1/other)',
      },
    );
  });
});

describe('drawParticipantStrata', () => {
  it('draws levels in proportion to the weights; a weight of 0 is never drawn', () => {
    const random = createSeededRandom(9);
    const weights = { site: [4, 1, 1, 1, 1, 0, 2] };
    const counts = new Map<string, number>();
    for (let index = 0; index < 10000; index++) {
      const site = drawParticipantStrata(ENRICH_BLOCK_RANDOMISATION, random, weights).site as string;
      counts.set(site, (counts.get(site) ?? 0) + 1);
    }
    assert.equal(counts.get('site_6'), undefined);
    // site_1 has probability 4/10: expected 4,000, SD 49; within 4 SD.
    assert.ok(Math.abs((counts.get('site_1') ?? 0) - 4000) < 4 * Math.sqrt(10000 * 0.4 * 0.6));
    assert.ok(Math.abs((counts.get('site_2') ?? 0) - 1000) < 4 * Math.sqrt(10000 * 0.1 * 0.9));
  });
  it('rejects weights for an unknown factor, of the wrong length, negative or all zero', () => {
    const random = createSeededRandom(1);
    assertConfigError(
      () => drawParticipantStrata(ENRICH_BLOCK_RANDOMISATION, random, { ward: [1] }),
      'level weights require a configured factor (site, diagnosis_group) (got "ward")',
    );
    assertConfigError(
      () => drawParticipantStrata(ENRICH_BLOCK_RANDOMISATION, random, { site: [1, 2] }),
      'level weights for "site" require 7 finite numbers >= 0, not all 0 (got 1, 2)',
    );
    assertConfigError(
      () => drawParticipantStrata(ENRICH_BLOCK_RANDOMISATION, random, { diagnosis_group: [0, 0, 0] }),
      'level weights for "diagnosis_group" require 3 finite numbers >= 0, not all 0 (got 0, 0, 0)',
    );
    assertConfigError(
      () => drawParticipantStrata(ENRICH_BLOCK_RANDOMISATION, random, { diagnosis_group: [1, -1, 1] }),
      'level weights for "diagnosis_group" require 3 finite numbers >= 0, not all 0 (got 1, -1, 1)',
    );
  });
  it('simulateRandomisation rejects a participant count below 1', () => {
    assertConfigError(
      () =>
        simulateRandomisation(ENRICH_MINIMISATION, {
          participants: 0,
          participantRandom: createSeededRandom(1),
          allocationRandom: createSeededRandom(2),
        }),
      'simulation requires a whole number of participants >= 1 (got 0)',
    );
  });
});
