import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { analyseTrial, DEFAULT_ANALYSIS_PLAN } from '../../analysis/index.ts';
import { renderTrialReport } from '../../report/trial-report/index.ts';
import { exportTrialData } from '../../storage/index.ts';
import { parseCsv } from '../../table/index.ts';
import { DatasetError, readAnalysisDataset, readSaeDataset } from '../../trial/index.ts';
import { API_VERSION } from '../app.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { notAnalysablePage } from '../not-analysable-page.ts';
import { trialParams } from '../schemas.ts';
import { WELLBEING_MEASURES, wellbeingCohortScores, wellbeingNormsOf } from './wellbeing.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * GET /api/trials/:trialId/analysis-report.html (unblinded export: statistician and trial manager after the
 * lock, admin). Exports the analysis dataset and SAE file as GET .../analysis-dataset.csv would (audited), runs
 * `analyseTrial` with the default plan (`DEFAULT_ANALYSIS_PLAN`: 1000 bootstrap resamples, seed 1, as
 * `enrich analyse` without options) and answers `renderTrialReport`'s HTML. A dataset the analyses refuse
 * (`DatasetError`, e.g. no participant with a 12-month outcome yet) answers 422 with an HTML page listing
 * the problems, since the link opens in a browser tab. With any submitted wellbeing questionnaire the report
 * includes the wellbeing cohort (in-app questionnaires, the trial's norms, suppression under 5 unchanged).
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
          "Callers allowed export_unblinded (statistician and trial manager after the lock, admin). The default plan: 1000 BCa bootstrap resamples, seed 1, as `enrich analyse` without options; the numbers are those of `enrich analyse --html` on the exported CSV. Once any wellbeing questionnaire is submitted, the report adds the Peer worker wellbeing cohort section (in-app questionnaires, the trial's norms; aggregates over fewer than 5 people suppressed), as `enrich analyse --cohort --norms` on GET .../exports/wellbeing.csv and .../wellbeing/norms.csv.",
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
      // The peer worker wellbeing cohort from the in-app questionnaires, with the trial's norms, once any
      // questionnaire is submitted (aggregates of 5 or more only, as everywhere).
      const questionnaires = await store.listRecords(trialId, 'wellbeing');
      const cohort = questionnaires.some((record) => record.data.submitted)
        ? {
            data: wellbeingCohortScores(questionnaires),
            norms: (await wellbeingNormsOf(store, trialId)).norms,
            measures: WELLBEING_MEASURES,
          }
        : undefined;
      const runDate = clock().toISOString();
      let analysis: ReturnType<typeof analyseTrial>;
      try {
        analysis = analyseTrial(dataset, {
          plan: structuredClone(DEFAULT_ANALYSIS_PLAN),
          ...(sae === undefined ? {} : { sae }),
          ...(cohort === undefined ? {} : { cohort }),
          provenance: {
            enrichVersion: API_VERSION,
            inputFile,
            inputSha256: sha256(exported.analysisCsv),
            ...(exported.saeCsv === undefined ? {} : { saeFile, saeSha256: sha256(exported.saeCsv) }),
            runDate,
          },
        });
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        return reply
          .status(422)
          .header('content-type', 'text/html; charset=utf-8')
          .send(
            notAnalysablePage(error, {
              report: 'Analysis report',
              heading: 'The analysis report cannot be made from this dataset yet',
              refusedBy: 'The pre-specified analyses refused the exported dataset',
            }),
          );
      }
      const trial = await store.getTrial(trialId);
      const html = renderTrialReport(analysis, {
        generatedAt: runDate,
        title: `Trial report: ${trial.config.title}`,
      });
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
