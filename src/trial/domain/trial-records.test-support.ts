/** Records of a small ENRICH trial for the domain tests (discharge 2024-01-15 unless a case says otherwise). */

import type {
  BaselineRecord,
  ContactRecord,
  FollowUpInterview,
  InstrumentResponses,
  ParticipantRecords,
  ServiceUseEvent,
} from './types.ts';

/** Every placeholder item answered: symptoms 2 each (sum 20), QoL 5 (items 4, 9 reversed to 3: mean 14/3·...). */
export function fullResponses(): Record<string, Record<string, number | null>> {
  const items = (prefix: string, count: number, value: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index + 1}`, value]));
  return {
    symptoms: items('s', 10, 2),
    quality_of_life: items('q', 12, 5),
    social_inclusion: items('i', 12, 1),
    hope: items('h', 12, 3),
    social_network: items('n', 6, 4),
    eq5d: { mobility: 1, self_care: 1, usual_activities: 2, pain_discomfort: 2, anxiety_depression: 3 },
  };
}

export function baseline(
  participantId: string,
  responses: InstrumentResponses = fullResponses(),
): BaselineRecord {
  return {
    participantId,
    assessmentDate: '2024-01-05',
    assessedBy: 'researcher_1',
    ageYears: 41,
    gender: 'female',
    ethnicity: 'Black',
    firstLanguage: 'English',
    sexualOrientation: 'heterosexual',
    admissionsPrior2y: 2,
    detainedAtIndex: true,
    indexAdmissionDate: '2023-12-20',
    responses,
  };
}

export function contact(
  participantId: string,
  contactId: string,
  contactDate: string,
  fields: Partial<ContactRecord> = {},
): ContactRecord {
  const afterDischarge = contactDate > '2024-01-15';
  return {
    contactId,
    participantId,
    peerWorkerId: 'pw_1',
    contactDate,
    phase: afterDischarge ? 'after_discharge' : 'before_discharge',
    setting: afterDischarge ? 'community_venue' : 'ward',
    mode: 'face_to_face',
    minutes: 30,
    activities: ['practical_help'],
    ...fields,
  };
}

export function interview(
  participantId: string,
  responses: InstrumentResponses = fullResponses(),
): FollowUpInterview {
  return {
    participantId,
    visitId: 'month_4',
    status: 'completed',
    interviewDate: '2024-05-20',
    interviewerId: 'researcher_1',
    responses,
  };
}

function base(participantId: string, arm: string, site = 'site_1'): ParticipantRecords {
  return {
    participant: {
      participantId,
      trialId: 'enrich',
      screeningId: `S-${participantId}`,
      site,
      diagnosisGroup: 'psychosis',
    },
    consent: {
      screeningId: `S-${participantId}`,
      consentDate: '2024-01-04',
      consentFormVersion: '2.1',
      takenBy: 'researcher_1',
      recordsAccess: true,
      recordsAfterWithdrawal: true,
    },
    baseline: baseline(participantId),
    randomisation: {
      participantId,
      sequence: Number(participantId.slice(1)),
      randomisedDate: '2024-01-06',
      randomisedAt: '2024-01-06T10:00:00.000Z',
      randomisedBy: 'researcher_1',
      strata: { site, diagnosis_group: 'psychosis' },
      method: 'permuted_blocks',
      arm,
    },
    discharge: { participantId, dischargeDate: '2024-01-15', recordedBy: 'researcher_1' },
    assignments: [],
    contacts: [],
    interviews: [interview(participantId)],
    serviceUseReviews: [
      {
        participantId,
        visitId: 'month_12',
        reviewDate: '2025-02-01',
        reviewerId: 'researcher_1',
        recordsAvailable: true,
      },
    ],
    serviceUseEvents: [],
    seriousAdverseEvents: [],
  };
}

const admission = (
  participantId: string,
  eventId: string,
  admissionDate: string,
  dischargeDate: string | undefined,
  legalStatus: 'voluntary' | 'involuntary',
): ServiceUseEvent =>
  dischargeDate === undefined
    ? { kind: 'admission', eventId, participantId, admissionDate, legalStatus }
    : { kind: 'admission', eventId, participantId, admissionDate, dischargeDate, legalStatus };

const teamContact = (
  participantId: string,
  eventId: string,
  kind: 'crisis_team' | 'liaison' | 'community_team',
  date: string,
  contacts: number,
): ServiceUseEvent => ({ kind, eventId, participantId, date, contacts });

/**
 * Six participants covering the derivation rules:
 * P001 peer support, everything recorded, readmitted on day 46; P002 usual care, died on day 167;
 * P003 withdrew from everything (data collected only) on day 90 with a later readmission; P004 withdrew with
 * no data use; P005 records unavailable and withdrew from the intervention only; P006 not yet discharged.
 */
export function sampleTrial(): ParticipantRecords[] {
  const p1 = base('P001', 'peer_support');
  const p2 = base('P002', 'usual_care', 'site_2');
  const p3 = base('P003', 'peer_support');
  const p4 = base('P004', 'usual_care');
  const p5 = base('P005', 'peer_support', 'site_3');
  const p6 = base('P006', 'usual_care');
  const partial = fullResponses();
  partial.symptoms = { ...partial.symptoms, s1: null, s2: 4 }; // 9 answered: (4 + 7 × 2) / 9 × 10
  partial.social_network = { ...partial.social_network, n6: null }; // all 6 needed: missing
  return [
    {
      ...p1,
      assignments: [
        { assignmentId: 'A1', participantId: 'P001', peerWorkerId: 'pw_1', startDate: '2024-01-07' },
      ],
      contacts: [
        contact('P001', 'C3', '2024-01-12', { mode: 'telephone', setting: 'remote' }),
        contact('P001', 'C2', '2024-01-10', { minutes: 50, activities: ['discharge_planning'] }),
        contact('P001', 'C1', '2024-01-10', {
          minutes: 45,
          activities: ['getting_to_know', 'sharing_lived_experience', 'discharge_planning'],
        }),
        contact('P001', 'C4', '2024-01-14'),
        contact('P001', 'C5', '2024-01-20', { mode: 'telephone', setting: 'remote' }),
        contact('P001', 'C6', '2024-02-03'),
        contact('P001', 'C7', '2024-03-20', { setting: 'home' }),
      ],
      serviceUseEvents: [
        admission('P001', 'E1', '2024-03-01', '2024-03-10', 'voluntary'),
        admission('P001', 'E2', '2024-06-01', '2024-06-05', 'involuntary'),
        admission('P001', 'E3', '2025-01-14', '2025-02-20', 'involuntary'),
        teamContact('P001', 'E4', 'crisis_team', '2024-02-01', 2),
        teamContact('P001', 'E5', 'liaison', '2024-02-28', 1),
        teamContact('P001', 'E6', 'community_team', '2024-04-01', 3),
        teamContact('P001', 'E7', 'community_team', '2024-09-01', 4),
        teamContact('P001', 'E8', 'community_team', '2025-01-15', 9),
      ],
      seriousAdverseEvents: [
        {
          saeId: 'SAE1',
          participantId: 'P001',
          category: 'hospitalisation',
          onsetDate: '2024-06-01',
          reportedDate: '2024-06-02',
          reportedBy: 'pw_1',
          description: 'Admitted under section 3',
          seriousness: ['hospitalisation'],
          relatedness: 'unlikely',
          expectedness: 'expected',
          outcome: 'resolved',
        },
      ],
    },
    {
      ...p2,
      interviews: [
        {
          participantId: 'P002',
          visitId: 'month_4',
          status: 'not_completed',
          interviewerId: 'researcher_2',
          notCompletedReason: 'not_contactable',
          responses: {},
        },
      ],
      death: { participantId: 'P002', dateOfDeath: '2024-06-30', recordedBy: 'researcher_2' },
      serviceUseEvents: [
        teamContact('P002', 'F1', 'crisis_team', '2024-06-29', 1),
        teamContact('P002', 'F2', 'crisis_team', '2024-07-01', 5),
      ],
    },
    {
      ...p3,
      baseline: baseline('P003', partial),
      interviews: [],
      withdrawal: {
        participantId: 'P003',
        withdrawalDate: '2024-04-14',
        initiatedBy: 'participant',
        scope: 'all',
        dataUse: 'collected_only',
        recordedBy: 'researcher_1',
      },
      serviceUseEvents: [admission('P003', 'G1', '2024-05-01', '2024-05-03', 'voluntary')],
    },
    {
      ...p4,
      withdrawal: {
        participantId: 'P004',
        withdrawalDate: '2024-02-01',
        initiatedBy: 'participant',
        scope: 'all',
        dataUse: 'none',
        recordedBy: 'researcher_1',
      },
    },
    {
      ...p5,
      contacts: [contact('P005', 'K1', '2024-01-11', { minutes: 20.5, activities: ['listening_support'] })],
      serviceUseReviews: [
        {
          participantId: 'P005',
          visitId: 'month_12',
          reviewDate: '2025-02-01',
          reviewerId: 'researcher_1',
          recordsAvailable: false,
        },
      ],
      interventionWithdrawal: {
        participantId: 'P005',
        withdrawalDate: '2024-03-01',
        initiatedBy: 'participant',
        scope: 'intervention',
        dataUse: 'collected_and_records',
        recordedBy: 'pw_coordinator_1',
      },
    },
    (() => {
      const { discharge: _none, ...rest } = p6;
      return { ...rest, interviews: [] };
    })(),
  ];
}
