import type { FastifyInstance } from 'fastify';
import {
  can,
  FIDELITY_INDEX_TEMPLATE,
  FIDELITY_INFORMANTS,
  FIDELITY_RATINGS_COLUMNS,
  type FidelityIndexDefinition,
  type FidelityRatingRecord,
  type StoredRecord,
  type User,
} from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { ID_PATTERN, reasonProperty } from '../schemas.ts';
import { recordBody, saveVersioned, versionProperty } from '../workflow.ts';

/** The fidelity index the app rates against (the shipped template until a trial carries its own). */
export const APP_FIDELITY_INDEX: FidelityIndexDefinition = FIDELITY_INDEX_TEMPLATE;

const interviewParams = {
  type: 'object',
  required: ['trialId', 'interviewId'],
  properties: {
    trialId: { type: 'string', pattern: ID_PATTERN },
    interviewId: { type: 'string', pattern: ID_PATTERN },
  },
} as const;

const trialOnlyParams = {
  type: 'object',
  required: ['trialId'],
  properties: { trialId: { type: 'string', pattern: ID_PATTERN } },
} as const;

const scoresSchema = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  maxProperties: 500,
} as const;

interface RatingBody {
  site: string;
  employer_type: 'nhs' | 'voluntary';
  timepoint: 1 | 2 | 3;
  informant: FidelityRatingRecord['informant'];
  scores: Record<string, number>;
  version?: number;
  reason?: string;
}

interface ConsensusBody {
  scores: Record<string, number>;
  version?: number;
  reason?: string;
}

type Params = { trialId: string; interviewId: string };

/** The items an informant's interview is rated on. */
export function itemsFor(informant: string, index: FidelityIndexDefinition = APP_FIDELITY_INDEX) {
  return index.items.filter((item) => (item.informants as readonly string[]).includes(informant));
}

function checkScores(
  scores: Record<string, number>,
  informant: string,
  required: boolean,
  index: FidelityIndexDefinition = APP_FIDELITY_INDEX,
): void {
  const items = itemsFor(informant, index);
  const ids = new Set(items.map((item) => item.id));
  const problems: string[] = [];
  for (const [item, score] of Object.entries(scores)) {
    if (!ids.has(item)) problems.push(`item "${item}" is not rated from ${informant} interviews`);
    else if (!Number.isInteger(score) || score < index.scale.minimum || score > index.scale.maximum) {
      problems.push(
        `item "${item}" requires a whole number ${index.scale.minimum}-${index.scale.maximum} (got ${score})`,
      );
    }
  }
  if (required) {
    const missing = items.filter((item) => scores[item.id] === undefined).map((item) => item.id);
    if (missing.length > 0) problems.push(`every item requires a score (missing ${missing.join(', ')})`);
  }
  if (problems.length > 0) {
    throw new HttpError(
      422,
      'unprocessable',
      `fidelity scores requires valid scores: ${problems.join('; ')}`,
    );
  }
}

/** The ratings of one interview: the independent ones (by rater) and the consensus. */
interface InterviewRatings {
  readonly interviewId: string;
  readonly independent: StoredRecord<'fidelity_rating'>[];
  readonly consensus: StoredRecord<'fidelity_rating'> | undefined;
}

function groupByInterview(
  records: readonly StoredRecord<'fidelity_rating'>[],
): Map<string, InterviewRatings> {
  const interviews = new Map<string, InterviewRatings>();
  for (const record of records) {
    const id = record.data.interviewId;
    const entry = interviews.get(id) ?? { interviewId: id, independent: [], consensus: undefined };
    if (record.data.consensus) interviews.set(id, { ...entry, consensus: record });
    else {
      entry.independent.push(record);
      interviews.set(id, entry);
    }
  }
  return interviews;
}

