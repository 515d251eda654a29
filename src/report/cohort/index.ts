export { type CohortReportOptions, renderCohortReport } from './cohort-report.ts';
