/** Shared types of the meta-analysis module (metafor's vocabulary, in words). */

/** Effect measures computed from study-level data, as metafor::escalc's `measure`. */
export type EffectMeasure = 'RR' | 'OR' | 'RD' | 'SMD' | 'MD' | 'GEN';

/**
 * How tau² is estimated, as metafor::rma's `method`: `FE` is the equal/fixed-effect model (tau² = 0);
 * the others are random-effects estimators (DerSimonian-Laird, restricted and full maximum likelihood,
 * Paule-Mandel, Hedges, Sidik-Jonkman).
 */
export type MetaMethod = 'FE' | 'DL' | 'REML' | 'ML' | 'PM' | 'HE' | 'SJ';

/**
 * How studies are pooled by `metaAnalysis`: an inverse-variance model (`MetaMethod`), or an equal-effect
 * model of the 2×2 tables: `MH` (Mantel-Haenszel, metafor::rma.mh; RR, OR, RD) or `PETO` (Peto's odds
 * ratio, metafor::rma.peto; OR).
 */
export type PoolingMethod = MetaMethod | 'MH' | 'PETO';

/** True for the table-based methods (MH, PETO), which need binary data and are equal-effect models. */
export function isTableMethod(method: PoolingMethod): method is 'MH' | 'PETO' {
  return method === 'MH' || method === 'PETO';
}

/** Test and CI for the coefficients: `z` (normal), or `knha` (Knapp-Hartung: t on k - p df, scaled SE). */
export type MetaTest = 'z' | 'knha';

/** Events and group sizes of a two-arm trial per study (arm 1 = intervention, arm 2 = control). */
export interface BinaryStudyData {
  readonly kind: 'binary';
  readonly study: readonly string[];
  readonly events1: ArrayLike<number>;
  readonly n1: ArrayLike<number>;
  readonly events2: ArrayLike<number>;
  readonly n2: ArrayLike<number>;
}

/** Means, standard deviations and group sizes per study (arm 1 = intervention, arm 2 = control). */
export interface ContinuousStudyData {
  readonly kind: 'continuous';
  readonly study: readonly string[];
  readonly mean1: ArrayLike<number>;
  readonly sd1: ArrayLike<number>;
  readonly n1: ArrayLike<number>;
  readonly mean2: ArrayLike<number>;
  readonly sd2: ArrayLike<number>;
  readonly n2: ArrayLike<number>;
}

/** Effect sizes already computed elsewhere: estimate `yi` and its sampling variance `vi` per study. */
export interface GenericStudyData {
  readonly kind: 'generic';
  readonly study: readonly string[];
  readonly yi: ArrayLike<number>;
  readonly vi: ArrayLike<number>;
}

/** Study-level input of a meta-analysis. */
export type StudyData = BinaryStudyData | ContinuousStudyData | GenericStudyData;

/** Which data kind each measure needs. */
export const MEASURE_DATA_KIND: Readonly<Record<EffectMeasure, StudyData['kind']>> = {
  RR: 'binary',
  OR: 'binary',
  RD: 'binary',
  SMD: 'continuous',
  MD: 'continuous',
  GEN: 'generic',
};

/** True for measures analysed on the log scale and reported back-transformed (`exp`). */
export function isRatioMeasure(measure: EffectMeasure): boolean {
  return measure === 'RR' || measure === 'OR';
}
