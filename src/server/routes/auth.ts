import type { FastifyInstance } from 'fastify';
import { clearSessionCookie, setSessionCookie } from '../auth.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomToken, tokenHash } from '../secrets.ts';

const userSchema = {
  type: 'object',
  required: ['id', 'username', 'role'],
  properties: { id: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' } },
} as const;

/** POST /api/auth/login, /api/auth/logout, /api/auth/tokens. */
export function registerAuthRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock, random, config } = context;

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        summary: 'Log in: a session cookie and the CSRF token for changes',
        description:
          'Rate-limited per account and per address: after 5 failures within 15 minutes further attempts get 429 for 15 minutes (audited: lockout, lockout_end).',
        tags: ['auth'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['user', 'csrf_token'],
            properties: { user: userSchema, csrf_token: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const keys = [`account:${username.toLowerCase()}`, `address:${request.ip}`];
      const lockout = await store.findLoginLockout(keys);
      if (lockout !== undefined) {
        const seconds = Math.max(
          1,
          Math.ceil((new Date(lockout.until).getTime() - clock().getTime()) / 1000),
        );
        throw new HttpError(
          429,
          'login_rate_limited',
          `login requires fewer than ${config.loginThrottle.maxFailures} failed attempts within ${Math.round(config.loginThrottle.windowMs / 60_000)} minutes (got too many; try again after ${lockout.until})`,
          { headers: { 'retry-after': String(seconds) } },
        );
      }
      const user = await store.verifyLogin(username, password);
      if (user === undefined) {
        await store.recordLoginFailure(keys, config.loginThrottle);
        throw new HttpError(
          401,
          'login_failed',
          'login requires a known username and its password (got no match)',
        );
      }
      await store.clearLoginFailures(keys[0] as string);
      const token = randomToken(random, 32);
      const csrfToken = randomToken(random, 32);
      const at = clock().toISOString();
      await store.createSession({
        tokenHash: tokenHash(token),
        kind: 'session',
        userId: user.userId,
        csrfHash: tokenHash(csrfToken),
        createdAt: at,
        lastSeenAt: at,
      });
      setSessionCookie(request, reply, context, token);
      return { user: { id: user.userId, username: user.username, role: user.role }, csrf_token: csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        summary: 'End the session (cookie) or revoke the API token (bearer) the request used',
        tags: ['auth'],
        response: { 204: { type: 'null', description: 'logged out' } },
      },
    },
    async (request, reply) => {
      requireUser(request);
      await store.deleteSession((request.auth as NonNullable<typeof request.auth>).session.tokenHash);
      clearSessionCookie(request, reply, context);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { label?: string } | undefined }>(
    '/api/auth/tokens',
    {
      schema: {
        summary: 'Create an API token for scripts (Authorization: Bearer <token>; no CSRF token needed)',
        description:
          'The token is shown once; the server keeps only its SHA-256. Revoke it with POST /api/auth/logout using it.',
        tags: ['auth'],
        response: {
          201: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const token = `enrich_${randomToken(random, 32)}`;
      const at = clock().toISOString();
      await store.createSession({
        tokenHash: tokenHash(token),
        kind: 'api_token',
        userId: user.userId,
        csrfHash: null,
        createdAt: at,
        lastSeenAt: at,
      });
      return reply.status(201).send({ token });
    },
  );
}
