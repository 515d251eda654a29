export * from './analyse-trial.ts';
export * from './analysis-plan.ts';
export * from './errors.ts';
export * from './trial-analysis-types.ts';
export { BASELINE_VARIABLES } from './baseline-table.ts';
export { complierReceipt } from './cace-analysis.ts';
export { subgroupColumn } from './subgroup-analysis.ts';