/** Items the two independent ratings score this far apart or more (the index's disagreement threshold). */
export function disagreementsOf(
  first: Readonly<Record<string, number>>,
  second: Readonly<Record<string, number>>,
  index: FidelityIndexDefinition = APP_FIDELITY_INDEX,
): { item: string; scores: [number, number] }[] {
  const result: { item: string; scores: [number, number] }[] = [];
  for (const item of index.items) {
    const a = first[item.id];
    const b = second[item.id];
    if (a !== undefined && b !== undefined && Math.abs(a - b) >= index.disagreementThreshold) {
      result.push({ item: item.id, scores: [a, b] });
    }
  }
  return result;
}

function interviewSummary(interview: InterviewRatings, user: User) {
  const first = interview.independent[0] ?? interview.consensus;
  const mine = interview.independent.find((record) => record.data.raterId === user.userId);
  return {
    interview_id: interview.interviewId,
    site: first?.data.site ?? null,
    employer_type: first?.data.employerType ?? null,
    timepoint: first?.data.timepoint ?? null,
    informant: first?.data.informant ?? null,
    ratings: interview.independent.length,
    rated_by_me: mine !== undefined,
    consensus: interview.consensus !== undefined,
  };
}

/** Whether the caller may see every rater's scores of this interview. */
function seesAll(user: User, interview: InterviewRatings, locked: boolean): boolean {
  const mine = interview.independent.find((record) => record.data.raterId === user.userId);
  if (mine !== undefined) return mine.data.submitted;
  if (can(user, 'fidelity_consensus', { kind: 'trial', trialLocked: false })) return true;
  if (can(user, 'export_fidelity', { kind: 'trial', trialLocked: locked })) return true;
  return interview.independent.some((record) => record.data.raterId === user.userId && record.data.submitted);
}

/** CSV cell: quoted when it holds a comma, quote or line break. */
function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The ratings file of docs/reference/fidelity-index.md (one row per rater x interview x item; consensus rows
 * with `consensus` 1), in a stable order: interview, independent ratings by rater, then consensus.
 */
