export { checkStudyData } from './check-study-data.ts';
export { type EggerTest, eggerTest } from './egger-test.ts';
export { type EffectSizes, escalc, hedgesCorrection } from './escalc.ts';
export { type LeaveOneOutRow, leaveOneOut } from './leave-one-out.ts';
export {
  type ChiSquareTest,
  type MantelHaenszelMeasure,
  type MantelHaenszelTests,
  rmaMh,
  rmaPeto,
  type TablePoolingFit,
} from './mantel-haenszel.ts';
export {
  type MetaAnalysisOptions,
  type MetaAnalysisResult,
  type MetaStudy,
  metaAnalysis,
} from './meta-analysis.ts';
export { MetaAnalysisDataError, type MetaAnalysisProblem } from './meta-analysis-data-error.ts';
export { type PooledSummary, pooledSummary, type RatioScale } from './pooled-summary.ts';
export { predictRma, type RmaPrediction } from './predict-rma.ts';
export { type RmaCoefficient, type RmaInput, type RmaModerator, type RmaResult, rma } from './rma.ts';
export {
  STUDY_COLUMNS,
  type StudyDataWithSubgroups,
  studyDataFromColumns,
} from './study-data-from-columns.ts';
export {
  type SubgroupAnalysis,
  type SubgroupDifferenceTest,
  type SubgroupResult,
  subgroupAnalysis,
} from './subgroup-analysis.ts';
export { tablePoolingAnalysis } from './table-pooling-analysis.ts';
export * from './types.ts';
export { type UnirootResult, uniroot } from './uniroot.ts';
