export * from './analysis-dataset.ts';
export * from './analysis-dataset-schema.ts';
export * from './errors.ts';
export { formatIsoDate, parseIsoDate } from './typed-columns.ts';
