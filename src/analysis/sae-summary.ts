import type { AnalysisDataset, SaeDataset } from '../trial/index.ts';
import type { ArmGroups } from './arm-groups.ts';
import { countPercent, perArm } from './summaries.ts';
import type { SaeSummary } from './trial-analysis-types.ts';

/**
 * Serious adverse events by arm (each event takes the arm of its participant): events, participants with
 * at least one event (n, % of randomised), events and participants by category (dictionary order), events
 * judged related, and deaths (events of category `death`).
 * @example saeSummary(sae, dataset, arms).events.peer_support
 */
export function saeSummary(sae: SaeDataset, dataset: AnalysisDataset, arms: ArmGroups): SaeSummary {
  const rowOf = new Map(dataset.participantIds.map((id, row) => [id, row]));
  const eventArm = sae.participantIds.map((id) => arms.codes[rowOf.get(id) as number] as number);
  const category = sae.categorical('category');
  const related = sae.numeric('related');
  const tally = (test: (event: number) => boolean) => {
    const events = arms.levels.map(() => 0);
    const people = arms.levels.map(() => new Set<string>());
    eventArm.forEach((arm, event) => {
      if (!test(event)) return;
      events[arm] = (events[arm] as number) + 1;
      people[arm]?.add(sae.participantIds[event] as string);
    });
    return { events, participants: people.map((set) => set.size) };
  };
  const all = tally(() => true);
  const deathCode = category.levels.indexOf('death');
  return {
    events: perArm(arms.levels, (arm) => all.events[arm] as number),
    participants: perArm(arms.levels, (arm) =>
      countPercent(all.participants[arm] as number, arms.sizes[arm] as number),
    ),
    byCategory: category.levels.map((level, code) => {
      const counts = tally((event) => category.codes[event] === code);
      return {
        category: level,
        events: perArm(arms.levels, (arm) => counts.events[arm] as number),
        participants: perArm(arms.levels, (arm) => counts.participants[arm] as number),
      };
    }),
    related: perArm(arms.levels, (arm) => tally((event) => related[event] === 1).events[arm] as number),
    deaths: perArm(
      arms.levels,
      (arm) => tally((event) => category.codes[event] === deathCode).events[arm] as number,
    ),
  };
}
