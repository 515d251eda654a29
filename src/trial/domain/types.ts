/**
 * The trial's records: plain, JSON-serialisable data (ids are strings, dates ISO `YYYY-MM-DD`, instants ISO
 * `YYYY-MM-DDTHH:mm:ss.sssZ`). Storage keeps them, the domain validates and derives from them; nothing here
 * does I/O. docs/reference/data-model.md describes every entity and field in a protocol's words.
 *
 * Conventions: an optional field (`?`) is one that may be unknown; validators also treat `null` as absent.
 * The only allocation-revealing fields are listed in {@link ALLOCATION_FIELDS}; they live on
 * {@link RandomisationRecord} (and nowhere else), so stripping them is all `redactForUser` needs to do.
 */

import type { ImbalanceMeasure, StratificationFactor, TrialArm } from '../randomisation/config.ts';

/** A calendar date, ISO `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant, ISO 8601 with time zone (`2024-03-01T10:15:00.000Z`). */
export type IsoDateTime = string;

// ---------------------------------------------------------------------------------------------------------
// Trial configuration

/** The randomisation method and its settings (the arms and factors come from {@link TrialConfig}). */
export type RandomisationSettings =
  | {
      readonly kind: 'permuted_blocks';
      /** Block sizes drawn at random for each new block; default 1, 2 and 3 times the ratio sum. */
      readonly blockSizes?: readonly number[];
    }
  | {
      readonly kind: 'minimisation';
      /** Default 'range'. */
      readonly imbalance?: ImbalanceMeasure;
      /** Probability of the least-imbalancing arm; default 0.8. */
      readonly preferredArmProbability?: number;
    };

/** A value recorded on the screening log for an eligibility criterion. */
export type ScreeningValue = number | boolean | string;

/**
 * One eligibility rule, evaluated on a screening entry's `criteria` (or on the consent record for
 * `consent_recorded`). `id` is the stable reason code reported when the rule is not met.
 */
export type EligibilityRule =
  | {
      readonly id: string;
      readonly description: string;
      readonly kind: 'at_least';
      readonly field: string;
      readonly minimum: number;
    }
  | {
      readonly id: string;
      readonly description: string;
      readonly kind: 'is_true' | 'is_false';
      readonly field: string;
    }
  | {
      readonly id: string;
      readonly description: string;
      readonly kind: 'not_one_of' | 'one_of';
      readonly field: string;
      readonly values: readonly string[];
    }
  | {
      readonly id: string;
      readonly description: string;
      readonly kind: 'consent_recorded';
    };

/** What a visit collects: an interview (instrument responses) or an extraction from patient records. */
export type VisitKind = 'interview' | 'records';

/**
 * A scheduled visit, timed in days after the discharge from the index admission (day 0 = discharge date).
 * The window is `[target - windowBeforeDays, target + windowAfterDays]`, inclusive.
 */
export interface VisitDefinition {
  readonly id: string;
  readonly label: string;
  readonly kind: VisitKind;
  readonly targetDaysAfterDischarge: number;
  readonly windowBeforeDays: number;
  readonly windowAfterDays: number;
  /** Instruments administered (interview visits); ids of {@link InstrumentDefinition}s. */
  readonly instruments: readonly string[];
}

/** The construct an instrument measures, which names its analysis-dataset column (`<construct>_4m`). */
export type Construct =
  | 'symptoms'
  | 'quality_of_life'
  | 'social_inclusion'
  | 'hope'
  | 'social_network'
  | 'eq5d';

/** One questionnaire item; responses are whole numbers in `[minimum, maximum]` (item range or the instrument's). */
export interface InstrumentItem {
  readonly id: string;
  readonly text: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Scored as `minimum + maximum - response`. */
  readonly reverse?: boolean;
}

/** A subscale: a subset of the items scored with the instrument's rule. */
export interface InstrumentSubscale {
  readonly id: string;
  readonly label: string;
  readonly items: readonly string[];
  /** Default: ceil(instrument minimum answered × subscale items / instrument items). */
  readonly minimumAnswered?: number;
}

