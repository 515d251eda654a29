import type { FastifyInstance } from 'fastify';
import {
  type BaselineRecord,
  type DeathRecord,
  type DischargeRecord,
  ETHNICITIES,
  FIRST_LANGUAGES,
  type FollowUpInterview,
  GENDERS,
  type InstrumentResponses,
  type InterventionWithdrawalRecord,
  isWithinWindow,
  redactForUser,
  SEXUAL_ORIENTATIONS,
  type ServiceUseEvent,
  type ServiceUseReview,
  scoreInstrument,
  type TrialConfig,
  visitWindow,
  WITHDRAWAL_DATA_USE,
  WITHDRAWAL_SCOPES,
  type WithdrawalRecord,
} from '../../trial/index.ts';
import { authorizeParticipant } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { loadParticipant } from '../participant-view.ts';
import { idParams, participantParamsWith, reasonProperty } from '../schemas.ts';
import { randomId } from '../secrets.ts';
import {
  anyObject,
  DATE_SCHEMA,
  recordBody,
  recordNotFound,
  recordSchema,
  recordsOf,
  requireRandomised,
  saveVersioned,
  versionProperty,
} from '../workflow.ts';

/** Item responses in a body: instrument id -> item id -> whole number or null (checked against the instrument). */
const responsesSchema = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
  },
} as const;

/**
 * The scores of every instrument answered, computed by the domain's `scoreInstrument` (never entered):
 * instrument id -> `{ total, subscales, answered, prorated }` (`total` null below the prorating threshold).
 */
export function scoresOf(config: TrialConfig, responses: InstrumentResponses) {
  const scores: Record<string, unknown> = {};
  for (const [instrumentId, items] of Object.entries(responses)) {
    const instrument = config.instruments.find((candidate) => candidate.id === instrumentId);
    if (instrument === undefined) continue;
    const score = scoreInstrument(instrument, items);
    scores[instrumentId] = {
      total: score.total ?? null,
      subscales: Object.fromEntries(
        Object.entries(score.subscales).map(([id, value]) => [id, value ?? null]),
      ),
      answered: score.answered,
      items: instrument.items.length,
      prorated: score.prorated,
    };
  }
  return scores;
}

const withVersion = { version: versionProperty, reason: reasonProperty } as const;

const paramsWithVisit = participantParamsWith('visitId', 64);
const paramsWithEvent = participantParamsWith('eventId', 64);

const serviceUseEventBody = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['admission', 'crisis_team', 'liaison', 'community_team'] },
    admission_date: DATE_SCHEMA,
    discharge_date: DATE_SCHEMA,
    legal_status: { type: 'string', enum: ['voluntary', 'involuntary'] },
    date: DATE_SCHEMA,
    contacts: { type: 'integer', minimum: 1, maximum: 1000 },
    ...withVersion,
  },
} as const;

interface ServiceUseEventBody {
  kind: ServiceUseEvent['kind'];
  admission_date?: string;
  discharge_date?: string;
  legal_status?: 'voluntary' | 'involuntary';
  date?: string;
  contacts?: number;
  version?: number;
  reason?: string;
}

function eventOf(body: ServiceUseEventBody, eventId: string, participantId: string): ServiceUseEvent {
  if (body.kind === 'admission') {
    return {
      kind: 'admission',
      eventId,
      participantId,
      admissionDate: body.admission_date as string,
      ...(body.discharge_date === undefined ? {} : { dischargeDate: body.discharge_date }),
      legalStatus: body.legal_status as 'voluntary',
    };
  }
  return {
    kind: body.kind,
    eventId,
    participantId,
    date: body.date as string,
    contacts: body.contacts as number,
  };
}

/** The window of a visit for a discharged participant, with whether a date falls in it. */
function windowBody(config: TrialConfig, visitId: string, dischargeDate: string | undefined, date?: string) {
  if (dischargeDate === undefined) return null;
  const window = visitWindow(config, visitId, dischargeDate);
  return {
    target: window.target,
    earliest: window.earliest,
    latest: window.latest,
    ...(date === undefined ? {} : { within_window: isWithinWindow(window, date) }),
  };
}

function requireVisit(config: TrialConfig, visitId: string, kind: 'interview' | 'records') {
  const visit = config.visits.find((candidate) => candidate.id === visitId && candidate.kind === kind);
  if (visit === undefined) {
    throw new HttpError(
      404,
      'not_found',
      `visit "${visitId}" requires a configured ${kind} visit (got none; configured: ${config.visits
        .filter((candidate) => candidate.kind === kind)
        .map((candidate) => candidate.id)
        .join(', ')})`,
    );
  }
  return visit;
}

