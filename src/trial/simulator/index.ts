export * from './format-csv.ts';
export * from './options.ts';
export * from './power.ts';
export * from './risk-model.ts';
export * from './simulate-trial.ts';
