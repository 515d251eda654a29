import { type DataProblem, DatasetError } from '../../trial/index.ts';

/**
 * A peer worker questionnaire file (`cohort_data_invalid`) or norms file (`cohort_norms_invalid`) that cannot
 * be used. Carries every problem at once. Messages name lines and columns, never a response value, so an
 * error shown to a coordinator reveals no one's answer.
 */
export class CohortDataError extends DatasetError {
  constructor(problems: readonly DataProblem[]) {
    super(problems);
    this.name = 'CohortDataError';
  }
}
