/**
 * Errors raised by the statistics layer. Each class carries a stable `code` (listed in
 * docs/reference/errors.md) and a message of the form `<what> requires <expectation> (got <actual>)`.
 */
export class StatsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An argument that no computation could accept (a negative variance, a probability above 1, ...). */
export class InvalidArgumentError extends StatsError {
  constructor(message: string) {
    super('invalid_argument', message);
  }
}

/** A model formula that cannot be parsed or does not fit the data (unknown column, bad syntax). */
export class FormulaError extends StatsError {
  constructor(message: string) {
    super('formula_invalid', message);
  }
}

/** Data that the chosen model cannot use (a binomial response of 2, a negative count, ...). */
export class ModelDataError extends StatsError {
  constructor(message: string) {
    super('model_data_invalid', message);
  }
}

/** A model that cannot be fitted at all (no rows left, all coefficients aliased, ...). */
export class ModelFitError extends StatsError {
  constructor(message: string) {
    super('model_not_fitted', message);
  }
}

/** A bootstrap interval that these replicates cannot give (all replicates equal, an infinite BCa adjustment). */
export class BootstrapIntervalError extends StatsError {
  constructor(message: string) {
    super('bootstrap_interval_undefined', message);
  }
}
