export { type AcceptabilityCurveOptions, acceptabilityCurve } from './acceptability-curve.ts';
export * from './cohort/index.ts';
export {
  type CostEffectivenessPlaneInput,
  type CostEffectivenessPlaneOptions,
  costEffectivenessPlane,
} from './cost-effectiveness-plane.ts';
export * from './fidelity/index.ts';
export { type ForestPlotOptions, forestPlot } from './forest-plot.ts';
export { funnelPlot } from './funnel-plot.ts';
export { type PowerCurveOptions, powerCurve } from './power-curve.ts';
export * from './trial-report/index.ts';
