import type { AnalysisDataset } from '../trial/index.ts';
import { AnalysisDataError } from './errors.ts';

/** The randomised arms: levels (reference first) and each row's arm code. */
export interface ArmGroups {
  levels: readonly string[];
  codes: Int32Array;
  /** Participants randomised to each arm. */
  sizes: number[];
}

/**
 * The `arm` column of a validated analysis dataset, with the number randomised to each arm.
 * @throws AnalysisDataError (`analysis_arm_empty`) when an arm has no participants.
 * @example armGroups(dataset).levels // ['usual_care', 'peer_support']
 */
export function armGroups(dataset: AnalysisDataset): ArmGroups {
  const arm = dataset.categorical('arm');
  const sizes = arm.levels.map(() => 0);
  for (const code of arm.codes) if (code >= 0) sizes[code] = (sizes[code] as number) + 1;
  const empty = arm.levels.filter((_, index) => sizes[index] === 0);
  if (empty.length > 0) {
    throw new AnalysisDataError(
      empty.map((level) => ({
        path: `${dataset.source}: column arm`,
        code: 'analysis_arm_empty',
        message: `the trial analysis requires participants in every arm (got none in ${level}; ${arm.levels.map((name, index) => `${name} ${sizes[index]}`).join(', ')})`,
      })),
    );
  }
  return { levels: arm.levels, codes: arm.codes, sizes };
}

/**
 * Checks that a binary outcome has both events and non-events among `rows`.
 * @throws AnalysisDataError (`analysis_outcome_degenerate`) otherwise.
 */
export function requireEventsAndNonEvents(
  values: Float64Array,
  rows: ArrayLike<number>,
  outcome: string,
  source: string,
  what: string,
): void {
  let events = 0;
  for (let index = 0; index < rows.length; index++) if (values[rows[index] as number] === 1) events++;
  if (events === 0 || events === rows.length) {
    throw new AnalysisDataError([
      {
        path: `${source}: column ${outcome}`,
        code: 'analysis_outcome_degenerate',
        message: `${what} requires both events and non-events in ${outcome} (got ${events} events among ${rows.length} participants)`,
      },
    ]);
  }
}
