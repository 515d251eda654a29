import { type DataProblem, DatasetError } from '../errors.ts';

/**
 * A fidelity index definition (`--index DEFINITION.json`) that cannot be used; code `fidelity_index_invalid`.
 * Carries every problem at once.
 */
export class FidelityIndexError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'FidelityIndexError';
  }
}

/** A fidelity ratings file that does not fit its index; code `fidelity_ratings_invalid`. Every problem at once. */
export class FidelityRatingsError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'FidelityRatingsError';
  }
}
