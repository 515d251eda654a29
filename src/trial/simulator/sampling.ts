/**
 * Draws by inversion from one uniform each (internal to the simulator). One uniform per draw, whatever the
 * parameters, keeps the simulator's stream aligned when an option changes: changing the risk ratio flips
 * some outcomes but leaves every other column of the same seed as it was (common random numbers).
 */

/** Negative binomial probability of 0: (size / (size + mean))^size. */
export function negativeBinomialZero(mean: number, size: number): number {
  return mean <= 0 ? 1 : Math.exp(size * Math.log(size / (size + mean)));
}

/** Probability of exactly 1 for a negative binomial. */
export function negativeBinomialOne(mean: number, size: number): number {
  return mean <= 0 ? 0 : negativeBinomialZero(mean, size) * size * (mean / (size + mean));
}

/**
 * The smallest k with P(X <= k) >= u for X negative binomial (mean, size): the pmf by its recursion
 * p(k+1) = p(k) (k + size)/(k + 1) mean/(size + mean), O(k). Means are capped (500) by option checks,
 * so p(0) never underflows; a tail that stops adding (rounding) ends the search.
 */
export function negativeBinomialInverse(u: number, mean: number, size: number): number {
  if (mean <= 0) return 0;
  const q = mean / (size + mean);
  let pmf = negativeBinomialZero(mean, size);
  let cdf = pmf;
  let k = 0;
  while (u > cdf) {
    pmf *= ((k + size) / (k + 1)) * q;
    k++;
    const next = cdf + pmf;
    if (next === cdf && k > mean) break;
    cdf = next;
  }
  return k;
}

/**
 * A negative binomial inversion sampler for fixed (mean, size), with p(0) computed once: the same values as
 * {@link negativeBinomialInverse}.
 */
export function negativeBinomialSampler(mean: number, size: number): (u: number) => number {
  if (mean <= 0) return () => 0;
  const q = mean / (size + mean);
  const zero = negativeBinomialZero(mean, size);
  return (u: number) => {
    let pmf = zero;
    let cdf = pmf;
    let k = 0;
    while (u > cdf) {
      pmf *= ((k + size) / (k + 1)) * q;
      k++;
      const next = cdf + pmf;
      if (next === cdf && k > mean) break;
      cdf = next;
    }
    return k;
  };
}

/** The smallest k with P(X <= k) >= u for X Poisson(mean), O(k). */
export function poissonInverse(u: number, mean: number): number {
  if (mean <= 0) return 0;
  let pmf = Math.exp(-mean);
  let cdf = pmf;
  let k = 0;
  while (u > cdf) {
    k++;
    pmf *= mean / k;
    const next = cdf + pmf;
    if (next === cdf && k > mean) break;
    cdf = next;
  }
  return k;
}

/** The smallest k with P(X <= k) >= u for X binomial(trials, probability), O(k). */
export function binomialInverse(u: number, trials: number, probability: number): number {
  if (probability <= 0 || trials === 0) return 0;
  if (probability >= 1) return trials;
  const ratio = probability / (1 - probability);
  let pmf = (1 - probability) ** trials;
  let cdf = pmf;
  let k = 0;
  while (u > cdf && k < trials) {
    pmf *= ((trials - k) / (k + 1)) * ratio;
    k++;
    cdf += pmf;
  }
  return k;
}

/** Index of the category whose cumulative probability first reaches u (the last one for rounding). */
export function categoricalInverse(u: number, cumulative: Float64Array): number {
  const last = cumulative.length - 1;
  for (let index = 0; index < last; index++) {
    if (u < (cumulative[index] as number)) return index;
  }
  return last;
}

/** Running sums of `weights`, divided by their total. */
export function cumulativeProbabilities(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative = new Float64Array(weights.length);
  let running = 0;
  weights.forEach((weight, index) => {
    running += weight;
    cumulative[index] = running / total;
  });
  return cumulative;
}

/** `value` rounded to `decimals` places and clamped to [minimum, maximum]. */
export function roundClamp(value: number, decimals: number, minimum: number, maximum: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Math.min(maximum, Math.max(minimum, rounded));
}
