export * from './distributions/index.ts';
export * from './errors.ts';
export * from './linalg/index.ts';
export * from './models/index.ts';
export * from './survival/index.ts';
export * from './reliability/index.ts';
export * from './meta-analysis/index.ts';
