export * from './data-column.ts';
export * from './design-matrix.ts';
export * from './formula.ts';
export * from './glm-formula.ts';
export * from './model-frame.ts';
