import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../trial/index.ts';
import { authorize } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { createdId, ID_PATTERN } from '../schemas.ts';

interface NewUserBody {
  username: string;
  password: string;
  role: Role;
  site_ids: string[];
}

/** POST /api/users (admin: `manage_users`). */
export function registerUserRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  app.post<{ Body: NewUserBody }>(
    '/api/users',
    {
      schema: {
        summary: 'Create a user with a role and the sites they work at',
        tags: ['users'],
        body: {
          type: 'object',
          required: ['username', 'password', 'role', 'site_ids'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' },
            password: { type: 'string', minLength: 8, maxLength: 1024 },
            role: { type: 'string', enum: [...ROLES] },
            site_ids: { type: 'array', items: { type: 'string', pattern: ID_PATTERN }, uniqueItems: true },
          },
        },
        response: { 201: createdId },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      authorize(user, 'manage_users', { kind: 'trial', trialLocked: false });
      const body = request.body;
      const created = await store.createUser(
        { username: body.username, password: body.password, role: body.role, sites: body.site_ids },
        { actor: { userId: user.userId, role: user.role } },
      );
      return reply.status(201).send({ id: created.userId });
    },
  );
}
