import type { FastifyInstance } from 'fastify';
import { EMPLOYER_TYPES, type EmployerType, type Site } from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { createdId, ID_PATTERN, reasonProperty, trialParams } from '../schemas.ts';

const employerTypeProperty = { type: 'string', enum: [...EMPLOYER_TYPES] } as const;

const siteBody = {
  type: 'object',
  required: ['id', 'code', 'name', 'employer_type'],
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    employer_type: { type: ['string', 'null'], enum: [...EMPLOYER_TYPES, null] },
  },
} as const;

/** A site as the API shows it; `employer_type` is null until set. */
function siteJson(site: Site) {
  return { id: site.siteId, code: site.siteId, name: site.name, employer_type: site.employerType ?? null };
}

/**
 * POST, PATCH and GET /api/trials/:trialId/sites (`manage_sites`: admin, trial manager). A site carries the
 * employer type of its peer workers (nhs | voluntary), which fidelity ratings take from it.
 */
export function registerSiteRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.post<{
    Params: { trialId: string };
    Body: { code: string; name: string; employer_type?: EmployerType };
  }>(
    '/api/trials/:trialId/sites',
    {
      schema: {
        summary:
          "Add a recruiting site; its code is its id and a level of the trial's site stratum; employer_type (nhs | voluntary) is who employs its peer workers",
        tags: ['sites'],
        params: trialParams,
        body: {
          type: 'object',
          required: ['code', 'name'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', pattern: ID_PATTERN },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            employer_type: employerTypeProperty,
          },
        },
        response: { 201: createdId },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_sites', trialResource(trial));
      const { code, name, employer_type: employerType } = request.body;
      const site = await store.createSite(
        trial.trialId,
        { siteId: code, name, ...(employerType === undefined ? {} : { employerType }) },
        { actor: { userId: user.userId, role: user.role } },
      );
      return reply.status(201).send({ id: site.siteId });
    },
  );

  app.patch<{
    Params: { trialId: string; siteId: string };
    Body: { name?: string; employer_type?: EmployerType; reason: string };
  }>(
    '/api/trials/:trialId/sites/:siteId',
    {
      schema: {
        summary: "Change a site's name and/or employer type (reason required; audited)",
        description:
          'The ratings file and the fidelity analysis take each interview’s employer type from its site, so a change here applies to ratings already entered.',
        tags: ['sites'],
        params: {
          type: 'object',
          required: ['trialId', 'siteId'],
          properties: {
            trialId: { type: 'string', pattern: ID_PATTERN },
            siteId: { type: 'string', pattern: ID_PATTERN },
          },
        },
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            employer_type: employerTypeProperty,
            reason: reasonProperty,
          },
        },
        response: { 200: siteBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_sites', trialResource(trial));
      const { name, employer_type: employerType, reason } = request.body;
      const site = await store.updateSite(
        trial.trialId,
        request.params.siteId,
        { ...(name === undefined ? {} : { name }), ...(employerType === undefined ? {} : { employerType }) },
        { actor: { userId: user.userId, role: user.role }, reason },
      );
      return siteJson(site);
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/sites',
    {
      schema: {
        summary: 'The sites of a trial (employer_type null until set)',
        tags: ['sites'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['sites'],
            properties: { sites: { type: 'array', items: siteBody } },
          },
        },
      },
    },
    async (request) => {
      requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const sites = await store.listSites(trial.trialId);
      return { sites: sites.map(siteJson) };
    },
  );
}
