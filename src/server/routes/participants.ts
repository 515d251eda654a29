import type { FastifyInstance } from 'fastify';
import {
  can,
  type EligibilityRule,
  ETHNICITIES,
  evaluateEligibility,
  FIRST_LANGUAGES,
  GENDERS,
  type ParticipantResource,
  type ScreeningCriteria,
  type ScreeningLogEntry,
} from '../../trial/index.ts';
import { authorize, authorizeParticipant } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError, type RequestIssue } from '../errors.ts';
import {
  diagnosisGroupOf,
  EXCLUSIONS,
  loadParticipant,
  participantBody,
  participantStatus,
} from '../participant-view.ts';
import { ID_PATTERN, idParams, reasonProperty, trialParams } from '../schemas.ts';
import { randomId } from '../secrets.ts';

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const DIAGNOSIS = { type: 'string', enum: ['psychosis', 'personality', 'other'] } as const;

interface NewParticipantBody {
  site_id: string;
  age: number;
  gender: (typeof GENDERS)[number];
  ethnicity: (typeof ETHNICITIES)[number];
  first_language: (typeof FIRST_LANGUAGES)[number];
  diagnosis_group: 'psychosis' | 'personality' | 'other';
  admissions_prior_2y: number;
  detained_at_index: boolean;
  consent_given: boolean;
  exclusions: (typeof EXCLUSIONS)[number][];
  screened_date?: string;
  consent_form_version?: string;
}

/** The demographic and screening fields shared by create and change. */
const fieldSchemas = {
  age: { type: 'integer', minimum: 0, maximum: 120 },
  gender: { type: 'string', enum: [...GENDERS] },
  ethnicity: { type: 'string', enum: [...ETHNICITIES] },
  first_language: { type: 'string', enum: [...FIRST_LANGUAGES] },
  diagnosis_group: DIAGNOSIS,
  admissions_prior_2y: { type: 'integer', minimum: 0, maximum: 100 },
  detained_at_index: { type: 'boolean' },
} as const;

/** The participant as GET answers it; `arm` only for unblinded callers. */
export const participantSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    trial_id: { type: 'string' },
    site_id: { type: 'string' },
    participant_id: { type: ['string', 'null'] },
    status: { type: 'string' },
    version: { type: 'integer' },
    screened_date: { type: 'string' },
    age: { type: ['integer', 'null'] },
    gender: { type: ['string', 'null'] },
    ethnicity: { type: ['string', 'null'] },
    first_language: { type: ['string', 'null'] },
    diagnosis_group: { type: 'string' },
    admissions_prior_2y: { type: ['integer', 'null'] },
    detained_at_index: { type: ['boolean', 'null'] },
    exclusions: { type: 'array', items: { type: 'string' } },
    consent_given: { type: 'boolean' },
    consent_date: { type: ['string', 'null'] },
    sequence_number: { type: ['integer', 'null'] },
    randomised_at: { type: ['string', 'null'] },
    arm: { type: ['string', 'null'], description: 'present only for callers allowed to view allocation' },
  },
} as const;

/** Where each eligibility criterion comes from in the request body. */
const CRITERION_FIELDS: Readonly<Record<string, string>> = {
  ageYears: 'age',
  admissionsPrior2y: 'admissions_prior_2y',
  organicMentalDisorder: 'exclusions',
  primaryDiagnosis: 'exclusions',
};

function criteriaOf(body: Partial<NewParticipantBody>, before: ScreeningCriteria = {}): ScreeningCriteria {
  const exclusions = body.exclusions;
  const excludedDiagnosis = exclusions?.find((code) => code !== 'organic_mental_disorder');
  const group = body.diagnosis_group ?? (before.diagnosisGroup as string | undefined);
  const primaryDiagnosis =
    exclusions === undefined
      ? before.primaryDiagnosis
      : (excludedDiagnosis ??
        (group === 'psychosis' ? 'psychosis' : group === 'personality' ? 'personality_disorder' : 'other'));
  const criteria: Record<string, string | number | boolean | undefined> = {
    ...before,
    ageYears: body.age ?? before.ageYears,
    admissionsPrior2y: body.admissions_prior_2y ?? before.admissionsPrior2y,
    organicMentalDisorder:
      exclusions === undefined
        ? before.organicMentalDisorder
        : exclusions.includes('organic_mental_disorder'),
    primaryDiagnosis,
    diagnosisGroup: group,
    gender: body.gender ?? before.gender,
    ethnicity: body.ethnicity ?? before.ethnicity,
    firstLanguage: body.first_language ?? before.firstLanguage,
    detainedAtIndex: body.detained_at_index ?? before.detainedAtIndex,
  };
  for (const key of Object.keys(criteria)) if (criteria[key] === undefined) delete criteria[key];
  return criteria as ScreeningCriteria;
}

