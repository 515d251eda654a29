/**
 * The analysis dataset's columns (shared/analysis-dataset.md, docs/reference/data-dictionary.md): one row
 * per randomised participant. The export, the simulator and the analyses all use this one definition.
 */

/** How a column's values are checked and typed. */
export type ColumnSpec =
  | { readonly name: string; readonly kind: 'identifier' }
  /** Free text levels in sorted order (site). */
  | { readonly name: string; readonly kind: 'label' }
  /** A fixed set of levels, in this order (the first is the reference level in models). */
  | { readonly name: string; readonly kind: 'category'; readonly levels: readonly string[] }
  | { readonly name: string; readonly kind: 'date' }
  | { readonly name: string; readonly kind: 'binary' }
  | {
      readonly name: string;
      readonly kind: 'number';
      readonly integer?: boolean;
      readonly minimum?: number;
      readonly exclusiveMinimum?: number;
      readonly maximum?: number;
    };

/** Columns that must have a value in every row; every other column may be missing (empty or NA). */
export const DESIGN_COLUMNS = ['participant_id', 'site', 'arm', 'diagnosis_group'] as const;

export const ARM_LEVELS = ['usual_care', 'peer_support'] as const;
export type Arm = (typeof ARM_LEVELS)[number];

const count = (name: string): ColumnSpec => ({ name, kind: 'number', integer: true, minimum: 0 });
const score = (name: string): ColumnSpec => ({ name, kind: 'number' });
const utility = (name: string): ColumnSpec => ({ name, kind: 'number', maximum: 1 });

/** Every column of the analysis dataset, in the order the export writes them. */
export const ANALYSIS_DATASET_COLUMNS: readonly ColumnSpec[] = [
  { name: 'participant_id', kind: 'identifier' },
  { name: 'site', kind: 'label' },
  { name: 'arm', kind: 'category', levels: ARM_LEVELS },
  { name: 'diagnosis_group', kind: 'category', levels: ['psychosis', 'personality', 'other'] },
  { name: 'randomised_date', kind: 'date' },
  { name: 'discharge_date', kind: 'date' },
  { name: 'age', kind: 'number', minimum: 18 },
  { name: 'gender', kind: 'category', levels: ['female', 'male', 'other'] },
  { name: 'ethnicity', kind: 'category', levels: ['Asian', 'Black', 'Mixed', 'White', 'Other'] },
  { name: 'first_language', kind: 'category', levels: ['English', 'Other'] },
  { name: 'sexual_orientation', kind: 'category', levels: ['heterosexual', 'lgb', 'other'] },
  { name: 'admissions_prior_2y', kind: 'number', integer: true, minimum: 1 },
  { name: 'detained_at_index', kind: 'binary' },
  count('index_los_days'),
  score('symptoms_baseline'),
  score('quality_of_life_baseline'),
  score('social_inclusion_baseline'),
  score('hope_baseline'),
  score('social_network_baseline'),
  utility('eq5d_baseline'),
  count('pw_contacts_hospital'),
  count('pw_contacts_community'),
  { name: 'first_contact_minutes', kind: 'number', exclusiveMinimum: 0 },
  count('first_contact_relationship_activities'),
  { name: 'readmitted_12m', kind: 'binary' },
  { name: 'days_to_readmission', kind: 'number', integer: true, exclusiveMinimum: 0 },
  { name: 'readmission_event', kind: 'binary' },
  count('admissions_voluntary_12m'),
  count('admissions_involuntary_12m'),
  count('admissions_total_12m'),
  count('bed_days_12m'),
  count('crisis_contacts_12m'),
  count('liaison_contacts_12m'),
  count('community_contacts_12m'),
  { name: 'followup_4m', kind: 'binary' },
  score('symptoms_4m'),
  score('quality_of_life_4m'),
  score('social_inclusion_4m'),
  score('hope_4m'),
  score('social_network_4m'),
  utility('eq5d_4m'),
  { name: 'withdrawn', kind: 'binary' },
  { name: 'died_12m', kind: 'binary' },
];

export const SAE_CATEGORIES = [
  'death',
  'hospitalisation',
  'self_harm',
  'suicide_attempt',
  'violence',
  'other',
] as const;

/** Columns of the optional serious adverse events file (one row per event). */
export const SAE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'participant_id', kind: 'identifier' },
  { name: 'onset_date', kind: 'date' },
  { name: 'category', kind: 'category', levels: SAE_CATEGORIES },
  { name: 'related', kind: 'binary' },
];
