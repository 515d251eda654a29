import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { analyseTrial, DEFAULT_ANALYSIS_PLAN } from '../../analysis/index.ts';
import { renderTrialReport } from '../../report/trial-report/index.ts';
import { exportTrialData } from '../../storage/index.ts';
import { parseCsv } from '../../table/index.ts';
import { readAnalysisDataset, readSaeDataset } from '../../trial/index.ts';
import { API_VERSION } from '../app.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { trialParams } from '../schemas.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * GET /api/trials/:trialId/analysis-report.html (unblinded export: statistician and trial manager after the
 * lock, admin). Exports the analysis dataset and SAE file as GET .../analysis-dataset.csv would (audited), runs
 * `analyseTrial` with the default plan (`DEFAULT_ANALYSIS_PLAN`: 1000 bootstrap resamples, seed 1, as
 * `enrich analyse` without options) and answers `renderTrialReport`'s HTML.
 */
export function registerAnalysisReportRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock } = context;
  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/analysis-report.html',
    {
      schema: {
        summary:
          'The analysis report (HTML) of the unblinded analysis dataset, default analysis plan; audited',
        description:
          'Callers allowed export_unblinded (statistician and trial manager after the lock, admin). The default plan: 1000 BCa bootstrap resamples, seed 1, as `enrich analyse` without options; the numbers are those of `enrich analyse --html` on the exported CSV.',
        tags: ['exports'],
        params: trialParams,
        response: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trialId = request.params.trialId;
      const exported = await exportTrialData(store, trialId, user, { blinded: false });
      const inputFile = `${trialId}-analysis-dataset.csv`;
      const dataset = readAnalysisDataset(
        parseCsv(new TextEncoder().encode(exported.analysisCsv), inputFile),
      );
      const saeFile = `${trialId}-sae.csv`;
      const sae =
        exported.saeCsv === undefined
          ? undefined
          : readSaeDataset(parseCsv(new TextEncoder().encode(exported.saeCsv), saeFile), dataset);
      const runDate = clock().toISOString();
      const analysis = analyseTrial(dataset, {
        plan: structuredClone(DEFAULT_ANALYSIS_PLAN),
        ...(sae === undefined ? {} : { sae }),
        provenance: {
          enrichVersion: API_VERSION,
          inputFile,
          inputSha256: sha256(exported.analysisCsv),
          ...(exported.saeCsv === undefined ? {} : { saeFile, saeSha256: sha256(exported.saeCsv) }),
          runDate,
        },
      });
      const trial = await store.getTrial(trialId);
      const html = renderTrialReport(analysis, {
        generatedAt: runDate,
        title: `Trial report: ${trial.config.title}`,
      });
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
