import type { GlmFamily } from '../stats/index.ts';

/**
 * A design stored by rows with only its non-zero entries (treatment dummies are mostly zero): row i's
 * entries are `columns[k]`, `values[k]` for k in `rowStart[i] .. rowStart[i + 1] - 1`, columns ascending.
 */
export interface SparseRows {
  rowCount: number;
  columnCount: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * Stores a column-major design by rows, keeping the non-zero entries and every entry of the columns in
 * `alwaysKeep` (columns whose values will be overwritten later, such as a stage-1 residual). O(n p).
 */
export function sparseRows(
  values: Float64Array,
  rowCount: number,
  columnCount: number,
  alwaysKeep: readonly number[] = [],
): SparseRows {
  const rowStart = new Int32Array(rowCount + 1);
  const columns: number[] = [];
  const entries: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    rowStart[row] = columns.length;
    for (let column = 0; column < columnCount; column++) {
      const value = values[column * rowCount + row] as number;
      if (value !== 0 || alwaysKeep.includes(column)) {
        columns.push(column);
        entries.push(value);
      }
    }
  }
  rowStart[rowCount] = columns.length;
  return {
    rowCount,
    columnCount,
    rowStart,
    columns: Int32Array.from(columns),
    values: Float64Array.from(entries),
  };
}

/** Result of {@link fitFrequencyWeightedIrls}: coefficients (NaN for columns absent from the sample) and mu. */
export interface FrequencyWeightedFit {
  coefficients: Float64Array;
  /** Fitted means at the final coefficients, for rows with a positive count (others untouched). */
  mu: Float64Array;
  iterations: number;
}

const EPSILON = Number.EPSILON;

/** Deviance changes this close (relatively) to glm.control's epsilon are left to the exact QR path. */
const STOPPING_MARGIN = 1e-3;

/**
 * Fits a GLM (unit prior weights) to the sample in which row i occurs `counts[i]` times, following R's
 * `glm.fit` on that sample with duplicated rows: the same start (`family$initialize` per row, so duplicates
 * start as R's copies do), the same weighted least-squares passes and the same stopping rule
 * |dev - devold| / (|dev| + 0.1) < 1e-8 with at most 25 passes. A row's copies share one fitted value, so
 * each pass accumulates X'WX over distinct rows with weight count · mu.eta² / V(mu) and solves it by an
 * equilibrated Cholesky factorisation; columns that are zero in every sampled row are left out, as R's
 * model frame drops unused factor levels. The iterates equal R's up to rounding (the normal equations
 * instead of a QR): fitted values agree to about 1e-13, also where the fit separates (there the tiny
 * fitted values of the separated rows agree to about 1e-15 absolute, not relative).
 *
 * Returns undefined whenever glm.fit would do something this path does not copy (a zero derivative, an
 * invalid or non-finite fit needing step halving, a singular system, no convergence in 25 passes, or a
 * deviance change within 0.1% of the threshold): the caller then refits the expanded sample with
 * `fitGlmIrls`. Cost per pass O(sum over sampled rows of (non-zeros per row)²).
 * @example fitFrequencyWeightedIrls(sparseRows(x, n, p), y, counts, getGlmFamily('binomial'))?.coefficients
 */
