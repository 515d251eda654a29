import type { ModelData } from '../stats/index.ts';
import type { DataProblem } from '../trial/index.ts';
import { AnalysisPlanError } from './errors.ts';
import type { AnalysisPlan, SubgroupSpec } from './trial-analysis-types.ts';

/** The pre-specified subgroups of issue 7: ethnicity Black vs others, diagnosis group, first language. */
export const DEFAULT_SUBGROUPS: readonly SubgroupSpec[] = [
  {
    name: 'ethnicity_black',
    variable: 'ethnicity',
    label: 'Ethnicity (Black vs others)',
    split: { values: ['Black'], levels: ['Black', 'Not Black'] },
  },
  { name: 'diagnosis_group', variable: 'diagnosis_group', label: 'Diagnosis group' },
  { name: 'first_language', variable: 'first_language', label: 'First language' },
];

/** The plan used when no `--sap` file is given (docs/reference/analysis-plan.md). */
export const DEFAULT_ANALYSIS_PLAN: AnalysisPlan = {
  covariates: ['site', 'diagnosis_group', 'admissions_prior_2y'],
  primaryOutcome: 'readmitted_12m',
  subgroups: DEFAULT_SUBGROUPS.map((subgroup) => structuredClone(subgroup)),
  countOutcomes: [
    'admissions_total_12m',
    'admissions_voluntary_12m',
    'admissions_involuntary_12m',
    'bed_days_12m',
    'crisis_contacts_12m',
    'liaison_contacts_12m',
  ],
  fourMonthScales: ['symptoms', 'quality_of_life', 'social_inclusion', 'hope', 'social_network', 'eq5d'],
  timeToEvent: { time: 'days_to_readmission', event: 'readmission_event' },
  bootstrapResamples: 1000,
  seed: 1,
  confidenceLevel: 0.95,
};

const PLAN_KEYS = [
  'covariates',
  'primary_outcome',
  'subgroups',
  'count_outcomes',
  'four_month_scales',
  'time_to_event',
  'bootstrap_resamples',
  'seed',
  'confidence_level',
] as const;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Reads an analysis plan (the parsed JSON of `--sap plan.json`, keys in snake_case as documented in
 * docs/reference/analysis-plan.md) and merges it over {@link DEFAULT_ANALYSIS_PLAN}: every key is optional
 * and replaces the default as a whole. Checks shape and values only (column names are checked against the
 * dataset by `checkPlanColumns`), collecting every problem. O(size of the plan).
 * @throws AnalysisPlanError (`analysis_plan_invalid`) listing every problem: unknown keys, wrong types,
 *   malformed column names, duplicate names, a bootstrap size outside 1..100000, a seed that is not a whole
 *   number, a confidence level outside (0, 1).
 * @example parseAnalysisPlan({ covariates: ['site'], seed: 42 }, 'plan.json').bootstrapResamples // 1000
 */
