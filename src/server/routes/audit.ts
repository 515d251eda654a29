import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { trialParams } from '../schemas.ts';

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string' },
    actor_id: { type: 'string' },
    actor_username: { type: ['string', 'null'] },
    trial_id: { type: ['string', 'null'] },
    action: { type: 'string' },
    entity: { type: 'string' },
    record_id: { type: ['string', 'null'] },
    field: { type: ['string', 'null'] },
    old_value: {},
    new_value: {},
    reason: { type: ['string', 'null'] },
    redacted: { type: 'boolean' },
  },
} as const;

const auditResponse = {
  200: {
    type: 'object',
    required: ['entries'],
    properties: { entries: { type: 'array', items: entrySchema } },
  },
} as const;

/** An audit entry as the API shows it (snake_case; values already redacted by the store for the viewer). */
export function auditEntryBody(entry: AuditEntry) {
  return {
    seq: entry.seq,
    at: entry.at,
    actor_id: entry.actorId,
    trial_id: entry.trialId,
    action: entry.action,
    entity: entry.entity,
    record_id: entry.recordId,
    field: entry.field,
    old_value: entry.oldValue,
    new_value: entry.newValue,
    reason: entry.reason,
    redacted: entry.redacted,
  };
}

/** GET /api/trials/:trialId/audit (admin, trial manager; each entry with the actor's username), GET /api/audit (admin: every entry, logins too). */
export function registerAuditRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/audit',
    {
      schema: {
        summary:
          "A trial's audit trail; allocation values blanked (and arm-revealing entries withheld) for blinded callers",
        tags: ['audit'],
        params: trialParams,
        response: auditResponse,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'view_audit', trialResource(trial));
      const entries = await store.listAudit({ trialId: trial.trialId, viewer: user });
      const usernames = new Map((await store.listUsers()).map((each) => [each.userId, each.username]));
      return {
        entries: entries.map((entry) => ({
          ...auditEntryBody(entry),
          actor_username: usernames.get(entry.actorId) ?? null,
        })),
      };
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        summary: 'The whole audit trail: users, logins, lockouts and every trial (administrators)',
        tags: ['audit'],
        response: auditResponse,
      },
    },
    async (request) => {
      const user = requireUser(request);
      authorize(user, 'manage_users', { kind: 'trial', trialLocked: false });
      const entries = await store.listAudit({ viewer: user });
      const usernames = new Map((await store.listUsers()).map((each) => [each.userId, each.username]));
      return {
        entries: entries.map((entry) => ({
          ...auditEntryBody(entry),
          actor_username: usernames.get(entry.actorId) ?? null,
        })),
      };
    },
  );
}
