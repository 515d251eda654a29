export * from './fidelity/index.ts';
export { type ForestPlotOptions, forestPlot } from './forest-plot.ts';
export { funnelPlot } from './funnel-plot.ts';
export { type PowerCurveOptions, powerCurve } from './power-curve.ts';
export * from './trial-report/index.ts';
