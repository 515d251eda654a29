export * from './analysis-dataset.ts';
export * from './analysis-dataset-schema.ts';
export * from './domain/index.ts';
export * from './errors.ts';
export * from './randomisation/index.ts';
export * from './simulator/index.ts';
export * from './templates/index.ts';
export * from './trial-store.ts';
export { formatIsoDate, parseIsoDate } from './typed-columns.ts';
