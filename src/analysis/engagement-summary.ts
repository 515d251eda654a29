import type { AnalysisDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { countPercent, meanSd, perArm } from './summaries.ts';
import type { EngagementSummary } from './trial-analysis-types.ts';

/**
 * Engagement with peer support by arm, over participants whose contact records are assessable (both
 * contact counts present): contacts before and after discharge (mean, SD), any contact (n, %), compliers
 * (at least two contacts, one after discharge; n, %), and the length of the first contact (mean, SD).
 * @example engagementSummary(dataset, arms).compliers.peer_support.percent
 */
export function engagementSummary(dataset: AnalysisDataset, arms: ArmGroups): EngagementSummary {
  const hospital = dataset.numeric('pw_contacts_hospital');
  const community = dataset.numeric('pw_contacts_community');
  const minutes = dataset.numeric('first_contact_minutes');
  const assessable = (row: number) =>
    !Number.isNaN(hospital[row] as number) && !Number.isNaN(community[row] as number);
  const count = (arm: number, test: (row: number) => boolean) => {
    let total = 0;
    for (let row = 0; row < dataset.rowCount; row++)
      if (arms.codes[row] === arm && assessable(row) && test(row)) total++;
    return total;
  };
  const inArm = (arm: number) => (row: number) => arms.codes[row] === arm && assessable(row);
  return {
    assessable: perArm(arms.levels, (arm) => count(arm, () => true)),
    contactsHospital: perArm(arms.levels, (arm) => meanSd(hospital, inArm(arm))),
    contactsCommunity: perArm(arms.levels, (arm) => meanSd(community, inArm(arm))),
    anyContact: perArm(arms.levels, (arm) =>
      countPercent(
        count(arm, (row) => (hospital[row] as number) + (community[row] as number) >= 1),
        count(arm, () => true),
      ),
    ),
    compliers: perArm(arms.levels, (arm) =>
      countPercent(
        count(
          arm,
          (row) =>
            (hospital[row] as number) + (community[row] as number) >= 2 && (community[row] as number) >= 1,
        ),
        count(arm, () => true),
      ),
    ),
    firstContactMinutes: perArm(arms.levels, (arm) => meanSd(minutes, (row) => arms.codes[row] === arm)),
  };
}
