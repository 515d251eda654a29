import type { FastifyInstance } from 'fastify';
import {
  analyseCohort,
  type CohortNorm,
  type CohortScores,
  formatCohortNormsCsv,
  PLACEHOLDER_COHORT_MEASURES,
  validateCohortNorms,
} from '../../analysis/cohort/index.ts';
import {
  can,
  type InstrumentDefinition,
  InstrumentResponseError,
  type RecordGuard,
  type StoredRecord,
  scoreInstrument,
  type Trial,
  type TrialStore,
  type User,
  WELLBEING_TRIAL_RECORD_ID,
  type WellbeingClosedTimepoint,
  type WellbeingResponseRecord,
} from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { ID_PATTERN, reasonProperty } from '../schemas.ts';
import { ensureWellbeingPseudonymKey, exportWellbeingCsv } from '../wellbeing-export.ts';
import { actorOf, saveVersioned, toSnake, versionProperty } from '../workflow.ts';

/** The questionnaire's measures (placeholders until the licensed measures replace them). */
export const WELLBEING_MEASURES = PLACEHOLDER_COHORT_MEASURES;

/** T1 after training, T2 at 4 months, T3 at 12 months. */
export const WELLBEING_TIMEPOINTS = [
  { timepoint: 1, label: 'T1: after training' },
  { timepoint: 2, label: 'T2: 4 months' },
  { timepoint: 3, label: 'T3: 12 months' },
] as const;

const trialOnlyParams = {
  type: 'object',
  required: ['trialId'],
  properties: { trialId: { type: 'string', pattern: ID_PATTERN } },
} as const;

interface AnswersBody {
  answers: Record<string, number | null>;
  version?: number;
  reason?: string;
}

/** One measure scored; undefined (missing) below the measure's minimum answered. */
function scoreMeasure(measure: (typeof WELLBEING_MEASURES)[number], answers: Record<string, number | null>) {
  const responses: Record<string, number | null> = {};
  for (const item of measure.items) responses[item.id] = answers[item.id] ?? null;
  return scoreInstrument(
    { ...measure, construct: 'wellbeing' } as unknown as InstrumentDefinition,
    responses,
  );
}

/** The cohort rows (worker, timepoint, scores) of submitted questionnaires, for the aggregate analysis. */
export function wellbeingCohortScores(records: readonly StoredRecord<'wellbeing'>[]): CohortScores {
  const rows = records
    .filter((record) => record.data.submitted)
    .map((record) => {
      const scores = new Map<string, number>();
      for (const measure of WELLBEING_MEASURES) {
        const score = scoreMeasure(measure, { ...record.data.answers });
        if (score.total !== undefined) scores.set(measure.id, score.total);
        for (const subscale of measure.subscales) {
          const value = score.subscales[subscale.id];
          if (value !== undefined) scores.set(`${measure.id}.${subscale.id}`, value);
        }
      }
      return { worker: record.data.workerId, timepoint: record.data.timepoint, scores };
    });
  return { source: 'wellbeing questionnaires', rows };
}

/** The trial's stored norms (empty until the trial manager sets them) and the record's version. */
export async function wellbeingNormsOf(
  store: TrialStore,
  trialId: string,
): Promise<{ norms: CohortNorm[]; stored: StoredRecord<'wellbeing_norms'> | undefined }> {
  const stored = await store.findRecord(trialId, 'wellbeing_norms', WELLBEING_TRIAL_RECORD_ID);
  return { norms: stored === undefined ? [] : [...stored.data.norms], stored };
}

/**
 * The trial's closed questionnaire collections (none until the trial manager closes one) and the record's
 * version; after the lock every timepoint counts as closed (`published`).
 */
export async function wellbeingCollectionOf(
  store: TrialStore,
  trial: Trial,
): Promise<{
  closed: readonly WellbeingClosedTimepoint[];
  published: number[];
  stored: StoredRecord<'wellbeing_collection'> | undefined;
}> {
  const stored = await store.findRecord(trial.trialId, 'wellbeing_collection', WELLBEING_TRIAL_RECORD_ID);
  const closed = stored?.data.closed ?? [];
  const published =
    trial.lockedAt !== undefined
      ? WELLBEING_TIMEPOINTS.map((entry) => entry.timepoint)
      : closed.map((entry) => entry.timepoint).sort();
  return { closed, published, stored };
}

