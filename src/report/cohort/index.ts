export { type CohortReportOptions, cohortSection, renderCohortReport } from './cohort-report.ts';
