export * from './allocate.ts';
export * from './config.ts';
export * from './minimisation.ts';
export * from './permuted-blocks.ts';
export * from './random-source.ts';
export * from './seeded-random.ts';
export * from './simulate.ts';
export * from './state.ts';