/**
 * An EQ-5D-style value set: utility = 1 − constant (if any dimension is above level 1) − Σ decrement of each
 * dimension's level − the `anyLevel3` term (if any dimension is at level 3). Levels are 1-based.
 */
export interface UtilityValueSet {
  readonly id: string;
  readonly description: string;
  readonly constant: number;
  /** Item id -> decrement per level (index 0 = level 1, normally 0). */
  readonly decrements: Readonly<Record<string, readonly number[]>>;
  readonly anyLevel3: number;
}

/** How an instrument's total is computed from the (reverse-scored) responses. */
export type ScoringRule =
  | { readonly kind: 'sum' }
  | { readonly kind: 'mean' }
  | { readonly kind: 'utility'; readonly valueSet: UtilityValueSet };

/** An instrument as data: items, ranges, reverse-scored items, subscales, scoring, prorating threshold. */
export interface InstrumentDefinition {
  readonly id: string;
  readonly name: string;
  readonly construct: Construct;
  /** Plain statement of what this definition is (e.g. a placeholder to be replaced by the licensed instrument). */
  readonly note?: string;
  /** Default response range of every item. */
  readonly minimum: number;
  readonly maximum: number;
  readonly items: readonly InstrumentItem[];
  readonly subscales: readonly InstrumentSubscale[];
  readonly scoring: ScoringRule;
  /** Fewest answered items for a score; below it the score is missing. Equal to the item count: no prorating. */
  readonly minimumAnswered: number;
}

/** A trial's whole configuration; validated by `validateTrialConfig`. */
export interface TrialConfig {
  readonly name: string;
  readonly title: string;
  readonly arms: readonly TrialArm[];
  /** Stratification factors; a participant's strata are confirmed against them at randomisation. */
  readonly factors: readonly StratificationFactor[];
  readonly randomisation: RandomisationSettings;
  readonly eligibility: readonly EligibilityRule[];
  readonly visits: readonly VisitDefinition[];
  readonly instruments: readonly InstrumentDefinition[];
  /** Instruments given at baseline (ids). */
  readonly baselineInstruments: readonly string[];
  /** The length of the outcome period in days after discharge (12 months: 365). */
  readonly followUpDays: number;
}

// ---------------------------------------------------------------------------------------------------------
// Participants and their records

/** The primary diagnosis recorded at screening (ICD-10 chapter F groupings). */
export const PRIMARY_DIAGNOSES = [
  'psychosis',
  'bipolar_disorder',
  'depression',
  'anxiety_disorder',
  'personality_disorder',
  'learning_disability',
  'eating_disorder',
  'substance_dependency',
  'organic_disorder',
  'other',
] as const;
export type PrimaryDiagnosis = (typeof PRIMARY_DIAGNOSES)[number];

/** The stratification diagnosis group. */
export const DIAGNOSIS_GROUPS = ['psychosis', 'personality', 'other'] as const;
export type DiagnosisGroup = (typeof DIAGNOSIS_GROUPS)[number];

/** Where a screened person ended (CONSORT: assessed for eligibility -> excluded with reason, or randomised). */
export const SCREENING_OUTCOMES = [
  'pending',
  'not_eligible',
  'declined',
  'not_randomised_other',
  'randomised',
] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

/**
 * Criteria recorded at screening. The ENRICH rules read the named fields; a configured rule may read any
 * other key.
 */
export interface ScreeningCriteria {
  readonly ageYears?: number;
  /** Psychiatric admissions in the 2 years before the index admission (ENRICH requires >= 1). */
  readonly admissionsPrior2y?: number;
  readonly organicMentalDisorder?: boolean;
  readonly primaryDiagnosis?: PrimaryDiagnosis;
  readonly [field: string]: ScreeningValue | undefined;
}

