import type { FastifyInstance } from 'fastify';
import {
  can,
  isBlinded,
  redactForUser,
  SAE_EXPECTEDNESS,
  SAE_OUTCOMES,
  SAE_RELATEDNESS,
  SAE_SERIOUSNESS,
  type SeriousAdverseEvent,
  type StoredRecord,
  type User,
} from '../../trial/index.ts';
import { authorizeParticipant } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { loadParticipant } from '../participant-view.ts';
import { idParams, reasonProperty, trialParams } from '../schemas.ts';
import { randomId } from '../secrets.ts';
import {
  actorOf,
  DATE_SCHEMA,
  loadSnapshot,
  recordBody,
  recordNotFound,
  recordSchema,
  recordsOf,
  requireParticipantRole,
  requireRandomised,
  resourceIn,
  saveVersioned,
  todayOf,
  versionProperty,
} from '../workflow.ts';

const SAE_CATEGORIES = [
  'death',
  'hospitalisation',
  'self_harm',
  'suicide_attempt',
  'violence',
  'other',
] as const;

const saeProperties = {
  category: { type: 'string', enum: [...SAE_CATEGORIES] },
  onset_date: DATE_SCHEMA,
  reported_date: DATE_SCHEMA,
  description: { type: 'string', minLength: 1, maxLength: 5000 },
  seriousness: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', enum: [...SAE_SERIOUSNESS] },
  },
  relatedness: { type: 'string', enum: [...SAE_RELATEDNESS] },
  expectedness: { type: 'string', enum: [...SAE_EXPECTEDNESS] },
  outcome: { type: 'string', enum: [...SAE_OUTCOMES] },
} as const;

const SAE_REQUIRED = [
  'category',
  'onset_date',
  'description',
  'seriousness',
  'relatedness',
  'expectedness',
  'outcome',
];

interface SaeBody {
  category: SeriousAdverseEvent['category'];
  onset_date: string;
  reported_date?: string;
  description: string;
  seriousness: SeriousAdverseEvent['seriousness'];
  relatedness: SeriousAdverseEvent['relatedness'];
  expectedness: SeriousAdverseEvent['expectedness'];
  outcome: SeriousAdverseEvent['outcome'];
  version?: number;
  reason?: string;
}

/** An SAE as `user` may see it: blinded callers never get `relatedness` (relatedness to peer support implies the arm). */
function saeBody(
  user: User,
  stored: StoredRecord<'sae'>,
  trialLocked: boolean,
  extra: Record<string, unknown> = {},
) {
  const visible = redactForUser(user, 'sae', stored.data, { trialLocked });
  return { ...recordBody(stored, visible), ...extra };
}

/**
 * Serious adverse events (report, correct, list per participant and per trial) and emergency unblinding.
 */
