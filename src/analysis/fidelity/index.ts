export { analyseFidelity } from './analyse-fidelity.ts';
export * from './fidelity-analysis-types.ts';
