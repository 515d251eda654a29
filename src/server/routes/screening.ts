import type { FastifyInstance } from 'fastify';
import {
  type ConsentRecord,
  can,
  evaluateEligibility,
  type ParticipantResource,
  type ScreeningLogEntry,
} from '../../trial/index.ts';
import { authorize, authorizeParticipant } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { EXCLUSIONS, loadParticipant, participantStatus } from '../participant-view.ts';
import { ID_PATTERN, idParams, reasonProperty, trialParams } from '../schemas.ts';
import { randomId } from '../secrets.ts';
import {
  actorOf,
  DATE_SCHEMA,
  loadSnapshot,
  recordBody,
  recordSchema,
  requireParticipantRole,
  resourceIn,
  saveVersioned,
  todayOf,
  versionProperty,
} from '../workflow.ts';

/** The outcomes of a screened person who is not randomised (the CONSORT exclusions). */
export const NOT_RANDOMISED_OUTCOMES = ['not_eligible', 'declined', 'not_randomised_other'] as const;
type NotRandomisedOutcome = (typeof NOT_RANDOMISED_OUTCOMES)[number];

interface ScreeningLogBody {
  site_id: string;
  screened_date?: string;
  outcome: NotRandomisedOutcome;
  outcome_detail?: string;
  ineligibility_reasons?: string[];
  age?: number;
  admissions_prior_2y?: number;
  exclusions?: (typeof EXCLUSIONS)[number][];
}

const screeningEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    site_id: { type: 'string' },
    screened_date: { type: 'string' },
    screened_by: { type: 'string' },
    status: { type: 'string' },
    outcome: { type: 'string' },
    outcome_detail: { type: ['string', 'null'] },
    ineligibility_reasons: { type: 'array', items: { type: 'string' } },
    participant_id: { type: ['string', 'null'] },
    consent_given: { type: 'boolean' },
    version: { type: 'integer' },
  },
} as const;

function entryBody(entry: ScreeningLogEntry, version: number, consented: boolean) {
  return {
    id: entry.screeningId,
    site_id: entry.site,
    screened_date: entry.screenedDate,
    screened_by: entry.screenedBy,
    status: participantStatus(entry),
    outcome: entry.outcome,
    outcome_detail: entry.outcomeDetail ?? null,
    ineligibility_reasons: [...(entry.ineligibilityReasons ?? [])],
    participant_id: entry.participantId ?? null,
    consent_given: consented,
    version,
  };
}

interface ConsentBody {
  consent_date: string;
  consent_form_version: string;
  records_access: boolean;
  records_after_withdrawal: boolean;
  future_contact?: boolean;
  version?: number;
  reason?: string;
}

/**
 * The screening log (everyone assessed, randomised or not: the top of the CONSORT flow), the outcome of an
 * eligible person who is then not randomised, and consent.
 *
 * POST/GET /api/trials/:trialId/screening-log, POST /api/participants/:id/screening-outcome,
 * PUT/GET /api/participants/:id/consent.
 */
