import { coxFromFormula, kaplanMeierFromFormula, logrankFromFormula } from '../stats/index.ts';
import type { AnalysisDataset } from '../trial/index.ts';
import { type ArmGroups, requireEventsAndNonEvents } from './arm-groups.ts';
import { adjustedTerms, waldEffect } from './summaries.ts';
import type { AnalysisPlan, TimeToReadmission } from './trial-analysis-types.ts';

/**
 * Time to first readmission: Kaplan-Meier curves by arm (`survfit(Surv(time, event) ~ arm)`, log
 * confidence limits, medians as `quantile`), the log-rank test (`survdiff`), and the adjusted hazard ratio
 * exp(b_arm) of `coxph(Surv(time, event) ~ arm + covariates)` (Efron ties) with its Wald CI and p.
 * @throws AnalysisDataError (`analysis_outcome_degenerate`) when nobody (or everybody) has the event.
 * @example timeToReadmission(dataset, plan, arms).hazardRatio.estimate
 */
export function timeToReadmission(
  dataset: AnalysisDataset,
  plan: AnalysisPlan,
  arms: ArmGroups,
): TimeToReadmission {
  const { time, event } = plan.timeToEvent;
  const times = dataset.numeric(time);
  const events = dataset.numeric(event);
  const known: number[] = [];
  for (let row = 0; row < times.length; row++) {
    if (!Number.isNaN(times[row] as number) && !Number.isNaN(events[row] as number)) known.push(row);
  }
  const eventRows = known.filter((row) => events[row] === 1);
  if (eventRows.length === 0)
    requireEventsAndNonEvents(events, known, event, dataset.source, 'the time-to-event analysis');
  const response = `Surv(${time}, ${event})`;
  const cox = coxFromFormula(dataset, `${response} ~ ${adjustedTerms(plan.covariates)}`, {
    confidenceLevel: plan.confidenceLevel,
  });
  const arm = cox.coefficients.find((row) => row.term === `arm${arms.levels[1]}`);
  const logrank = logrankFromFormula(dataset, `${response} ~ arm`);
  const km = kaplanMeierFromFormula(dataset, `${response} ~ arm`, { confidenceLevel: plan.confidenceLevel });
  return {
    hazardRatio: waldEffect(arm?.estimate as number, arm?.se as number, plan.confidenceLevel, Math.exp),
    logrankPValue: logrank.pValue,
    logrankChisq: logrank.chisq,
    curves: km.strata.map((stratum) => ({
      arm: stratum.name.replace(/^arm=/, ''),
      n: stratum.n,
      events: stratum.events,
      median: stratum.median,
      medianCiLower: stratum.medianCiLower,
      medianCiUpper: stratum.medianCiUpper,
      points: stratum.table.map((row) => ({
        time: row.time,
        nRisk: row.nRisk,
        nEvent: row.nEvent,
        nCensor: row.nCensor,
        survival: row.survival,
        ciLower: row.ciLower,
        ciUpper: row.ciUpper,
      })),
    })),
    n: cox.n,
    events: cox.nEvents,
  };
}
