import type { FastifyInstance } from 'fastify';
import {
  can,
  type DataProblem,
  expectedByDate,
  RECRUITMENT_TARGET_RECORD_ID,
  RecordValidationError,
  type RecruitmentTargetRecord,
  type StoredRecord,
  type Trial,
  type TrialStore,
  type User,
  validateRecruitmentTarget,
} from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { reasonProperty, trialParams } from '../schemas.ts';
import { DATE_SCHEMA, saveVersioned, versionProperty } from '../workflow.ts';

/** The trial's stored recruitment target, or undefined until the trial manager sets one. */
export function recruitmentTargetOf(
  store: TrialStore,
  trialId: string,
): Promise<StoredRecord<'recruitment_target'> | undefined> {
  return store.findRecord(trialId, 'recruitment_target', RECRUITMENT_TARGET_RECORD_ID);
}

/** A percentage with one decimal, or null when the denominator is 0. */
function percent(numerator: number, denominator: number): number | null {
  return denominator <= 0 ? null : Math.round((numerator / denominator) * 1000) / 10;
}

/** Randomised so far against a target: expected by `on` on the straight-line plan, % of target and of expected. */
export function targetProgress(
  target: { readonly total: number; readonly startDate: string },
  endDate: string,
  randomised: number,
  on: string,
) {
  const expected = expectedByDate(target.total, target.startDate, endDate, on);
  return {
    total: target.total,
    start_date: target.startDate,
    end_date: endDate,
    expected_by_today: expected,
    percent_of_target: percent(randomised, target.total),
    percent_of_expected: percent(randomised, expected),
  };
}

/** The target as the API shows it (snake_case). */
function targetBody(stored: StoredRecord<'recruitment_target'> | undefined) {
  const target = stored?.data;
  return {
    target:
      target === undefined
        ? null
        : {
            total: target.total,
            start_date: target.startDate,
            end_date: target.endDate,
            sites: target.sites.map((site) => ({
              site_id: site.siteId,
              total: site.total,
              start_date: site.startDate ?? null,
            })),
          },
    version: stored?.version ?? null,
    updated_at: stored?.updatedAt ?? null,
    updated_by: stored?.updatedBy ?? null,
  };
}

/** Whoever reads the recruitment summary (as summaryAccess) or sets the target reads the target. */
function authorizeTargetRead(user: User, trial: Trial): void {
  const resource = trialResource(trial);
  const actions = ['manage_recruitment_target', 'export_blinded', 'view_aggregate_by_arm'] as const;
  if (actions.some((action) => can(user, action, resource))) return;
  authorize(user, 'export_blinded', resource);
}

interface TargetBody {
  total: number;
  start_date: string;
  end_date: string;
  sites?: { site_id: string; total: number; start_date?: string | null }[];
  version?: number;
  reason?: string;
}

/**
 * GET and PUT /api/trials/:trialId/recruitment/target: the trial's recruitment target as trial data (one
 * `recruitment_target` record; versioned, reason on change, audited). The recruitment summary
 * (GET .../reports/recruitment) adds the expected-by-today figure and % of target, overall and per site.
 */
export function registerRecruitmentRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/recruitment/target',
    {
      schema: {
        summary:
          "The trial's recruitment target: total, start and end dates, per-site totals (null until set)",
        description:
          'Callers who read the recruitment summary (export_blinded or view_aggregate_by_arm) or set the target (manage_recruitment_target).',
        tags: ['reports'],
        params: trialParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorizeTargetRead(user, trial);
      return targetBody(await recruitmentTargetOf(store, trial.trialId));
    },
  );

  app.put<{ Params: { trialId: string }; Body: TargetBody }>(
    '/api/trials/:trialId/recruitment/target',
    {
      schema: {
        summary:
          "Set the trial's recruitment target (trial manager, administrator; before the lock); a change needs version and reason; audited",
        description:
          'total and per-site totals are whole numbers above 0; end_date after start_date; a site start_date (when the site opened later) from start_date up to before end_date; every problem at once (422).',
        tags: ['reports'],
        params: trialParams,
        body: {
          type: 'object',
          required: ['total', 'start_date', 'end_date'],
          additionalProperties: false,
          properties: {
            total: { type: 'integer' },
            start_date: DATE_SCHEMA,
            end_date: DATE_SCHEMA,
            sites: {
              type: 'array',
              maxItems: 500,
              items: {
                type: 'object',
                required: ['site_id', 'total'],
                additionalProperties: false,
                properties: {
                  site_id: { type: 'string', minLength: 1, maxLength: 64 },
                  total: { type: 'integer' },
                  start_date: { anyOf: [DATE_SCHEMA, { type: 'null' }] },
                },
              },
            },
            version: versionProperty,
            reason: reasonProperty,
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_recruitment_target', trialResource(trial));
      const body = request.body;
      const record: RecruitmentTargetRecord = {
        targetId: RECRUITMENT_TARGET_RECORD_ID,
        total: body.total,
        startDate: body.start_date,
        endDate: body.end_date,
        sites: (body.sites ?? []).map((site) => ({
          siteId: site.site_id,
          total: site.total,
          ...(site.start_date === undefined || site.start_date === null
            ? {}
            : { startDate: site.start_date }),
        })),
      };
      // Every problem at once: the record's own checks and the sites the trial does not have.
      const problems: DataProblem[] = [];
      try {
        validateRecruitmentTarget(record);
      } catch (error) {
        if (!(error instanceof RecordValidationError)) throw error;
        problems.push(...error.problems);
      }
      const known = (await store.listSites(trial.trialId)).map((site) => site.siteId);
      record.sites.forEach((site, index) => {
        if (known.includes(site.siteId)) return;
        problems.push({
          path: `recruitment_target.sites[${index}].siteId`,
          code: 'record_inconsistent',
          message: `recruitment_target.sites[${index}].siteId requires a site of the trial (${known.join(', ') || 'none yet'}) (got ${JSON.stringify(site.siteId)})`,
        });
      });
      if (problems.length > 0) throw new RecordValidationError(problems);
      const stored = await saveVersioned(store, trial, 'recruitment_target', record, user, body);
      return targetBody(stored);
    },
  );
}
