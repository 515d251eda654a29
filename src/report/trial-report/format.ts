/**
 * Number formats of the trial report, in one place so every table, figure and sentence agrees:
 * ratios to 2 dp, p-values to 3 dp with "<0.001", percentages to 1 dp, means and SDs to 1 dp,
 * a typographic minus sign, and "NA" for a value that is missing or not finite.
 */

const MINUS = '\u2212';

/** `value` with `digits` decimals, a typographic minus, no negative zero; "NA" when not finite. */
export function formatDecimal(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  const text = value.toFixed(digits);
  if (/^-0\.?0*$/.test(text)) return text.slice(1);
  return text.replace('-', MINUS);
}

/** A ratio (odds, risk, rate or hazard ratio) to 2 dp. */
export function formatRatio(value: number | null | undefined): string {
  return formatDecimal(value, 2);
}

/** A p-value to 3 dp, "<0.001" below 0.001. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  if (value < 0.001) return '<0.001';
  return value.toFixed(3);
}

/** "p = 0.123" or "p < 0.001", for sentences and figure annotations. */
export function formatPSentence(value: number | null | undefined): string {
  const text = formatPValue(value);
  return text.startsWith('<') ? `p < ${text.slice(1)}` : `p = ${text}`;
}

/** A proportion (0..1) as a percentage to 1 dp, without the % sign. */
export function formatPercentOf(proportion: number | null | undefined): string {
  if (proportion === null || proportion === undefined) return 'NA';
  return formatDecimal(proportion * 100, 1);
}

/** "n (p%)" from a count and its denominator; "0 (0.0%)" when the denominator is 0 is shown as "0 (NA)". */
export function formatCountPercent(count: number, denominator: number): string {
  return `${formatInteger(count)} (${denominator > 0 ? `${formatPercentOf(count / denominator)}%` : 'NA'})`;
}

/** An integer count (thousands are not separated: trial tables are small). */
export function formatInteger(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  return formatDecimal(value, 0);
}

/** "mean (SD)" to `digits` decimals (1 by default). */
export function formatMeanSd(
  mean: number | null | undefined,
  sd: number | null | undefined,
  digits = 1,
): string {
  return `${formatDecimal(mean, digits)} (${formatDecimal(sd, digits)})`;
}

/** A 95% interval "lower to upper" (the word "to" keeps negative limits readable). */
export function formatInterval(
  lower: number | null | undefined,
  upper: number | null | undefined,
  format: (value: number | null | undefined) => string,
): string {
  return `${format(lower)} to ${format(upper)}`;
}

/** "estimate (lower to upper)". */
export function formatEstimateInterval(
  estimate: number | null | undefined,
  lower: number | null | undefined,
  upper: number | null | undefined,
  format: (value: number | null | undefined) => string,
): string {
  return `${format(estimate)} (${formatInterval(lower, upper, format)})`;
}

/** A risk difference (a difference of proportions) in percentage points to 1 dp. */
export function formatPercentagePoints(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'NA';
  return formatDecimal(value * 100, 1);
}

/** A label inside a sentence: "Peer support" -> "peer support", while "A&E" or "EQ-5D" stay as they are. */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
