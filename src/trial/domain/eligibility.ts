import type { ConsentRecord, EligibilityRule, ScreeningLogEntry, TrialConfig } from './types.ts';

/** Why a screened person is not (yet) eligible under one rule. */
export interface EligibilityReason {
  /** The rule's id: the stable reason code (e.g. `age_18_or_over`). */
  readonly ruleId: string;
  readonly description: string;
  /** `not_met`: the recorded value fails the rule; `unknown`: the value was not recorded. */
  readonly status: 'not_met' | 'unknown';
  readonly message: string;
}

export interface EligibilityResult {
  /** True only when every rule is met (no rule failed and none is unknown). */
  readonly eligible: boolean;
  /** Every rule not met or not assessable, in the configuration's order. */
  readonly reasons: readonly EligibilityReason[];
}

/**
 * Evaluates every eligibility rule of the trial on a screening entry's criteria (and the consent record for
 * `consent_recorded`). A criterion not recorded makes its rule `unknown`, so the person is not eligible
 * until it is recorded; every failing rule is reported, not only the first. O(rules).
 *
 * Rule kinds: `at_least` (a number >= minimum), `is_true` / `is_false` (a recorded yes/no), `one_of` /
 * `not_one_of` (a recorded value in / not in a list), `consent_recorded` (a consent record with a consent
 * date is given).
 *
 * @example
 * evaluateEligibility(ENRICH_TRIAL_CONFIG, { ...entry, criteria: { ageYears: 17, admissionsPrior2y: 2,
 *   organicMentalDisorder: false, primaryDiagnosis: 'psychosis' } }, consent);
 * // { eligible: false, reasons: [{ ruleId: 'age_18_or_over', status: 'not_met', ... }] }
 */
export function evaluateEligibility(
  config: Pick<TrialConfig, 'eligibility'>,
  screening: Pick<ScreeningLogEntry, 'criteria'>,
  consent?: Pick<ConsentRecord, 'consentDate'>,
): EligibilityResult {
  const reasons: EligibilityReason[] = [];
  for (const rule of config.eligibility) {
    const reason = checkRule(rule, screening.criteria ?? {}, consent);
    if (reason !== undefined) reasons.push(reason);
  }
  return { eligible: reasons.length === 0, reasons };
}

function checkRule(
  rule: EligibilityRule,
  criteria: ScreeningLogEntry['criteria'],
  consent: Pick<ConsentRecord, 'consentDate'> | undefined,
): EligibilityReason | undefined {
  const reason = (status: EligibilityReason['status'], message: string): EligibilityReason => ({
    ruleId: rule.id,
    description: rule.description,
    status,
    message,
  });
  if (rule.kind === 'consent_recorded') {
    const recorded =
      consent !== undefined && typeof consent.consentDate === 'string' && consent.consentDate !== '';
    return recorded
      ? undefined
      : reason('unknown', `${rule.description}: requires a consent record (got none)`);
  }
  const value = criteria[rule.field];
  if (value === undefined || value === null || value === '') {
    return reason('unknown', `${rule.description}: requires ${rule.field} to be recorded (got nothing)`);
  }
  const got = JSON.stringify(value);
  switch (rule.kind) {
    case 'at_least':
      if (typeof value !== 'number' || Number.isNaN(value)) {
        return reason('unknown', `${rule.description}: requires ${rule.field} as a number (got ${got})`);
      }
      return value >= rule.minimum
        ? undefined
        : reason('not_met', `${rule.description}: requires ${rule.field} >= ${rule.minimum} (got ${got})`);
    case 'is_true':
    case 'is_false': {
      if (typeof value !== 'boolean') {
        return reason('unknown', `${rule.description}: requires ${rule.field} as true or false (got ${got})`);
      }
      const wanted = rule.kind === 'is_true';
      return value === wanted
        ? undefined
        : reason('not_met', `${rule.description}: requires ${rule.field} ${wanted} (got ${got})`);
    }
    case 'one_of':
    case 'not_one_of': {
      const listed = rule.values.includes(String(value));
      const wanted = rule.kind === 'one_of';
      return listed === wanted
        ? undefined
        : reason(
            'not_met',
            `${rule.description}: requires ${rule.field} ${wanted ? '' : 'not '}one of ${rule.values.join(', ')} (got ${got})`,
          );
    }
  }
}
