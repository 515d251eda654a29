export * from './analyse-trial.ts';
export * from './analysis-plan.ts';
export { BASELINE_VARIABLES } from './baseline-table.ts';
export { complierReceipt } from './cace-analysis.ts';
export * from './economics/index.ts';
export * from './errors.ts';
export * from './fidelity/index.ts';
export { subgroupColumn } from './subgroup-analysis.ts';
export * from './trial-analysis-types.ts';
