import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { perArm } from './summaries.ts';
import type { ConsortNumbers } from './trial-analysis-types.ts';

/**
 * CONSORT flow numbers from the analysis dataset: randomised, and per arm randomised, analysed for the
 * primary outcome (known `outcome`), 4-month interview done (`followup_4m` = 1), withdrawn, died within
 * 12 months, primary outcome missing.
 * @example consortNumbers(dataset, arms, 'readmitted_12m').byArm.usual_care.randomised
 */
export function consortNumbers(dataset: AnalysisDataset, arms: ArmGroups, outcome: string): ConsortNumbers {
  const primary = dataset.numeric(outcome);
  const followUp = dataset.numeric('followup_4m');
  const withdrawn = dataset.numeric('withdrawn');
  const died = dataset.numeric('died_12m');
  const count = (arm: number, test: (row: number) => boolean) => {
    let total = 0;
    for (let row = 0; row < dataset.rowCount; row++) if (arms.codes[row] === arm && test(row)) total++;
    return total;
  };
  return {
    randomised: dataset.rowCount,
    byArm: perArm(arms.levels, (arm) => ({
      randomised: arms.sizes[arm] as number,
      analysedPrimary: count(arm, (row) => !Number.isNaN(primary[row] as number)),
      fourMonthFollowUp: count(arm, (row) => followUp[row] === 1),
      withdrawn: count(arm, (row) => withdrawn[row] === 1),
      died: count(arm, (row) => died[row] === 1),
      missingPrimary: count(arm, (row) => Number.isNaN(primary[row] as number)),
    })),
  };
}