/**
 * Baseline (responses in, scores out), discharge, follow-up interviews, 12-month service use (review and
 * events), withdrawal and death: PUT to enter or correct (version + reason), GET to read.
 */
export function registerAssessmentRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, random } = context;

  async function participantFor(
    request: Parameters<typeof requireUser>[0],
    id: string,
    action:
      | 'read_participant'
      | 'write_participant'
      | 'record_follow_up'
      | 'withdraw_from_intervention'
      | 'view_contacts',
  ) {
    const user = requireUser(request);
    const participant = await loadParticipant(store, id);
    authorizeParticipant(user, action, participant.resource, id);
    return { user, participant };
  }

  async function dischargeDateOf(trialId: string, participantId: string) {
    return (await store.findRecord(trialId, 'discharge', participantId))?.data.dischargeDate;
  }

  // ---- baseline -------------------------------------------------------------------------------------
  interface BaselineBody {
    assessment_date: string;
    age: number;
    gender: BaselineRecord['gender'];
    ethnicity: BaselineRecord['ethnicity'];
    first_language: BaselineRecord['firstLanguage'];
    sexual_orientation?: BaselineRecord['sexualOrientation'];
    admissions_prior_2y: number;
    detained_at_index: boolean;
    index_admission_date: string;
    responses: InstrumentResponses;
    version?: number;
    reason?: string;
  }
  app.put<{ Params: { id: string }; Body: BaselineBody }>(
    '/api/participants/:id/baseline',
    {
      schema: {
        summary: 'Enter or correct the baseline assessment: item responses in, scores computed and returned',
        tags: ['assessments'],
        params: idParams,
        body: {
          type: 'object',
          required: [
            'assessment_date',
            'age',
            'gender',
            'ethnicity',
            'first_language',
            'admissions_prior_2y',
            'detained_at_index',
            'index_admission_date',
            'responses',
          ],
          additionalProperties: false,
          properties: {
            assessment_date: DATE_SCHEMA,
            age: { type: 'integer', minimum: 0, maximum: 120 },
            gender: { type: 'string', enum: [...GENDERS] },
            ethnicity: { type: 'string', enum: [...ETHNICITIES] },
            first_language: { type: 'string', enum: [...FIRST_LANGUAGES] },
            sexual_orientation: { type: 'string', enum: [...SEXUAL_ORIENTATIONS] },
            admissions_prior_2y: { type: 'integer', minimum: 0, maximum: 100 },
            detained_at_index: { type: 'boolean' },
            index_admission_date: DATE_SCHEMA,
            responses: responsesSchema,
            ...withVersion,
          },
        },
        response: { 200: recordSchema({ scores: anyObject, responses: anyObject }) },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'write_participant');
      const participantId = requireRandomised(participant, 'baseline');
      const body = request.body;
      const existing = await store.findRecord(participant.trial.trialId, 'baseline', participantId);
      const record: BaselineRecord = {
        participantId,
        assessmentDate: body.assessment_date,
        assessedBy: existing?.data.assessedBy ?? user.userId,
        ageYears: body.age,
        gender: body.gender,
        ethnicity: body.ethnicity,
        firstLanguage: body.first_language,
        ...(body.sexual_orientation === undefined ? {} : { sexualOrientation: body.sexual_orientation }),
        admissionsPrior2y: body.admissions_prior_2y,
        detainedAtIndex: body.detained_at_index,
        indexAdmissionDate: body.index_admission_date,
        responses: body.responses,
      };
      const saved = await saveVersioned(store, participant.trial, 'baseline', record, user, body);
      return { ...recordBody(saved), scores: scoresOf(participant.trial.config, saved.data.responses) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/baseline',
    {
      schema: {
        summary: 'The baseline assessment with its computed scores (404 when not entered)',
        tags: ['assessments'],
        params: idParams,
        response: { 200: recordSchema({ scores: anyObject, responses: anyObject }) },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      const stored =
        participantId === undefined
          ? undefined
          : await store.findRecord(participant.trial.trialId, 'baseline', participantId);
      if (stored === undefined) throw recordNotFound('baseline of', participant.id);
      return { ...recordBody(stored), scores: scoresOf(participant.trial.config, stored.data.responses) };
    },
  );

  // ---- discharge ------------------------------------------------------------------------------------
  app.put<{ Params: { id: string }; Body: { discharge_date: string; version?: number; reason?: string } }>(
    '/api/participants/:id/discharge',
    {
      schema: {
        summary: 'Enter or correct the discharge date (day 0 of the follow-up schedule)',
        tags: ['assessments'],
        params: idParams,
        body: {
          type: 'object',
          required: ['discharge_date'],
          additionalProperties: false,
          properties: { discharge_date: DATE_SCHEMA, ...withVersion },
        },
        response: { 200: recordSchema({ windows: anyObject }) },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'write_participant');
      const participantId = requireRandomised(participant, 'discharge');
      const existing = await store.findRecord(participant.trial.trialId, 'discharge', participantId);
      const record: DischargeRecord = {
        participantId,
        dischargeDate: request.body.discharge_date,
        recordedBy: existing?.data.recordedBy ?? user.userId,
      };
      const saved = await saveVersioned(store, participant.trial, 'discharge', record, user, request.body);
      return dischargeBody(participant.trial.config, saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/discharge',
    {
      schema: {
        summary: 'The discharge date and the visit windows it sets (404 when not entered)',
        tags: ['assessments'],
        params: idParams,
        response: { 200: recordSchema({ windows: anyObject }) },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      const stored =
        participantId === undefined
          ? undefined
          : await store.findRecord(participant.trial.trialId, 'discharge', participantId);
      if (stored === undefined) throw recordNotFound('discharge of', participant.id);
      return dischargeBody(participant.trial.config, stored);
    },
  );

  // ---- follow-up interviews -------------------------------------------------------------------------
  interface InterviewBody {
    status: 'completed' | 'not_completed';
    interview_date?: string;
    not_completed_reason?: FollowUpInterview['notCompletedReason'];
    responses?: InstrumentResponses;
    version?: number;
    reason?: string;
  }
  const interviewResponse = recordSchema({ scores: anyObject, responses: anyObject, window: anyObject });

  app.put<{ Params: { id: string; visitId: string }; Body: InterviewBody }>(
    '/api/participants/:id/interviews/:visitId',
    {
      schema: {
        summary: 'Enter or correct a follow-up interview (e.g. month_4): responses in, scores and window out',
        tags: ['follow-up'],
        params: paramsWithVisit,
        body: {
          type: 'object',
          required: ['status'],
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['completed', 'not_completed'] },
            interview_date: DATE_SCHEMA,
            not_completed_reason: {
              type: 'string',
              enum: ['declined', 'not_contactable', 'withdrawn', 'died', 'other'],
            },
            responses: responsesSchema,
            ...withVersion,
          },
        },
        response: { 200: interviewResponse },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'record_follow_up');
      const participantId = requireRandomised(participant, 'a follow-up interview');
      const config = participant.trial.config;
      requireVisit(config, request.params.visitId, 'interview');
      const body = request.body;
      const existing = await store.findRecord(
        participant.trial.trialId,
        'interview',
        `${participantId}/${request.params.visitId}`,
      );
      const record: FollowUpInterview = {
        participantId,
        visitId: request.params.visitId,
        status: body.status,
        ...(body.interview_date === undefined ? {} : { interviewDate: body.interview_date }),
        interviewerId: existing?.data.interviewerId ?? user.userId,
        ...(body.not_completed_reason === undefined ? {} : { notCompletedReason: body.not_completed_reason }),
        responses: body.responses ?? {},
      };
      const saved = await saveVersioned(store, participant.trial, 'interview', record, user, body);
      const discharge = await dischargeDateOf(participant.trial.trialId, participantId);
      return interviewBody(config, saved, discharge);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/interviews',
    {
      schema: {
        summary: "A participant's follow-up interviews with scores and whether each was within its window",
        tags: ['follow-up'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['interviews'],
            properties: { interviews: { type: 'array', items: interviewResponse } },
          },
        },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      if (participantId === undefined) return { interviews: [] };
      const trialId = participant.trial.trialId;
      const [interviews, discharge] = await Promise.all([
        recordsOf(store, trialId, 'interview', participantId),
        dischargeDateOf(trialId, participantId),
      ]);
      return {
        interviews: interviews.map((stored) => interviewBody(participant.trial.config, stored, discharge)),
      };
    },
  );

  // ---- 12-month service use -------------------------------------------------------------------------
  app.put<{
    Params: { id: string; visitId: string };
    Body: { review_date: string; records_available: boolean; version?: number; reason?: string };
  }>(
    '/api/participants/:id/service-use/:visitId',
    {
      schema: {
        summary:
          'Enter or correct the service-use extraction from patient records for a records visit (month_12)',
        description:
          'records_available false: the records could not be obtained, so service use is missing (not zero). Events found are added with POST /api/participants/:id/service-use/events.',
        tags: ['follow-up'],
        params: paramsWithVisit,
        body: {
          type: 'object',
          required: ['review_date', 'records_available'],
          additionalProperties: false,
          properties: { review_date: DATE_SCHEMA, records_available: { type: 'boolean' }, ...withVersion },
        },
        response: { 200: recordSchema({ window: anyObject }) },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'record_follow_up');
      const participantId = requireRandomised(participant, 'a service-use review');
      requireVisit(participant.trial.config, request.params.visitId, 'records');
      const existing = await store.findRecord(
        participant.trial.trialId,
        'service_use_review',
        `${participantId}/${request.params.visitId}`,
      );
      const record: ServiceUseReview = {
        participantId,
        visitId: request.params.visitId,
        reviewDate: request.body.review_date,
        reviewerId: existing?.data.reviewerId ?? user.userId,
        recordsAvailable: request.body.records_available,
      };
      const saved = await saveVersioned(
        store,
        participant.trial,
        'service_use_review',
        record,
        user,
        request.body,
      );
      const discharge = await dischargeDateOf(participant.trial.trialId, participantId);
      return {
        ...recordBody(saved),
        window: windowBody(participant.trial.config, saved.data.visitId, discharge, saved.data.reviewDate),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: ServiceUseEventBody }>(
    '/api/participants/:id/service-use/events',
    {
      schema: {
        summary:
          'Add a service-use event found in patient records (admission, crisis team, liaison, community team)',
        tags: ['follow-up'],
        params: idParams,
        body: serviceUseEventBody,
        response: { 201: recordSchema() },
      },
    },
    async (request, reply) => {
      const { user, participant } = await participantFor(request, request.params.id, 'record_follow_up');
      const participantId = requireRandomised(participant, 'a service-use event');
      const record = eventOf(request.body, randomId(random, 'E-'), participantId);
      const saved = await saveVersioned(store, participant.trial, 'service_use', record, user, {});
      return reply.status(201).send(recordBody(saved));
    },
  );

  app.put<{ Params: { id: string; eventId: string }; Body: ServiceUseEventBody }>(
    '/api/participants/:id/service-use/events/:eventId',
    {
      schema: {
        summary: 'Correct a service-use event (version and reason required)',
        tags: ['follow-up'],
        params: paramsWithEvent,
        body: { ...serviceUseEventBody, required: ['kind', 'version', 'reason'] },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'record_follow_up');
      const participantId = requireRandomised(participant, 'a service-use event');
      const existing = await store.findRecord(
        participant.trial.trialId,
        'service_use',
        request.params.eventId,
      );
      if (existing === undefined || existing.data.participantId !== participantId) {
        throw recordNotFound('service-use event', request.params.eventId);
      }
      const record = eventOf(request.body, request.params.eventId, participantId);
      const saved = await saveVersioned(store, participant.trial, 'service_use', record, user, request.body);
      return recordBody(saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/service-use',
    {
      schema: {
        summary:
          "A participant's service-use reviews and events, with psychiatric admissions and bed days summed",
        tags: ['follow-up'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['reviews', 'events', 'totals'],
            properties: {
              reviews: { type: 'array', items: recordSchema({ window: anyObject }) },
              events: { type: 'array', items: recordSchema() },
              totals: anyObject,
            },
          },
        },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      if (participantId === undefined) return { reviews: [], events: [], totals: {} };
      const trialId = participant.trial.trialId;
      const [reviews, events, discharge] = await Promise.all([
        recordsOf(store, trialId, 'service_use_review', participantId),
        recordsOf(store, trialId, 'service_use', participantId),
        dischargeDateOf(trialId, participantId),
      ]);
      const totals: Record<string, number> = { admissions: 0, crisis_team: 0, liaison: 0, community_team: 0 };
      for (const event of events) {
        const data = event.data;
        if (data.kind === 'admission') totals.admissions = (totals.admissions ?? 0) + 1;
        else totals[data.kind] = (totals[data.kind] ?? 0) + data.contacts;
      }
      return {
        reviews: reviews.map((review) => ({
          ...recordBody(review),
          window: windowBody(
            participant.trial.config,
            review.data.visitId,
            discharge,
            review.data.reviewDate,
          ),
        })),
        events: events.map((event) => recordBody(event)),
        totals,
      };
    },
  );

  // ---- withdrawal and death -------------------------------------------------------------------------
  interface WithdrawalBody {
    withdrawal_date: string;
    initiated_by: WithdrawalRecord['initiatedBy'];
    scope: WithdrawalRecord['scope'];
    data_use: WithdrawalRecord['dataUse'];
    withdrawal_reason?: string;
    version?: number;
    reason?: string;
  }
  app.put<{ Params: { id: string }; Body: WithdrawalBody }>(
    '/api/participants/:id/withdrawal',
    {
      schema: {
        summary:
          'Record or correct a study withdrawal: from what (interviews, all) and what data may be used',
        description:
          'Scope `intervention` is refused for everyone (422 `withdrawal_scope_intervention`): a withdrawal from the intervention only is its own record, PUT /api/participants/{id}/intervention-withdrawal.',
        tags: ['assessments'],
        params: idParams,
        body: {
          type: 'object',
          required: ['withdrawal_date', 'initiated_by', 'scope', 'data_use'],
          additionalProperties: false,
          properties: {
            withdrawal_date: DATE_SCHEMA,
            initiated_by: { type: 'string', enum: ['participant', 'clinician', 'investigator'] },
            scope: { type: 'string', enum: [...WITHDRAWAL_SCOPES] },
            data_use: { type: 'string', enum: [...WITHDRAWAL_DATA_USE] },
            withdrawal_reason: { type: 'string', minLength: 1, maxLength: 2000 },
            ...withVersion,
          },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'write_participant');
      const participantId = requireRandomised(participant, 'a withdrawal');
      const body = request.body;
      // Decided from the request alone, before any record is read: the answer never depends on whether an
      // intervention withdrawal (hidden from blinded callers) exists.
      if (body.scope === 'intervention') {
        throw new HttpError(
          422,
          'withdrawal_scope_intervention',
          `withdrawal of participant "${participant.id}" requires scope interviews or all (got intervention: record a withdrawal from the intervention only with PUT /api/participants/${participant.id}/intervention-withdrawal)`,
        );
      }
      const existing = await store.findRecord(participant.trial.trialId, 'withdrawal', participantId);
      const record: WithdrawalRecord = {
        participantId,
        withdrawalDate: body.withdrawal_date,
        initiatedBy: body.initiated_by,
        scope: body.scope,
        dataUse: body.data_use,
        ...(body.withdrawal_reason === undefined ? {} : { reason: body.withdrawal_reason }),
        recordedBy: existing?.data.recordedBy ?? user.userId,
      };
      const saved = await saveVersioned(store, participant.trial, 'withdrawal', record, user, body);
      return withdrawalBody(saved.data, saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/withdrawal',
    {
      schema: {
        summary:
          "A participant's study withdrawal (interviews or all), or {withdrawal: null}; a withdrawal from the intervention only is at .../intervention-withdrawal",
        tags: ['assessments'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['withdrawal'],
            properties: { withdrawal: { anyOf: [{ type: 'null' }, recordSchema()] } },
          },
        },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      const stored =
        participantId === undefined
          ? undefined
          : await store.findRecord(participant.trial.trialId, 'withdrawal', participantId);
      if (stored === undefined) return { withdrawal: null };
      const visible = redactForUser(user, 'withdrawal', stored.data, {
        trialLocked: participant.trial.lockedAt !== undefined,
      });
      return { withdrawal: visible === undefined ? null : withdrawalBody(visible, stored) };
    },
  );

  interface InterventionWithdrawalBody {
    withdrawal_date: string;
    initiated_by: WithdrawalRecord['initiatedBy'];
    withdrawal_reason?: string;
    version?: number;
    reason?: string;
  }
  app.put<{ Params: { id: string }; Body: InterventionWithdrawalBody }>(
    '/api/participants/:id/intervention-withdrawal',
    {
      schema: {
        summary:
          'Record or correct a withdrawal from the intervention (peer support) only: the participant stays in follow-up',
        description:
          'Its own record (kind intervention_withdrawal), apart from the study withdrawal: it reveals the arm, so only `withdraw_from_intervention` (administrators, peer worker coordinators) writes it. Scope is `intervention` and data use `collected_and_records`, always.',
        tags: ['assessments'],
        params: idParams,
        body: {
          type: 'object',
          required: ['withdrawal_date', 'initiated_by'],
          additionalProperties: false,
          properties: {
            withdrawal_date: DATE_SCHEMA,
            initiated_by: { type: 'string', enum: ['participant', 'clinician', 'investigator'] },
            withdrawal_reason: { type: 'string', minLength: 1, maxLength: 2000 },
            ...withVersion,
          },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(
        request,
        request.params.id,
        'withdraw_from_intervention',
      );
      const participantId = requireRandomised(participant, 'a withdrawal from the intervention');
      const body = request.body;
      const existing = await store.findRecord(
        participant.trial.trialId,
        'intervention_withdrawal',
        participantId,
      );
      const record: InterventionWithdrawalRecord = {
        participantId,
        withdrawalDate: body.withdrawal_date,
        initiatedBy: body.initiated_by,
        scope: 'intervention',
        dataUse: 'collected_and_records',
        ...(body.withdrawal_reason === undefined ? {} : { reason: body.withdrawal_reason }),
        recordedBy: existing?.data.recordedBy ?? user.userId,
      };
      const saved = await saveVersioned(
        store,
        participant.trial,
        'intervention_withdrawal',
        record,
        user,
        body,
      );
      return withdrawalBody(saved.data, saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/intervention-withdrawal',
    {
      schema: {
        summary:
          "A participant's withdrawal from the intervention only, or {intervention_withdrawal: null} (callers who may see contacts)",
        tags: ['assessments'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['intervention_withdrawal'],
            properties: { intervention_withdrawal: { anyOf: [{ type: 'null' }, recordSchema()] } },
          },
        },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'view_contacts');
      const participantId = participant.screening.data.participantId;
      const stored =
        participantId === undefined
          ? undefined
          : await store.findRecord(participant.trial.trialId, 'intervention_withdrawal', participantId);
      return { intervention_withdrawal: stored === undefined ? null : withdrawalBody(stored.data, stored) };
    },
  );

  app.put<{
    Params: { id: string };
    Body: { date_of_death: string; cause?: string; version?: number; reason?: string };
  }>(
    '/api/participants/:id/death',
    {
      schema: {
        summary: 'Record or correct the death of a participant',
        tags: ['assessments'],
        params: idParams,
        body: {
          type: 'object',
          required: ['date_of_death'],
          additionalProperties: false,
          properties: {
            date_of_death: DATE_SCHEMA,
            cause: { type: 'string', minLength: 1, maxLength: 2000 },
            ...withVersion,
          },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'write_participant');
      const participantId = requireRandomised(participant, 'a death record');
      const existing = await store.findRecord(participant.trial.trialId, 'death', participantId);
      const record: DeathRecord = {
        participantId,
        dateOfDeath: request.body.date_of_death,
        recordedBy: existing?.data.recordedBy ?? user.userId,
        ...(request.body.cause === undefined ? {} : { cause: request.body.cause }),
      };
      const saved = await saveVersioned(store, participant.trial, 'death', record, user, request.body);
      return recordBody(saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/death',
    {
      schema: {
        summary: 'The death record of a participant (404 when none is recorded)',
        description: 'Read it for its `version` before a correction (PUT with version and reason).',
        tags: ['assessments'],
        params: idParams,
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'read_participant');
      const participantId = participant.screening.data.participantId;
      const stored =
        participantId === undefined
          ? undefined
          : await store.findRecord(participant.trial.trialId, 'death', participantId);
      if (stored === undefined) throw recordNotFound('death record of', participant.id);
      return recordBody(stored);
    },
  );
}

function dischargeBody(
  config: TrialConfig,
  stored: { data: DischargeRecord } & Parameters<typeof recordBody>[0],
) {
  const windows: Record<string, unknown> = {};
  for (const visit of config.visits) {
    windows[visit.id] = windowBody(config, visit.id, stored.data.dischargeDate);
  }
  return { ...recordBody(stored), windows };
}

function interviewBody(
  config: TrialConfig,
  stored: { data: FollowUpInterview } & Parameters<typeof recordBody>[0],
  dischargeDate: string | undefined,
) {
  return {
    ...recordBody(stored),
    scores: scoresOf(config, stored.data.responses),
    window: windowBody(config, stored.data.visitId, dischargeDate, stored.data.interviewDate),
  };
}

function withdrawalBody(data: WithdrawalRecord, stored: Parameters<typeof recordBody>[0]) {
  const { reason, ...rest } = data;
  return { ...recordBody(stored, rest), withdrawal_reason: reason ?? null };
}
