import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { RandomSource, TrialStore } from '../trial/index.ts';
import { createAuthenticate } from './auth.ts';
import { resolveServerConfig, type ServerConfig } from './config.ts';
import type { ServerContext } from './context.ts';
import { HttpError, handleError } from './errors.ts';
import { buildOpenApiDocument, createRouteCollector } from './openapi.ts';
import { ROUTE_MODULES } from './routes/index.ts';
import { randomId } from './secrets.ts';
import { registerWebApp, type WebAssets } from './web-app.ts';

/** What {@link buildApp} needs; nothing else reaches the outside world. */
export interface AppDeps {
  readonly store: TrialStore;
  /** The clock for sessions and throttling (the store has its own, normally the same). */
  readonly clock: () => Date;
  /** For session, CSRF and API tokens and ids: `createSecureRandom()` in production. */
  readonly random: RandomSource;
  /** A pino logger (or fastify logger options); default: no logging. */
  readonly logger?: FastifyBaseLogger | boolean | Readonly<Record<string, unknown>>;
  readonly config?: Partial<ServerConfig>;
  /** The built browser app to serve from the same origin (`enrich serve` passes web/dist); none: API only. */
  readonly webAssets?: WebAssets;
}

/** The package version shown in the OpenAPI document and /api/health. */
export const API_VERSION = '0.1.0';

/**
 * The HTTP app: every route of docs/reference/http-api.md with JSON schemas (a request that fails one is
 * answered 400 listing every issue), authentication (session cookie + CSRF header, or bearer token), the
 * access policy through `can()`, one error handler, request ids in every log line. It never listens:
 * `enrich serve` (src/cli) does, and tests use `app.inject`.
 *
 * @example
 * const app = await buildApp({ store, clock: () => new Date(), random: createSecureRandom() });
 * const response = await app.inject({ method: 'GET', url: '/api/health' }); // 200 { status: 'ok', ... }
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config = resolveServerConfig(deps.config);
  const context: ServerContext = { store: deps.store, clock: deps.clock, random: deps.random, config };
  const logger = deps.logger ?? false;
  const app = Fastify({
    ...(typeof logger === 'object' && 'child' in logger
      ? { loggerInstance: logger as FastifyBaseLogger }
      : { logger: logger as boolean }),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    genReqId: () => randomId(deps.random, 'req-'),
    ajv: {
      customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true },
    },
  });
  // Registered before the route collector, so the app's catch-all stays out of the OpenAPI document.
  if (deps.webAssets !== undefined) registerWebApp(app, deps.webAssets);
  const collector = createRouteCollector();
  app.addHook('onRoute', collector.onRoute);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', createAuthenticate(context));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request) => {
    throw new HttpError(
      404,
      'not_found',
      `${request.method} ${request.url.split('?')[0]} requires a known route (got none)`,
    );
  });

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        summary: 'Whether the server and its database answer',
        tags: ['system'],
        response: {
          200: {
            type: 'object',
            required: ['status', 'version', 'database'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              version: { type: 'string' },
              database: { type: 'string', enum: ['sqlite', 'postgres'] },
            },
          },
        },
      },
    },
    async () => {
      await deps.store.listTrials();
      return { status: 'ok', version: API_VERSION, database: deps.store.dialect };
    },
  );

  app.get(
    '/api/openapi.json',
    {
      config: { public: true },
      schema: { summary: 'This API as an OpenAPI 3.1 document', tags: ['system'] },
    },
    async () => buildOpenApiDocument(collector.routes, API_VERSION),
  );

  for (const register of ROUTE_MODULES) register(app, context);
  await app.ready();
  return app;
}
