import type { FastifyInstance } from 'fastify';
import { can, type User } from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { trialParams } from '../schemas.ts';

const userSchema = {
  type: 'object',
  required: ['id', 'username', 'role', 'site_ids'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    site_ids: { type: 'array', items: { type: 'string' } },
  },
} as const;

const peerWorkerSchema = {
  type: 'object',
  required: ['id', 'username'],
  properties: { id: { type: 'string' }, username: { type: 'string' } },
} as const;

/**
 * Whether the caller may see the peer workers of a trial, and which: a coordinator those sharing one of
 * their sites (allowed `view_contacts` for a participant at that site), a trial manager or administrator
 * every peer worker (allowed `view_audit`, which already names every user). A username reveals no allocation.
 */
function peerWorkerScope(user: User, trialLocked: boolean): 'all' | 'own_sites' | undefined {
  if (can(user, 'view_audit', { kind: 'trial', trialLocked })) return 'all';
  const atOwnSite = user.sites.some((site) =>
    can(user, 'view_contacts', { kind: 'participant', trialLocked, site, peerWorkerIds: [] }),
  );
  return atOwnSite ? 'own_sites' : undefined;
}

/**
 * GET /api/users (admin: `manage_users`): every user with role and sites.
 * GET /api/trials/:trialId/peer-workers (coordinator: peer workers at their sites; trial manager, admin: all).
 */
export function registerUserDirectoryRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get(
    '/api/users',
    {
      schema: {
        summary: 'Every user: id, username, role and sites (administrators); never a password hash',
        tags: ['users'],
        response: {
          200: {
            type: 'object',
            required: ['users'],
            properties: { users: { type: 'array', items: userSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      authorize(user, 'manage_users', { kind: 'trial', trialLocked: false });
      const users = await store.listUsers();
      return {
        users: users.map((each) => ({
          id: each.userId,
          username: each.username,
          role: each.role,
          site_ids: [...each.sites],
        })),
      };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/peer-workers',
    {
      schema: {
        summary: 'The peer workers a caller may assign: id and username',
        description:
          "A peer worker coordinator sees the peer workers sharing one of the coordinator's sites; a trial manager or administrator sees every peer worker. Other roles: 403.",
        tags: ['peer support'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['peer_workers'],
            properties: { peer_workers: { type: 'array', items: peerWorkerSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const resource = trialResource(trial);
      const scope = peerWorkerScope(user, resource.trialLocked);
      if (scope === undefined) {
        throw new HttpError(
          403,
          'forbidden',
          `the peer worker list requires a peer worker coordinator at one of the trial's sites, a trial manager or an administrator (got ${user.role})`,
        );
      }
      const users = await store.listUsers();
      const peerWorkers = users.filter(
        (each) =>
          each.role === 'peer_worker' &&
          (scope === 'all' || each.sites.some((site) => user.sites.includes(site))),
      );
      return { peer_workers: peerWorkers.map((each) => ({ id: each.userId, username: each.username })) };
    },
  );
}