function ineligible(issues: RequestIssue[]): HttpError {
  return new HttpError(
    422,
    'participant_ineligible',
    `participant requires every eligibility rule to be met (got ${issues.length} not met)`,
    { issues, extra: { issues } },
  );
}

/**
 * POST /api/trials/:trialId/participants, GET /api/trials/:trialId/participants, GET and PATCH
 * /api/participants/:id, POST /api/participants/:id/randomise.
 */
export function registerParticipantRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock, random } = context;

  app.post<{ Params: { trialId: string }; Body: NewParticipantBody }>(
    '/api/trials/:trialId/participants',
    {
      schema: {
        summary: 'Screen and consent a participant (eligible people only; 422 lists every rule not met)',
        tags: ['participants'],
        params: trialParams,
        body: {
          type: 'object',
          required: [
            'site_id',
            'age',
            'gender',
            'ethnicity',
            'first_language',
            'diagnosis_group',
            'admissions_prior_2y',
            'detained_at_index',
            'consent_given',
            'exclusions',
          ],
          additionalProperties: false,
          properties: {
            site_id: { type: 'string', pattern: ID_PATTERN },
            ...fieldSchemas,
            consent_given: { type: 'boolean' },
            exclusions: {
              type: 'array',
              items: { type: 'string', enum: [...EXCLUSIONS] },
              uniqueItems: true,
            },
            screened_date: DATE,
            consent_form_version: { type: 'string', minLength: 1, maxLength: 50 },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['id', 'participant_id', 'status'],
            properties: {
              id: { type: 'string' },
              participant_id: { type: ['string', 'null'] },
              status: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const trial = await store.getTrial(request.params.trialId);
      const resource: ParticipantResource = {
        kind: 'participant',
        trialLocked: trial.lockedAt !== undefined,
        site: body.site_id,
        peerWorkerIds: [],
      };
      authorize(user, 'write_participant', resource);
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
      const today = clock().toISOString().slice(0, 10);
      const id = randomId(random, 'S-');
      const screening: ScreeningLogEntry = {
        screeningId: id,
        trialId: trial.trialId,
        site: body.site_id,
        screenedDate: body.screened_date ?? today,
        screenedBy: user.userId,
        criteria: criteriaOf(body),
        outcome: 'pending',
      };
      const consent = body.consent_given
        ? {
            screeningId: id,
            consentDate: today,
            consentFormVersion: body.consent_form_version ?? '1.0',
            takenBy: user.userId,
            recordsAccess: true,
            recordsAfterWithdrawal: true,
          }
        : undefined;
      const eligibility = evaluateEligibility(trial.config, screening, consent);
      if (!eligibility.eligible) {
        throw ineligible(
          eligibility.reasons.map((reason) => ({
            path:
              reason.ruleId === 'consent_recorded'
                ? 'consent_given'
                : (CRITERION_FIELDS[ruleField(trial.config.eligibility, reason.ruleId)] ?? reason.ruleId),
            code: reason.ruleId,
            message: reason.message,
          })),
        );
      }
      const actor = { userId: user.userId, role: user.role };
      await store.saveRecords(
        trial.trialId,
        [
          { kind: 'screening', record: screening },
          ...(consent === undefined ? [] : [{ kind: 'consent' as const, record: consent }]),
        ],
        { actor },
      );
      return reply.status(201).send({ id, participant_id: null, status: participantStatus(screening) });
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/participants',
    {
      schema: {
        summary: "The participants the caller may read (researchers and coordinators: their sites' only)",
        tags: ['participants'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['participants'],
            properties: { participants: { type: 'array', items: participantSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const trialLocked = trial.lockedAt !== undefined;
      authorize(user, 'read_participant', ownParticipantProbe(user, trialLocked));
      const [screenings, consents, records, assignments] = await Promise.all([
        store.listRecords(trial.trialId, 'screening'),
        store.listRecords(trial.trialId, 'consent'),
        store.listParticipantRecords(trial.trialId),
        store.listRecords(trial.trialId, 'assignment'),
      ]);
      const consentOf = new Map(consents.map((record) => [record.recordId, record]));
      const allocationOf = new Map(
        records.map((record) => [record.participant.participantId, record.randomisation]),
      );
      const participants: Record<string, unknown>[] = [];
      for (const screening of screenings) {
        const participantId = screening.data.participantId;
        const resource: ParticipantResource = {
          kind: 'participant',
          trialLocked,
          site: screening.data.site,
          peerWorkerIds: assignments
            .filter((record) => participantId !== undefined && record.data.participantId === participantId)
            .map((record) => record.data.peerWorkerId),
        };
        if (!can(user, 'read_participant', resource)) continue;
        participants.push(
          participantBody(user, {
            id: screening.recordId,
            trial,
            screening,
            consent: consentOf.get(screening.recordId),
            randomisation: participantId === undefined ? undefined : allocationOf.get(participantId),
            resource,
          }),
        );
      }
      return { participants };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id',
    {
      schema: {
        summary: 'One participant; the key "arm" only for callers allowed to view allocation',
        tags: ['participants'],
        params: idParams,
        response: { 200: participantSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'read_participant', participant.resource, participant.id);
      return participantBody(user, participant);
    },
  );

  app.patch<{
    Params: { id: string };
    Body: Partial<NewParticipantBody> & { version: number; reason: string };
  }>(
    '/api/participants/:id',
    {
      schema: {
        summary: 'Correct screening fields (optimistic concurrency: send the version you read; stale -> 409)',
        tags: ['participants'],
        params: idParams,
        body: {
          type: 'object',
          required: ['version', 'reason'],
          additionalProperties: false,
          properties: { version: { type: 'integer', minimum: 1 }, reason: reasonProperty, ...fieldSchemas },
        },
        response: { 200: participantSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'write_participant', participant.resource, participant.id);
      const { version, reason, ...fields } = request.body;
      const entry = participant.screening.data;
      if (
        entry.outcome === 'randomised' &&
        fields.diagnosis_group !== undefined &&
        fields.diagnosis_group !== diagnosisGroupOf(entry)
      ) {
        throw new HttpError(
          409,
          'conflict',
          'diagnosis_group requires no change after randomisation (got a change: the stratum was confirmed)',
        );
      }
      const next: ScreeningLogEntry = { ...entry, criteria: criteriaOf(fields, entry.criteria) };
      if (entry.outcome === 'pending') {
        const eligibility = evaluateEligibility(participant.trial.config, next, participant.consent?.data);
        if (!eligibility.eligible) {
          throw ineligible(
            eligibility.reasons.map((item) => ({
              path:
                CRITERION_FIELDS[ruleField(participant.trial.config.eligibility, item.ruleId)] ?? item.ruleId,
              code: item.ruleId,
              message: item.message,
            })),
          );
        }
      }
      const saved = await store.saveRecord(participant.trial.trialId, 'screening', next, {
        actor: { userId: user.userId, role: user.role },
        reason,
        expectedVersion: version,
      });
      return participantBody(user, { ...participant, screening: saved });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/participants/:id/randomise',
    {
      schema: {
        summary: 'Randomise an eligible, consented participant exactly once (409 if already randomised)',
        description: 'The arm is in the answer only for callers allowed to view allocation.',
        tags: ['participants'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['sequence_number'],
            properties: { sequence_number: { type: 'integer' }, arm: { type: 'string' } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'randomise', participant.resource, participant.id);
      const entry = participant.screening.data;
      const strata: Record<string, string> = {};
      for (const factor of participant.trial.config.factors) {
        if (factor.name === 'site') strata.site = entry.site;
        else if (factor.name === 'diagnosis_group') strata.diagnosis_group = diagnosisGroupOf(entry);
        else {
          const value = entry.criteria[factor.name];
          if (value !== undefined) strata[factor.name] = String(value);
        }
      }
      const allocation = await store.randomise(
        { trialId: participant.trial.trialId, screeningId: participant.id, strata },
        { userId: user.userId, role: user.role },
      );
      return can(user, 'view_allocation', participant.resource)
        ? { sequence_number: allocation.sequence, arm: allocation.arm }
        : { sequence_number: allocation.sequence };
    },
  );
}

/** The criterion field an eligibility rule reads ('' for consent). */
function ruleField(rules: readonly EligibilityRule[], ruleId: string): string {
  const rule = rules.find((item) => item.id === ruleId);
  return rule !== undefined && 'field' in rule ? rule.field : '';
}

/** A participant at the user's own site and on their caseload: does the role read participants at all? */
function ownParticipantProbe(
  user: { sites: readonly string[]; userId: string },
  trialLocked: boolean,
): ParticipantResource {
  return { kind: 'participant', trialLocked, site: user.sites[0] ?? '', peerWorkerIds: [user.userId] };
}