/** One line of the screening log: everyone assessed, randomised or not (the top of the CONSORT flow). */
export interface ScreeningLogEntry {
  readonly screeningId: string;
  readonly trialId: string;
  readonly site: string;
  readonly screenedDate: IsoDate;
  readonly screenedBy: string;
  readonly criteria: ScreeningCriteria;
  readonly outcome: ScreeningOutcome;
  /** Rule ids not met (outcome `not_eligible`), from `evaluateEligibility`. */
  readonly ineligibilityReasons?: readonly string[];
  /** Free text, for `declined` and `not_randomised_other`. */
  readonly outcomeDetail?: string;
  /** Set once randomised. */
  readonly participantId?: string;
}

/** Written informed consent. */
export interface ConsentRecord {
  readonly screeningId: string;
  readonly consentDate: IsoDate;
  readonly consentFormVersion: string;
  readonly takenBy: string;
  /** Consent to extract service use from patient records (needed for the primary outcome). */
  readonly recordsAccess: boolean;
  /** Consent to keep using records data after a withdrawal. */
  readonly recordsAfterWithdrawal: boolean;
  readonly futureContact?: boolean;
}

/** A randomised person: created at randomisation. Holds no allocation (that is on {@link RandomisationRecord}). */
export interface Participant {
  readonly participantId: string;
  readonly trialId: string;
  readonly screeningId: string;
  readonly site: string;
  readonly diagnosisGroup: DiagnosisGroup;
}

/** Item responses by instrument id then item id; `null` = item not answered. */
export type InstrumentResponses = Readonly<Record<string, Readonly<Record<string, number | null>>>>;

export const GENDERS = ['female', 'male', 'other'] as const;
export const ETHNICITIES = ['Asian', 'Black', 'Mixed', 'White', 'Other'] as const;
export const FIRST_LANGUAGES = ['English', 'Other'] as const;
export const SEXUAL_ORIENTATIONS = ['heterosexual', 'lgb', 'other'] as const;

/** Baseline assessment (before randomisation). */
export interface BaselineRecord {
  readonly participantId: string;
  readonly assessmentDate: IsoDate;
  readonly assessedBy: string;
  readonly ageYears: number;
  readonly gender: (typeof GENDERS)[number];
  readonly ethnicity: (typeof ETHNICITIES)[number];
  readonly firstLanguage: (typeof FIRST_LANGUAGES)[number];
  readonly sexualOrientation?: (typeof SEXUAL_ORIENTATIONS)[number];
  readonly admissionsPrior2y: number;
  /** Index admission under a section of the Mental Health Act. */
  readonly detainedAtIndex: boolean;
  readonly indexAdmissionDate: IsoDate;
  readonly responses: InstrumentResponses;
}

/**
 * The allocation. SECRET to blinded roles: `arm` (and the whole record's existence per arm) must never reach
 * them; see {@link ALLOCATION_FIELDS}.
 */
export interface RandomisationRecord {
  readonly participantId: string;
  /** 1-based order of allocation in the trial (not secret). */
  readonly sequence: number;
  readonly randomisedDate: IsoDate;
  readonly randomisedAt: IsoDateTime;
  readonly randomisedBy: string;
  /** The stratum values confirmed at randomisation: factor -> level. */
  readonly strata: Readonly<Record<string, string>>;
  readonly method: RandomisationSettings['kind'];
  readonly arm: string;
}

/** Field names that reveal an allocation, on any record or audit entry. */
export const ALLOCATION_FIELDS = ['arm'] as const;

/** Discharge from the index admission: day 0 of the visit schedule and the 12-month outcome period. */
export interface DischargeRecord {
  readonly participantId: string;
  readonly dischargeDate: IsoDate;
  readonly recordedBy: string;
}

/** A peer worker assigned to a participant (peer support arm); `endDate` absent while current. */
export interface PeerWorkerAssignment {
  readonly assignmentId: string;
  readonly participantId: string;
  readonly peerWorkerId: string;
  readonly startDate: IsoDate;
  readonly endDate?: IsoDate;
}

export const CONTACT_PHASES = ['before_discharge', 'after_discharge'] as const;
export const CONTACT_SETTINGS = ['ward', 'home', 'community_venue', 'remote'] as const;
export const CONTACT_MODES = ['face_to_face', 'telephone', 'video', 'text_message'] as const;

