import type { FastifyInstance } from 'fastify';
import { ENRICH_TRIAL_CONFIG, type Trial } from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { createdId, ID_PATTERN, reasonProperty, trialParams } from '../schemas.ts';

/** The templates a trial can be created from. */
export const TRIAL_TEMPLATES = { enrich: ENRICH_TRIAL_CONFIG } as const;

const trialSchema = {
  type: 'object',
  required: ['id', 'name', 'title', 'created_at', 'locked_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    created_at: { type: 'string' },
    locked_at: { type: ['string', 'null'] },
  },
} as const;

/** A trial as the API shows it (the configuration itself stays server-side). */
export function trialBody(trial: Trial) {
  return {
    id: trial.trialId,
    name: trial.config.name,
    title: trial.config.title,
    created_at: trial.createdAt,
    locked_at: trial.lockedAt ?? null,
  };
}

/** POST /api/trials (admin), GET /api/trials, GET /api/trials/:trialId, POST /api/trials/:trialId/lock. */
export function registerTrialRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.post<{ Body: { name: string; template: keyof typeof TRIAL_TEMPLATES; title?: string } }>(
    '/api/trials',
    {
      schema: {
        summary: 'Create a trial from a template (its name is its id)',
        tags: ['trials'],
        body: {
          type: 'object',
          required: ['name', 'template'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: ID_PATTERN },
            template: { type: 'string', enum: Object.keys(TRIAL_TEMPLATES) },
            title: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: createdId },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      authorize(user, 'configure_trial', { kind: 'trial', trialLocked: false });
      const { name, template, title } = request.body;
      const config = { ...TRIAL_TEMPLATES[template], name, ...(title === undefined ? {} : { title }) };
      const trial = await store.createTrial(name, config, {
        actor: { userId: user.userId, role: user.role },
      });
      return reply.status(201).send({ id: trial.trialId });
    },
  );

  app.get(
    '/api/trials',
    {
      schema: {
        summary: 'The trials',
        tags: ['trials'],
        response: {
          200: {
            type: 'object',
            required: ['trials'],
            properties: { trials: { type: 'array', items: trialSchema } },
          },
        },
      },
    },
    async (request) => {
      requireUser(request);
      return { trials: (await store.listTrials()).map(trialBody) };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId',
    {
      schema: { summary: 'One trial', tags: ['trials'], params: trialParams, response: { 200: trialSchema } },
    },
    async (request) => {
      requireUser(request);
      return trialBody(await store.getTrial(request.params.trialId));
    },
  );

  app.post<{ Params: { trialId: string }; Body: { reason?: string } | undefined }>(
    '/api/trials/:trialId/lock',
    {
      schema: {
        summary: 'Lock the database: afterwards no change is accepted and the unblinded export opens',
        tags: ['trials'],
        params: trialParams,
        body: { type: 'object', additionalProperties: false, properties: { reason: reasonProperty } },
        response: { 200: trialSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'lock_database', trialResource(trial));
      const reason = request.body?.reason;
      const locked = await store.lockTrial(trial.trialId, {
        actor: { userId: user.userId, role: user.role },
        ...(reason === undefined ? {} : { reason }),
      });
      return trialBody(locked);
    },
  );
}
