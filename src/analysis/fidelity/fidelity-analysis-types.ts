import type {
  EmployerType,
  FidelityInformant,
  FidelityPart,
  FidelityScale,
  FidelityScoring,
} from '../../trial/index.ts';

/** Fidelity scores of one unit (an interview's site and timepoint, or a site over timepoints). */
export interface FidelityScores {
  /** Domain id -> mean of the domain's rated items (both parts); null when none was rated. */
  domains: { domain: string; score: number | null }[];
  setup: number | null;
  delivery: number | null;
  overall: number | null;
  /** Band id of the overall score (null when there is none). */
  band: string | null;
}

/** Scores of one site at one timepoint. */
export interface SiteTimepointFidelity extends FidelityScores {
  site: string;
  employerType: EmployerType;
  timepoint: number;
  interviews: number;
  /** Items with at least one score at this site and timepoint. */
  itemsRated: number;
}

/** One site's scores averaged over the timepoints at which it was rated. */
export interface SiteFidelity extends FidelityScores {
  site: string;
  employerType: EmployerType;
  timepoints: number[];
}

/** Summary of site scores in one employer group. */
export interface EmployerGroupSummary {
  sites: number;
  mean: number | null;
  sd: number | null;
}

/** NHS vs voluntary-sector sites on one score: Welch's t-test on site scores (NHS − voluntary). */
export interface EmployerComparison {
  score: 'setup' | 'delivery' | 'overall';
  nhs: EmployerGroupSummary;
  voluntary: EmployerGroupSummary;
  /** null when a group has fewer than 2 sites with the score, or the scores are constant (see `note`). */
  difference: {
    estimate: number;
    ciLower: number;
    ciUpper: number;
    statistic: number;
    degreesOfFreedom: number;
    pValue: number;
  } | null;
  note: string | null;
}

/** An estimate with its 95% CI. */
export interface FidelityInterval {
  estimate: number;
  ciLower: number;
  ciUpper: number;
}

/** Agreement of the two independent raters on one item (or on every item pooled). */
export interface RaterAgreement {
  /** Item id, or `all` for the pooled row. */
  item: string;
  domain: string | null;
  part: FidelityPart | null;
  /** Interviews in which the item has two independent ratings. */
  pairs: number;
  /** Proportion of pairs with identical scores. */
  exactAgreement: number | null;
  /**
   * Quadratic-weighted kappa as psych::cohen.kappa (CI clipped to [-1, 1]). `se` and the CI are null when
   * psych 2.2.9's weighted variance formula goes negative (psych then prints an SE of 0); the note says so.
   */
  weightedKappa: {
    estimate: number;
    se: number | null;
    ciLower: number | null;
    ciUpper: number | null;
  } | null;
  /** ICC(1): one-way random, single rater (psych::ICC, lmer = FALSE). */
  icc1: FidelityInterval | null;
  /** ICC(2,1): two-way random, absolute agreement, single rater. */
  icc2: FidelityInterval | null;
  /** Why a statistic is missing (e.g. one category only), else null. */
  note: string | null;
}

/** Cronbach's alpha of one domain's items over interviews (psych::alpha, pairwise). */
export interface DomainConsistency {
  domain: string;
  /** Items entering the alpha (rated in at least one interview). */
  items: number;
  /** Interviews that rated at least one of the domain's items. */
  interviews: number;
  rawAlpha: number | null;
  stdAlpha: number | null;
  /** Feldt 95% CI of raw alpha. */
  ciLower: number | null;
  ciUpper: number | null;
  note: string | null;
}

/** Two independent ratings that differ by at least the index's threshold. */
export interface FidelityDisagreement {
  interviewId: string;
  site: string;
  timepoint: number;
  informant: FidelityInformant;
  item: string;
  raters: [string, string];
  scores: [number, number];
  /** The consensus score if one has been recorded; null = still needs consensus. */
  consensusScore: number | null;
}

/** Result of {@link analyseFidelity}; formatJson gives the snake_case JSON of docs/reference/fidelity-index.md. */
export interface FidelityAnalysis {
  index: {
    id: string;
    name: string;
    version: string;
    note: string | null;
    placeholderItems: number;
    scale: FidelityScale;
    scoring: FidelityScoring;
    bands: { id: string; label: string; minimum: number }[];
    disagreementThreshold: number;
    domains: { id: string; label: string }[];
  };
  source: string;
  counts: {
    ratings: number;
    interviews: number;
    sites: number;
    /** Interview × item cells with any score. */
    scoredItems: number;
    /** Cells with two independent ratings. */
    doubleRated: number;
    /** Cells with one independent rating only (scored from it; not in reliability). */
    singleRated: number;
    /** Cells with a consensus score. */
    consensus: number;
  };
  siteTimepoints: SiteTimepointFidelity[];
  sites: SiteFidelity[];
  employerComparison: EmployerComparison[];
  reliability: { overall: RaterAgreement; items: RaterAgreement[] };
  internalConsistency: DomainConsistency[];
  disagreements: FidelityDisagreement[];
  /** Disagreements without a consensus score yet. */
  needingConsensus: number;
}
