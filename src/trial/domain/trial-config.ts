import {
  type DataProblem,
  RandomisationConfigError,
  TrialConfigError,
  UnknownVisitError,
} from '../errors.ts';
import { type RandomisationConfig, resolveRandomisationConfig } from '../randomisation/config.ts';
import { checkInstrumentDefinition } from './instruments.ts';
import type { Construct, InstrumentDefinition, TrialConfig, VisitDefinition } from './types.ts';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const RULE_KINDS = ['at_least', 'is_true', 'is_false', 'one_of', 'not_one_of', 'consent_recorded'];

/**
 * The randomisation configuration the engines (`allocate`) run on: the trial's arms and factors with its
 * randomisation settings.
 *
 * @example
 * randomisationConfigOf(ENRICH_TRIAL_CONFIG).kind; // 'permuted_blocks'
 */
export function randomisationConfigOf(config: TrialConfig): RandomisationConfig {
  const settings = config.randomisation;
  if (settings.kind === 'minimisation') {
    return {
      kind: 'minimisation',
      arms: config.arms,
      factors: config.factors,
      ...(settings.imbalance === undefined ? {} : { imbalance: settings.imbalance }),
      ...(settings.preferredArmProbability === undefined
        ? {}
        : { preferredArmProbability: settings.preferredArmProbability }),
    };
  }
  return {
    kind: 'permuted_blocks',
    arms: config.arms,
    factors: config.factors,
    ...(settings.blockSizes === undefined ? {} : { blockSizes: settings.blockSizes }),
  };
}

/**
 * Validates a whole trial configuration and returns it unchanged, reporting every problem at once:
 * name and title; the randomisation (arms, ratios, factors, method settings; as `resolveRandomisationConfig`);
 * eligibility rules (distinct identifier ids, a known kind, a field, a finite minimum, a non-empty value
 * list); visits (distinct ids, kind, whole-number target >= 0 and windows >= 0, known instruments, at most
 * one `records` visit); instruments (see `checkInstrumentDefinition`; distinct ids, at most one per
 * construct); baseline instruments known; `followUpDays` a whole number >= 1.
 *
 * @throws TrialConfigError listing every problem (`path` like `visits[0].windowAfterDays`).
 * @example
 * validateTrialConfig(ENRICH_TRIAL_CONFIG).arms.length; // 2
 */
