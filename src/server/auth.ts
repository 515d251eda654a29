import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';
import { tokenHash, tokenMatches } from './secrets.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'enrich_session';
/** The header a cookie-authenticated change must carry (the `csrf_token` of the login response). */
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

/** Whether the session cookie gets `Secure` on this request (TLS, or a trusted proxy saying https). */
function secure(request: FastifyRequest, context: ServerContext): boolean {
  const setting = context.config.secureCookies;
  if (setting !== 'auto') return setting === 'always';
  return request.protocol === 'https';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/api, Secure over TLS. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ServerContext,
  token: string,
): void {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/api', 'HttpOnly', 'SameSite=Strict'];
  if (secure(request, context)) parts.push('Secure');
  reply.header('set-cookie', parts.join('; '));
}

/** Clears the session cookie (logout). */
export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ServerContext,
): void {
  const parts = [`${SESSION_COOKIE}=`, 'Path=/api', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (secure(request, context)) parts.push('Secure');
  reply.header('set-cookie', parts.join('; '));
}

const unauthenticated = () =>
  new HttpError(
    401,
    'authentication_required',
    'this request requires a session cookie or a bearer API token',
  );

/**
 * The authentication hook (onRequest, before body parsing and validation): a bearer API token
 * (`Authorization: Bearer <token>`, no CSRF token needed) or the session cookie; a cookie-authenticated
 * POST/PUT/PATCH/DELETE must carry the session's CSRF token in `x-csrf-token`. A session unused for longer
 * than `sessionTimeoutMs` is ended (401 `session_expired`). Public routes (`config.public`) skip it.
 */
export function createAuthenticate(context: ServerContext) {
  const { store, clock, config } = context;
  // Activity is written at most this often per session, so reads do not all become writes.
  const touchEveryMs = Math.min(15_000, Math.floor(config.sessionTimeoutMs / 20));
  return async function authenticate(request: FastifyRequest): Promise<void> {
    request.auth = null;
    // Public routes, and unknown ones (answered 404 by the not-found handler), need no credentials.
    if (request.routeOptions.config?.public === true || request.routeOptions.url === undefined) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (match === null) throw unauthenticated();
      const found = await store.findSession(tokenHash(match[1] as string));
      if (found === undefined || found.session.kind !== 'api_token') throw unauthenticated();
      request.auth = { user: found.user, session: found.session, via: 'bearer' };
      return;
    }
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token === undefined || token === '') throw unauthenticated();
    const hash = tokenHash(token);
    const found = await store.findSession(hash);
    if (found === undefined || found.session.kind !== 'session') throw unauthenticated();
    const now = clock();
    const idle = now.getTime() - new Date(found.session.lastSeenAt).getTime();
    if (idle > config.sessionTimeoutMs) {
      await store.deleteSession(hash);
      throw new HttpError(
        401,
        'session_expired',
        `session requires activity within ${Math.round(config.sessionTimeoutMs / 60_000)} minutes (got none for ${Math.round(idle / 60_000)} minutes); log in again`,
      );
    }
    if (UNSAFE_METHODS.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (
        typeof presented !== 'string' ||
        found.session.csrfHash === null ||
        !tokenMatches(presented, found.session.csrfHash)
      ) {
        throw new HttpError(
          403,
          'csrf_token_invalid',
          `a change made with a session cookie requires the ${CSRF_HEADER} header with the csrf_token from the login response`,
        );
      }
    }
    if (idle >= touchEveryMs) await store.touchSession(hash, now.toISOString());
    request.auth = { user: found.user, session: found.session, via: 'cookie' };
  };
}
