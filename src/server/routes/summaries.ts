import type { FastifyInstance } from 'fastify';
import {
  can,
  daysBetween,
  isWithinWindow,
  type ParticipantRecords,
  scoreInstrument,
  type Trial,
  type TrialConfig,
  type User,
  type VisitDefinition,
  visitWindow,
} from '../../trial/index.ts';
import { trialResource } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { trialParams } from '../schemas.ts';
import {
  anyObject,
  DATE_SCHEMA,
  loadSnapshot,
  requireParticipantRole,
  resourceIn,
  type TrialSnapshot,
  todayOf,
} from '../workflow.ts';
import { recruitmentTargetOf, targetProgress } from './recruitment.ts';

/**
 * Who may read trial-wide summaries: anyone with `export_blinded` (trial manager, statistician, admin) or
 * `view_aggregate_by_arm` (DMC; trial manager and statistician after the lock). The split by arm is added
 * only for `view_aggregate_by_arm`.
 *
 * @throws HttpError 403 `forbidden` otherwise.
 */
export function summaryAccess(user: User, trial: Trial): { byArm: boolean } {
  const resource = trialResource(trial);
  const byArm = can(user, 'view_aggregate_by_arm', resource);
  if (!byArm && !can(user, 'export_blinded', resource)) {
    throw new HttpError(
      403,
      'forbidden',
      `trial summaries require a role allowed to export blinded data or view aggregates (got ${user.role})`,
    );
  }
  return { byArm };
}

/** Whether a withdrawal stops interviews (an intervention-only withdrawal does not, and is never counted here). */
function stopsInterviews(records: ParticipantRecords): boolean {
  const scope = records.withdrawal?.scope;
  return scope === 'interviews' || scope === 'all' || records.death !== undefined;
}

function stopsRecords(records: ParticipantRecords): boolean {
  const withdrawal = records.withdrawal;
  return withdrawal?.scope === 'all' && withdrawal.dataUse !== 'collected_and_records';
}

/** The state of one visit for one participant on a day. */
export type VisitState = 'awaiting_discharge' | 'upcoming' | 'open' | 'overdue' | 'done' | 'not_required';

function visitState(visit: VisitDefinition, records: ParticipantRecords, config: TrialConfig, today: string) {
  const discharge = records.discharge?.dischargeDate;
  const done =
    visit.kind === 'interview'
      ? records.interviews.find((interview) => interview.visitId === visit.id)
      : records.serviceUseReviews.find((review) => review.visitId === visit.id);
  const window = discharge === undefined ? undefined : visitWindow(config, visit.id, discharge);
  let state: VisitState;
  if (done !== undefined) state = 'done';
  else if (visit.kind === 'interview' ? stopsInterviews(records) : stopsRecords(records))
    state = 'not_required';
  else if (window === undefined) state = 'awaiting_discharge';
  else if (today < window.earliest) state = 'upcoming';
  else if (today <= window.latest) state = 'open';
  else state = 'overdue';
  return { state, window, done };
}

const windowSchema = {
  type: ['object', 'null'],
  properties: { target: { type: 'string' }, earliest: { type: 'string' }, latest: { type: 'string' } },
} as const;

const dueQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    on: DATE_SCHEMA,
    horizon_days: { type: 'integer', minimum: 0, maximum: 730 },
    site_id: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

function monthOf(date: string): string {
  return date.slice(0, 7);
}

function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;
}

function siteNames(snapshot: TrialSnapshot, sites: readonly { siteId: string; name: string }[]) {
  const names = new Map(sites.map((site) => [site.siteId, site.name]));
  const ids = new Set<string>([...names.keys(), ...snapshot.screenings.map((entry) => entry.data.site)]);
  return [...ids].sort().map((id) => ({ id, name: names.get(id) ?? id }));
}

/** Baseline complete: recorded, and every baseline instrument has a (possibly prorated) total. */
function baselineComplete(config: TrialConfig, records: ParticipantRecords): boolean {
  const baseline = records.baseline;
  if (baseline === undefined) return false;
  return config.baselineInstruments.every((id) => {
    const instrument = config.instruments.find((candidate) => candidate.id === id);
    const responses = baseline.responses[id];
    return (
      instrument !== undefined &&
      responses !== undefined &&
      scoreInstrument(instrument, responses).total !== undefined
    );
  });
}

