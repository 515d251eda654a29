import type { InstrumentDefinition, InstrumentItem, UtilityValueSet } from './types.ts';

/**
 * Generic placeholder instruments for the ENRICH constructs. They are NOT the validated questionnaires a
 * trial uses: their items are numbered stand-ins with plausible ranges, scoring rules and prorating
 * thresholds, so the platform can be set up and tested end to end. A real trial configures its licensed
 * instruments (item wording, ranges, reverse-scored items, subscales and scoring from each instrument's
 * manual) in the trial configuration; docs/reference/data-model.md says so.
 */
const PLACEHOLDER_NOTE =
  'Placeholder: generic numbered items, not a validated questionnaire. Configure the licensed instrument before use.';

function numberedItems(prefix: string, count: number, reverse: readonly number[] = []): InstrumentItem[] {
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const item: InstrumentItem = { id: `${prefix}${number}`, text: `Item ${number}` };
    return reverse.includes(number) ? { ...item, reverse: true } : item;
  });
}

/** Symptom severity: 10 items rated 0-4, summed (higher = worse), prorated from 8 answered items. */
export const PLACEHOLDER_SYMPTOMS: InstrumentDefinition = {
  id: 'symptoms',
  name: 'Placeholder symptom severity scale (10 items, 0-4)',
  construct: 'symptoms',
  note: PLACEHOLDER_NOTE,
  minimum: 0,
  maximum: 4,
  items: numberedItems('s', 10),
  subscales: [
    { id: 'psychotic', label: 'Psychotic symptoms', items: ['s1', 's2', 's3', 's4', 's5'] },
    { id: 'affective', label: 'Affective symptoms', items: ['s6', 's7', 's8', 's9', 's10'] },
  ],
  scoring: { kind: 'sum' },
  minimumAnswered: 8,
};

/** Subjective quality of life: 12 items rated 1-7, mean (higher = better), at least 9 answered; items 4 and 9 reversed. */
export const PLACEHOLDER_QUALITY_OF_LIFE: InstrumentDefinition = {
  id: 'quality_of_life',
  name: 'Placeholder subjective quality of life scale (12 items, 1-7)',
  construct: 'quality_of_life',
  note: PLACEHOLDER_NOTE,
  minimum: 1,
  maximum: 7,
  items: numberedItems('q', 12, [4, 9]),
  subscales: [],
  scoring: { kind: 'mean' },
  minimumAnswered: 9,
};

/** Social inclusion: 12 items rated 0-3, summed (higher = better), prorated from 10 answered items. */
export const PLACEHOLDER_SOCIAL_INCLUSION: InstrumentDefinition = {
  id: 'social_inclusion',
  name: 'Placeholder social inclusion scale (12 items, 0-3)',
  construct: 'social_inclusion',
  note: PLACEHOLDER_NOTE,
  minimum: 0,
  maximum: 3,
  items: numberedItems('i', 12),
  subscales: [
    { id: 'participation', label: 'Social participation', items: ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'] },
    { id: 'acceptance', label: 'Social acceptance', items: ['i7', 'i8', 'i9', 'i10', 'i11', 'i12'] },
  ],
  scoring: { kind: 'sum' },
  minimumAnswered: 10,
};

/** Hope: 12 items rated 1-4, summed (higher = better), prorated from 10 answered; items 3 and 6 reversed. */
export const PLACEHOLDER_HOPE: InstrumentDefinition = {
  id: 'hope',
  name: 'Placeholder hope scale (12 items, 1-4)',
  construct: 'hope',
  note: PLACEHOLDER_NOTE,
  minimum: 1,
  maximum: 4,
  items: numberedItems('h', 12, [3, 6]),
  subscales: [],
  scoring: { kind: 'sum' },
  minimumAnswered: 10,
};

/** Social network: 6 items rated 0-5, summed (higher = better); every item needed (no prorating). */
export const PLACEHOLDER_SOCIAL_NETWORK: InstrumentDefinition = {
  id: 'social_network',
  name: 'Placeholder social network scale (6 items, 0-5)',
  construct: 'social_network',
  note: PLACEHOLDER_NOTE,
  minimum: 0,
  maximum: 5,
  items: numberedItems('n', 6),
  subscales: [],
  scoring: { kind: 'sum' },
  minimumAnswered: 6,
};

/**
 * The UK EQ-5D-3L time trade-off value set (Dolan 1997, "Modeling valuations for EuroQol health states",
 * Medical Care 35:1095-1108): utility = 1 − 0.081 (any problem) − dimension decrements − 0.269 (any level 3).
 * It is here as the documented example of a value set (state 11111 = 1, 33333 = −0.594); a trial configures
 * the value set its health economics plan names, and registers its EQ-5D use with the EuroQol Group.
 */
export const EQ5D_3L_UK_TTO_VALUE_SET: UtilityValueSet = {
  id: 'eq5d_3l_uk_tto_dolan_1997',
  description: 'EQ-5D-3L UK time trade-off value set (Dolan 1997)',
  constant: 0.081,
  anyLevel3: 0.269,
  decrements: {
    mobility: [0, 0.069, 0.314],
    self_care: [0, 0.104, 0.214],
    usual_activities: [0, 0.036, 0.094],
    pain_discomfort: [0, 0.123, 0.386],
    anxiety_depression: [0, 0.071, 0.236],
  },
};

/**
 * EQ-5D-style health state: 5 dimensions at levels 1-3, scored to a utility with
 * {@link EQ5D_3L_UK_TTO_VALUE_SET}; every dimension needed.
 */
export const PLACEHOLDER_EQ5D: InstrumentDefinition = {
  id: 'eq5d',
  name: 'EQ-5D-3L-style descriptive system (5 dimensions, levels 1-3)',
  construct: 'eq5d',
  note: 'Placeholder wording; the EQ-5D is licensed by the EuroQol Group. Configure the licensed version and the value set of the analysis plan.',
  minimum: 1,
  maximum: 3,
  items: [
    { id: 'mobility', text: 'Mobility' },
    { id: 'self_care', text: 'Self-care' },
    { id: 'usual_activities', text: 'Usual activities' },
    { id: 'pain_discomfort', text: 'Pain / discomfort' },
    { id: 'anxiety_depression', text: 'Anxiety / depression' },
  ],
  subscales: [],
  scoring: { kind: 'utility', valueSet: EQ5D_3L_UK_TTO_VALUE_SET },
  minimumAnswered: 5,
};

/** The six placeholder instruments, one per ENRICH construct. */
export const PLACEHOLDER_INSTRUMENTS: readonly InstrumentDefinition[] = [
  PLACEHOLDER_SYMPTOMS,
  PLACEHOLDER_QUALITY_OF_LIFE,
  PLACEHOLDER_SOCIAL_INCLUSION,
  PLACEHOLDER_HOPE,
  PLACEHOLDER_SOCIAL_NETWORK,
  PLACEHOLDER_EQ5D,
];
