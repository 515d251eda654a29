import type { FastifyInstance } from 'fastify';
import {
  can,
  daysBetween,
  isWithinWindow,
  type ParticipantRecords,
  type TrialConfig,
  type User,
  visitWindow,
} from '../../trial/index.ts';
import { trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { trialParams } from '../schemas.ts';
import { loadSnapshot, requireParticipantRole, resourceIn, type TrialSnapshot } from '../workflow.ts';

/** One follow-up done outside its visit window (docs/reference/http-api.md, "Protocol deviations"). */
export interface VisitWindowDeviation {
  readonly id: string;
  readonly participant_id: string;
  readonly site_id: string;
  readonly visit_id: string;
  readonly visit_kind: string;
  readonly deviation: 'visit_early' | 'visit_late';
  readonly discharge_date: string;
  readonly window_earliest: string;
  readonly window_target: string;
  readonly window_latest: string;
  readonly visit_date: string;
  /** Days before the window opened (negative) or after it closed (positive). */
  readonly days_outside_window: number;
}

/** The CSV columns, in order (one row per deviation). */
export const DEVIATION_COLUMNS = [
  'participant_id',
  'site_id',
  'visit_id',
  'visit_kind',
  'deviation',
  'discharge_date',
  'window_earliest',
  'window_target',
  'window_latest',
  'visit_date',
  'days_outside_window',
] as const;

/**
 * The date a follow-up took place: a completed interview's date, or an available records review's date
 * (a not-completed interview or unavailable records took place on no day, so cannot be early or late).
 */
function visitDate(records: ParticipantRecords, visitId: string, kind: string): string | undefined {
  if (kind === 'interview') {
    const interview = records.interviews.find((item) => item.visitId === visitId);
    return interview?.status === 'completed' ? interview.interviewDate : undefined;
  }
  const review = records.serviceUseReviews.find((item) => item.visitId === visitId);
  return review?.recordsAvailable === true ? review.reviewDate : undefined;
}

/** Every visit of the participants the caller may see done outside its window, by participant then visit. */
export function visitWindowDeviations(
  config: TrialConfig,
  snapshot: TrialSnapshot,
  visible: (screening: TrialSnapshot['screenings'][number]) => boolean,
): VisitWindowDeviation[] {
  const rows: VisitWindowDeviation[] = [];
  for (const screening of snapshot.screenings) {
    const participantId = screening.data.participantId;
    if (participantId === undefined || !visible(screening)) continue;
    const records = snapshot.records.get(participantId);
    const discharge = records?.discharge?.dischargeDate;
    if (records === undefined || discharge === undefined) continue;
    for (const visit of config.visits) {
      const date = visitDate(records, visit.id, visit.kind);
      if (date === undefined) continue;
      const window = visitWindow(config, visit.id, discharge);
      if (isWithinWindow(window, date)) continue;
      const early = date < window.earliest;
      rows.push({
        id: screening.recordId,
        participant_id: participantId,
        site_id: screening.data.site,
        visit_id: visit.id,
        visit_kind: visit.kind,
        deviation: early ? 'visit_early' : 'visit_late',
        discharge_date: discharge,
        window_earliest: window.earliest,
        window_target: window.target,
        window_latest: window.latest,
        visit_date: date,
        days_outside_window: early ? daysBetween(window.earliest, date) : daysBetween(window.latest, date),
      });
    }
  }
  return rows.sort(
    (left, right) =>
      left.participant_id.localeCompare(right.participant_id) || left.visit_id.localeCompare(right.visit_id),
  );
}

/**
 * Who sees which deviations: the trial-wide listing for callers allowed `export_blinded` (trial manager,
 * statistician, admin); researchers (`record_follow_up`) their own sites' participants.
 * @throws HttpError 403 `forbidden` otherwise.
 */
function deviationScope(user: User, snapshot: TrialSnapshot) {
  if (can(user, 'export_blinded', trialResource(snapshot.trial))) return () => true;
  // Researchers: the participants at their own sites (403 for roles that never record follow-ups).
  requireParticipantRole(user, 'record_follow_up', snapshot.locked);
  return (screening: TrialSnapshot['screenings'][number]) =>
    can(user, 'record_follow_up', resourceIn(snapshot, screening.data));
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const rowSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    participant_id: { type: 'string' },
    site_id: { type: 'string' },
    visit_id: { type: 'string' },
    visit_kind: { type: 'string' },
    deviation: { type: 'string' },
    discharge_date: { type: 'string' },
    window_earliest: { type: 'string' },
    window_target: { type: 'string' },
    window_latest: { type: 'string' },
    visit_date: { type: 'string' },
    days_outside_window: { type: 'integer' },
  },
} as const;

/**
 * GET /api/trials/:trialId/reports/protocol-deviations (JSON) and .../protocol-deviations.csv: follow-ups
 * (interviews, records reviews) done outside their visit window (visitWindow). The analysis dataset has no
 * column for it (its schema is shared with the simulator and the analyses), so the flag lives here.
 */
export function registerProtocolDeviationRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/reports/protocol-deviations',
    {
      schema: {
        summary:
          'Protocol deviations: follow-ups (interviews, records reviews) done outside their visit window',
        description:
          'One row per completed interview or available records review dated before its window opened (visit_early) or after it closed (visit_late), with the window and days_outside_window. Callers allowed export_blinded see the trial; researchers their own sites. Never splits by arm.',
        tags: ['reports'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['deviations'],
            properties: { deviations: { type: 'array', items: rowSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      const visible = deviationScope(user, snapshot);
      return { deviations: visitWindowDeviations(snapshot.trial.config, snapshot, visible) };
    },
  );

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/reports/protocol-deviations.csv',
    {
      schema: {
        summary: 'The protocol deviations listing as CSV (one row per follow-up outside its window); audited',
        tags: ['reports'],
        params: trialParams,
        response: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      const visible = deviationScope(user, snapshot);
      const rows = visitWindowDeviations(snapshot.trial.config, snapshot, visible);
      const lines = [
        DEVIATION_COLUMNS.join(','),
        ...rows.map((row) => DEVIATION_COLUMNS.map((column) => csvCell(row[column])).join(',')),
      ];
      await store.recordExport(snapshot.trial.trialId, 'protocol deviations (visit windows)', {
        userId: user.userId,
        role: user.role,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${snapshot.trial.trialId}-protocol-deviations.csv"`,
        )
        .send(`${lines.join('\n')}\n`);
    },
  );
}
