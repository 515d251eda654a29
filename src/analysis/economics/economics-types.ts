/**
 * Result types of the health economic evaluation (issue 8): what `economicEvaluation` returns, what
 * `enrich economics --json` prints (snake_case through the CLI's `formatJson`) and what the report renders.
 * Money is in the unit costs' currency at their price year; QALYs over the 4 months from discharge.
 */
import type { EffectEstimate, IntervalEstimate, MeanSd, PerArm } from '../trial-analysis-types.ts';

/** The resources of the analysis dataset that carry a unit cost, in report order. */
export type ResourceName =
  | 'bed_day'
  | 'crisis_team_contact'
  | 'liaison_psychiatry_episode'
  | 'community_team_contact'
  | 'peer_worker_contact'
  | 'peer_support_service';

/** One row of the unit costs file (`resource, unit, cost, currency, price_year, source`). */
export interface UnitCost {
  resource: ResourceName;
  unit: string;
  cost: number;
  currency: string;
  /** As written in the file, e.g. `2022/23` or `2023`. */
  priceYear: string;
  source: string;
}

/** A validated unit costs table: one row per resource (any order in the file, report order here). */
export interface UnitCostTable {
  /** File name, for messages and the report. */
  source: string;
  currency: string;
  costs: UnitCost[];
}

/** A value set (state -> utility) for EQ-5D-3L or EQ-5D-5L descriptive states. */
export interface ValueSet {
  source: string;
  version: '3L' | '5L';
  /** State (five digits, e.g. `11223`) -> utility. */
  utilities: ReadonlyMap<string, number>;
}

/** One cost category: its resource, the dataset columns counted, the unit cost, use and cost per arm. */
export interface CostCategory {
  resource: ResourceName;
  label: string;
  /** Dataset columns whose sum is the number of units (none for the fixed peer support service cost). */
  columns: string[];
  unitCost: number;
  /** Units used and cost per participant, mean (SD), over the cost analysis set of each arm. */
  use: PerArm<MeanSd>;
  cost: PerArm<MeanSd>;
}

/** Costs of one arm. */
export interface ArmCosts {
  /** Participants with complete service use (the cost analysis set). */
  n: number;
  /** Participants left out for missing service use. */
  missing: number;
  /** Participants whose total cost is zero. */
  zeroCost: number;
  /** Observed total cost per participant, mean (SD). */
  total: MeanSd;
  /** Adjusted mean total cost: every participant of the cost model predicted in this arm, averaged. */
  adjustedMean: number;
}

/** The cost analysis. */
export interface CostAnalysis {
  categories: CostCategory[];
  byArm: PerArm<ArmCosts>;
  /** Adjusted mean difference (peer support - usual care) by recycled predictions, percentile bootstrap CI. */
  meanDifference: IntervalEstimate;
  /** Difference of the observed means (no adjustment), for information. */
  unadjustedDifference: number;
  /** exp(arm coefficient) of the Gamma GLM: ratio of mean costs, Wald CI (`confint.default`), t-test p. */
  costRatio: EffectEstimate;
  /** Participants in the cost model (complete service use and covariates). */
  nModel: number;
  /** Constant added to every total cost before the Gamma GLM (1 when some cost is 0, otherwise 0). */
  zeroCostShift: number;
  /** The model, in R. */
  model: string;
  warnings: string[];
}

/** Utilities and QALYs of one arm. */
export interface ArmQalys {
  eq5dBaseline: MeanSd;
  eq5d4m: MeanSd;
  /** QALYs over 4 months by area under the curve, (u0 + u4)/2 x 4/12. */
  qaly: MeanSd;
}

/** The QALY analysis. */
export interface QalyAnalysis {
  /** `dataset` (eq5d_baseline, eq5d_4m) or `value_set` (from eq5d_baseline_state, eq5d_4m_state). */
  utilitySource: 'dataset' | 'value_set';
  valueSet: { source: string; version: '3L' | '5L' } | null;
  byArm: PerArm<ArmQalys>;
  /** Arm coefficient of `lm(qaly ~ arm + eq5d_baseline + covariates)`, percentile bootstrap CI. */
  meanDifference: IntervalEstimate;
  /** The same coefficient with its model-based t CI and p (`confint.lm`, `summary.lm`), for information. */
  modelEstimate: EffectEstimate;
  /** Participants in the QALY model (both utilities and the covariates known). */
  nModel: number;
  model: string;
}

/** Net monetary benefit at one willingness to pay: lambda x dE - dC with its bootstrap CI. */
export interface NetMonetaryBenefit {
  wtp: number;
  estimate: number;
  ciLower: number;
  ciUpper: number;
  /** Probability that peer support is cost-effective at this threshold (the CEAC there). */
  probabilityCostEffective: number;
}

/** Where the point estimate (dE, dC) lies on the cost-effectiveness plane. */
export type PlaneQuadrant =
  | 'dominant'
  | 'dominated'
  | 'more costly, more effective'
  | 'less costly, less effective'
  | 'no difference';

/** The whole economic evaluation. */
export interface EconomicEvaluation {
  unitCosts: UnitCostTable;
  currency: string;
  costs: CostAnalysis;
  qalys: QalyAnalysis;
  /** dC / dE of the point estimates (null when dE is 0). */
  icer: number | null;
  quadrant: PlaneQuadrant;
  netMonetaryBenefit: NetMonetaryBenefit[];
  /** mean(dC_b < 0) over the bootstrap replicates. */
  probabilityCostSaving: number;
  /** Cost-effectiveness acceptability curve: mean(lambda dE_b - dC_b > 0), lambda from 0 to 50,000 by 500. */
  ceac: { wtp: number; probability: number }[];
  /** The bootstrap replicates for the cost-effectiveness plane, and the share in each quadrant. */
  plane: {
    qalyDifferences: number[];
    costDifferences: number[];
    /** Shares of replicates: north-east (more costly, more effective), north-west, south-east, south-west. */
    quadrants: { northEast: number; northWest: number; southEast: number; southWest: number };
  };
  bootstrap: {
    R: number;
    seed: number;
    strata: { level: string; n: number }[];
    /** `percentile` (boot.ci type "perc", boot's norm.inter interpolation). */
    intervalType: 'percentile';
    confidenceLevel: number;
    /** Replicates in which a model could not be fitted (left out of every bootstrap summary); 0 normally. */
    failedResamples: number;
  };
  /** Willingness-to-pay values (per QALY) at which net monetary benefit is reported. */
  wtp: number[];
  warnings: string[];
}
