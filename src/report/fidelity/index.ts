export { fidelityOverTimePlot, setupDeliveryPlot } from './fidelity-plots.ts';
export { type FidelityReportOptions, fidelitySections, renderFidelityReport } from './fidelity-report.ts';
export { standalonePage } from './page.ts';
