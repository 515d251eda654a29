import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { analyseFidelity } from '../../analysis/index.ts';
import { renderFidelityReport } from '../../report/fidelity/index.ts';
import { StorageError } from '../../storage/index.ts';
import { formatCsvCell, parseCsv } from '../../table/index.ts';
import {
  can,
  DatasetError,
  type EmployerType,
  FIDELITY_INDEX_TEMPLATE,
  FIDELITY_INFORMANTS,
  FIDELITY_RATINGS_COLUMNS,
  type FidelityIndexDefinition,
  type FidelityRatingRecord,
  readFidelityRatings,
  type StoredRecord,
  type TrialStore,
  type User,
  validateFidelityIndex,
} from '../../trial/index.ts';
import { authorize, trialResource } from '../access.ts';
import { API_VERSION } from '../app.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError, type RequestIssue } from '../errors.ts';
import { notAnalysablePage } from '../not-analysable-page.ts';
import { ID_PATTERN, reasonProperty } from '../schemas.ts';
import { actorOf, recordBody, saveVersioned, versionProperty } from '../workflow.ts';

/** The index a trial rates against before its own is saved: the shipped template (placeholder items). */
export const APP_FIDELITY_INDEX: FidelityIndexDefinition = FIDELITY_INDEX_TEMPLATE;

/** A trial's fidelity index: its own (`fidelity_index` record) once saved, else the template. */
export interface TrialFidelityIndex {
  readonly index: FidelityIndexDefinition;
  /** True while the trial rates against the shipped template (nothing saved yet). */
  readonly template: boolean;
  /** The saved record (version, who, when); undefined for the template. */
  readonly record: StoredRecord<'fidelity_index'> | undefined;
}

/** The fidelity index a trial rates against: its saved index, or the shipped template. */
export async function trialFidelityIndex(store: TrialStore, trialId: string): Promise<TrialFidelityIndex> {
  const record = await store.findRecord(trialId, 'fidelity_index', 'current');
  return record === undefined
    ? { index: APP_FIDELITY_INDEX, template: true, record: undefined }
    : { index: record.data, template: false, record };
}

/**
 * Saves the shipped template as the trial's own index (version 1, audited) when the first rating is entered
 * against it, so that later releases changing the template cannot change what the stored scores were given
 * on. A concurrent first rating that pinned it already is not an error.
 */
async function pinTemplateIndex(store: TrialStore, trialId: string, user: User): Promise<void> {
  try {
    await store.saveRecord(trialId, 'fidelity_index', APP_FIDELITY_INDEX, {
      actor: actorOf(user),
      expectedVersion: 0,
      reason: 'the template index pinned at the first rating',
    });
  } catch (error) {
    if (!(error instanceof StorageError && error.code === 'store_version_conflict')) throw error;
  }
}

/**
 * Why a new index cannot replace the current one once ratings exist, one issue per problem; empty when it can.
 * The rule: every item that has scores keeps its id, part and domain and is still asked of each informant it
 * was rated from, and the response scale keeps its range (the stored scores mean what they meant when given).
 * Wording (item text, anchor labels, domain labels), new items and domains, scoring, bands, the disagreement
 * threshold and the name, version and note may change.
 */
export function indexChangeConflicts(
  current: FidelityIndexDefinition,
  next: FidelityIndexDefinition,
  ratings: readonly StoredRecord<'fidelity_rating'>[],
): RequestIssue[] {
  const ratedFrom = new Map<string, Set<string>>();
  for (const { data } of ratings) {
    for (const item of Object.keys(data.scores)) {
      const informants = ratedFrom.get(item) ?? new Set<string>();
      informants.add(data.informant);
      ratedFrom.set(item, informants);
    }
  }
  if (ratedFrom.size === 0) return [];
  const code = 'fidelity_index_in_use';
  const issues: RequestIssue[] = [];
  const rated = [...ratedFrom.keys()].sort();
  if (current.scale.minimum !== next.scale.minimum || current.scale.maximum !== next.scale.maximum) {
    issues.push({
      path: 'index.scale',
      code,
      message: `the scale ${current.scale.minimum}-${current.scale.maximum} requires no change while items have ratings (got ${next.scale.minimum}-${next.scale.maximum}; rated items ${rated.join(', ')})`,
    });
  }
  const nextItems = new Map(next.items.map((item) => [item.id, item]));
  const currentItems = new Map(current.items.map((item) => [item.id, item]));
  const removed = rated.filter((id) => !nextItems.has(id));
  if (removed.length > 0) {
    issues.push({
      path: 'index.items',
      code,
      message: `items with ratings require to stay in the index (got ${removed.join(', ')} removed)`,
    });
  }
  for (const id of rated) {
    const before = currentItems.get(id);
    const after = nextItems.get(id);
    if (after === undefined) continue;
    if (before !== undefined && (before.part !== after.part || before.domain !== after.domain)) {
      issues.push({
        path: `index.items.${id}`,
        code,
        message: `item "${id}" has ratings and requires its part and domain (${before.part}, ${before.domain}) unchanged (got ${after.part}, ${after.domain})`,
      });
    }
    const missing = [...(ratedFrom.get(id) ?? [])].filter(
      (informant) => !(after.informants as readonly string[]).includes(informant),
    );
    if (missing.length > 0) {
      issues.push({
        path: `index.items.${id}.informants`,
        code,
        message: `item "${id}" has ratings from ${missing.join(', ')} interviews and requires those informants (got ${after.informants.join(', ')})`,
      });
    }
  }
  return issues;
}