/** Per timepoint: how many questionnaires are completed, and whether the collection is closed (and when). */
function collectionBody(
  trial: Trial,
  records: readonly StoredRecord<'wellbeing'>[],
  closed: readonly WellbeingClosedTimepoint[],
) {
  return WELLBEING_TIMEPOINTS.map(({ timepoint, label }) => {
    const entry = closed.find((candidate) => candidate.timepoint === timepoint);
    return {
      timepoint,
      label,
      // A count of completed questionnaires says nothing about anyone's answers: shown exactly, so that the
      // trial manager can decide when to close.
      completed: records.filter((record) => record.data.submitted && record.data.timepoint === timepoint)
        .length,
      closed: entry !== undefined || trial.lockedAt !== undefined,
      closed_at: entry?.closedAt ?? trial.lockedAt ?? null,
    };
  });
}

/** Error code of a questionnaire at, or a second closing of, a closed timepoint (HTTP 409). */
const COLLECTION_CLOSED: { code: 'wellbeing_collection_closed' } = { code: 'wellbeing_collection_closed' };

/** The norms may be read by whoever sees the aggregates, sets the norms or exports the questionnaires. */
function authorizeNormsRead(user: User, trial: Trial): void {
  const resource = trialResource(trial);
  const actions = ['view_wellbeing_aggregate', 'manage_wellbeing_norms', 'export_wellbeing'] as const;
  if (actions.some((action) => can(user, action, resource))) return;
  authorize(user, 'view_wellbeing_aggregate', resource);
}

/** The scores a norm can be set for: each measure's total and its subscales. */
const NORM_SCORES = WELLBEING_MEASURES.flatMap((measure) => [
  { measure: measure.id, subscale: null as string | null, label: measure.name },
  ...measure.subscales.map((subscale) => ({
    measure: measure.id,
    subscale: subscale.id as string | null,
    label: `${measure.name}: ${subscale.label}`,
  })),
]);

function normsBody(norms: readonly CohortNorm[], stored: StoredRecord<'wellbeing_norms'> | undefined) {
  return {
    norms,
    scores: NORM_SCORES,
    version: stored?.version ?? null,
    updated_at: stored?.updatedAt ?? null,
  };
}

const normProperties = {
  type: 'object',
  required: ['measure', 'subscale', 'mean', 'sd', 'source'],
  additionalProperties: false,
  properties: {
    measure: { type: 'string', minLength: 1, maxLength: 64 },
    subscale: { type: ['string', 'null'], maxLength: 64 },
    mean: { type: 'number' },
    sd: { type: 'number' },
    source: { type: 'string', minLength: 1, maxLength: 500 },
  },
} as const;

interface NormsBody {
  norms: CohortNorm[];
  version?: number;
  reason?: string;
}

/**
 * Wellbeing questionnaire routes (issue 9). Confidential: a peer worker reads and writes only their own
 * answers; coordinators and managers get aggregates from `analyseCohort` (suppressed under 5 people), never
 * an answer, a person's score or a worker id.
 */
