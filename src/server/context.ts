import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthSession, RandomSource, TrialStore, User } from '../trial/index.ts';
import type { ServerConfig } from './config.ts';
import { HttpError } from './errors.ts';

/** What every route gets: the store, the clock, the random source for secrets and ids, the settings. */
export interface ServerContext {
  readonly store: TrialStore;
  readonly clock: () => Date;
  /** Session tokens, CSRF tokens, API tokens and ids are drawn from it: cryptographically secure in production. */
  readonly random: RandomSource;
  readonly config: ServerConfig;
}

/** Who made the request and how: a session cookie (CSRF checked on changes) or a bearer API token. */
export interface AuthContext {
  readonly user: User;
  readonly session: AuthSession;
  readonly via: 'cookie' | 'bearer';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; null on public routes. */
    auth: AuthContext | null;
  }
  interface FastifySchema {
    /** One line for the OpenAPI document. */
    summary?: string;
    description?: string;
    tags?: readonly string[];
  }
  interface FastifyContextConfig {
    /** No authentication (login, health, openapi). */
    public?: boolean;
  }
}

/** A route module: registers its routes on the app. Listed in routes/index.ts. */
export type RouteModule = (app: FastifyInstance, context: ServerContext) => void;

/**
 * The authenticated user of a request (every non-public route has one; the hook answered 401 otherwise).
 *
 * @throws HttpError 401 when called on a request without a user.
 */
export function requireUser(request: FastifyRequest): User {
  if (request.auth === null) {
    throw new HttpError(401, 'authentication_required', 'this request requires a session or an API token');
  }
  return request.auth.user;
}