export function fidelityRatingsCsv(records: readonly StoredRecord<'fidelity_rating'>[]): string {
  const lines = [FIDELITY_RATINGS_COLUMNS.join(',')];
  const sorted = [...records].sort(
    (a, b) =>
      a.data.interviewId.localeCompare(b.data.interviewId) ||
      Number(a.data.consensus) - Number(b.data.consensus) ||
      a.data.raterId.localeCompare(b.data.raterId),
  );
  for (const { data } of sorted) {
    for (const item of APP_FIDELITY_INDEX.items) {
      const score = data.scores[item.id];
      if (score === undefined) continue;
      const row: Record<string, string | number> = {
        interview_id: data.interviewId,
        site: data.site,
        employer_type: data.employerType,
        timepoint: data.timepoint,
        informant: data.informant,
        rater: data.raterId,
        item: item.id,
        score,
        consensus: data.consensus ? 1 : 0,
      };
      lines.push(FIDELITY_RATINGS_COLUMNS.map((column) => csvCell(row[column] ?? '')).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Fidelity rating routes (issue 9): the index, interviews, one's own blind rating, disagreements, consensus
 * and the ratings-file export. Blinding: the API never returns another rater's scores of an interview to a
 * rater who has not submitted their own (consensus and export roles see all).
 */
export function registerFidelityRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  const loadInterview = async (trialId: string, interviewId: string) => {
    const records = await store.listRecords(trialId, 'fidelity_rating');
    return (
      groupByInterview(records.filter((record) => record.data.interviewId === interviewId)).get(
        interviewId,
      ) ?? {
        interviewId,
        independent: [],
        consensus: undefined,
      }
    );
  };

  /** Raters and the consensus role read at any time (read-only after the lock); export roles too. */
  const mayRead = (user: User, locked: boolean) => {
    const open = { kind: 'trial', trialLocked: false } as const;
    if (can(user, 'rate_fidelity', open) || can(user, 'fidelity_consensus', open)) return;
    authorize(user, 'export_fidelity', { kind: 'trial', trialLocked: locked });
  };

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/index',
    {
      schema: {
        summary: 'The fidelity index the app rates against (domains, items, informants, scale, bands)',
        tags: ['fidelity'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      mayRead(user, trial.lockedAt !== undefined);
      return { index: APP_FIDELITY_INDEX, informants: [...FIDELITY_INFORMANTS] };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/interviews',
    {
      schema: {
        summary:
          'Rated interviews: site, timepoint, informant, how many ratings, whether you rated it (no scores)',
        tags: ['fidelity'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      mayRead(user, trial.lockedAt !== undefined);
      const interviews = groupByInterview(await store.listRecords(trial.trialId, 'fidelity_rating'));
      return {
        interviews: [...interviews.values()]
          .sort((a, b) => a.interviewId.localeCompare(b.interviewId))
          .map((interview) => interviewSummary(interview, user)),
      };
    },
  );

  app.get<{ Params: Params }>(
    '/api/trials/:trialId/fidelity/interviews/:interviewId',
    {
      schema: {
        summary:
          "One interview: your own scores; the other rater's scores and the disagreements only once yours are submitted (or for the consensus role)",
        tags: ['fidelity'],
        params: interviewParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const locked = trial.lockedAt !== undefined;
      mayRead(user, locked);
      const interview = await loadInterview(trial.trialId, request.params.interviewId);
      const all = seesAll(user, interview, locked);
      const visible = interview.independent.filter((record) => all || record.data.raterId === user.userId);
      const [first, second] = interview.independent;
      const bothIn = first !== undefined && second !== undefined;
      return {
        ...interviewSummary(interview, user),
        ratings_visible: all,
        independent: visible.map((record) => recordBody(record)),
        disagreements:
          all && bothIn
            ? disagreementsOf(first.data.scores, second.data.scores).map((entry) => ({
                item: entry.item,
                scores: entry.scores,
              }))
            : [],
        consensus_rating: all && interview.consensus !== undefined ? recordBody(interview.consensus) : null,
      };
    },
  );

  app.put<{ Params: Params; Body: RatingBody }>(
    '/api/trials/:trialId/fidelity/interviews/:interviewId/my-rating',
    {
      schema: {
        summary:
          'Submit your independent scores of an interview (every item asked of its informant); at most two raters per interview; a submitted rating cannot change',
        tags: ['fidelity'],
        params: interviewParams,
        body: {
          type: 'object',
          required: ['site', 'employer_type', 'timepoint', 'informant', 'scores'],
          additionalProperties: false,
          properties: {
            site: { type: 'string', pattern: ID_PATTERN },
            employer_type: { type: 'string', enum: ['nhs', 'voluntary'] },
            timepoint: { type: 'integer', enum: [1, 2, 3] },
            informant: { type: 'string', enum: [...FIDELITY_INFORMANTS] },
            scores: scoresSchema,
            version: versionProperty,
            reason: reasonProperty,
          },
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'rate_fidelity', trialResource(trial));
      const body = request.body;
      const { interviewId } = request.params;
      const interview = await loadInterview(trial.trialId, interviewId);
      if (interview.independent.some((record) => record.data.raterId === user.userId)) {
        throw new HttpError(
          409,
          'conflict',
          `a fidelity rating requires no earlier rating of interview "${interviewId}" by you (got one already submitted: independent ratings do not change)`,
        );
      }
      if (interview.independent.length >= 2) {
        throw new HttpError(
          409,
          'conflict',
          `a fidelity rating requires fewer than two independent ratings of interview "${interviewId}" (got 2)`,
        );
      }
      const known = interview.independent[0]?.data;
      if (
        known !== undefined &&
        (known.site !== body.site ||
          known.employerType !== body.employer_type ||
          known.timepoint !== body.timepoint ||
          known.informant !== body.informant)
      ) {
        throw new HttpError(
          422,
          'unprocessable',
          `a fidelity rating requires the interview's site, employer type, timepoint and informant as first entered (got different ones for "${interviewId}")`,
        );
      }
      checkScores(body.scores, body.informant, true);
      const record: FidelityRatingRecord = {
        ratingId: `${interviewId}/${user.userId}`,
        interviewId,
        site: body.site,
        employerType: body.employer_type,
        timepoint: body.timepoint,
        informant: body.informant,
        raterId: user.userId,
        consensus: false,
        scores: body.scores,
        submitted: true,
      };
      const stored = await saveVersioned(store, trial, 'fidelity_rating', record, user, {});
      return reply.status(201).send(recordBody(stored));
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/disagreements',
    {
      schema: {
        summary:
          'Interviews rated twice with items the raters scored apart, with both scores and any consensus',
        tags: ['fidelity'],
        params: trialOnlyParams,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'fidelity_consensus', trialResource(trial));
      const interviews = groupByInterview(await store.listRecords(trial.trialId, 'fidelity_rating'));
      const result = [];
      for (const interview of [...interviews.values()].sort((a, b) =>
        a.interviewId.localeCompare(b.interviewId),
      )) {
        const [first, second] = interview.independent;
        if (first === undefined || second === undefined) continue;
        const items = disagreementsOf(first.data.scores, second.data.scores);
        if (items.length === 0) continue;
        result.push({
          ...interviewSummary(interview, user),
          raters: [first.data.raterId, second.data.raterId],
          items: items.map((entry) => ({
            item: entry.item,
            text: APP_FIDELITY_INDEX.items.find((item) => item.id === entry.item)?.text ?? entry.item,
            scores: entry.scores,
            consensus_score: interview.consensus?.data.scores[entry.item] ?? null,
          })),
          consensus_version: interview.consensus?.version ?? null,
        });
      }
      return { threshold: APP_FIDELITY_INDEX.disagreementThreshold, interviews: result };
    },
  );

  app.put<{ Params: Params; Body: ConsensusBody }>(
    '/api/trials/:trialId/fidelity/interviews/:interviewId/consensus',
    {
      schema: {
        summary:
          'Enter the consensus scores of an interview rated twice (every disagreement item; others optional); a change needs version and reason',
        tags: ['fidelity'],
        params: interviewParams,
        body: {
          type: 'object',
          required: ['scores'],
          additionalProperties: false,
          properties: { scores: scoresSchema, version: versionProperty, reason: reasonProperty },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'fidelity_consensus', trialResource(trial));
      const { interviewId } = request.params;
      const interview = await loadInterview(trial.trialId, interviewId);
      const [first, second] = interview.independent;
      if (first === undefined || second === undefined) {
        throw new HttpError(
          409,
          'conflict',
          `a consensus score requires two independent ratings of interview "${interviewId}" (got ${interview.independent.length})`,
        );
      }
      checkScores(request.body.scores, first.data.informant, false);
      const missing = disagreementsOf(first.data.scores, second.data.scores)
        .map((entry) => entry.item)
        .filter((item) => request.body.scores[item] === undefined);
      if (missing.length > 0) {
        throw new HttpError(
          422,
          'unprocessable',
          `a consensus score requires a score for every disagreement (missing ${missing.join(', ')})`,
        );
      }
      const record: FidelityRatingRecord = {
        ...first.data,
        ratingId: `${interviewId}/consensus`,
        raterId: user.userId,
        consensus: true,
        scores: request.body.scores,
        submitted: true,
      };
      const stored = await saveVersioned(store, trial, 'fidelity_rating', record, user, request.body);
      return recordBody(stored);
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/ratings.csv',
    {
      schema: {
        summary: 'The ratings file (docs/reference/fidelity-index.md) for enrich fidelity',
        tags: ['fidelity'],
        params: trialOnlyParams,
        response: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'export_fidelity', trialResource(trial));
      const csv = fidelityRatingsCsv(await store.listRecords(trial.trialId, 'fidelity_rating'));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trial.trialId}-fidelity-ratings.csv"`)
        .send(csv);
    },
  );
}
