import { InvalidArgumentError } from '../errors.ts';

/** Throws unless `value` is a probability in [0, 1]. */
export function checkProbability(functionName: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`${functionName} requires a probability in [0, 1] (got ${value})`);
  }
}

/** Throws unless `value` is a positive (possibly infinite) parameter such as degrees of freedom. */
export function checkPositive(functionName: string, parameter: string, value: number): void {
  if (!(value > 0)) {
    throw new InvalidArgumentError(`${functionName} requires ${parameter} > 0 (got ${value})`);
  }
}