/** A site's employer type from the trial's sites (`undefined` when unknown or unset). */
type SiteEmployers = ReadonlyMap<string, EmployerType>;

async function siteEmployers(store: TrialStore, trialId: string): Promise<SiteEmployers> {
  const sites = await store.listSites(trialId);
  const map = new Map<string, EmployerType>();
  for (const site of sites) if (site.employerType !== undefined) map.set(site.siteId, site.employerType);
  return map;
}

/** The employer type of a rating: the site's (it belongs to the site), else the one entered with the rating. */
function employerOf(data: FidelityRatingRecord, employers: SiteEmployers): EmployerType {
  return employers.get(data.site) ?? data.employerType;
}

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
  employer_type?: 'nhs' | 'voluntary';
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
  index: FidelityIndexDefinition,
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
  index: FidelityIndexDefinition,
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

function interviewSummary(interview: InterviewRatings, user: User, employers: SiteEmployers) {
  const first = interview.independent[0] ?? interview.consensus;
  const mine = interview.independent.find((record) => record.data.raterId === user.userId);
  return {
    interview_id: interview.interviewId,
    site: first?.data.site ?? null,
    employer_type: first === undefined ? null : employerOf(first.data, employers),
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

/**
 * The ratings file of docs/reference/fidelity-index.md (one row per rater x interview x item; consensus rows
 * with `consensus` 1), in a stable order: interview, independent ratings by rater, then consensus; items in
 * the order of the trial's index. `employer_type` is the site's (sites screen) where it is set, else the one
 * entered with the rating.
 */
export function fidelityRatingsCsv(
  records: readonly StoredRecord<'fidelity_rating'>[],
  index: FidelityIndexDefinition,
  employers: SiteEmployers = new Map(),
): string {
  const lines = [FIDELITY_RATINGS_COLUMNS.join(',')];
  const sorted = [...records].sort(
    (a, b) =>
      a.data.interviewId.localeCompare(b.data.interviewId) ||
      Number(a.data.consensus) - Number(b.data.consensus) ||
      a.data.raterId.localeCompare(b.data.raterId),
  );
  for (const { data } of sorted) {
    for (const item of index.items) {
      const score = data.scores[item.id];
      if (score === undefined) continue;
      const row: Record<string, string | number> = {
        interview_id: data.interviewId,
        site: data.site,
        employer_type: employerOf(data, employers),
        timepoint: data.timepoint,
        informant: data.informant,
        rater: data.raterId,
        item: item.id,
        score,
        consensus: data.consensus ? 1 : 0,
      };
      lines.push(FIDELITY_RATINGS_COLUMNS.map((column) => formatCsvCell(row[column] ?? '')).join(','));
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

  /** The ratings file of a trial on its index, employer types from its sites. */
  const ratingsCsvOf = async (trialId: string) =>
    fidelityRatingsCsv(
      await store.listRecords(trialId, 'fidelity_rating'),
      (await trialFidelityIndex(store, trialId)).index,
      await siteEmployers(store, trialId),
    );

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
      const current = await trialFidelityIndex(store, trial.trialId);
      const ratings = await store.listRecords(trial.trialId, 'fidelity_rating');
      const rated = new Set(ratings.flatMap((record) => Object.keys(record.data.scores)));
      return {
        index: current.index,
        informants: [...FIDELITY_INFORMANTS],
        template: current.template,
        version: current.record?.version ?? 0,
        updated_at: current.record?.updatedAt ?? null,
        updated_by: current.record?.updatedBy ?? null,
        rated_items: current.index.items.filter((item) => rated.has(item.id)).map((item) => item.id),
      };
    },
  );

  app.put<{ Params: { trialId: string }; Body: { index: unknown; version?: number; reason?: string } }>(
    '/api/trials/:trialId/fidelity/index',
    {
      schema: {
        summary:
          "Save the trial's own fidelity index (replacing the template); once items have ratings, they cannot be removed, moved to another part or domain, lose an informant they were rated from, or be rescaled",
        description:
          'Every problem of the index at once (422 fidelity_index_invalid); a change that breaks rated items: 409 fidelity_index_in_use naming the items. The first save needs no version; a change needs the current version and a reason (audited per changed field).',
        tags: ['fidelity'],
        params: trialOnlyParams,
        body: {
          type: 'object',
          required: ['index'],
          additionalProperties: false,
          properties: { index: { type: 'object' }, version: versionProperty, reason: reasonProperty },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'manage_fidelity_index', trialResource(trial));
      const next = validateFidelityIndex(request.body.index, 'index');
      const current = await trialFidelityIndex(store, trial.trialId);
      const issues = indexChangeConflicts(
        current.index,
        next,
        await store.listRecords(trial.trialId, 'fidelity_rating'),
      );
      if (issues.length > 0) {
        throw new HttpError(
          409,
          'fidelity_index_in_use',
          `a change to the fidelity index requires the rated items to keep their meaning (got ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map((issue) => issue.message).join('; ')})`,
          { issues },
        );
      }
      const stored = await store.saveRecord(trial.trialId, 'fidelity_index', next, {
        actor: actorOf(user),
        expectedVersion: request.body.version ?? 0,
        ...(request.body.reason === undefined ? {} : { reason: request.body.reason }),
      });
      return {
        index: stored.data,
        template: false,
        version: stored.version,
        updated_at: stored.updatedAt,
        updated_by: stored.updatedBy,
      };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/index.json',
    {
      schema: {
        summary: "The trial's fidelity index as a file, for enrich fidelity RATINGS.csv --index INDEX.json",
        tags: ['fidelity'],
        params: trialOnlyParams,
        response: {
          200: { description: 'JSON', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      mayRead(user, trial.lockedAt !== undefined);
      const { index } = await trialFidelityIndex(store, trial.trialId);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trial.trialId}-fidelity-index.json"`)
        .send(`${JSON.stringify(index, null, 2)}\n`);
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
      const employers = await siteEmployers(store, trial.trialId);
      return {
        interviews: [...interviews.values()]
          .sort((a, b) => a.interviewId.localeCompare(b.interviewId))
          .map((interview) => interviewSummary(interview, user, employers)),
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
      const { index } = await trialFidelityIndex(store, trial.trialId);
      const employers = await siteEmployers(store, trial.trialId);
      const all = seesAll(user, interview, locked);
      const visible = interview.independent.filter((record) => all || record.data.raterId === user.userId);
      const [first, second] = interview.independent;
      const bothIn = first !== undefined && second !== undefined;
      return {
        ...interviewSummary(interview, user, employers),
        ratings_visible: all,
        independent: visible.map((record) => recordBody(record)),
        disagreements:
          all && bothIn
            ? disagreementsOf(first.data.scores, second.data.scores, index).map((entry) => ({
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
          "Submit your independent scores of an interview (every item asked of its informant, on the trial's index); at most two raters per interview; a submitted rating cannot change",
        description:
          "The site must be one of the trial's sites. employer_type is optional: it is taken from the site (sites screen); given, it must match the site's, and it is required only for a site without one (422 if neither), where it must match the site's earlier ratings (422 naming their interviews).",
        tags: ['fidelity'],
        params: interviewParams,
        body: {
          type: 'object',
          required: ['site', 'timepoint', 'informant', 'scores'],
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
      const sites = await store.listSites(trial.trialId);
      const site = sites.find((entry) => entry.siteId === body.site);
      if (site === undefined) {
        throw new HttpError(
          422,
          'unprocessable',
          `a fidelity rating requires a site of trial "${trial.trialId}" (got "${body.site}"; sites: ${sites.map((entry) => entry.siteId).join(', ') || 'none'})`,
        );
      }
      if (
        site.employerType !== undefined &&
        body.employer_type !== undefined &&
        body.employer_type !== site.employerType
      ) {
        throw new HttpError(
          422,
          'unprocessable',
          `a fidelity rating requires the employer type of site "${site.siteId}", ${site.employerType} (got ${body.employer_type}; change it on the sites screen if it is wrong)`,
        );
      }
      const employerType = site.employerType ?? body.employer_type;
      if (employerType === undefined) {
        throw new HttpError(
          422,
          'unprocessable',
          `a fidelity rating requires an employer type (nhs or voluntary): site "${site.siteId}" has none set and the rating gives none (got neither; set it on the sites screen)`,
        );
      }
      if (site.employerType === undefined) {
        // One employer type per site (the ratings file and the report need it): without the site's own, a
        // rating must agree with every earlier rating at the site, whichever interview.
        const clashing = (await store.listRecords(trial.trialId, 'fidelity_rating')).filter(
          (record) => record.data.site === site.siteId && record.data.employerType !== employerType,
        );
        if (clashing.length > 0) {
          const interviews = [...new Set(clashing.map((record) => record.data.interviewId))];
          throw new HttpError(
            422,
            'unprocessable',
            `a fidelity rating requires the employer type of the earlier ratings at site "${site.siteId}", ${clashing[0]?.data.employerType} (got ${employerType}; earlier: interview ${interviews.map((id) => `"${id}"`).join(', ')}; set the site's employer type on the sites screen if it is wrong)`,
          );
        }
      }
      const known = interview.independent[0]?.data;
      if (
        known !== undefined &&
        (known.site !== body.site ||
          (site.employerType === undefined && known.employerType !== employerType) ||
          known.timepoint !== body.timepoint ||
          known.informant !== body.informant)
      ) {
        throw new HttpError(
          422,
          'unprocessable',
          `a fidelity rating requires the interview's site, employer type, timepoint and informant as first entered (got different ones for "${interviewId}")`,
        );
      }
      const ratedIndex = await trialFidelityIndex(store, trial.trialId);
      checkScores(body.scores, body.informant, true, ratedIndex.index);
      if (ratedIndex.template) await pinTemplateIndex(store, trial.trialId, user);
      const record: FidelityRatingRecord = {
        ratingId: `${interviewId}/${user.userId}`,
        interviewId,
        site: body.site,
        employerType,
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
      const { index } = await trialFidelityIndex(store, trial.trialId);
      const employers = await siteEmployers(store, trial.trialId);
      const result = [];
      for (const interview of [...interviews.values()].sort((a, b) =>
        a.interviewId.localeCompare(b.interviewId),
      )) {
        const [first, second] = interview.independent;
        if (first === undefined || second === undefined) continue;
        const items = disagreementsOf(first.data.scores, second.data.scores, index);
        if (items.length === 0) continue;
        result.push({
          ...interviewSummary(interview, user, employers),
          raters: [first.data.raterId, second.data.raterId],
          items: items.map((entry) => ({
            item: entry.item,
            text: index.items.find((item) => item.id === entry.item)?.text ?? entry.item,
            scores: entry.scores,
            consensus_score: interview.consensus?.data.scores[entry.item] ?? null,
          })),
          consensus_version: interview.consensus?.version ?? null,
        });
      }
      return { threshold: index.disagreementThreshold, interviews: result };
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
      const { index } = await trialFidelityIndex(store, trial.trialId);
      checkScores(request.body.scores, first.data.informant, false, index);
      const missing = disagreementsOf(first.data.scores, second.data.scores, index)
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
      const csv = await ratingsCsvOf(trial.trialId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trial.trialId}-fidelity-ratings.csv"`)
        .send(csv);
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/fidelity/report.html',
    {
      schema: {
        summary:
          "The fidelity report (HTML) of the in-app ratings on the trial's index: scores per site and timepoint, set-up vs delivery, NHS vs voluntary, inter-rater reliability, internal consistency",
        description:
          'The report `enrich fidelity ratings.csv --index index.json --html` makes from GET .../fidelity/ratings.csv and .../fidelity/index.json. 422 with an HTML page listing the problems when the ratings cannot be analysed (e.g. none yet).',
        tags: ['fidelity'],
        params: trialOnlyParams,
        response: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      authorize(user, 'export_fidelity', trialResource(trial));
      const { index } = await trialFidelityIndex(store, trial.trialId);
      const csv = await ratingsCsvOf(trial.trialId);
      const inputFile = `${trial.trialId}-fidelity-ratings.csv`;
      let html: string;
      try {
        const ratings = readFidelityRatings(parseCsv(new TextEncoder().encode(csv), inputFile), index);
        html = renderFidelityReport(analyseFidelity(index, ratings), {
          inputFile,
          inputSha256: createHash('sha256').update(csv, 'utf8').digest('hex'),
          generatedAt: context.clock().toISOString(),
          enrichVersion: API_VERSION,
          title: `Fidelity report: ${trial.config.title}`,
        });
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        return reply
          .status(422)
          .header('content-type', 'text/html; charset=utf-8')
          .send(
            notAnalysablePage(error, {
              report: 'Fidelity report',
              heading: 'The fidelity report cannot be made from these ratings yet',
              refusedBy: 'The fidelity analysis refused the ratings',
            }),
          );
      }
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
