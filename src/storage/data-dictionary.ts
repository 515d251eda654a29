import { ANALYSIS_DATASET_COLUMNS, type ColumnSpec, SAE_COLUMNS } from '../trial/index.ts';

/** One variable of the data dictionary export. */
export interface DataDictionaryRow {
  readonly variable: string;
  /** The form (REDCap: instrument) it belongs to: the file and section of docs/reference/data-dictionary.md. */
  readonly form: string;
  /** `text`, `categorical`, `date`, `yesno` (0/1), `integer` or `number`. */
  readonly type: string;
  /** The allowed values: category codes joined by ` | `, or a range (`>= 0`, `<= 1`), empty when any. */
  readonly allowedValues: string;
  readonly label: string;
}

const FORMS: readonly [string, readonly string[]][] = [
  ['design', ['participant_id', 'site', 'arm', 'diagnosis_group', 'randomised_date', 'discharge_date']],
  [
    'baseline',
    [
      'age',
      'gender',
      'ethnicity',
      'first_language',
      'sexual_orientation',
      'admissions_prior_2y',
      'detained_at_index',
      'index_los_days',
      'symptoms_baseline',
      'quality_of_life_baseline',
      'social_inclusion_baseline',
      'hope_baseline',
      'social_network_baseline',
      'eq5d_baseline',
    ],
  ],
  [
    'intervention_received',
    [
      'pw_contacts_hospital',
      'pw_contacts_community',
      'first_contact_minutes',
      'first_contact_relationship_activities',
    ],
  ],
  [
    'outcomes_12m',
    [
      'readmitted_12m',
      'days_to_readmission',
      'readmission_event',
      'admissions_voluntary_12m',
      'admissions_involuntary_12m',
      'admissions_total_12m',
      'bed_days_12m',
      'crisis_contacts_12m',
      'liaison_contacts_12m',
      'community_contacts_12m',
    ],
  ],
  [
    'outcomes_4m',
    [
      'followup_4m',
      'symptoms_4m',
      'quality_of_life_4m',
      'social_inclusion_4m',
      'hope_4m',
      'social_network_4m',
      'eq5d_4m',
    ],
  ],
  ['status', ['withdrawn', 'died_12m']],
];

const LABELS: Readonly<Record<string, string>> = {
  participant_id: 'Trial identifier',
  site: 'Recruiting site (stratification factor)',
  arm: 'Randomised arm (usual_care is the reference level)',
  diagnosis_group: 'Primary diagnosis group at index admission (stratification factor)',
  randomised_date: 'Date of randomisation',
  discharge_date: 'Discharge from the index admission',
  age: 'Age in years',
  gender: 'Gender',
  ethnicity: 'Ethnicity (pre-specified subgroup: Black against all others)',
  first_language: 'First language (pre-specified subgroup)',
  sexual_orientation: 'Sexual orientation',
  admissions_prior_2y: 'Psychiatric admissions in the 2 years before the index admission',
  detained_at_index: 'Index admission was formal (detained under the Mental Health Act)',
  index_los_days: 'Length of stay of the index admission (days)',
  symptoms_baseline: 'Psychiatric symptom severity at baseline (higher = worse)',
  quality_of_life_baseline: 'Subjective quality of life at baseline (higher = better)',
  social_inclusion_baseline: 'Social inclusion at baseline (higher = better)',
  hope_baseline: 'Hope for the future at baseline (higher = better)',
  social_network_baseline: 'Strength of social network at baseline (higher = better)',
  eq5d_baseline: 'EQ-5D utility at baseline',
  pw_contacts_hospital: 'Face-to-face peer worker contacts before discharge',
  pw_contacts_community: 'Peer worker contacts after discharge',
  first_contact_minutes: 'Length of the first peer worker contact (minutes)',
  first_contact_relationship_activities: 'Relationship-building activities at the first contact',
  readmitted_12m: 'PRIMARY: any psychiatric readmission within 12 months of discharge',
  days_to_readmission: 'Days from discharge to first readmission or censoring (365, death or withdrawal)',
  readmission_event: 'days_to_readmission ends in a readmission',
  admissions_voluntary_12m: 'Voluntary psychiatric admissions within 12 months',
  admissions_involuntary_12m: 'Involuntary psychiatric admissions within 12 months',
  admissions_total_12m: 'All psychiatric admissions within 12 months (voluntary + involuntary)',
  bed_days_12m: 'Days in psychiatric hospital within 12 months',
  crisis_contacts_12m: 'Crisis resolution and home treatment team contacts within 12 months',
  liaison_contacts_12m: 'Psychiatric emergency episodes (liaison psychiatry) within 12 months',
  community_contacts_12m: 'Community mental health team contacts within 12 months',
  followup_4m: 'The 4-month interview took place',
  symptoms_4m: 'Psychiatric symptom severity at 4 months',
  quality_of_life_4m: 'Subjective quality of life at 4 months',
  social_inclusion_4m: 'Social inclusion at 4 months',
  hope_4m: 'Hope for the future at 4 months',
  social_network_4m: 'Strength of social network at 4 months',
  eq5d_4m: 'EQ-5D utility at 4 months',
  withdrawn: 'Withdrew from the trial',
  died_12m: 'Died within 12 months of discharge',
  onset_date: 'Onset date of the serious adverse event',
  category: 'Category of the serious adverse event',
  related: 'Judged related to the intervention (possibly, probably or definitely)',
};