export function registerScreeningRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock, random } = context;

  app.post<{ Params: { trialId: string }; Body: ScreeningLogBody }>(
    '/api/trials/:trialId/screening-log',
    {
      schema: {
        summary:
          'Log a screened person who is not randomised (not eligible, declined, other) with the reason',
        description:
          'For not_eligible, the reasons are the eligibility rule ids: given, or computed from age, admissions_prior_2y and exclusions. Eligible, consenting people are added with POST /api/trials/:trialId/participants.',
        tags: ['screening'],
        params: trialParams,
        body: {
          type: 'object',
          required: ['site_id', 'outcome'],
          additionalProperties: false,
          properties: {
            site_id: { type: 'string', pattern: ID_PATTERN },
            screened_date: DATE_SCHEMA,
            outcome: { type: 'string', enum: [...NOT_RANDOMISED_OUTCOMES] },
            outcome_detail: { type: 'string', minLength: 1, maxLength: 2000 },
            ineligibility_reasons: {
              type: 'array',
              items: { type: 'string', minLength: 1, maxLength: 100 },
              uniqueItems: true,
            },
            age: { type: 'integer', minimum: 0, maximum: 120 },
            admissions_prior_2y: { type: 'integer', minimum: 0, maximum: 100 },
            exclusions: {
              type: 'array',
              items: { type: 'string', enum: [...EXCLUSIONS] },
              uniqueItems: true,
            },
          },
        },
        response: { 201: screeningEntrySchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'write_participant', {
        kind: 'participant',
        trialLocked: trial.lockedAt !== undefined,
        site: body.site_id,
        peerWorkerIds: [],
      });
      const sites = await store.listSites(trial.trialId);
      const levels = trial.config.factors.find((factor) => factor.name === 'site')?.levels ?? [];
      if (!sites.some((site) => site.siteId === body.site_id) && !levels.includes(body.site_id)) {
        throw new HttpError(
          422,
          'unprocessable',
          `site_id requires a site of trial "${trial.trialId}" (got "${body.site_id}")`,
          {
            issues: [{ path: 'site_id', message: 'is not a site of this trial' }],
          },
        );
      }
      const criteria: Record<string, number | boolean | string> = {};
      if (body.age !== undefined) criteria.ageYears = body.age;
      if (body.admissions_prior_2y !== undefined) criteria.admissionsPrior2y = body.admissions_prior_2y;
      if (body.exclusions !== undefined) {
        criteria.organicMentalDisorder = body.exclusions.includes('organic_mental_disorder');
        const excluded = body.exclusions.find((code) => code !== 'organic_mental_disorder');
        if (excluded !== undefined) criteria.primaryDiagnosis = excluded;
      }
      const id = randomId(random, 'S-');
      let reasons = body.ineligibility_reasons;
      if (body.outcome === 'not_eligible' && reasons === undefined) {
        const probe: ScreeningLogEntry = {
          screeningId: id,
          trialId: trial.trialId,
          site: body.site_id,
          screenedDate: todayOf(clock),
          screenedBy: user.userId,
          criteria,
          outcome: 'pending',
        };
        reasons = evaluateEligibility(trial.config, probe, undefined)
          .reasons.filter((reason) => reason.status === 'not_met' && reason.ruleId !== 'consent_recorded')
          .map((reason) => reason.ruleId);
        if (reasons.length === 0) {
          throw new HttpError(
            422,
            'unprocessable',
            'outcome not_eligible requires ineligibility_reasons or criteria that fail a rule (got none failing)',
            {
              issues: [
                { path: 'ineligibility_reasons', message: 'is required: no recorded criterion fails a rule' },
              ],
            },
          );
        }
      }
      if (body.outcome !== 'not_eligible' && reasons !== undefined && reasons.length > 0) {
        throw new HttpError(
          422,
          'unprocessable',
          `ineligibility_reasons requires outcome not_eligible (got ${body.outcome})`,
          {
            issues: [{ path: 'ineligibility_reasons', message: 'only for outcome not_eligible' }],
          },
        );
      }
      const entry: ScreeningLogEntry = {
        screeningId: id,
        trialId: trial.trialId,
        site: body.site_id,
        screenedDate: body.screened_date ?? todayOf(clock),
        screenedBy: user.userId,
        criteria,
        outcome: body.outcome,
        ...(reasons === undefined || reasons.length === 0 ? {} : { ineligibilityReasons: reasons }),
        ...(body.outcome_detail === undefined ? {} : { outcomeDetail: body.outcome_detail }),
      };
      const saved = await store.saveRecord(trial.trialId, 'screening', entry, { actor: actorOf(user) });
      return reply.status(201).send(entryBody(saved.data, saved.version, false));
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/screening-log',
    {
      schema: {
        summary: "The screening log: everyone screened at the caller's sites, with outcome and reasons",
        tags: ['screening'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['entries'],
            properties: { entries: { type: 'array', items: screeningEntrySchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'read_participant', snapshot.locked);
      const entries = snapshot.screenings
        .filter((screening) => can(user, 'read_participant', resourceIn(snapshot, screening.data)))
        .map((screening) =>
          entryBody(screening.data, screening.version, snapshot.consents.has(screening.recordId)),
        );
      return { entries };
    },
  );

  app.post<{
    Params: { id: string };
    Body: { outcome: NotRandomisedOutcome; outcome_detail: string; version: number; reason?: string };
  }>(
    '/api/participants/:id/screening-outcome',
    {
      schema: {
        summary:
          'Record that an eligible person was not randomised after all (declined, not eligible, other)',
        tags: ['screening'],
        params: idParams,
        body: {
          type: 'object',
          required: ['outcome', 'outcome_detail', 'version'],
          additionalProperties: false,
          properties: {
            outcome: { type: 'string', enum: [...NOT_RANDOMISED_OUTCOMES] },
            outcome_detail: { type: 'string', minLength: 1, maxLength: 2000 },
            version: { type: 'integer', minimum: 1 },
            reason: reasonProperty,
          },
        },
        response: { 200: screeningEntrySchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'write_participant', participant.resource, participant.id);
      const entry = participant.screening.data;
      if (entry.outcome === 'randomised') {
        throw new HttpError(
          409,
          'conflict',
          'screening outcome requires a participant not yet randomised (got randomised)',
        );
      }
      const { outcome, outcome_detail: detail, version } = request.body;
      const { ineligibilityReasons, ...rest } = entry;
      const next: ScreeningLogEntry = {
        ...rest,
        outcome,
        outcomeDetail: detail,
        ...(outcome === 'not_eligible' ? { ineligibilityReasons: ineligibilityReasons ?? ['other'] } : {}),
      };
      const saved = await store.saveRecord(participant.trial.trialId, 'screening', next, {
        actor: actorOf(user),
        expectedVersion: version,
        reason: request.body.reason ?? detail,
      });
      return entryBody(saved.data, saved.version, participant.consent !== undefined);
    },
  );

  const consentBodySchema = {
    type: 'object',
    required: ['consent_date', 'consent_form_version', 'records_access', 'records_after_withdrawal'],
    additionalProperties: false,
    properties: {
      consent_date: DATE_SCHEMA,
      consent_form_version: { type: 'string', minLength: 1, maxLength: 50 },
      records_access: { type: 'boolean' },
      records_after_withdrawal: { type: 'boolean' },
      future_contact: { type: 'boolean' },
      version: versionProperty,
      reason: reasonProperty,
    },
  } as const;

  app.put<{ Params: { id: string }; Body: ConsentBody }>(
    '/api/participants/:id/consent',
    {
      schema: {
        summary: 'Record or correct written informed consent (corrections: version and reason)',
        tags: ['screening'],
        params: idParams,
        body: consentBodySchema,
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'write_participant', participant.resource, participant.id);
      const body = request.body;
      const consent: ConsentRecord = {
        screeningId: participant.id,
        consentDate: body.consent_date,
        consentFormVersion: body.consent_form_version,
        takenBy: participant.consent?.data.takenBy ?? user.userId,
        recordsAccess: body.records_access,
        recordsAfterWithdrawal: body.records_after_withdrawal,
        ...(body.future_contact === undefined ? {} : { futureContact: body.future_contact }),
      };
      const saved = await saveVersioned(store, participant.trial, 'consent', consent, user, body);
      return recordBody(saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/consent',
    {
      schema: {
        summary: "A participant's consent record (404 when none is recorded)",
        tags: ['screening'],
        params: idParams,
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'read_participant', participant.resource, participant.id);
      if (participant.consent === undefined) {
        throw new HttpError(
          404,
          'not_found',
          `consent of "${participant.id}" requires a recorded consent (got none)`,
        );
      }
      return recordBody(participant.consent);
    },
  );
}

/** A participant resource for a site (no caseload): for checks before a participant exists. */
export function siteResource(site: string, trialLocked: boolean): ParticipantResource {
  return { kind: 'participant', trialLocked, site, peerWorkerIds: [] };
}
