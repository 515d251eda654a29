export { type ConsortArm, type ConsortDiagramOptions, consortDiagram } from './consort-diagram.ts';
export { economicEvaluationSection, renderEconomicsReport } from './economic-evaluation-section.ts';
export { type KaplanMeierPlotOptions, kaplanMeierPlot, numberAtRisk } from './kaplan-meier-plot.ts';
export { type SubgroupForestPlotOptions, subgroupForestPlot } from './subgroup-forest-plot.ts';
export {
  kaplanMeierResultOf,
  REFERENCE_SOFTWARE,
  renderTrialReport,
  TRIAL_REPORT_SECTIONS,
  type TrialReportOptions,
} from './trial-report.ts';
