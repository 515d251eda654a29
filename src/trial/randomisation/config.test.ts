import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomisationConfigError } from '../errors.ts';
import {
  defaultBlockSizes,
  type MinimisationConfig,
  type PermutedBlockConfig,
  type RandomisationConfig,
  resolveRandomisationConfig,
  stratumLabel,
  stratumLabels,
} from './config.ts';

const arms = [
  { name: 'peer_support', ratio: 1 },
  { name: 'usual_care', ratio: 1 },
];
const factors = [
  { name: 'site', levels: ['site_1', 'site_2'] },
  { name: 'diagnosis_group', levels: ['psychosis', 'personality', 'other'] },
];
const blocks: PermutedBlockConfig = { kind: 'permuted_blocks', arms, factors };
const minimisation: MinimisationConfig = { kind: 'minimisation', arms, factors };

function assertConfigError(config: RandomisationConfig, message: string): void {
  assert.throws(
    () => resolveRandomisationConfig(config),
    (error: unknown) => {
      assert.ok(error instanceof RandomisationConfigError);
      assert.equal(error.code, 'randomisation_config_invalid');
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe('resolveRandomisationConfig defaults', () => {
  it('permuted blocks: sizes 1, 2, 3 x the ratio sum; weights 1', () => {
    const resolved = resolveRandomisationConfig(blocks);
    assert.deepEqual(resolved.blockSizes, [2, 4, 6]);
    assert.deepEqual(resolved.ratios, [1, 1]);
    assert.equal(resolved.strataCount, 6);
    assert.deepEqual(
      resolved.factors.map((factor) => factor.weight),
      [1, 1],
    );
    assert.equal(resolveRandomisationConfig(blocks), resolved, 'cached per config object');
  });
  it('2:1 gives sizes 3, 6, 9', () => {
    assert.deepEqual(
      defaultBlockSizes([
        { name: 'a', ratio: 2 },
        { name: 'b', ratio: 1 },
      ]),
      [3, 6, 9],
    );
  });
  it('minimisation: range, p = 0.8, no block sizes', () => {
    const resolved = resolveRandomisationConfig(minimisation);
    assert.equal(resolved.imbalance, 'range');
    assert.equal(resolved.preferredArmProbability, 0.8);
    assert.deepEqual(resolved.blockSizes, []);
  });
  it('blocks without factors have the single stratum "all"', () => {
    assert.deepEqual(stratumLabels({ kind: 'permuted_blocks', arms, factors: [] }), ['all']);
    assert.equal(stratumLabel([]), 'all');
  });
  it('stratum labels: levels joined by "/", first factor slowest', () => {
    assert.deepEqual(stratumLabels(blocks), [
      'site_1/psychosis',
      'site_1/personality',
      'site_1/other',
      'site_2/psychosis',
      'site_2/personality',
      'site_2/other',
    ]);
  });
});

describe('resolveRandomisationConfig errors (class, code and message)', () => {
  it('a ratio of 0', () => {
    assertConfigError(
      {
        ...blocks,
        arms: [
          { name: 'a', ratio: 0 },
          { name: 'b', ratio: 1 },
        ],
        blockSizes: [2],
      },
      'arm "a" ratio requires a whole number >= 1 (got 0)',
    );
  });
  it('a block size that is not a multiple of the ratio sum', () => {
    assertConfigError(
      {
        ...blocks,
        arms: [
          { name: 'a', ratio: 2 },
          { name: 'b', ratio: 1 },
        ],
        blockSizes: [3, 4],
      },
      'block size requires a multiple of the ratio sum 3 (2:1) (got 4)',
    );
  });
  it('a factor without levels', () => {
    assertConfigError(
      { ...blocks, factors: [{ name: 'site', levels: [] }] },
      'factor "site" requires at least one level (got none)',
    );
  });
  it('minimisation without factors', () => {
    assertConfigError(
      { ...minimisation, factors: [] },
      'minimisation requires at least one factor (got none)',
    );
  });
  it('fewer than two arms', () => {
    assertConfigError(
      { ...blocks, arms: [{ name: 'a', ratio: 1 }], blockSizes: [1] },
      'randomisation requires at least two arms (got 1)',
    );
  });
  it('bad names, duplicates and a level containing "/"', () => {
    assertConfigError(
      {
        ...blocks,
        arms: [
          { name: 'a', ratio: 1 },
          { name: 'a', ratio: 1 },
          { name: '1st', ratio: 1 },
        ],
        factors: [
          { name: 'site', levels: ['x', 'x', 'a/b', ''] },
          { name: 'site', levels: ['y'] },
        ],
        blockSizes: [3],
      },
      [
        'arm names require distinct names (got "a" twice)',
        'arm name requires letters, digits and _ starting with a letter (got "1st")',
        'factor "site" levels require distinct values (got "x" twice)',
        'factor "site" levels require non-empty text without "/" (got "a/b")',
        'factor "site" levels require non-empty text without "/" (got "")',
        'factor names require distinct names (got "site" twice)',
      ].join('\n'),
    );
  });
  it('block sizes: none, fractional, too large, repeated', () => {
    assertConfigError({ ...blocks, blockSizes: [] }, 'block sizes require at least one size (got none)');
    assertConfigError(
      { ...blocks, blockSizes: [2.5, 2000, 4, 4] },
      [
        'block size requires a whole number in [1, 1000] (got 2.5)',
        'block size requires a whole number in [1, 1000] (got 2000)',
        'block sizes require distinct values (got 4 twice)',
      ].join('\n'),
    );
  });
  it('minimisation weight, imbalance measure and probability', () => {
    assertConfigError(
      {
        ...minimisation,
        factors: [{ name: 'site', levels: ['s1'], weight: 0 }],
        imbalance: 'sd' as 'range',
        preferredArmProbability: 0.5,
      },
      [
        'factor "site" weight requires a finite number > 0 (got 0)',
        'minimisation imbalance requires "range" or "variance" (got "sd")',
        'minimisation preferred-arm probability requires a number in (1/2, 1] (got 0.5)',
      ].join('\n'),
    );
    assertConfigError(
      { ...minimisation, preferredArmProbability: 1.01 },
      'minimisation preferred-arm probability requires a number in (1/2, 1] (got 1.01)',
    );
  });
  it('an unknown kind', () => {
    assertConfigError(
      { ...blocks, kind: 'coin' as 'permuted_blocks' },
      'randomisation kind requires "permuted_blocks" or "minimisation" (got "coin")',
    );
  });
});