export function parseAnalysisPlan(json: unknown, source: string): AnalysisPlan {
  const problems: DataProblem[] = [];
  const report = (path: string, message: string) =>
    problems.push({ path: `${source}: ${path}`, code: 'analysis_plan_invalid', message });
  const plan: AnalysisPlan = structuredClone(DEFAULT_ANALYSIS_PLAN);
  if (!isRecord(json)) {
    report('(top level)', `an analysis plan requires a JSON object (got ${describe(json)})`);
    throw new AnalysisPlanError(problems);
  }
  for (const key of Object.keys(json)) {
    if (!(PLAN_KEYS as readonly string[]).includes(key)) {
      report(key, `an analysis plan requires keys among ${PLAN_KEYS.join(', ')} (got "${key}")`);
    }
  }
  const names = (key: string, allowEmpty: boolean): string[] | undefined => {
    const value = json[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || (!allowEmpty && value.length === 0)) {
      report(
        key,
        `${key} requires ${allowEmpty ? 'an' : 'a non-empty'} array of column names (got ${describe(value)})`,
      );
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, index) => {
      if (typeof item !== 'string' || !NAME_PATTERN.test(item)) {
        report(`${key}[${index}]`, `${key} requires column names (got ${describe(item)})`);
      } else if (out.includes(item)) {
        report(`${key}[${index}]`, `${key} requires distinct names (got "${item}" twice)`);
      } else {
        out.push(item);
      }
    });
    return out;
  };
  const name = (key: string, value: unknown): string | undefined => {
    if (typeof value === 'string' && NAME_PATTERN.test(value)) return value;
    report(key, `${key} requires a column name (got ${describe(value)})`);
    return undefined;
  };

  const covariates = names('covariates', true);
  if (covariates !== undefined) {
    for (const covariate of covariates) {
      if (covariate === 'arm') report('covariates', 'covariates requires columns other than arm (got "arm")');
    }
    plan.covariates = covariates;
  }
  if (json.primary_outcome !== undefined) {
    const value = name('primary_outcome', json.primary_outcome);
    if (value !== undefined) plan.primaryOutcome = value;
  }
  const countOutcomes = names('count_outcomes', true);
  if (countOutcomes !== undefined) plan.countOutcomes = countOutcomes;
  const scales = names('four_month_scales', true);
  if (scales !== undefined) plan.fourMonthScales = scales;
  if (json.time_to_event !== undefined) {
    const value = json.time_to_event;
    if (!isRecord(value) || Object.keys(value).some((key) => key !== 'time' && key !== 'event')) {
      report(
        'time_to_event',
        `time_to_event requires an object { "time": ..., "event": ... } (got ${describe(value)})`,
      );
    } else {
      const time = name('time_to_event.time', value.time);
      const event = name('time_to_event.event', value.event);
      if (time !== undefined && event !== undefined) plan.timeToEvent = { time, event };
    }
  }
  if (json.subgroups !== undefined) {
    const subgroups = parseSubgroups(json.subgroups, report);
    if (subgroups !== undefined) plan.subgroups = subgroups;
  }
  if (json.bootstrap_resamples !== undefined) {
    const value = json.bootstrap_resamples;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100_000) {
      report(
        'bootstrap_resamples',
        `bootstrap_resamples requires a whole number from 1 to 100000 (got ${describe(value)})`,
      );
    } else {
      plan.bootstrapResamples = value;
    }
  }
  if (json.seed !== undefined) {
    const value = json.seed;
    if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
      report(
        'seed',
        `seed requires a whole number between -2147483647 and 2147483647 (got ${describe(value)})`,
      );
    } else {
      plan.seed = value;
    }
  }
  if (json.confidence_level !== undefined) {
    const value = json.confidence_level;
    if (typeof value !== 'number' || !(value > 0 && value < 1)) {
      report(
        'confidence_level',
        `confidence_level requires a number between 0 and 1 (got ${describe(value)})`,
      );
    } else {
      plan.confidenceLevel = value;
    }
  }
  if (problems.length > 0) throw new AnalysisPlanError(problems);
  return plan;
}

