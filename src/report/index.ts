export { type ForestPlotOptions, forestPlot } from './forest-plot.ts';
export { funnelPlot } from './funnel-plot.ts';
