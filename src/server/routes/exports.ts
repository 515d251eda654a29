import type { FastifyInstance } from 'fastify';
import { exportTrialData } from '../../storage/index.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { trialParams } from '../schemas.ts';

/** GET /api/trials/:trialId/analysis-dataset.csv (unblinded: statistician after lock, admin; `?blinded=true`: blinded export). */
export function registerExportRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  app.get<{ Params: { trialId: string }; Querystring: { blinded?: 'true' | 'false' } }>(
    '/api/trials/:trialId/analysis-dataset.csv',
    {
      schema: {
        summary: 'The analysis dataset (docs/reference/data-dictionary.md) as CSV; audited',
        description:
          'Unblinded for callers allowed export_unblinded (statistician and trial manager after the lock, admin); ?blinded=true gives the blinded export (no arm or intervention-received columns) to callers allowed export_blinded.',
        tags: ['exports'],
        params: trialParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { blinded: { type: 'string', enum: ['true', 'false'] } },
        },
        response: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const blinded = request.query.blinded === 'true';
      const result = await exportTrialData(store, request.params.trialId, user, { blinded });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${request.params.trialId}-analysis-dataset${blinded ? '-blinded' : ''}.csv"`,
        )
        .send(result.analysisCsv);
    },
  );
}
