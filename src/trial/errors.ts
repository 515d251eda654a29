/** Errors raised by the trial layer; `code` values are listed in docs/reference/errors.md. */

/** One problem in a user's data file: where (`path`: file, line, column), a stable `code`, a message. */
export interface DataProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A dataset that cannot be analysed. Carries every problem found (all rows and columns, not only the first)
 * so the user can fix them in one pass; `code` is the first problem's code.
 */
export class DatasetError extends Error {
  readonly code: string;
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    const first = problems[0];
    if (first === undefined) throw new RangeError('DatasetError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'DatasetError';
    this.code = first.code;
    this.problems = problems;
  }
}

/**
 * A randomisation that cannot go ahead: `RandomisationConfigError` (a configuration or simulation setting
 * that cannot work), `RandomisationStratumError` (a participant's stratum values do not match the
 * configured factors) or `RandomisationStateError` (a stored state that does not fit the configuration).
 * Messages never contain the secret parts of the state (pending block contents, block sizes in use).
 */
export class RandomisationError extends Error {
  readonly code:
    | 'randomisation_config_invalid'
    | 'randomisation_stratum_invalid'
    | 'randomisation_state_invalid';
  constructor(code: RandomisationError['code'], message: string) {
    super(message);
    this.name = 'RandomisationError';
    this.code = code;
  }
}

/** A randomisation configuration (arms, ratios, factors, block sizes, minimisation settings) that cannot work. */
export class RandomisationConfigError extends RandomisationError {
  constructor(message: string) {
    super('randomisation_config_invalid', message);
    this.name = 'RandomisationConfigError';
  }
}

/** A participant's stratum values that do not match the configured factors (unknown, missing or extra). */
export class RandomisationStratumError extends RandomisationError {
  constructor(message: string) {
    super('randomisation_stratum_invalid', message);
    this.name = 'RandomisationStratumError';
  }
}

/** A stored randomisation state that does not fit the configuration (corrupted, or settings changed). */
export class RandomisationStateError extends RandomisationError {
  constructor(message: string) {
    super('randomisation_state_invalid', message);
    this.name = 'RandomisationStateError';
  }
}

/**
 * Simulation settings that cannot produce a trial (`enrich simulate`, `enrich power`): a probability outside
 * [0, 1], a negative mean, probabilities that do not sum to 1, risks that would exceed 1 ... Carries every
 * problem at once (`problems`, one per option, `path` the option name).
 */
export class SimulationOptionsError extends Error {
  readonly code = 'simulation_options_invalid';
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    if (problems.length === 0) throw new RangeError('SimulationOptionsError requires at least one problem');
    super(problems.map((problem) => problem.message).join('\n'));
    this.name = 'SimulationOptionsError';
    this.problems = problems;
  }
}

/**
 * A trial configuration (`TrialConfig`) that cannot run a trial: every problem at once in `problems`
 * (`path` is the config path, e.g. `visits[1].windowAfterDays`).
 */
export class TrialConfigError extends Error {
  readonly code = 'trial_config_invalid';
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    if (problems.length === 0) throw new RangeError('TrialConfigError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'TrialConfigError';
    this.problems = problems;
  }
}

/**
 * A trial record (screening entry, consent, contact, SAE ...) that fails validation, or records that do not
 * fit together: every problem at once in `problems` (`path` is the record kind and field, e.g.
 * `contact.minutes`); `code` is the first problem's code: `record_field_missing`, `record_field_invalid` or
 * `record_inconsistent`. Messages never contain an allocation.
 */
export class RecordValidationError extends Error {
  readonly code: string;
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    const first = problems[0];
    if (first === undefined) throw new RangeError('RecordValidationError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'RecordValidationError';
    this.code = first.code;
    this.problems = problems;
  }
}

/** Instrument item responses that cannot be scored (unknown item, outside the range, not a whole number). */
export class InstrumentResponseError extends Error {
  readonly code = 'instrument_response_invalid';
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[]) {
    if (problems.length === 0) throw new RangeError('InstrumentResponseError requires at least one problem');
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'InstrumentResponseError';
    this.problems = problems;
  }
}

/** A visit id that the trial configuration does not define. */
export class UnknownVisitError extends Error {
  readonly code = 'visit_unknown';
  constructor(message: string) {
    super(message);
    this.name = 'UnknownVisitError';
  }
}