export function registerSafetyRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock, random } = context;

  app.post<{ Params: { id: string }; Body: SaeBody }>(
    '/api/participants/:id/saes',
    {
      schema: {
        summary: 'Report a serious adverse event',
        description: 'Relatedness is recorded from every reporter but shown only to unblinded callers.',
        tags: ['safety'],
        params: idParams,
        body: {
          type: 'object',
          required: SAE_REQUIRED,
          additionalProperties: false,
          properties: saeProperties,
        },
        response: { 201: recordSchema() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'report_sae', participant.resource, participant.id);
      const participantId = requireRandomised(participant, 'a serious adverse event');
      const body = request.body;
      const record: SeriousAdverseEvent = {
        saeId: randomId(random, 'SAE-'),
        participantId,
        category: body.category,
        onsetDate: body.onset_date,
        reportedDate: body.reported_date ?? todayOf(clock),
        reportedBy: user.userId,
        description: body.description,
        seriousness: body.seriousness,
        relatedness: body.relatedness,
        expectedness: body.expectedness,
        outcome: body.outcome,
      };
      const saved = await saveVersioned(store, participant.trial, 'sae', record, user, {});
      return reply.status(201).send(saeBody(user, saved, participant.trial.lockedAt !== undefined));
    },
  );

  app.put<{ Params: { id: string; saeId: string }; Body: SaeBody }>(
    '/api/participants/:id/saes/:saeId',
    {
      schema: {
        summary: 'Follow up or correct a serious adverse event (version and reason required)',
        description:
          'relatedness is optional here: omitted, the stored assessment is kept. A caller blinded to allocation (who is never shown relatedness) may not send it (422 `sae_relatedness_blinded`), so a blinded follow-up never overwrites the unblinded assessment.',
        tags: ['safety'],
        params: {
          type: 'object',
          required: ['id', 'saeId'],
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 64 },
            saeId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        body: {
          type: 'object',
          required: [...SAE_REQUIRED.filter((field) => field !== 'relatedness'), 'version', 'reason'],
          additionalProperties: false,
          properties: { ...saeProperties, version: versionProperty, reason: reasonProperty },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'report_sae', participant.resource, participant.id);
      const participantId = requireRandomised(participant, 'a serious adverse event');
      const existing = await store.findRecord(participant.trial.trialId, 'sae', request.params.saeId);
      if (existing === undefined || existing.data.participantId !== participantId) {
        throw recordNotFound('serious adverse event', request.params.saeId);
      }
      const body: Omit<SaeBody, 'relatedness'> & { relatedness?: SaeBody['relatedness'] } = request.body;
      // Decided by the caller's role alone: a blinded caller never sees relatedness, so may not change it.
      if (body.relatedness !== undefined && isBlinded(user, participant.trial.lockedAt !== undefined)) {
        throw new HttpError(
          422,
          'sae_relatedness_blinded',
          `serious adverse event "${request.params.saeId}" requires no relatedness from a caller blinded to allocation (got ${body.relatedness}: relatedness is assessed by unblinded staff; leave it out and the stored assessment is kept)`,
        );
      }
      const record: SeriousAdverseEvent = {
        ...existing.data,
        category: body.category,
        onsetDate: body.onset_date,
        reportedDate: body.reported_date ?? existing.data.reportedDate,
        description: body.description,
        seriousness: body.seriousness,
        relatedness: body.relatedness ?? existing.data.relatedness,
        expectedness: body.expectedness,
        outcome: body.outcome,
      };
      const saved = await saveVersioned(store, participant.trial, 'sae', record, user, body);
      return saeBody(user, saved, participant.trial.lockedAt !== undefined);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/saes',
    {
      schema: {
        summary: "A participant's serious adverse events (relatedness only for unblinded callers)",
        tags: ['safety'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['saes'],
            properties: { saes: { type: 'array', items: recordSchema() } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'view_sae', participant.resource, participant.id);
      const participantId = participant.screening.data.participantId;
      if (participantId === undefined) return { saes: [] };
      const saes = await recordsOf(store, participant.trial.trialId, 'sae', participantId);
      const locked = participant.trial.lockedAt !== undefined;
      return { saes: saes.map((stored) => saeBody(user, stored, locked)) };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/saes',
    {
      schema: {
        summary: "Every serious adverse event the caller may see (their sites'), newest onset first",
        tags: ['safety'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['saes'],
            properties: { saes: { type: 'array', items: recordSchema() } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'view_sae', snapshot.locked);
      const saes = await store.listRecords(snapshot.trial.trialId, 'sae');
      const screeningOf = new Map(
        snapshot.screenings
          .filter((entry) => entry.data.participantId !== undefined)
          .map((entry) => [entry.data.participantId as string, entry]),
      );
      const visible = saes
        .filter((stored) => {
          const screening = screeningOf.get(stored.data.participantId);
          return screening !== undefined && can(user, 'view_sae', resourceIn(snapshot, screening.data));
        })
        .sort((a, b) => b.data.onsetDate.localeCompare(a.data.onsetDate));
      return {
        saes: visible.map((stored) =>
          saeBody(user, stored, snapshot.locked, {
            id: screeningOf.get(stored.data.participantId)?.recordId,
            site_id: screeningOf.get(stored.data.participantId)?.data.site,
          }),
        ),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/participants/:id/unblind',
    {
      schema: {
        summary: "Emergency unblinding: reveal one participant's arm (reason required; audited)",
        description:
          'The only path by which a blinded trial manager learns an arm before the lock. The audit records who, when and why; the answer holds the arm.',
        tags: ['safety'],
        params: idParams,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 10, maxLength: 2000, pattern: '\\S' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['participant_id', 'arm', 'unblinded_at', 'unblinded_by'],
            properties: {
              participant_id: { type: 'string' },
              arm: { type: 'string' },
              unblinded_at: { type: 'string' },
              unblinded_by: { type: 'string' },
            },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const participant = await loadParticipant(store, request.params.id);
      authorizeParticipant(user, 'emergency_unblind', participant.resource, participant.id);
      const participantId = requireRandomised(participant, 'emergency unblinding');
      const { arm } = await store.unblind(participant.trial.trialId, participantId, {
        actor: actorOf(user),
        reason: request.body.reason,
      });
      return {
        participant_id: participantId,
        arm,
        unblinded_at: clock().toISOString(),
        unblinded_by: user.userId,
      };
    },
  );
}