/** Activities of a peer worker contact; `relationship` ones count in `first_contact_relationship_activities`. */
export const CONTACT_ACTIVITIES = [
  { id: 'getting_to_know', category: 'relationship' },
  { id: 'sharing_lived_experience', category: 'relationship' },
  { id: 'listening_support', category: 'relationship' },
  { id: 'building_trust', category: 'relationship' },
  { id: 'discharge_planning', category: 'practical' },
  { id: 'practical_help', category: 'practical' },
  { id: 'accessing_services', category: 'practical' },
  { id: 'recovery_goals', category: 'recovery' },
  { id: 'wellbeing_planning', category: 'recovery' },
  { id: 'social_activities', category: 'social' },
  { id: 'community_connections', category: 'social' },
] as const;
export type ContactActivity = (typeof CONTACT_ACTIVITIES)[number]['id'];

/** A peer worker contact that took place. */
export interface ContactRecord {
  readonly contactId: string;
  readonly participantId: string;
  readonly peerWorkerId: string;
  readonly contactDate: IsoDate;
  readonly phase: (typeof CONTACT_PHASES)[number];
  readonly setting: (typeof CONTACT_SETTINGS)[number];
  readonly mode: (typeof CONTACT_MODES)[number];
  /** Length in minutes, > 0. */
  readonly minutes: number;
  readonly activities: readonly ContactActivity[];
}

/** A follow-up interview (an `interview` visit): done, or not done with a reason. */
export interface FollowUpInterview {
  readonly participantId: string;
  readonly visitId: string;
  readonly status: 'completed' | 'not_completed';
  /** Required when completed. */
  readonly interviewDate?: IsoDate;
  readonly interviewerId: string;
  readonly notCompletedReason?: 'declined' | 'not_contactable' | 'withdrawn' | 'died' | 'other';
  readonly responses: InstrumentResponses;
}

/** The extraction of service use from patient records for a `records` visit. */
export interface ServiceUseReview {
  readonly participantId: string;
  readonly visitId: string;
  readonly reviewDate: IsoDate;
  readonly reviewerId: string;
  /** False when the records could not be obtained: 12-month service use is then missing, not zero. */
  readonly recordsAvailable: boolean;
}

/** One event found in patient records. Admissions are psychiatric inpatient admissions. */
export type ServiceUseEvent =
  | {
      readonly kind: 'admission';
      readonly eventId: string;
      readonly participantId: string;
      readonly admissionDate: IsoDate;
      /** Absent while still in hospital at extraction. */
      readonly dischargeDate?: IsoDate;
      readonly legalStatus: 'voluntary' | 'involuntary';
    }
  | {
      readonly kind: 'crisis_team' | 'liaison' | 'community_team';
      readonly eventId: string;
      readonly participantId: string;
      readonly date: IsoDate;
      /** Number of contacts on that date (>= 1, whole). */
      readonly contacts: number;
    };

export const SAE_SERIOUSNESS = [
  'death',
  'life_threatening',
  'hospitalisation',
  'disability',
  'important_medical_event',
] as const;
export const SAE_RELATEDNESS = ['not_related', 'unlikely', 'possibly', 'probably', 'definitely'] as const;
export const SAE_EXPECTEDNESS = ['expected', 'unexpected'] as const;
export const SAE_OUTCOMES = ['resolved', 'resolved_with_sequelae', 'ongoing', 'fatal', 'unknown'] as const;

/** A serious adverse event. `related` in the export = relatedness possibly, probably or definitely. */
export interface SeriousAdverseEvent {
  readonly saeId: string;
  readonly participantId: string;
  readonly category: 'death' | 'hospitalisation' | 'self_harm' | 'suicide_attempt' | 'violence' | 'other';
  readonly onsetDate: IsoDate;
  readonly reportedDate: IsoDate;
  readonly reportedBy: string;
  readonly description: string;
  /** At least one seriousness criterion. */
  readonly seriousness: readonly (typeof SAE_SERIOUSNESS)[number][];
  readonly relatedness: (typeof SAE_RELATEDNESS)[number];
  readonly expectedness: (typeof SAE_EXPECTEDNESS)[number];
  readonly outcome: (typeof SAE_OUTCOMES)[number];
}

