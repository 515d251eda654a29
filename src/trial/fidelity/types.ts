/** The two parts of a principle-based fidelity index: how the service is set up, and how support is delivered. */
export const FIDELITY_PARTS = ['setup', 'delivery'] as const;
export type FidelityPart = (typeof FIDELITY_PARTS)[number];

/** Who is interviewed: a peer worker, their supervisor, or a person receiving peer support. */
export const FIDELITY_INFORMANTS = ['peer_worker', 'supervisor', 'person_supported'] as const;
export type FidelityInformant = (typeof FIDELITY_INFORMANTS)[number];

/** The employer of a site's peer workers. */
export const EMPLOYER_TYPES = ['nhs', 'voluntary'] as const;
export type EmployerType = (typeof EMPLOYER_TYPES)[number];

/** A principle of peer support: one domain of the index. */
export interface FidelityDomain {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
}

/** One item: rated on the index's response scale from an interview with one of its informants. */
export interface FidelityItem {
  readonly id: string;
  /** A domain id. */
  readonly domain: string;
  readonly part: FidelityPart;
  /** The informants whose interviews can rate this item (at least one). */
  readonly informants: readonly FidelityInformant[];
  readonly text: string;
  /** True for the template's stand-in items, to be replaced by the published index's items. */
  readonly placeholder?: boolean;
}

/** The response scale: whole numbers from `minimum` to `maximum`, each with an anchor. */
export interface FidelityScale {
  readonly minimum: number;
  readonly maximum: number;
  /** One anchor per scale point, in order. */
  readonly anchors: readonly { readonly value: number; readonly label: string }[];
}

/**
 * How scores combine. A domain score is always the mean of its rated items. A part score is the mean of its
 * rated items (`mean_of_items`) or of its domains' scores within the part (`mean_of_domains`); the overall
 * score is the mean of every rated item (`mean_of_items`) or of the two part scores (`mean_of_parts`).
 */
export interface FidelityScoring {
  readonly part: 'mean_of_items' | 'mean_of_domains';
  readonly overall: 'mean_of_items' | 'mean_of_parts';
}

/** A band of scores: a score is in the first band (listed high to low) whose `minimum` it reaches. */
export interface FidelityBand {
  readonly id: string;
  readonly label: string;
  readonly minimum: number;
}

/** A fidelity index as data; validated by `validateFidelityIndex`. */
export interface FidelityIndexDefinition {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** A plain statement of what this definition is (e.g. a template to be replaced). */
  readonly note?: string;
  readonly scale: FidelityScale;
  readonly domains: readonly FidelityDomain[];
  readonly items: readonly FidelityItem[];
  readonly scoring: FidelityScoring;
  /** High to low; the last band's minimum is the scale minimum. */
  readonly bands: readonly FidelityBand[];
  /** Two independent ratings that differ by at least this many scale points need a consensus score. */
  readonly disagreementThreshold: number;
}

/** One row of a ratings file: one rater's score (or the consensus score) of one item in one interview. */
export interface FidelityRating {
  /** 2-based line number in the CSV file (the header is line 1). */
  readonly line: number;
  readonly interviewId: string;
  readonly site: string;
  readonly employerType: EmployerType;
  readonly timepoint: 1 | 2 | 3;
  readonly informant: FidelityInformant;
  readonly rater: string;
  readonly item: string;
  readonly score: number;
  readonly consensus: boolean;
}

/** A validated ratings file. */
export interface FidelityRatings {
  readonly source: string;
  readonly ratings: readonly FidelityRating[];
}
