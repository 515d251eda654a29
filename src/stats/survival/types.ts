/**
 * Strata (groups) for Kaplan-Meier curves and the log-rank test, as survival's `strata()` names them.
 * `labels` are the strata names in R's order (`"sex=1"`, `"x=Maintained"`); `codes[i]` is the index into
 * `labels` of row i. A label that no row uses is skipped, as survfit and survdiff drop empty levels.
 */
export interface SurvivalGroups {
  readonly labels: readonly string[];
  readonly codes: Int32Array;
}