function describeSpec(spec: ColumnSpec): { type: string; allowedValues: string } {
  switch (spec.kind) {
    case 'identifier':
    case 'label':
      return { type: 'text', allowedValues: '' };
    case 'category':
      return { type: 'categorical', allowedValues: spec.levels.join(' | ') };
    case 'date':
      return { type: 'date', allowedValues: 'YYYY-MM-DD' };
    case 'binary':
      return { type: 'yesno', allowedValues: '0 | 1' };
    case 'number': {
      const bounds = [
        spec.minimum === undefined ? undefined : `>= ${spec.minimum}`,
        spec.exclusiveMinimum === undefined ? undefined : `> ${spec.exclusiveMinimum}`,
        spec.maximum === undefined ? undefined : `<= ${spec.maximum}`,
      ].filter((bound) => bound !== undefined);
      return { type: spec.integer === true ? 'integer' : 'number', allowedValues: bounds.join(' and ') };
    }
  }
}

/**
 * The data dictionary of the analysis dataset and the SAE file, one row per variable in the export's
 * column order: variable, form (design, baseline, intervention_received, outcomes_12m, outcomes_4m, status,
 * serious_adverse_events), type, allowed values, label — the layout of a REDCap data dictionary, read from
 * the same column definitions the export and `readAnalysisDataset` use.
 *
 * @example
 * dataDictionaryRows()[2]; // { variable: 'arm', form: 'design', type: 'categorical', allowedValues: 'usual_care | peer_support', ... }
 */
export function dataDictionaryRows(): DataDictionaryRow[] {
  const formOf = new Map<string, string>();
  for (const [form, variables] of FORMS) for (const variable of variables) formOf.set(variable, form);
  const rows = ANALYSIS_DATASET_COLUMNS.map((spec) => ({
    variable: spec.name,
    form: formOf.get(spec.name) ?? 'other',
    ...describeSpec(spec),
    label: LABELS[spec.name] ?? spec.name,
  }));
  for (const spec of SAE_COLUMNS) {
    rows.push({
      variable: spec.name,
      form: 'serious_adverse_events',
      ...describeSpec(spec),
      label:
        spec.name === 'participant_id'
          ? 'Trial identifier (in the analysis dataset)'
          : (LABELS[spec.name] ?? spec.name),
    });
  }
  return rows;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The data dictionary as CSV: header `variable,form,type,allowed_values,label`, `\n` line ends, cells quoted
 * only when they hold a comma, quote or line break.
 *
 * @example
 * formatDataDictionaryCsv().split('\n')[0]; // 'variable,form,type,allowed_values,label'
 */
export function formatDataDictionaryCsv(rows: readonly DataDictionaryRow[] = dataDictionaryRows()): string {
  const lines = ['variable,form,type,allowed_values,label'];
  for (const row of rows) {
    lines.push([row.variable, row.form, row.type, row.allowedValues, row.label].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
