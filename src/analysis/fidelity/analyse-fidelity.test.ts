import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertDeepClose } from '../../../test/helpers/approx.ts';
import { fixturePath, readFixture } from '../../../test/helpers/fixtures.ts';
import { parseCsv } from '../../table/index.ts';
import {
  FIDELITY_INDEX_TEMPLATE,
  type FidelityIndexDefinition,
  readFidelityRatings,
} from '../../trial/index.ts';
import { snakeCaseKeys } from '../trial-analysis-fixture.test-support.ts';
import { analyseFidelity } from './analyse-fidelity.ts';

interface FidelityCase {
  name: string;
  data: string;
  scoring: { part: 'mean_of_items' | 'mean_of_domains'; overall: 'mean_of_items' | 'mean_of_parts' };
  expected: Record<string, unknown>;
}

const fixture = readFixture<{ cases: FidelityCase[] }>('fidelity.json');

function run(testCase: FidelityCase) {
  const definition: FidelityIndexDefinition = { ...FIDELITY_INDEX_TEMPLATE, scoring: testCase.scoring };
  const table = parseCsv(readFileSync(fixturePath(testCase.data)), testCase.data);
  return analyseFidelity(definition, readFidelityRatings(table, definition));
}

/** Drops keys (at any depth) that the R reference does not write, and null values R leaves out. */
function without(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, item]) => !keys.includes(key) && item !== null)
        .map(([key, item]) => [key, without(item, keys)]),
    );
  }
  return value;
}

describe('analyseFidelity against reference/fidelity.R', () => {
  // Tolerance 1e-10: every number is a closed form (means, Welch t, psych's kappa/ICC/alpha formulas);
  // only summation order differs from R.
  const tolerance = { relative: 1e-10, absolute: 1e-14 };
  for (const testCase of fixture.cases) {
    it(`${testCase.name}: scores per site and timepoint, per site, NHS vs voluntary (t.test)`, () => {
      const result = snakeCaseKeys(run(testCase)) as Record<string, unknown>;
      for (const key of ['site_timepoints', 'sites', 'employer_comparison'] as const) {
        assertDeepClose(without(result[key], ['note']), testCase.expected[key], tolerance, key);
      }
    });
  }

  const main = fixture.cases[0] as FidelityCase;
  it('inter-rater reliability per item and pooled: weighted kappa (cohen.kappa), ICC1 and ICC2 (ICC)', () => {
    const result = snakeCaseKeys(run(main)) as { reliability: unknown };
    const expected = main.expected.reliability as { items: unknown[] };
    assertDeepClose(
      without(result.reliability, ['note', 'domain', 'part']),
      expected,
      tolerance,
      'reliability',
    );
  });

  it('internal consistency per domain (psych::alpha, pairwise) and the counts', () => {
    const result = run(main);
    assertDeepClose(
      without(snakeCaseKeys(result.internalConsistency), ['note']),
      main.expected.internal_consistency,
      tolerance,
      'internal_consistency',
    );
    assert.deepEqual(snakeCaseKeys(result.counts), main.expected.counts);
    assert.equal(result.disagreements.length, main.expected.disagreements);
    assert.equal(result.needingConsensus, main.expected.needing_consensus);
  });

  it('lists disagreements with both raters in code-point order and any consensus score', () => {
    const result = run(main);
    assert.ok(result.disagreements.length > 0);
    for (const entry of result.disagreements) {
      assert.ok(entry.raters[0] < entry.raters[1]);
      assert.ok(Math.abs(entry.scores[0] - entry.scores[1]) >= 1);
    }
    assert.ok(result.disagreements.some((entry) => entry.consensusScore !== null));
    assert.ok(result.disagreements.some((entry) => entry.consensusScore === null));
  });
});

describe('analyseFidelity with too little data', () => {
  const csv = [
    'interview_id,site,employer_type,timepoint,informant,rater,item,score,consensus',
    'A,s1,nhs,1,supervisor,r1,s_reciprocity_1,4,0',
    'A,s1,nhs,1,supervisor,r2,s_reciprocity_1,4,0',
    'B,s1,nhs,1,supervisor,r1,s_reciprocity_1,4,0',
    'B,s1,nhs,1,supervisor,r2,s_reciprocity_1,4,0',
    'C,s2,voluntary,1,peer_worker,r1,d_reciprocity_1,2,0',
  ].join('\n');
  const result = analyseFidelity(
    FIDELITY_INDEX_TEMPLATE,
    readFidelityRatings(parseCsv(new TextEncoder().encode(csv), 'small.csv'), FIDELITY_INDEX_TEMPLATE),
  );
  it('reports a statistic it cannot compute as null with the reason', () => {
    const item = result.reliability.items.find((entry) => entry.item === 's_reciprocity_1');
    assert.equal(item?.pairs, 2);
    assert.equal(item?.weightedKappa, null);
    assert.match(item?.note ?? '', /kappa requires at least 2 categories/);
    const unrated = result.reliability.items.find((entry) => entry.item === 'd_reciprocity_2');
    assert.equal(unrated?.pairs, 0);
    assert.equal(unrated?.note, 'no interview has two independent ratings of this item');
    const comparison = result.employerComparison[0];
    assert.equal(comparison?.difference, null);
    assert.equal(
      comparison?.note,
      "Welch's t-test requires at least 2 sites per employer type (got 1 NHS, 0 voluntary)",
    );
    assert.equal(result.counts.singleRated, 1);
  });
  it('scores and bands a site from its rated items only', () => {
    assert.deepEqual(
      result.sites.map((site) => [site.site, site.setup, site.delivery, site.overall, site.band]),
      [
        ['s1', 4, null, 4, 'high'],
        ['s2', null, 2, 2, 'low'],
      ],
    );
  });
});