export function registerWellbeingRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/wellbeing/questionnaire',
    {
      schema: {
        summary: 'The wellbeing questionnaire: timepoints and measures with their items and ranges',
        tags: ['wellbeing'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'complete_wellbeing', { kind: 'trial', trialLocked: false });
      void trial;
      return {
        timepoints: WELLBEING_TIMEPOINTS,
        measures: WELLBEING_MEASURES.map((measure) => ({
          id: measure.id,
          name: measure.name,
          note: measure.note ?? null,
          minimum: measure.minimum,
          maximum: measure.maximum,
          items: measure.items.map((item) => ({ id: item.id, text: item.text })),
        })),
      };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/wellbeing/mine',
    {
      schema: {
        summary: 'Your own questionnaires: per timepoint, whether completed, your answers and version',
        tags: ['wellbeing'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'complete_wellbeing', { kind: 'trial', trialLocked: false });
      const mine = (await store.listRecords(trial.trialId, 'wellbeing')).filter(
        (record) => record.data.workerId === user.userId,
      );
      const { published } = await wellbeingCollectionOf(store, trial);
      return {
        timepoints: WELLBEING_TIMEPOINTS.map(({ timepoint, label }) => {
          const record = mine.find((entry) => entry.data.timepoint === timepoint);
          return {
            timepoint,
            label,
            closed: published.includes(timepoint),
            completed: record?.data.submitted === true,
            answers: record?.data.answers ?? null,
            version: record?.version ?? null,
          };
        }),
      };
    },
  );

  app.put<{ Params: { trialId: string; timepoint: string }; Body: AnswersBody }>(
    '/api/trials/:trialId/wellbeing/mine/:timepoint',
    {
      schema: {
        summary:
          'Complete your own questionnaire at a timepoint (1, 2 or 3); a change after completion needs version and reason',
        tags: ['wellbeing'],
        params: {
          type: 'object',
          required: ['trialId', 'timepoint'],
          properties: {
            trialId: { type: 'string', pattern: ID_PATTERN },
            timepoint: { type: 'string', enum: ['1', '2', '3'] },
          },
        },
        body: {
          type: 'object',
          required: ['answers'],
          additionalProperties: false,
          properties: {
            answers: {
              type: 'object',
              additionalProperties: { type: ['integer', 'null'] },
              maxProperties: 500,
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
      authorize(user, 'complete_wellbeing', trialResource(trial));
      const answers = request.body.answers;
      const known = new Set(WELLBEING_MEASURES.flatMap((measure) => measure.items.map((item) => item.id)));
      const unknown = Object.keys(answers).filter((item) => !known.has(item));
      if (unknown.length > 0) {
        throw new HttpError(
          422,
          'unprocessable',
          `a wellbeing questionnaire requires known item ids (got ${unknown.join(', ')})`,
        );
      }
      const problems: string[] = [];
      for (const measure of WELLBEING_MEASURES) {
        try {
          scoreMeasure(measure, answers);
        } catch (error) {
          if (!(error instanceof InstrumentResponseError)) throw error;
          problems.push(...error.problems.map((problem) => problem.message));
        }
      }
      if (problems.length > 0) {
        throw new HttpError(
          422,
          'unprocessable',
          `a wellbeing questionnaire requires valid answers: ${problems.join('; ')}`,
        );
      }
      const timepoint = Number(request.params.timepoint) as 1 | 2 | 3;
      const closedError = () =>
        new HttpError(
          409,
          COLLECTION_CLOSED.code,
          `a wellbeing questionnaire at T${timepoint} requires its collection to be open (got a closed T${timepoint} collection: no new questionnaire or change is accepted)`,
        );
      const { published } = await wellbeingCollectionOf(store, trial);
      if (published.includes(timepoint)) throw closedError();
      // Checked again inside the save's transaction: a close committed after the check above refuses it too.
      const stillOpen: RecordGuard = {
        kind: 'wellbeing_collection',
        recordId: WELLBEING_TRIAL_RECORD_ID,
        check(collection) {
          const closed = (collection as StoredRecord<'wellbeing_collection'> | undefined)?.data.closed ?? [];
          if (closed.some((entry) => entry.timepoint === timepoint)) throw closedError();
        },
      };
      // The export's pseudonym key is made with the first questionnaire, so it exists before the lock.
      await ensureWellbeingPseudonymKey(store, trial, actorOf(user), context.random);
      const record: WellbeingResponseRecord = {
        responseId: `${user.userId}/${timepoint}`,
        workerId: user.userId,
        timepoint,
        answers,
        submitted: true,
      };
      const stored = await saveVersioned(store, trial, 'wellbeing', record, user, request.body, stillOpen);
      // Only to the worker themself: their own answers and version.
      return { timepoint, completed: true, answers: stored.data.answers, version: stored.version };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/wellbeing/summary',
    {
      schema: {
        summary:
          "Aggregates per measure and timepoint (n, mean, SD, range, change from T1, comparison with the trial's norms); suppressed under 5 people; no individual answer or id",
        tags: ['wellbeing'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'view_wellbeing_aggregate', trialResource(trial));
      const records = await store.listRecords(trial.trialId, 'wellbeing');
      const { norms } = await wellbeingNormsOf(store, trial.trialId);
      // Only closed timepoints: a summary read before and after one more questionnaire would give it away.
      const { closed, published } = await wellbeingCollectionOf(store, trial);
      const analysis = analyseCohort(wellbeingCohortScores(records), norms, WELLBEING_MEASURES, {
        publishedTimepoints: published,
      });
      return {
        minimum_group_size: analysis.minimumGroupSize,
        collection: collectionBody(trial, records, closed),
        participants: analysis.participants,
        measures: analysis.measures,
        scores: analysis.scores.map((score) => ({
          measure: score.measure,
          subscale: score.subscale,
          label: score.label,
          timepoints: score.timepoints,
          change: score.change.map((change) => ({
            timepoint: change.timepoint,
            n: change.n,
            mean_change: change.meanChange,
            sd_change: change.sdChange,
            ci_lower: change.ciLower,
            ci_upper: change.ciUpper,
            p_value: change.pValue,
            effect_size_dz: change.effectSizeDz,
            suppressed: change.suppressed,
          })),
          // One-sample t-test of each timepoint's mean against the norm (null without a norm).
          norm: toSnake(score.norm),
        })),
      };
    },
  );

  app.post<{ Params: { trialId: string; timepoint: string } }>(
    '/api/trials/:trialId/wellbeing/collections/:timepoint/close',
    {
      schema: {
        summary:
          "Close a timepoint's questionnaire collection (trial manager, administrator; before the lock): final; its aggregates are shown from then on and it takes no new questionnaire or change; audited",
        tags: ['wellbeing'],
        params: {
          type: 'object',
          required: ['trialId', 'timepoint'],
          properties: {
            trialId: { type: 'string', pattern: ID_PATTERN },
            timepoint: { type: 'string', enum: ['1', '2', '3'] },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'close_wellbeing_collection', trialResource(trial));
      const timepoint = Number(request.params.timepoint) as 1 | 2 | 3;
      const { closed, stored } = await wellbeingCollectionOf(store, trial);
      if (closed.some((entry) => entry.timepoint === timepoint)) {
        throw new HttpError(
          409,
          COLLECTION_CLOSED.code,
          `closing the T${timepoint} collection requires it to be open (got one already closed: closing is final)`,
        );
      }
      const entry: WellbeingClosedTimepoint = { timepoint, closedAt: context.clock().toISOString() };
      const saved = await store.saveRecord(
        trial.trialId,
        'wellbeing_collection',
        {
          collectionId: WELLBEING_TRIAL_RECORD_ID,
          closed: [...closed, entry].sort((a, b) => a.timepoint - b.timepoint),
        },
        {
          actor: actorOf(user),
          // The version read just now: two managers closing at once cannot both write (409).
          expectedVersion: stored?.version ?? 0,
          ...(stored === undefined ? {} : { reason: `closed the T${timepoint} questionnaire collection` }),
        },
      );
      const records = await store.listRecords(trial.trialId, 'wellbeing');
      return { collection: collectionBody(trial, records, saved.data.closed), version: saved.version };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/wellbeing/norms',
    {
      schema: {
        summary:
          "The trial's population norms of the wellbeing measures (mean, SD, source per measure or subscale) and the scores a norm can be set for",
        tags: ['wellbeing'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorizeNormsRead(user, trial);
      const { norms, stored } = await wellbeingNormsOf(store, trial.trialId);
      return normsBody(norms, stored);
    },
  );

  app.put<{ Params: { trialId: string }; Body: NormsBody }>(
    '/api/trials/:trialId/wellbeing/norms',
    {
      schema: {
        summary:
          "Set the trial's wellbeing norms (trial manager, administrator; before the lock); a change needs version and reason; audited",
        tags: ['wellbeing'],
        params: trialOnlyParams,
        body: {
          type: 'object',
          required: ['norms'],
          additionalProperties: false,
          properties: {
            norms: { type: 'array', maxItems: 100, items: normProperties },
            version: versionProperty,
            reason: reasonProperty,
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_wellbeing_norms', trialResource(trial));
      // The checks of `enrich cohort --norms` (known measure and subscale, SD above 0, one norm per score).
      const norms = validateCohortNorms(request.body.norms, WELLBEING_MEASURES, 'norms');
      const stored = await saveVersioned(
        store,
        trial,
        'wellbeing_norms',
        { normsId: WELLBEING_TRIAL_RECORD_ID, norms },
        user,
        request.body,
      );
      return normsBody([...stored.data.norms], stored);
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/wellbeing/norms.csv',
    {
      schema: {
        summary: "The trial's wellbeing norms as the norms file `enrich cohort --norms` reads",
        tags: ['wellbeing'],
        params: trialOnlyParams,
        response: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorizeNormsRead(user, trial);
      const { norms } = await wellbeingNormsOf(store, trial.trialId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trial.trialId}-wellbeing-norms.csv"`)
        .send(formatCohortNormsCsv(norms));
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/exports/wellbeing.csv',
    {
      schema: {
        summary:
          'The wellbeing questionnaires as the file `enrich cohort` reads, worker ids replaced by pseudonyms; audited',
        description:
          "Callers allowed export_wellbeing (statistician, administrator) only. worker_id holds pw- and 16 hex digits of HMAC-SHA256 under the trial's secret key: stable across exports, not traceable to a user without the key.",
        tags: ['exports'],
        params: trialOnlyParams,
        response: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      // Refuse before anything is read or made (the store function checks again).
      authorize(user, 'export_wellbeing', trialResource(trial));
      const exported = await exportWellbeingCsv(store, trial.trialId, user, context.random);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trial.trialId}-wellbeing.csv"`)
        .send(exported.csv);
    },
  );
}