/**
 * What a participant withdraws from. `intervention`: stops peer support, stays in follow-up (not counted as
 * withdrawn); `interviews`: no more interviews, records follow-up continues; `all`: no further data collection.
 */
export const WITHDRAWAL_SCOPES = ['intervention', 'interviews', 'all'] as const;

/**
 * What may still be used. `collected_and_records`: data collected so far, and records data for the whole
 * outcome period; `collected_only`: data collected up to the withdrawal date; `none`: nothing (the
 * participant asked for their data not to be used, where the consent form allows it; design columns stay).
 */
export const WITHDRAWAL_DATA_USE = ['collected_and_records', 'collected_only', 'none'] as const;

/**
 * A withdrawal. Stored as kind `withdrawal` for a study withdrawal (scope `interviews` or `all`), or as kind
 * `intervention_withdrawal` (scope `intervention`, see {@link InterventionWithdrawalRecord}): two records, so
 * that a blinded user's write to the study withdrawal never meets the intervention one.
 */
export interface WithdrawalRecord {
  readonly participantId: string;
  readonly withdrawalDate: IsoDate;
  readonly initiatedBy: 'participant' | 'clinician' | 'investigator';
  readonly scope: (typeof WITHDRAWAL_SCOPES)[number];
  readonly dataUse: (typeof WITHDRAWAL_DATA_USE)[number];
  readonly reason?: string;
  readonly recordedBy: string;
}

/**
 * A withdrawal from the intervention (peer support) only, kept apart from the study withdrawal: only the
 * peer support arm has an intervention to stop, so this record reveals the arm (written by
 * `withdraw_from_intervention`, withheld from blinded users). The participant stays in follow-up.
 */
export type InterventionWithdrawalRecord = WithdrawalRecord & {
  readonly scope: 'intervention';
  readonly dataUse: 'collected_and_records';
};

export interface DeathRecord {
  readonly participantId: string;
  readonly dateOfDeath: IsoDate;
  readonly recordedBy: string;
  readonly cause?: string;
}

/** An emergency unblinding of one participant (the arm revealed is not stored here). */
export interface UnblindingRecord {
  readonly participantId: string;
  readonly requestedBy: string;
  readonly requestedAt: IsoDateTime;
  readonly reason: string;
}

/** Everything recorded for one randomised participant; the input of `deriveAnalysisDataset`. */
export interface ParticipantRecords {
  readonly participant: Participant;
  readonly consent?: ConsentRecord;
  readonly baseline?: BaselineRecord;
  readonly randomisation: RandomisationRecord;
  readonly discharge?: DischargeRecord;
  readonly assignments: readonly PeerWorkerAssignment[];
  readonly contacts: readonly ContactRecord[];
  readonly interviews: readonly FollowUpInterview[];
  readonly serviceUseReviews: readonly ServiceUseReview[];
  readonly serviceUseEvents: readonly ServiceUseEvent[];
  readonly seriousAdverseEvents: readonly SeriousAdverseEvent[];
  /** The study withdrawal (interviews or all; an older store may hold scope `intervention` here too). */
  readonly withdrawal?: WithdrawalRecord;
  /** A withdrawal from the intervention only (its own record; allocation-revealing). */
  readonly interventionWithdrawal?: InterventionWithdrawalRecord;
  readonly death?: DeathRecord;
}

// ---------------------------------------------------------------------------------------------------------
// Users and the trial

export const ROLES = [
  'admin',
  'trial_manager',
  'researcher',
  'pw_coordinator',
  'peer_worker',
  'statistician',
  'dmc',
] as const;
export type Role = (typeof ROLES)[number];

/** A user as the access policy sees them. `sites` limits researchers and coordinators; empty = none. */
export interface User {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly sites: readonly string[];
}

/** A trial: its configuration and whether its database is locked. */
export interface Trial {
  readonly trialId: string;
  readonly config: TrialConfig;
  readonly createdAt: IsoDateTime;
  readonly lockedAt?: IsoDateTime;
  readonly lockedBy?: string;
}
