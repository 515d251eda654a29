import type { FastifyInstance } from 'fastify';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { createdId, ID_PATTERN, trialParams } from '../schemas.ts';

/** POST and GET /api/trials/:trialId/sites (`manage_sites`: admin, trial manager). */
export function registerSiteRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.post<{ Params: { trialId: string }; Body: { code: string; name: string } }>(
    '/api/trials/:trialId/sites',
    {
      schema: {
        summary: "Add a recruiting site; its code is its id and a level of the trial's site stratum",
        tags: ['sites'],
        params: trialParams,
        body: {
          type: 'object',
          required: ['code', 'name'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', pattern: ID_PATTERN },
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 201: createdId },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_sites', trialResource(trial));
      const site = await store.createSite(
        trial.trialId,
        { siteId: request.body.code, name: request.body.name },
        { actor: { userId: user.userId, role: user.role } },
      );
      return reply.status(201).send({ id: site.siteId });
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/sites',
    {
      schema: {
        summary: 'The sites of a trial',
        tags: ['sites'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['sites'],
            properties: {
              sites: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'code', 'name'],
                  properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const sites = await store.listSites(trial.trialId);
      return { sites: sites.map((site) => ({ id: site.siteId, code: site.siteId, name: site.name })) };
    },
  );
}