function parseSubgroups(
  value: unknown,
  report: (path: string, message: string) => void,
): SubgroupSpec[] | undefined {
  if (!Array.isArray(value)) {
    report('subgroups', `subgroups requires an array of subgroup objects (got ${describe(value)})`);
    return undefined;
  }
  const out: SubgroupSpec[] = [];
  let valid = true;
  value.forEach((item, index) => {
    const path = `subgroups[${index}]`;
    if (!isRecord(item)) {
      report(
        path,
        `a subgroup requires an object { "name", "variable", "label"?, "split"? } (got ${describe(item)})`,
      );
      valid = false;
      return;
    }
    for (const key of Object.keys(item)) {
      if (!['name', 'variable', 'label', 'split'].includes(key)) {
        report(
          `${path}.${key}`,
          `a subgroup requires keys among name, variable, label, split (got "${key}")`,
        );
        valid = false;
      }
    }
    const variable = item.variable;
    if (typeof variable !== 'string' || !NAME_PATTERN.test(variable)) {
      report(`${path}.variable`, `a subgroup requires a column name as variable (got ${describe(variable)})`);
      valid = false;
      return;
    }
    const name = item.name ?? variable;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      report(
        `${path}.name`,
        `a subgroup requires a name made of letters, digits, _ and . (got ${describe(name)})`,
      );
      valid = false;
      return;
    }
    if (out.some((other) => other.name === name)) {
      report(`${path}.name`, `subgroups requires distinct names (got "${name}" twice)`);
      valid = false;
    }
    const label = item.label ?? name;
    if (typeof label !== 'string') {
      report(`${path}.label`, `a subgroup requires a text label (got ${describe(label)})`);
      valid = false;
      return;
    }
    const spec: SubgroupSpec = { name, variable, label };
    if (item.split !== undefined) {
      const split = item.split;
      const values = isRecord(split) ? split.values : undefined;
      const levels = isRecord(split) ? split.levels : undefined;
      const goodValues =
        Array.isArray(values) && values.length > 0 && values.every((entry) => typeof entry === 'string');
      const goodLevels =
        Array.isArray(levels) &&
        levels.length === 2 &&
        levels.every((entry) => typeof entry === 'string' && entry !== '') &&
        levels[0] !== levels[1];
      if (!goodValues || !goodLevels) {
        report(
          `${path}.split`,
          `a subgroup split requires { "values": [one or more levels], "levels": [two distinct names] } (got ${JSON.stringify(split)})`,
        );
        valid = false;
        return;
      }
      spec.split = { values: values as string[], levels: [levels[0] as string, levels[1] as string] };
    }
    out.push(spec);
  });
  return valid ? out : undefined;
}

/**
 * Checks the plan's columns against the dataset: covariates, outcomes, the time-to-event pair, every
 * `<scale>_4m` and `<scale>_baseline`, subgroup variables (categorical, split values among their levels).
 * @throws AnalysisPlanError (`analysis_plan_column_unknown`) naming every column the dataset lacks or
 *   cannot use that way.
 * @example checkPlanColumns(DEFAULT_ANALYSIS_PLAN, dataset) // passes for any valid analysis dataset
 */
export function checkPlanColumns(plan: AnalysisPlan, data: ModelData): void {
  const problems: DataProblem[] = [];
  const report = (path: string, message: string) =>
    problems.push({ path: `${data.source}: ${path}`, code: 'analysis_plan_column_unknown', message });
  const requireColumn = (path: string, name: string, kind: 'numeric' | 'categorical' | 'any') => {
    const column = data.findColumn(name);
    if (column === undefined) {
      report(path, `the analysis plan's ${path} requires a column "${name}" in the dataset (got none)`);
    } else if (kind !== 'any' && column.kind !== kind) {
      report(
        path,
        `the analysis plan's ${path} requires a ${kind} column "${name}" (got a ${column.kind} column)`,
      );
    }
  };
  for (const name of plan.covariates) requireColumn('covariates', name, 'any');
  requireColumn('primary_outcome', plan.primaryOutcome, 'numeric');
  for (const name of plan.countOutcomes) requireColumn('count_outcomes', name, 'numeric');
  for (const scale of plan.fourMonthScales) {
    requireColumn('four_month_scales', `${scale}_4m`, 'numeric');
    requireColumn('four_month_scales', `${scale}_baseline`, 'numeric');
  }
  requireColumn('time_to_event.time', plan.timeToEvent.time, 'numeric');
  requireColumn('time_to_event.event', plan.timeToEvent.event, 'numeric');
  for (const subgroup of plan.subgroups) {
    const column = data.findColumn(subgroup.variable);
    if (column?.kind !== 'categorical') {
      requireColumn(`subgroups (${subgroup.name})`, subgroup.variable, 'categorical');
      continue;
    }
    for (const value of subgroup.split?.values ?? []) {
      if (!column.levels.includes(value)) {
        report(
          `subgroups (${subgroup.name})`,
          `the subgroup ${subgroup.name} requires split values among the levels of ${subgroup.variable}: ${column.levels.join(', ')} (got "${value}")`,
        );
      }
    }
  }
  if (problems.length > 0) throw new AnalysisPlanError(problems);
}