export function validateTrialConfig(config: TrialConfig): TrialConfig {
  const problems: DataProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ path, code: 'trial_config_invalid', message });
  if (config === null || typeof config !== 'object') {
    throw new TrialConfigError([
      {
        path: 'config',
        code: 'trial_config_invalid',
        message: `trial config requires an object (got ${JSON.stringify(config)})`,
      },
    ]);
  }
  for (const field of ['name', 'title'] as const) {
    if (typeof config[field] !== 'string' || config[field].trim() === '') {
      problem(field, `trial config ${field} requires non-empty text (got ${JSON.stringify(config[field])})`);
    }
  }

  const settings = config.randomisation;
  if (settings === null || typeof settings !== 'object') {
    problem(
      'randomisation',
      `trial config randomisation requires an object (got ${JSON.stringify(settings)})`,
    );
  } else {
    try {
      resolveRandomisationConfig(randomisationConfigOf(config));
    } catch (error) {
      if (!(error instanceof RandomisationConfigError)) throw error;
      for (const message of error.message.split('\n')) problem('randomisation', message);
    }
  }

  const instruments = Array.isArray(config.instruments) ? config.instruments : [];
  if (!Array.isArray(config.instruments)) problem('instruments', 'trial config instruments requires a list');
  const instrumentIds = new Set<string>();
  const constructs = new Map<Construct, string>();
  instruments.forEach((instrument, index) => {
    checkInstrumentDefinition(instrument, `instruments[${index}]`, problems);
    if (instrument === null || typeof instrument !== 'object') return;
    if (instrumentIds.has(instrument.id)) {
      problem(
        `instruments[${index}].id`,
        `instrument ids require distinct values (got "${instrument.id}" twice)`,
      );
    }
    instrumentIds.add(instrument.id);
    const earlier = constructs.get(instrument.construct);
    if (earlier !== undefined) {
      problem(
        `instruments[${index}].construct`,
        `construct "${instrument.construct}" requires one instrument (got "${earlier}" and "${instrument.id}")`,
      );
    }
    constructs.set(instrument.construct, instrument.id);
  });

  const rules = Array.isArray(config.eligibility) ? config.eligibility : [];
  if (!Array.isArray(config.eligibility)) problem('eligibility', 'trial config eligibility requires a list');
  const ruleIds = new Set<string>();
  rules.forEach((rule, index) => {
    const path = `eligibility[${index}]`;
    if (typeof rule?.id !== 'string' || !IDENTIFIER.test(rule.id)) {
      problem(
        `${path}.id`,
        `eligibility rule id requires letters, digits and _ (got ${JSON.stringify(rule?.id)})`,
      );
    } else if (ruleIds.has(rule.id)) {
      problem(`${path}.id`, `eligibility rule ids require distinct values (got "${rule.id}" twice)`);
    }
    ruleIds.add(rule?.id);
    if (typeof rule?.description !== 'string' || rule.description.trim() === '') {
      problem(`${path}.description`, `eligibility rule "${rule?.id}" requires a description`);
    }
    if (!RULE_KINDS.includes(rule?.kind)) {
      problem(
        `${path}.kind`,
        `eligibility rule kind requires one of ${RULE_KINDS.join(', ')} (got ${JSON.stringify(rule?.kind)})`,
      );
      return;
    }
    if (rule.kind === 'consent_recorded') return;
    if (typeof rule.field !== 'string' || rule.field === '') {
      problem(
        `${path}.field`,
        `eligibility rule "${rule.id}" requires a field (got ${JSON.stringify(rule.field)})`,
      );
    }
    if (rule.kind === 'at_least' && !Number.isFinite(rule.minimum)) {
      problem(
        `${path}.minimum`,
        `eligibility rule "${rule.id}" requires a finite minimum (got ${rule.minimum})`,
      );
    }
    if (
      (rule.kind === 'one_of' || rule.kind === 'not_one_of') &&
      (!Array.isArray(rule.values) || rule.values.length === 0)
    ) {
      problem(`${path}.values`, `eligibility rule "${rule.id}" requires at least one value (got none)`);
    }
  });

  const visits = Array.isArray(config.visits) ? config.visits : [];
  if (!Array.isArray(config.visits)) problem('visits', 'trial config visits requires a list');
  const visitIds = new Set<string>();
  let recordsVisits = 0;
  visits.forEach((visit, index) => {
    const path = `visits[${index}]`;
    if (typeof visit?.id !== 'string' || !IDENTIFIER.test(visit.id)) {
      problem(`${path}.id`, `visit id requires letters, digits and _ (got ${JSON.stringify(visit?.id)})`);
    } else if (visitIds.has(visit.id)) {
      problem(`${path}.id`, `visit ids require distinct values (got "${visit.id}" twice)`);
    }
    visitIds.add(visit?.id);
    if (visit?.kind !== 'interview' && visit?.kind !== 'records') {
      problem(
        `${path}.kind`,
        `visit kind requires "interview" or "records" (got ${JSON.stringify(visit?.kind)})`,
      );
    }
    if (visit?.kind === 'records') recordsVisits += 1;
    for (const field of ['targetDaysAfterDischarge', 'windowBeforeDays', 'windowAfterDays'] as const) {
      const value = visit?.[field];
      if (!Number.isInteger(value) || (value as number) < 0) {
        problem(
          `${path}.${field}`,
          `visit "${visit?.id}" ${field} requires a whole number >= 0 (got ${value})`,
        );
      }
    }
    for (const id of Array.isArray(visit?.instruments) ? visit.instruments : []) {
      if (!instrumentIds.has(id)) {
        problem(`${path}.instruments`, `visit "${visit.id}" requires configured instruments (got "${id}")`);
      }
    }
  });
  if (recordsVisits > 1)
    problem('visits', `trial config requires at most one records visit (got ${recordsVisits})`);

  const baseline = Array.isArray(config.baselineInstruments) ? config.baselineInstruments : [];
  for (const id of baseline) {
    if (!instrumentIds.has(id)) {
      problem('baselineInstruments', `baseline instruments require configured instruments (got "${id}")`);
    }
  }
  if (!Number.isInteger(config.followUpDays) || config.followUpDays < 1) {
    problem(
      'followUpDays',
      `trial config followUpDays requires a whole number >= 1 (got ${config.followUpDays})`,
    );
  }
  if (problems.length > 0) throw new TrialConfigError(problems);
  return config;
}

/**
 * The visit called `visitId`.
 *
 * @throws UnknownVisitError when the configuration has no such visit.
 * @example
 * getVisit(ENRICH_TRIAL_CONFIG, 'month_4').kind; // 'interview'
 */
export function getVisit(config: TrialConfig, visitId: string): VisitDefinition {
  const visit = config.visits.find((candidate) => candidate.id === visitId);
  if (visit === undefined) {
    throw new UnknownVisitError(
      `visit requires one of ${config.visits.map((candidate) => candidate.id).join(', ')} (got "${visitId}")`,
    );
  }
  return visit;
}

/**
 * The instrument configured for a construct, or undefined.
 *
 * @example
 * findInstrumentForConstruct(ENRICH_TRIAL_CONFIG, 'eq5d')?.scoring.kind; // 'utility'
 */
export function findInstrumentForConstruct(
  config: TrialConfig,
  construct: Construct,
): InstrumentDefinition | undefined {
  return config.instruments.find((instrument) => instrument.construct === construct);
}
