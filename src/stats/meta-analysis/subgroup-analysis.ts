import { InvalidArgumentError } from '../errors.ts';
import { type PooledSummary, pooledSummary } from './pooled-summary.ts';
import { rma } from './rma.ts';
import type { EffectMeasure, MetaMethod, MetaTest } from './types.ts';

/** The pooled result within one subgroup. */
export interface SubgroupResult extends PooledSummary {
  readonly name: string;
}

/** Test of subgroup differences: Q between subgroups on `df` = (number of subgroups - 1). */
export interface SubgroupDifferenceTest {
  readonly Q: number;
  readonly df: number;
  readonly pValue: number;
}

/** Separate models per subgroup and the test of subgroup differences. */
export interface SubgroupAnalysis {
  readonly column: string;
  readonly groups: readonly SubgroupResult[];
  /** null when there is only one subgroup. */
  readonly test: SubgroupDifferenceTest | null;
}

/**
 * Subgroup analysis as RevMan and the metafor documentation ("comparing estimates of independent
 * meta-analyses") do it: a separate model per subgroup, each with its own tau² (same method and test
 * as the main model; a subgroup with one study is fitted as metafor does for k = 1: its own estimate,
 * tau² = 0, z test), then the test for subgroup differences as a fixed-effect test of the subgroup
 * estimates: Q_between = Σ w_j (θ_j - θ̄)², w_j = 1/SE_j², on J - 1 df — that is
 * `rma(estimates, sei = ses, method = "FE")$QE`. With FE models this equals the QM of
 * `rma(yi, vi, mods = ~ subgroup, method = "FE")`; with random effects it differs from the
 * mixed-effects QM, which assumes one common tau². Groups are ordered by `levels`.
 *
 * @throws InvalidArgumentError when `groupOf` does not name a group for every study.
 * @throws ModelDataError / ModelFitError from the per-subgroup fits.
 * @example
 * subgroupAnalysis('design', ['a', 'a', 'b'], ['a', 'b'], [0.1, 0.3, 0.9], [0.02, 0.03, 0.05], 'GEN', 'FE');
 */
export function subgroupAnalysis(
  column: string,
  groupOf: readonly string[],
  levels: readonly string[],
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  measure: EffectMeasure,
  method: MetaMethod,
  test: MetaTest = 'z',
): SubgroupAnalysis {
  if (groupOf.length !== yi.length) {
    throw new InvalidArgumentError(
      `subgroup analysis requires one subgroup per study (got ${groupOf.length} for ${yi.length} studies)`,
    );
  }
  const groups = levels
    .map((name) => {
      const members = groupOf.flatMap((group, index) => (group === name ? [index] : []));
      if (members.length === 0) return undefined;
      const fit = rma({
        yi: members.map((index) => yi[index] as number),
        vi: members.map((index) => vi[index] as number),
        method,
        test,
      });
      return { name, ...pooledSummary(fit, measure) };
    })
    .filter((group): group is SubgroupResult => group !== undefined);
  if (groups.length < 2) return { column, groups, test: null };
  const between = rma({
    yi: groups.map((group) => group.estimate),
    vi: groups.map((group) => group.se ** 2),
    method: 'FE',
  });
  return { column, groups, test: { Q: between.Q, df: groups.length - 1, pValue: between.QPValue } };
}
