import type { InstrumentDefinition, InstrumentItem } from '../../trial/index.ts';

/** A cohort questionnaire measure: an instrument definition without a trial construct. */
export type CohortMeasure = Omit<InstrumentDefinition, 'construct'>;

const PLACEHOLDER_NOTE =
  'Placeholder: generic numbered items with a plausible range and scoring, not the licensed questionnaire. Replace with the licensed measure before use.';

function items(prefix: string, count: number, reverse: readonly number[] = []): InstrumentItem[] {
  return Array.from({ length: count }, (_, index) => {
    const item: InstrumentItem = { id: `${prefix}${index + 1}`, text: `Item ${index + 1}` };
    return reverse.includes(index + 1) ? { ...item, reverse: true } : item;
  });
}

/**
 * The peer worker wellbeing cohort's questionnaires (T1 after training, T2 at 4 months, T3 at 12 months) as
 * PLACEHOLDERS in the shape of the measures the study uses: wellbeing (WEMWBS-like, 14 items 1-5, sum
 * 14-70), burnout (9 items 0-6, mean, subscales exhaustion and detachment; higher = more burnout), job
 * satisfaction (6 items 1-7, mean) and team working (8 items 1-5, mean, two reversed). Items are numbered
 * stand-ins; scoring (sum or mean, prorating from `minimumAnswered`) is the trial's instrument scoring
 * (`scoreInstrument`). Column names in the questionnaire file are the item ids (wb1..wb14, bo1..bo9,
 * js1..js6, tw1..tw8).
 */
export const PLACEHOLDER_COHORT_MEASURES: readonly CohortMeasure[] = [
  {
    id: 'wellbeing',
    name: 'Placeholder wellbeing scale (WEMWBS-like, 14 items, 1-5, sum)',
    note: PLACEHOLDER_NOTE,
    minimum: 1,
    maximum: 5,
    items: items('wb', 14),
    subscales: [],
    scoring: { kind: 'sum' },
    minimumAnswered: 12,
  },
  {
    id: 'burnout',
    name: 'Placeholder burnout scale (9 items, 0-6, mean)',
    note: PLACEHOLDER_NOTE,
    minimum: 0,
    maximum: 6,
    items: items('bo', 9),
    subscales: [
      { id: 'exhaustion', label: 'Emotional exhaustion', items: ['bo1', 'bo2', 'bo3', 'bo4', 'bo5'] },
      { id: 'detachment', label: 'Detachment', items: ['bo6', 'bo7', 'bo8', 'bo9'] },
    ],
    scoring: { kind: 'mean' },
    minimumAnswered: 7,
  },
  {
    id: 'job_satisfaction',
    name: 'Placeholder job satisfaction scale (6 items, 1-7, mean)',
    note: PLACEHOLDER_NOTE,
    minimum: 1,
    maximum: 7,
    items: items('js', 6),
    subscales: [],
    scoring: { kind: 'mean' },
    minimumAnswered: 5,
  },
  {
    id: 'team_working',
    name: 'Placeholder team working scale (8 items, 1-5, mean; items 3 and 7 reversed)',
    note: PLACEHOLDER_NOTE,
    minimum: 1,
    maximum: 5,
    items: items('tw', 8, [3, 7]),
    subscales: [],
    scoring: { kind: 'mean' },
    minimumAnswered: 6,
  },
];