/**
 * Follow-ups due, recruitment by site over time, data completeness and follow-up rates by site, and the
 * CONSORT flow so far. None of them splits by arm for blinded callers.
 */
export function registerSummaryRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock } = context;

  app.get<{
    Params: { trialId: string };
    Querystring: { on?: string; horizon_days?: number; site_id?: string };
  }>(
    '/api/trials/:trialId/follow-ups/due',
    {
      schema: {
        summary:
          'Follow-ups (interviews, records extractions) open, overdue or opening within horizon_days (default 30)',
        description:
          "Researchers see their sites'. Each row has the visit window (visitWindow: target, earliest, latest after discharge) and state: upcoming, open, overdue. Participants without a discharge date are counted in awaiting_discharge.",
        tags: ['follow-up'],
        params: trialParams,
        querystring: dueQuery,
        response: {
          200: {
            type: 'object',
            required: ['on', 'due', 'awaiting_discharge'],
            properties: {
              on: { type: 'string' },
              awaiting_discharge: { type: 'integer' },
              due: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    participant_id: { type: 'string' },
                    site_id: { type: 'string' },
                    visit_id: { type: 'string' },
                    visit_kind: { type: 'string' },
                    discharge_date: { type: 'string' },
                    state: { type: 'string' },
                    window: windowSchema,
                    days_to_close: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'record_follow_up', snapshot.locked);
      const today = request.query.on ?? todayOf(clock);
      const horizon = request.query.horizon_days ?? 30;
      const config = snapshot.trial.config;
      const due: Record<string, unknown>[] = [];
      let awaiting = 0;
      for (const screening of snapshot.screenings) {
        const participantId = screening.data.participantId;
        if (participantId === undefined) continue;
        if (request.query.site_id !== undefined && screening.data.site !== request.query.site_id) continue;
        if (!can(user, 'record_follow_up', resourceIn(snapshot, screening.data))) continue;
        const records = snapshot.records.get(participantId);
        if (records === undefined) continue;
        if (records.discharge === undefined) {
          if (!stopsInterviews(records)) awaiting += 1;
          continue;
        }
        for (const visit of config.visits) {
          const { state, window } = visitState(visit, records, config, today);
          if (window === undefined || state === 'done' || state === 'not_required') continue;
          if (state === 'upcoming' && daysBetween(today, window.earliest) > horizon) continue;
          due.push({
            id: screening.recordId,
            participant_id: participantId,
            site_id: screening.data.site,
            visit_id: visit.id,
            visit_kind: visit.kind,
            discharge_date: records.discharge.dischargeDate,
            state,
            window: { target: window.target, earliest: window.earliest, latest: window.latest },
            days_to_close: daysBetween(today, window.latest),
          });
        }
      }
      due.sort((a, b) =>
        String((a.window as { latest: string }).latest).localeCompare(
          (b.window as { latest: string }).latest,
        ),
      );
      return { on: today, awaiting_discharge: awaiting, due };
    },
  );

  app.get<{ Params: { trialId: string }; Querystring: { on?: string } }>(
    '/api/trials/:trialId/reports/recruitment',
    {
      schema: {
        summary:
          'Recruitment by site over time: screened, consented and randomised per month, with cumulative totals, against the target',
        description:
          "With the trial's recruitment target (GET/PUT .../recruitment/target) the total and each site with its own target carry target: {total, start_date, end_date, expected_by_today (straight line from start to end, on ?on= or today), percent_of_target, percent_of_expected}; null otherwise.",
        tags: ['reports'],
        params: trialParams,
        querystring: { type: 'object', additionalProperties: false, properties: { on: DATE_SCHEMA } },
        response: { 200: anyObject },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      summaryAccess(user, snapshot.trial);
      const today = request.query.on ?? todayOf(clock);
      const target = (await recruitmentTargetOf(store, snapshot.trial.trialId))?.data;
      const sites = siteNames(snapshot, await store.listSites(snapshot.trial.trialId));
      const randomisedDate = new Map<string, string>();
      for (const records of snapshot.records.values()) {
        randomisedDate.set(records.participant.screeningId, records.randomisation.randomisedDate);
      }
      const dates = [
        ...snapshot.screenings.map((entry) => entry.data.screenedDate),
        ...randomisedDate.values(),
        todayOf(clock),
      ].sort();
      const months = monthsBetween(monthOf(dates[0] as string), monthOf(dates.at(-1) as string));
      const perSite = sites.map((site) => {
        const entries = snapshot.screenings.filter((entry) => entry.data.site === site.id);
        const randomised = entries.filter((entry) => entry.data.outcome === 'randomised').length;
        const siteTarget = target?.sites.find((candidate) => candidate.siteId === site.id);
        let cumulative = 0;
        const byMonth = months.map((month) => {
          const screened = entries.filter((entry) => monthOf(entry.data.screenedDate) === month).length;
          const randomised = entries.filter(
            (entry) => monthOf(randomisedDate.get(entry.recordId) ?? '') === month,
          ).length;
          cumulative += randomised;
          return { month, screened, randomised, cumulative_randomised: cumulative };
        });
        return {
          site_id: site.id,
          name: site.name,
          screened: entries.length,
          consented: entries.filter((entry) => snapshot.consents.has(entry.recordId)).length,
          randomised,
          target:
            target === undefined || siteTarget === undefined
              ? null
              : targetProgress(
                  { total: siteTarget.total, startDate: siteTarget.startDate ?? target.startDate },
                  target.endDate,
                  randomised,
                  today,
                ),
          first_randomised:
            entries
              .map((entry) => randomisedDate.get(entry.recordId))
              .filter(Boolean)
              .sort()[0] ?? null,
          by_month: byMonth,
        };
      });
      const total = {
        screened: snapshot.screenings.length,
        consented: snapshot.consents.size,
        randomised: snapshot.records.size,
        target:
          target === undefined ? null : targetProgress(target, target.endDate, snapshot.records.size, today),
        by_month: months.map((month, index) => ({
          month,
          screened: perSite.reduce((sum, site) => sum + (site.by_month[index]?.screened ?? 0), 0),
          randomised: perSite.reduce((sum, site) => sum + (site.by_month[index]?.randomised ?? 0), 0),
          cumulative_randomised: perSite.reduce(
            (sum, site) => sum + (site.by_month[index]?.cumulative_randomised ?? 0),
            0,
          ),
        })),
      };
      return { interval: 'month', on: today, months, sites: perSite, total };
    },
  );

  app.get<{ Params: { trialId: string }; Querystring: { on?: string } }>(
    '/api/trials/:trialId/reports/completeness',
    {
      schema: {
        summary:
          'Data completeness and follow-up rates by site: baseline, discharge, each visit (due, done, in window)',
        description:
          'A visit is due once its window has opened; rate = done / due. Withdrawals from interviews (or everything) and deaths take a participant out of the interview denominator; withdrawals from the intervention only are never counted (they would reveal the arm).',
        tags: ['reports'],
        params: trialParams,
        querystring: { type: 'object', additionalProperties: false, properties: { on: DATE_SCHEMA } },
        response: { 200: anyObject },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      const { byArm } = summaryAccess(user, snapshot.trial);
      const today = request.query.on ?? todayOf(clock);
      const config = snapshot.trial.config;
      const sites = siteNames(snapshot, await store.listSites(snapshot.trial.trialId));
      const all = [...snapshot.records.values()];
      const summarise = (group: readonly ParticipantRecords[]) => ({
        randomised: group.length,
        baseline_complete: group.filter((records) => baselineComplete(config, records)).length,
        discharge_recorded: group.filter((records) => records.discharge !== undefined).length,
        withdrawn: group.filter(
          (records) => records.withdrawal !== undefined && records.withdrawal.scope !== 'intervention',
        ).length,
        died: group.filter((records) => records.death !== undefined).length,
        visits: config.visits.map((visit) => {
          let due = 0;
          let done = 0;
          let completed = 0;
          let inWindow = 0;
          let overdue = 0;
          for (const records of group) {
            const { state, window, done: record } = visitState(visit, records, config, today);
            if (state === 'not_required' || state === 'awaiting_discharge' || state === 'upcoming') continue;
            if (window === undefined && record === undefined) continue;
            due += 1;
            if (state === 'overdue') overdue += 1;
            if (record === undefined) continue;
            done += 1;
            const date =
              'status' in record
                ? record.status === 'completed'
                  ? record.interviewDate
                  : undefined
                : record.recordsAvailable
                  ? record.reviewDate
                  : undefined;
            if (date !== undefined) completed += 1;
            if (date !== undefined && window !== undefined && isWithinWindow(window, date)) inWindow += 1;
          }
          return {
            visit_id: visit.id,
            kind: visit.kind,
            due,
            done,
            completed,
            completed_in_window: inWindow,
            overdue,
            completion_rate: rate(completed, due),
          };
        }),
      });
      const perSite = sites.map((site) => ({
        site_id: site.id,
        name: site.name,
        ...summarise(all.filter((records) => records.participant.site === site.id)),
      }));
      const body: Record<string, unknown> = { on: today, sites: perSite, total: summarise(all) };
      if (byArm) {
        body.by_arm = config.arms.map((arm) => ({
          arm: arm.name,
          ...summarise(all.filter((records) => records.randomisation.arm === arm.name)),
        }));
      }
      return body;
    },
  );

  app.get<{ Params: { trialId: string }; Querystring: { on?: string } }>(
    '/api/trials/:trialId/reports/consort',
    {
      schema: {
        summary: 'The CONSORT flow so far: assessed, excluded (by reason), randomised, followed up, analysed',
        description:
          'Allocation, intervention received and discontinued are split by arm only for callers allowed aggregates by arm.',
        tags: ['reports'],
        params: trialParams,
        querystring: { type: 'object', additionalProperties: false, properties: { on: DATE_SCHEMA } },
        response: { 200: anyObject },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      const { byArm } = summaryAccess(user, snapshot.trial);
      const config = snapshot.trial.config;
      const today = request.query.on ?? todayOf(clock);
      const entries = snapshot.screenings.map((entry) => entry.data);
      const reasons: Record<string, number> = {};
      for (const entry of entries) {
        if (entry.outcome !== 'not_eligible') continue;
        for (const reason of entry.ineligibilityReasons ?? []) reasons[reason] = (reasons[reason] ?? 0) + 1;
      }
      const count = (outcome: string) => entries.filter((entry) => entry.outcome === outcome).length;
      const interview = config.visits.find((visit) => visit.kind === 'interview');
      const recordsVisit = config.visits.find((visit) => visit.kind === 'records');
      const followUp = (group: readonly ParticipantRecords[]) => {
        const lost: Record<string, number> = {};
        let interviewed = 0;
        let pending = 0;
        for (const records of group) {
          if (interview === undefined) break;
          const found = records.interviews.find((item) => item.visitId === interview.id);
          if (found?.status === 'completed') interviewed += 1;
          else if (found !== undefined) {
            const why = found.notCompletedReason ?? 'other';
            lost[why] = (lost[why] ?? 0) + 1;
          } else if (stopsInterviews(records)) {
            const why = records.death !== undefined ? 'died' : 'withdrawn';
            lost[why] = (lost[why] ?? 0) + 1;
          } else {
            const { state } = visitState(interview, records, config, today);
            if (state === 'overdue') lost.missed_window = (lost.missed_window ?? 0) + 1;
            else pending += 1;
          }
        }
        const analysedPrimary = group.filter((records) =>
          records.serviceUseReviews.some(
            (review) => review.visitId === recordsVisit?.id && review.recordsAvailable,
          ),
        ).length;
        return {
          allocated: group.length,
          interview_visit: interview?.id ?? null,
          interviewed,
          lost_to_follow_up: lost,
          follow_up_pending: pending,
          withdrawn: group.filter(
            (records) => records.withdrawal !== undefined && records.withdrawal.scope !== 'intervention',
          ).length,
          analysed_primary_outcome: analysedPrimary,
        };
      };
      const all = [...snapshot.records.values()];
      const body: Record<string, unknown> = {
        on: today,
        assessed_for_eligibility: entries.length,
        excluded: {
          total: count('not_eligible') + count('declined') + count('not_randomised_other'),
          not_meeting_inclusion_criteria: count('not_eligible'),
          reasons,
          declined: count('declined'),
          other_reasons: count('not_randomised_other'),
        },
        awaiting_randomisation: count('pending'),
        randomised: all.length,
        follow_up: followUp(all),
      };
      if (byArm) {
        body.arms = config.arms.map((arm) => {
          const group = all.filter((records) => records.randomisation.arm === arm.name);
          return {
            arm: arm.name,
            ...followUp(group),
            received_intervention: group.filter((records) => records.contacts.length > 0).length,
            discontinued_intervention: group.filter(
              (records) =>
                records.interventionWithdrawal !== undefined || records.withdrawal?.scope === 'intervention',
            ).length,
          };
        });
      }
      return body;
    },
  );
}
