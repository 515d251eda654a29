import type { FastifyInstance } from 'fastify';
import { can, defaultBlockSizes } from '../../trial/index.ts';
import { trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { trialParams } from '../schemas.ts';

const settingsResponse = {
  200: {
    type: 'object',
    required: ['trial_id', 'method', 'arms', 'factors', 'locked', 'database_locked'],
    properties: {
      trial_id: { type: 'string' },
      method: { type: 'string', enum: ['permuted_blocks', 'minimisation'] },
      arms: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'ratio'],
          properties: { name: { type: 'string' }, ratio: { type: 'integer' } },
        },
      },
      factors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'levels'],
          properties: {
            name: { type: 'string' },
            levels: { type: 'array', items: { type: 'string' } },
            weight: { type: 'number' },
          },
        },
      },
      block_sizes: { type: 'array', items: { type: 'integer' } },
      block_sizes_default: { type: 'boolean' },
      imbalance: { type: 'string' },
      preferred_arm_probability: { type: 'number' },
      locked: { type: 'boolean' },
      database_locked: { type: 'boolean' },
    },
  },
} as const;

/**
 * GET /api/trials/:trialId/randomisation-settings (trial manager, admin: callers allowed `view_audit`, whose
 * audit trail already holds the configuration). The settings as configured and whether they are locked (after
 * the first allocation); never the randomisation state (pending block contents, position in a block,
 * generator state), which would let a reader predict the next allocation.
 */
export function registerRandomisationSettingsRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/randomisation-settings',
    {
      schema: {
        summary: 'The randomisation method, arms and ratio, factors, block sizes and whether they are locked',
        description:
          'Trial manager and administrator. Never the randomisation state: no pending block contents, position in a block or generator state.',
        tags: ['trials'],
        params: trialParams,
        response: settingsResponse,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const resource = trialResource(trial);
      if (!can(user, 'view_audit', resource)) {
        throw new HttpError(
          403,
          'forbidden',
          `the randomisation settings require a trial manager or an administrator (got ${user.role})`,
        );
      }
      const participants = await store.listParticipants(trial.trialId);
      const { config } = trial;
      const settings = config.randomisation;
      const method =
        settings.kind === 'permuted_blocks'
          ? {
              block_sizes: [...(settings.blockSizes ?? defaultBlockSizes(config.arms))],
              block_sizes_default: settings.blockSizes === undefined,
            }
          : {
              imbalance: settings.imbalance ?? 'range',
              preferred_arm_probability: settings.preferredArmProbability ?? 0.8,
            };
      return {
        trial_id: trial.trialId,
        method: settings.kind,
        arms: config.arms.map((arm) => ({ name: arm.name, ratio: arm.ratio })),
        factors: config.factors.map((factor) => ({
          name: factor.name,
          levels: [...factor.levels],
          ...(factor.weight === undefined ? {} : { weight: factor.weight }),
        })),
        ...method,
        locked: participants.length > 0,
        database_locked: resource.trialLocked,
      };
    },
  );
}
