/**
 * Trial operations, run once per dialect in-process through `app.inject`: the recruitment target as trial
 * data (GET/PUT .../recruitment/target: who may set it, every problem at once, version and reason, audit,
 * the lock) and its figures in the recruitment summary (expected by today, % of target, per site); the
 * protocol deviations listing (follow-ups done outside their visit window; JSON and CSV; who sees what).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type FreshDatabase,
  type Login,
  openWorld,
  PEOPLE,
  participantRequest,
  type World,
} from './harness.ts';

const DAY = 86_400_000;
/** Whole days from one ISO date to another, by the calendar (independent of the code under test). */
const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;

interface TargetProgress {
  total: number;
  start_date: string;
  end_date: string;
  expected_by_today: number;
  percent_of_target: number | null;
  percent_of_expected: number | null;
}

export function defineTrialOperationsSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`trial operations on ${dialect}`, () => {
    let world: World;
    const logins: Record<string, Login> = {};
    const as = (username: string, method: string, url: string, payload?: unknown) =>
      world.as(logins[username] as Login, method, url, payload);

    /** A randomised participant at `site` (made by the admin); its screening id. */
    async function randomised(site: string): Promise<string> {
      const made = await as('admin', 'POST', '/api/trials/enrich/participants', participantRequest(site));
      assert.equal(made.statusCode, 201, made.body);
      const id = made.json().id as string;
      const done = await as('admin', 'POST', `/api/participants/${id}/randomise`);
      assert.equal(done.statusCode, 200, done.body);
      return id;
    }

    before(async () => {
      world = await openWorld(fresh);
      for (const username of Object.keys(PEOPLE)) logins[username] = await world.login(username);
      assert.equal(
        (await as('admin', 'POST', '/api/trials', { name: 'enrich', template: 'enrich' })).statusCode,
        201,
      );
      for (const code of ['site_1', 'site_2']) {
        const site = await as('admin', 'POST', '/api/trials/enrich/sites', { code, name: code });
        assert.equal(site.statusCode, 201, site.body);
      }
    });
    after(async () => world.close());

    describe('recruitment target', () => {
      const target = {
        total: 40,
        start_date: '2024-01-01',
        end_date: '2024-12-31',
        sites: [{ site_id: 'site_1', total: 25 }],
      };

      it('is null until set; researchers, coordinators and statisticians may not set it (403)', async () => {
        const empty = await as('manager', 'GET', '/api/trials/enrich/recruitment/target');
        assert.equal(empty.statusCode, 200, empty.body);
        assert.deepEqual(empty.json(), { target: null, version: null, updated_at: null, updated_by: null });
        for (const username of ['researcher1', 'coordinator1', 'statistician', 'dmc', 'peerworker']) {
          const refused = await as(username, 'PUT', '/api/trials/enrich/recruitment/target', target);
          assert.equal(refused.statusCode, 403, `${username}: ${refused.body}`);
          assert.equal(refused.json().error.code, 'forbidden');
        }
        // Reading it: whoever reads the recruitment summary (export_blinded, view_aggregate_by_arm).
        for (const [username, status] of [
          ['statistician', 200],
          ['dmc', 200],
          ['admin', 200],
          ['researcher1', 403],
          ['coordinator1', 403],
          ['peerworker', 403],
        ] as const) {
          const read = await as(username, 'GET', '/api/trials/enrich/recruitment/target');
          assert.equal(read.statusCode, status, `${username}: ${read.body}`);
        }
      });

      it('an invalid target answers 422 with every problem at once and stores nothing', async () => {
        const bad = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', {
          total: 0,
          start_date: '2024-06-01',
          end_date: '2024-05-01',
          sites: [
            { site_id: 'site_9', total: 3 },
            { site_id: 'site_1', total: 0, start_date: '2023-01-01' },
          ],
        });
        assert.equal(bad.statusCode, 422, bad.body);
        assert.deepEqual(
          (bad.json().error.issues as { path: string }[]).map((issue) => issue.path),
          [
            'recruitment_target.total',
            'recruitment_target.endDate',
            'recruitment_target.sites[1].total',
            'recruitment_target.sites[1].startDate',
            'recruitment_target.sites[0].siteId',
          ],
        );
        assert.match(
          bad.json().error.message,
          /recruitment_target.sites\[0\].siteId requires a site of the trial \(site_1, site_2\) \(got "site_9"\)/,
        );
        const schema = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', { total: 'ten' });
        assert.equal(schema.statusCode, 400, schema.body);
        const read = await as('manager', 'GET', '/api/trials/enrich/recruitment/target');
        assert.equal(read.json().target, null);
      });

      it('the manager sets it (version 1); a change needs the version read and a reason; both are audited', async () => {
        const saved = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', target);
        assert.equal(saved.statusCode, 200, saved.body);
        assert.deepEqual(saved.json().target, {
          ...target,
          sites: [{ site_id: 'site_1', total: 25, start_date: null }],
        });
        assert.equal(saved.json().version, 1);
        assert.equal(saved.json().updated_by, (logins.manager as Login).userId);
        const changed = {
          ...target,
          total: 48,
          sites: [...target.sites, { site_id: 'site_2', total: 23, start_date: '2024-04-01' }],
        };
        const noReason = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', {
          ...changed,
          version: 1,
        });
        assert.equal(noReason.statusCode, 422, noReason.body);
        assert.equal(noReason.json().error.code, 'store_reason_required');
        const noVersion = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', {
          ...changed,
          reason: 'second funder',
        });
        assert.equal(noVersion.statusCode, 409, noVersion.body);
        assert.equal(noVersion.json().error.code, 'store_version_conflict');
        const second = await as('admin', 'PUT', '/api/trials/enrich/recruitment/target', {
          ...changed,
          version: 1,
          reason: 'second funder',
        });
        assert.equal(second.statusCode, 200, second.body);
        assert.equal(second.json().version, 2);
        assert.deepEqual(second.json().target.sites, [
          { site_id: 'site_1', total: 25, start_date: null },
          { site_id: 'site_2', total: 23, start_date: '2024-04-01' },
        ]);
        const audit = await world.store.listAudit({ trialId: 'enrich', viewer: { role: 'admin' } });
        const entries = audit.filter((entry) => entry.entity === 'recruitment_target');
        // The first entry records every field (no reason needed); the change each changed field with its reason.
        assert.deepEqual(
          entries.filter((entry) => entry.action === 'create').map((entry) => entry.field),
          ['endDate', 'sites', 'startDate', 'targetId', 'total'],
        );
        assert.deepEqual(
          entries
            .filter((entry) => entry.action !== 'create')
            .map((entry) => [entry.action, entry.field, entry.reason]),
          [
            ['update', 'sites', 'second funder'],
            ['update', 'total', 'second funder'],
          ],
        );
        const change = entries.find((entry) => entry.action === 'update' && entry.field === 'total');
        assert.deepEqual([change?.oldValue, change?.newValue], [40, 48]);
      });

      it('the recruitment summary shows expected by today and % of target, overall and per site', async () => {
        const ones = [await randomised('site_1'), await randomised('site_1'), await randomised('site_1')];
        await randomised('site_2');
        assert.equal(ones.length, 3);
        const on = '2024-07-01';
        for (const username of ['manager', 'dmc']) {
          const summary = await as(username, 'GET', `/api/trials/enrich/reports/recruitment?on=${on}`);
          assert.equal(summary.statusCode, 200, summary.body);
          const body = summary.json() as {
            on: string;
            total: { randomised: number; target: TargetProgress | null };
            sites: { site_id: string; randomised: number; target: TargetProgress | null }[];
          };
          assert.equal(body.on, on);
          // The straight line: the total spread evenly over the days from start to end.
          const expectedTotal =
            Math.round(((48 * days('2024-01-01', on)) / days('2024-01-01', '2024-12-31')) * 10) / 10;
          assert.deepEqual(body.total.target, {
            total: 48,
            start_date: '2024-01-01',
            end_date: '2024-12-31',
            expected_by_today: expectedTotal,
            percent_of_target: Math.round((4 / 48) * 1000) / 10,
            percent_of_expected: Math.round((4 / expectedTotal) * 1000) / 10,
          });
          assert.equal(body.total.randomised, 4);
          const siteOne = body.sites.find((site) => site.site_id === 'site_1');
          const expectedOne =
            Math.round(((25 * days('2024-01-01', on)) / days('2024-01-01', '2024-12-31')) * 10) / 10;
          assert.deepEqual(siteOne?.target, {
            total: 25,
            start_date: '2024-01-01',
            end_date: '2024-12-31',
            expected_by_today: expectedOne,
            percent_of_target: Math.round((3 / 25) * 1000) / 10,
            percent_of_expected: Math.round((3 / expectedOne) * 1000) / 10,
          });
          // site_2 started later: its own start date.
          const siteTwo = body.sites.find((site) => site.site_id === 'site_2');
          const expectedTwo =
            Math.round(((23 * days('2024-04-01', on)) / days('2024-04-01', '2024-12-31')) * 10) / 10;
          assert.equal(siteTwo?.target?.start_date, '2024-04-01');
          assert.equal(siteTwo?.target?.expected_by_today, expectedTwo);
          assert.equal(siteTwo?.target?.percent_of_target, Math.round((1 / 23) * 1000) / 10);
        }
        // Before a site's start nothing is expected there: % of expected is null, not infinite.
        const early = await as('manager', 'GET', '/api/trials/enrich/reports/recruitment?on=2024-03-01');
        const siteTwo = (early.json().sites as { site_id: string; target: TargetProgress }[]).find(
          (site) => site.site_id === 'site_2',
        );
        assert.equal(siteTwo?.target.expected_by_today, 0);
        assert.equal(siteTwo?.target.percent_of_expected, null);
      });
    });

    describe('protocol deviations (visit windows)', () => {
      let late: string;
      let early: string;
      let inWindow: string;

      before(async () => {
        late = await randomised('site_1');
        early = await randomised('site_2');
        inWindow = await randomised('site_1');
        for (const [id, researcher, interviewDate] of [
          [late, 'researcher1', '2024-07-10'],
          [early, 'researcher2', '2024-04-20'],
          [inWindow, 'researcher1', '2024-05-20'],
        ] as const) {
          const discharge = await as(researcher, 'PUT', `/api/participants/${id}/discharge`, {
            discharge_date: '2024-01-10',
          });
          assert.equal(discharge.statusCode, 200, discharge.body);
          const interview = await as(researcher, 'PUT', `/api/participants/${id}/interviews/month_4`, {
            status: 'completed',
            interview_date: interviewDate,
            responses: {},
          });
          assert.equal(interview.statusCode, 200, interview.body);
        }
        // A records review before the 12-month window opens (it would miss part of the year).
        const review = await as('researcher1', 'PUT', `/api/participants/${inWindow}/service-use/month_12`, {
          review_date: '2024-12-01',
          records_available: true,
        });
        assert.equal(review.statusCode, 200, review.body);
      });

      it('lists each follow-up done outside its window with the window and the days outside', async () => {
        const response = await as('manager', 'GET', '/api/trials/enrich/reports/protocol-deviations');
        assert.equal(response.statusCode, 200, response.body);
        const rows = response.json().deviations as Record<string, unknown>[];
        const pid = async (id: string) =>
          (await world.store.findRecord('enrich', 'screening', id))?.data.participantId as string;
        const expected = [
          {
            id: late,
            participant_id: await pid(late),
            site_id: 'site_1',
            visit_id: 'month_4',
            visit_kind: 'interview',
            deviation: 'visit_late',
            discharge_date: '2024-01-10',
            window_earliest: '2024-04-27',
            window_target: '2024-05-11',
            window_latest: '2024-07-06',
            visit_date: '2024-07-10',
            days_outside_window: days('2024-07-06', '2024-07-10'),
          },
          {
            id: early,
            participant_id: await pid(early),
            site_id: 'site_2',
            visit_id: 'month_4',
            visit_kind: 'interview',
            deviation: 'visit_early',
            discharge_date: '2024-01-10',
            window_earliest: '2024-04-27',
            window_target: '2024-05-11',
            window_latest: '2024-07-06',
            visit_date: '2024-04-20',
            days_outside_window: days('2024-04-27', '2024-04-20'),
          },
          {
            id: inWindow,
            participant_id: await pid(inWindow),
            site_id: 'site_1',
            visit_id: 'month_12',
            visit_kind: 'records',
            deviation: 'visit_early',
            discharge_date: '2024-01-10',
            // 365 days after discharge, window 0 days before and 183 after (the ENRICH template).
            window_earliest: new Date(Date.parse('2024-01-10T00:00:00Z') + 365 * DAY)
              .toISOString()
              .slice(0, 10),
            window_target: new Date(Date.parse('2024-01-10T00:00:00Z') + 365 * DAY)
              .toISOString()
              .slice(0, 10),
            window_latest: new Date(Date.parse('2024-01-10T00:00:00Z') + 548 * DAY)
              .toISOString()
              .slice(0, 10),
            visit_date: '2024-12-01',
            days_outside_window: days('2025-01-09', '2024-12-01'),
          },
        ].sort(
          (left, right) =>
            left.participant_id.localeCompare(right.participant_id) ||
            left.visit_id.localeCompare(right.visit_id),
        );
        assert.deepEqual(rows, expected);
        assert.ok(
          !rows.some((row) => row.id === inWindow && row.visit_id === 'month_4'),
          'in-window interview not listed',
        );
        assert.ok(!response.body.includes('"arm"'));

        // A researcher sees their own sites' deviations only; the DMC and coordinators none (403).
        const mine = await as('researcher2', 'GET', '/api/trials/enrich/reports/protocol-deviations');
        assert.equal(mine.statusCode, 200, mine.body);
        assert.deepEqual(
          (mine.json().deviations as { id: string }[]).map((row) => row.id),
          [early],
        );
        for (const username of ['dmc', 'coordinator1', 'peerworker']) {
          const refused = await as(username, 'GET', '/api/trials/enrich/reports/protocol-deviations');
          assert.equal(refused.statusCode, 403, `${username}: ${refused.body}`);
        }
      });

      it('the CSV has the same rows, one per deviation, and the export is audited', async () => {
        const json = (
          await as('statistician', 'GET', '/api/trials/enrich/reports/protocol-deviations')
        ).json().deviations as Record<string, string | number>[];
        const csv = await as('statistician', 'GET', '/api/trials/enrich/reports/protocol-deviations.csv');
        assert.equal(csv.statusCode, 200, csv.body);
        assert.match(String(csv.headers['content-type']), /^text\/csv/);
        assert.match(String(csv.headers['content-disposition']), /enrich-protocol-deviations\.csv/);
        const [header, ...lines] = csv.body.trimEnd().split('\n');
        const columns = (header as string).split(',');
        assert.deepEqual(columns, [
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
        ]);
        assert.deepEqual(
          lines.map((line) => line.split(',')),
          json.map((row) => columns.map((column) => String(row[column]))),
        );
        const audit = await world.store.listAudit({ trialId: 'enrich', viewer: { role: 'admin' } });
        assert.ok(
          audit.some(
            (entry) =>
              entry.action === 'export' &&
              entry.actorId === (logins.statistician as Login).userId &&
              JSON.stringify(entry.newValue).includes('protocol deviations'),
          ),
        );
      });
    });

    describe('after the lock', () => {
      it('the target can no longer change (403), and is still read with the summary', async () => {
        const lock = await as('manager', 'POST', '/api/trials/enrich/lock', { reason: 'end of follow-up' });
        assert.equal(lock.statusCode, 200, lock.body);
        const refused = await as('manager', 'PUT', '/api/trials/enrich/recruitment/target', {
          total: 50,
          start_date: '2024-01-01',
          end_date: '2024-12-31',
          version: 2,
          reason: 'late change',
        });
        assert.equal(refused.statusCode, 403, refused.body);
        assert.match(refused.json().error.message, /requires an unlocked database/);
        const summary = await as('statistician', 'GET', '/api/trials/enrich/reports/recruitment');
        assert.equal(summary.json().total.target.total, 48);
      });
    });
  });
}
