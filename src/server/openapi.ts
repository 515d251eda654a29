import type { RouteOptions } from 'fastify';

/** One registered route as the OpenAPI document sees it. */
export interface RouteDescription {
  readonly method: string;
  readonly url: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly public: boolean;
}

/** Collects the routes fastify registers (its onRoute hook) for {@link buildOpenApiDocument}. */
export function createRouteCollector(): {
  routes: RouteDescription[];
  onRoute: (route: RouteOptions) => void;
} {
  const routes: RouteDescription[] = [];
  return {
    routes,
    onRoute(route) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        routes.push({
          method: method.toLowerCase(),
          url: route.url,
          schema: (route.schema ?? {}) as Record<string, unknown>,
          public: (route.config as { public?: boolean } | undefined)?.public === true,
        });
      }
    },
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
          },
        },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of the registered routes, generated from their JSON schemas (`summary`,
 * `description`, `tags`, `params`, `querystring`, `body`, `response`). Served at `/api/openapi.json`.
 *
 * @example
 * buildOpenApiDocument(routes, '0.1.0').paths['/api/health']; // { get: { ... } }
 */
export function buildOpenApiDocument(routes: readonly RouteDescription[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((left, right) => left.url.localeCompare(right.url))) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const schema = route.schema;
    const parameters: unknown[] = [];
    for (const [where, key] of [
      ['path', 'params'],
      ['query', 'querystring'],
    ] as const) {
      const part = schema[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, property] of Object.entries(part?.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (part?.required ?? []).includes(name),
          schema: property,
        });
      }
    }
    const responses: Record<string, unknown> = {};
    const declared = (schema.response ?? {}) as Record<string, Record<string, unknown>>;
    for (const [status, response] of Object.entries(declared)) {
      const { description, content, ...json } = response as {
        description?: string;
        content?: unknown;
      };
      responses[status] = {
        description: description ?? 'success',
        content: content ?? { 'application/json': { schema: json } },
      };
    }
    if (!route.public)
      responses['401'] = {
        description: 'not authenticated or session expired',
        content: { 'application/json': { schema: ERROR_SCHEMA } },
      };
    responses.default = {
      description: 'an error',
      content: { 'application/json': { schema: ERROR_SCHEMA } },
    };
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method] = {
      ...(schema.summary === undefined ? {} : { summary: schema.summary }),
      ...(schema.description === undefined ? {} : { description: schema.description }),
      ...(schema.tags === undefined ? {} : { tags: schema.tags }),
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(schema.body === undefined
        ? {}
        : { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } }),
      responses,
      security: route.public ? [] : [{ sessionCookie: [] }, { bearerToken: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'enrich HTTP API',
      version,
      description:
        'Trials of peer support: authentication, role- and site-scoped access, blinding. See docs/reference/http-api.md.',
    },
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'enrich_session' },
        bearerToken: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
