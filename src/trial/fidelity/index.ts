export * from './errors.ts';
export { FIDELITY_RATINGS_COLUMNS, readFidelityRatings } from './ratings.ts';
export { FIDELITY_INDEX_TEMPLATE } from './template.ts';
export * from './types.ts';
export { fidelityBand, validateFidelityIndex } from './validate-definition.ts';
