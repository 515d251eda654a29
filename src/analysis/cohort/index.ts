export { type AnalyseCohortOptions, analyseCohort } from './analyse-cohort.ts';
export * from './cohort-analysis-types.ts';
export { type CohortMeasure, PLACEHOLDER_COHORT_MEASURES } from './cohort-measures.ts';
export * from './errors.ts';
export {
  type CohortNorm,
  type CohortScoreKey,
  type CohortScores,
  formatCohortNormsCsv,
  readCohortNorms,
  readCohortResponses,
  validateCohortNorms,
} from './read-cohort.ts';
