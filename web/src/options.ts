/**
 * The code lists the forms offer. The web app may import only types from src/trial, so the lists are
 * repeated here and `satisfies` checks each against the domain's type (a code the domain drops fails tsc).
 */
import type {
  ContactRecord,
  FollowUpInterview,
  SeriousAdverseEvent,
  ServiceUseEvent,
  WithdrawalRecord,
} from '../../src/trial/index.ts';

type Option<T extends string> = { readonly value: T; readonly label: string };

export const CONTACT_SETTINGS = [
  { value: 'ward', label: 'Ward' },
  { value: 'home', label: 'Home' },
  { value: 'community_venue', label: 'Community venue' },
  { value: 'remote', label: 'Remote' },
] as const satisfies readonly Option<ContactRecord['setting']>[];

export const CONTACT_MODES = [
  { value: 'face_to_face', label: 'Face to face' },
  { value: 'telephone', label: 'Phone' },
  { value: 'video', label: 'Video' },
  { value: 'text_message', label: 'Text' },
] as const satisfies readonly Option<ContactRecord['mode']>[];

export const CONTACT_ACTIVITIES = [
  { value: 'getting_to_know', label: 'Getting to know each other' },
  { value: 'sharing_lived_experience', label: 'Sharing lived experience' },
  { value: 'listening_support', label: 'Listening and support' },
  { value: 'building_trust', label: 'Building trust' },
  { value: 'discharge_planning', label: 'Discharge planning' },
  { value: 'practical_help', label: 'Practical help' },
  { value: 'accessing_services', label: 'Accessing services' },
  { value: 'recovery_goals', label: 'Recovery goals' },
  { value: 'wellbeing_planning', label: 'Wellbeing planning' },
  { value: 'social_activities', label: 'Social activities' },
  { value: 'community_connections', label: 'Community connections' },
] as const satisfies readonly Option<ContactRecord['activities'][number]>[];

export const SAE_CATEGORIES = [
  { value: 'hospitalisation', label: 'Hospitalisation' },
  { value: 'self_harm', label: 'Self-harm' },
  { value: 'suicide_attempt', label: 'Suicide attempt' },
  { value: 'violence', label: 'Violence' },
  { value: 'death', label: 'Death' },
  { value: 'other', label: 'Other' },
] as const satisfies readonly Option<SeriousAdverseEvent['category']>[];

export const SAE_SERIOUSNESS = [
  { value: 'death', label: 'Resulted in death' },
  { value: 'life_threatening', label: 'Life-threatening' },
  { value: 'hospitalisation', label: 'Hospitalisation or prolonged stay' },
  { value: 'disability', label: 'Disability or incapacity' },
  { value: 'important_medical_event', label: 'Important medical event' },
] as const satisfies readonly Option<SeriousAdverseEvent['seriousness'][number]>[];

export const SAE_RELATEDNESS = [
  { value: 'not_related', label: 'Not related' },
  { value: 'unlikely', label: 'Unlikely' },
  { value: 'possibly', label: 'Possibly' },
  { value: 'probably', label: 'Probably' },
  { value: 'definitely', label: 'Definitely' },
] as const satisfies readonly Option<SeriousAdverseEvent['relatedness']>[];

export const SAE_EXPECTEDNESS = [
  { value: 'expected', label: 'Expected' },
  { value: 'unexpected', label: 'Unexpected' },
] as const satisfies readonly Option<SeriousAdverseEvent['expectedness']>[];

export const SAE_OUTCOMES = [
  { value: 'resolved', label: 'Resolved' },
  { value: 'resolved_with_sequelae', label: 'Resolved with sequelae' },
  { value: 'ongoing', label: 'Ongoing' },
  { value: 'fatal', label: 'Fatal' },
  { value: 'unknown', label: 'Unknown' },
] as const satisfies readonly Option<SeriousAdverseEvent['outcome']>[];

/**
 * What a study withdrawal is from. A withdrawal from the intervention only is its own record (and form),
 * written only by roles that know the allocation (PUT .../intervention-withdrawal).
 */
export const WITHDRAWAL_SCOPES = [
  { value: 'interviews', label: 'From follow-up interviews' },
  { value: 'all', label: 'From everything' },
] as const satisfies readonly Option<WithdrawalRecord['scope']>[];

export const WITHDRAWAL_DATA_USE = [
  { value: 'collected_and_records', label: 'Data collected so far and records may be used' },
  { value: 'collected_only', label: 'Only data collected so far may be used' },
  { value: 'none', label: 'No data may be used' },
] as const satisfies readonly Option<WithdrawalRecord['dataUse']>[];

export const WITHDRAWAL_INITIATORS = [
  { value: 'participant', label: 'Participant' },
  { value: 'clinician', label: 'Clinician' },
  { value: 'investigator', label: 'Investigator' },
] as const satisfies readonly Option<WithdrawalRecord['initiatedBy']>[];

export const NOT_COMPLETED_REASONS = [
  { value: 'declined', label: 'Declined' },
  { value: 'not_contactable', label: 'Not contactable' },
  { value: 'withdrawn', label: 'Withdrawn' },
  { value: 'died', label: 'Died' },
  { value: 'other', label: 'Other' },
] as const satisfies readonly Option<NonNullable<FollowUpInterview['notCompletedReason']>>[];

export const SERVICE_USE_EVENT_KINDS = [
  { value: 'admission', label: 'Psychiatric inpatient admission' },
  { value: 'crisis_team', label: 'Crisis team contacts' },
  { value: 'liaison', label: 'Liaison psychiatry contacts' },
  { value: 'community_team', label: 'Community mental health team contacts' },
] as const satisfies readonly Option<ServiceUseEvent['kind']>[];

export const LEGAL_STATUSES = [
  { value: 'voluntary', label: 'Voluntary' },
  { value: 'involuntary', label: 'Involuntary (detained)' },
] as const satisfies readonly Option<Extract<ServiceUseEvent, { kind: 'admission' }>['legalStatus']>[];