export function fitFrequencyWeightedIrls(
  design: SparseRows,
  y: Float64Array,
  counts: Float64Array,
  family: GlmFamily,
  mu: Float64Array = new Float64Array(design.rowCount),
): FrequencyWeightedFit | undefined {
  const { rowCount, columnCount: p, rowStart, columns, values } = design;
  // logit/binomial and log/poisson are inlined (the same floating-point operations as R's C code).
  const link =
    family.name === 'binomial' && family.link === 'logit'
      ? 'logit'
      : family.name === 'poisson' && family.link === 'log'
        ? 'log'
        : 'other';
  const activeRows: number[] = [];
  const used = new Uint8Array(p);
  for (let row = 0; row < rowCount; row++) {
    if ((counts[row] as number) <= 0) continue;
    activeRows.push(row);
    for (let k = rowStart[row] as number; k < (rowStart[row + 1] as number); k++) {
      if ((values[k] as number) !== 0) used[columns[k] as number] = 1;
    }
  }
  const keptColumns: number[] = [];
  for (let column = 0; column < p; column++) if (used[column] === 1) keptColumns.push(column);
  const kept = Int32Array.from(keptColumns);
  const active = Int32Array.from(activeRows);
  const q = kept.length;
  const m = active.length;
  if (m <= q) return undefined;

  const eta = new Float64Array(rowCount);
  // mu.eta at the current eta, computed together with mu (one exp per row and pass, as R's C code would give).
  const derivatives = new Float64Array(rowCount);
  /**
   * Sets eta, mu and mu.eta of `row` at `linear` and returns its deviance residual (NaN when not finite):
   * R's C_logit_linkinv and C_logit_mu_eta from one exp with binomial_dev_resids for a 0/1 response;
   * poisson()'s pmax(exp(eta), eps) for both with its dev.resids; otherwise the family's own functions.
   */
  const evaluate = (row: number, linear: number): number => {
    const response = y[row] as number;
    let fitted: number;
    let residual: number;
    if (link === 'logit') {
      // R's C_logit_linkinv and C_logit_mu_eta from one exp; binomial_dev_resids for a 0/1 response.
      if (linear < -30 || linear > 30) {
        const odds = linear < -30 ? EPSILON : 1 / EPSILON;
        fitted = odds / (1 + odds);
        derivatives[row] = EPSILON;
      } else {
        const exp = Math.exp(linear);
        const onePlusExp = 1 + exp;
        fitted = exp / onePlusExp;
        derivatives[row] = exp / (onePlusExp * onePlusExp);
      }
      residual =
        response === 1
          ? 2 * Math.log(1 / fitted)
          : response === 0
            ? 2 * Math.log(1 / (1 - fitted))
            : family.devianceResidual(response, fitted);
    } else if (link === 'log') {
      // poisson(): linkinv and mu.eta are both pmax(exp(eta), eps); dev.resids 2 (y log(y/mu) - (y - mu)), 2 mu at y = 0.
      fitted = Math.max(Math.exp(linear), EPSILON);
      derivatives[row] = fitted;
      residual =
        response > 0 ? 2 * (response * Math.log(response / fitted) - (response - fitted)) : 2 * fitted;
    } else {
      fitted = family.linkinv(linear);
      derivatives[row] = family.muEta(linear);
      residual = family.devianceResidual(response, fitted);
    }
    if (!Number.isFinite(linear) || !Number.isFinite(fitted)) return Number.NaN;
    eta[row] = linear;
    mu[row] = fitted;
    return residual;
  };
  const start = new Float64Array(1);
  const single = new Float64Array(1);
  let devianceOld = 0;
  for (const row of active) {
    const response = y[row] as number;
    // family$initialize with unit weights (each copy of a row is a row of its own in R), then linkfun.
    let value: number;
    if (link === 'logit' && (response === 0 || response === 1)) {
      const mustart = (response + 0.5) / 2;
      value = Math.log(mustart / (1 - mustart));
    } else if (link === 'log') {
      value = Math.log(response + 0.1);
    } else {
      single[0] = response;
      family.initialize(single, start, 1);
      value = family.linkfun(start[0] as number);
    }
    const residual = evaluate(row, value);
    if (Number.isNaN(residual)) return undefined;
    devianceOld += (counts[row] as number) * residual;
  }
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const reduced = new Float64Array(q * q);
  const scale = new Float64Array(q);
  const solution = new Float64Array(q);
  const beta = new Float64Array(p);
  for (let iteration = 1; iteration <= 25; iteration++) {
    gram.fill(0);
    rhs.fill(0);
    for (const row of active) {
      const linear = eta[row] as number;
      const fitted = mu[row] as number;
      const derivative = derivatives[row] as number;
      if (!(derivative !== 0) || !Number.isFinite(derivative)) return undefined;
      const variance =
        link === 'logit' ? fitted * (1 - fitted) : link === 'log' ? fitted : family.variance(fitted);
      const weight = ((counts[row] as number) * derivative * derivative) / variance;
      const working = linear + ((y[row] as number) - fitted) / derivative;
      const end = rowStart[row + 1] as number;
      const first = rowStart[row] as number;
      for (let k = first; k < end; k++) {
        const a = columns[k] as number;
        const weighted = weight * (values[k] as number);
        if (weighted === 0) continue;
        rhs[a] = (rhs[a] as number) + weighted * working;
        const base = a * p;
        for (let l = first; l <= k; l++) {
          const b = columns[l] as number;
          gram[base + b] = (gram[base + b] as number) + weighted * (values[l] as number);
        }
      }
    }
    // Equilibrate to unit diagonal, then Cholesky (lower) in place.
    for (let i = 0; i < q; i++) {
      const diagonal = gram[(kept[i] as number) * p + (kept[i] as number)] as number;
      if (!(diagonal > 0)) return undefined;
      scale[i] = 1 / Math.sqrt(diagonal);
    }
    for (let i = 0; i < q; i++) {
      for (let j = 0; j <= i; j++) {
        reduced[i * q + j] =
          (gram[(kept[i] as number) * p + (kept[j] as number)] as number) *
          (scale[i] as number) *
          (scale[j] as number);
      }
    }
    for (let j = 0; j < q; j++) {
      let diagonal = reduced[j * q + j] as number;
      for (let k = 0; k < j; k++) diagonal -= (reduced[j * q + k] as number) ** 2;
      if (!(diagonal > 1e-14)) return undefined;
      const pivot = Math.sqrt(diagonal);
      reduced[j * q + j] = pivot;
      for (let i = j + 1; i < q; i++) {
        let value = reduced[i * q + j] as number;
        for (let k = 0; k < j; k++) value -= (reduced[i * q + k] as number) * (reduced[j * q + k] as number);
        reduced[i * q + j] = value / pivot;
      }
    }
    for (let i = 0; i < q; i++) {
      let value = (rhs[kept[i] as number] as number) * (scale[i] as number);
      for (let k = 0; k < i; k++) value -= (reduced[i * q + k] as number) * (solution[k] as number);
      solution[i] = value / (reduced[i * q + i] as number);
    }
    for (let i = q - 1; i >= 0; i--) {
      let value = solution[i] as number;
      for (let k = i + 1; k < q; k++) value -= (reduced[k * q + i] as number) * (solution[k] as number);
      solution[i] = value / (reduced[i * q + i] as number);
    }
    beta.fill(0);
    for (let i = 0; i < q; i++) beta[kept[i] as number] = (solution[i] as number) * (scale[i] as number);
    let deviance = 0;
    for (const row of active) {
      let linear = 0;
      for (let k = rowStart[row] as number; k < (rowStart[row + 1] as number); k++) {
        linear += (values[k] as number) * (beta[columns[k] as number] as number);
      }
      const residual = evaluate(row, linear);
      if (Number.isNaN(residual)) return undefined;
      deviance += (counts[row] as number) * residual;
    }
    if (!Number.isFinite(deviance)) return undefined;
    const change = Math.abs(deviance - devianceOld) / (Math.abs(deviance) + 0.1);
    if (Math.abs(change - 1e-8) < STOPPING_MARGIN * 1e-8) return undefined;
    if (change < 1e-8) {
      const coefficients = new Float64Array(p).fill(Number.NaN);
      for (const column of kept) coefficients[column] = beta[column] as number;
      return { coefficients, mu, iterations: iteration };
    }
    devianceOld = deviance;
  }
  return undefined;
}
