/**
 * The workflow routes (screening log, consent, baseline, discharge, peer support, follow-up, safety,
 * instruments, due lists, reports), run once per dialect in-process through `app.inject`: success,
 * validation errors, role allow/deny from `can()` (a generated role x endpoint matrix), cross-site 404,
 * blinding, optimistic concurrency and reasons for changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Action,
  can,
  isBlinded,
  type ParticipantResource,
  PLACEHOLDER_SYMPTOMS,
  ROLES,
  scoreInstrument,
  type User,
} from '../../src/trial/index.ts';
import {
  type FreshDatabase,
  type Login,
  openWorld,
  PEOPLE,
  participantRequest,
  type World,
} from './harness.ts';

const ARMS = ['peer_support', 'usual_care'];

/** Whether a serialized body shows an allocation: an `arm` key or an arm name. */
function showsAllocation(body: string): boolean {
  return /"arm"\s*:/.test(body) || ARMS.some((arm) => body.includes(arm));
}

/** Complete answers to every baseline instrument of the ENRICH template (each item at its minimum + 1). */
function answers(world: World) {
  void world;
  return {
    symptoms: Object.fromEntries(PLACEHOLDER_SYMPTOMS.items.map((item, index) => [item.id, index % 5])),
  };
}

const baselineBody = (responses: Record<string, Record<string, number | null>>) => ({
  assessment_date: '2024-03-02',
  age: 34,
  gender: 'female',
  ethnicity: 'White',
  first_language: 'English',
  admissions_prior_2y: 2,
  detained_at_index: false,
  index_admission_date: '2024-02-10',
  responses,
});

const saeBody = {
  category: 'hospitalisation',
  onset_date: '2024-03-05',
  reported_date: '2024-03-06',
  description: 'admitted after a crisis',
  seriousness: ['hospitalisation'],
  relatedness: 'not_related',
  expectedness: 'expected',
  outcome: 'resolved',
};

const contactBody = {
  contact_date: '2024-03-03',
  phase: 'before_discharge',
  setting: 'ward',
  mode: 'face_to_face',
  minutes: 45,
  activities: ['getting_to_know'],
};

export function defineWorkflowSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`workflow routes on ${dialect}`, () => {
    let world: World;
    const logins: Record<string, Login> = {};
    let pending: string;
    /** Randomised at site_1 and site_2; `peerSupport` is a site_1 participant in the peer support arm. */
    let siteOne: string;
    let siteTwo: string;
    let peerSupport: string;
    let peerSupportPid: string;
    let usualCare: string;
    const as = (username: string, method: string, url: string, payload?: unknown) =>
      world.as(logins[username] as Login, method, url, payload);

    /** A new participant made by the admin (randomised unless `randomise: false`); its screening id. */
    async function participant(site: string, randomise = true): Promise<string> {
      const made = await as('admin', 'POST', '/api/trials/enrich/participants', participantRequest(site));
      assert.equal(made.statusCode, 201, made.body);
      const id = made.json().id as string;
      if (randomise) {
        const randomised = await as('admin', 'POST', `/api/participants/${id}/randomise`);
        assert.equal(randomised.statusCode, 200, randomised.body);
      }
      return id;
    }
    const armOf = async (id: string) =>
      (await as('admin', 'GET', `/api/participants/${id}`)).json().arm as string;
    const pidOf = async (id: string) =>
      (await world.store.findRecord('enrich', 'screening', id))?.data.participantId as string;

    before(async () => {
      world = await openWorld(fresh);
      for (const username of Object.keys(PEOPLE)) logins[username] = await world.login(username);
      assert.equal(
        (await as('admin', 'POST', '/api/trials', { name: 'enrich', template: 'enrich' })).statusCode,
        201,
      );
      for (const code of ['site_1', 'site_2']) {
        assert.equal(
          (await as('admin', 'POST', '/api/trials/enrich/sites', { code, name: code })).statusCode,
          201,
        );
      }
      pending = await participant('site_1', false);
      siteOne = await participant('site_1');
      siteTwo = await participant('site_2');
      for (let index = 0; index < 12 && (peerSupport === undefined || usualCare === undefined); index++) {
        const id = await participant('site_1');
        if ((await armOf(id)) === 'peer_support') peerSupport ??= id;
        else usualCare ??= id;
      }
      peerSupportPid = await pidOf(peerSupport);
      const assigned = await as('coordinator1', 'POST', `/api/participants/${peerSupport}/assignments`, {
        peer_worker_id: (logins.peerworker as Login).userId,
        start_date: '2024-03-01',
      });
      assert.equal(assigned.statusCode, 201, assigned.body);
    });
    after(async () => world.close());

    describe('screening log and consent', () => {
      it('logs a person not eligible with reasons computed from the criteria; lists by site', async () => {
        const response = await as('researcher1', 'POST', '/api/trials/enrich/screening-log', {
          site_id: 'site_1',
          outcome: 'not_eligible',
          age: 16,
          admissions_prior_2y: 0,
          exclusions: [],
          screened_date: '2024-02-28',
        });
        assert.equal(response.statusCode, 201, response.body);
        const body = response.json();
        assert.equal(body.outcome, 'not_eligible');
        assert.equal(body.status, 'not_eligible');
        assert.deepEqual(body.ineligibility_reasons, ['age_18_or_over', 'admission_in_previous_2_years']);
        const declined = await as('researcher1', 'POST', '/api/trials/enrich/screening-log', {
          site_id: 'site_1',
          outcome: 'declined',
          outcome_detail: 'did not want to take part',
        });
        assert.equal(declined.statusCode, 201, declined.body);
        const list = await as('researcher1', 'GET', '/api/trials/enrich/screening-log');
        assert.equal(list.statusCode, 200);
        const entries = list.json().entries as { id: string; site_id: string }[];
        assert.ok(entries.some((entry) => entry.id === body.id));
        assert.ok(entries.every((entry) => entry.site_id === 'site_1'));
        const all = (await as('manager', 'GET', '/api/trials/enrich/screening-log')).json().entries as {
          site_id: string;
        }[];
        assert.ok(all.some((entry) => entry.site_id === 'site_2'));
      });

      it('screening log: 400 lists every issue; 422 not_eligible without a failing criterion; 403 other site', async () => {
        const invalid = await as('researcher1', 'POST', '/api/trials/enrich/screening-log', {
          outcome: 'maybe',
          extra: 1,
        });
        assert.equal(invalid.statusCode, 400);
        assert.deepEqual(
          (invalid.json().error.issues as { path: string }[]).map((issue) => issue.path).sort(),
          ['extra', 'outcome', 'site_id'],
        );
        const none = await as('researcher1', 'POST', '/api/trials/enrich/screening-log', {
          site_id: 'site_1',
          outcome: 'not_eligible',
          age: 40,
        });
        assert.equal(none.statusCode, 422);
        assert.equal(none.json().error.code, 'unprocessable');
        const other = await as('researcher1', 'POST', '/api/trials/enrich/screening-log', {
          site_id: 'site_2',
          outcome: 'declined',
        });
        assert.equal(other.statusCode, 403);
      });

      it('an eligible person not randomised after all: outcome with detail; stale version 409; randomised 409', async () => {
        const id = await participant('site_1', false);
        const stale = await as('researcher1', 'POST', `/api/participants/${id}/screening-outcome`, {
          outcome: 'declined',
          outcome_detail: 'changed their mind',
          version: 2,
        });
        assert.equal(stale.statusCode, 409);
        assert.equal(stale.json().error.code, 'store_version_conflict');
        const done = await as('researcher1', 'POST', `/api/participants/${id}/screening-outcome`, {
          outcome: 'declined',
          outcome_detail: 'changed their mind',
          version: 1,
        });
        assert.equal(done.statusCode, 200, done.body);
        assert.equal(done.json().status, 'declined');
        assert.equal(done.json().version, 2);
        const randomised = await as('researcher1', 'POST', `/api/participants/${siteOne}/screening-outcome`, {
          outcome: 'declined',
          outcome_detail: 'x',
          version: 1,
        });
        assert.equal(randomised.statusCode, 409);
        const audit = await world.store.listAudit({ trialId: 'enrich', viewer: { role: 'admin' } });
        assert.ok(
          audit.some(
            (entry) =>
              entry.recordId === id && entry.field === 'outcome' && entry.reason === 'changed their mind',
          ),
        );
      });

      it('consent: PUT creates (version 1), a correction needs version and reason, stale 409; GET; other site 404', async () => {
        const id = await participant('site_1', false);
        const body = {
          consent_date: '2024-03-01',
          consent_form_version: '2.0',
          records_access: true,
          records_after_withdrawal: false,
        };
        const again = await as('researcher1', 'PUT', `/api/participants/${id}/consent`, body);
        assert.equal(again.statusCode, 409, again.body);
        assert.equal(again.json().error.code, 'store_version_conflict');
        const noReason = await as('researcher1', 'PUT', `/api/participants/${id}/consent`, {
          ...body,
          version: 1,
        });
        assert.equal(noReason.statusCode, 422);
        assert.equal(noReason.json().error.code, 'store_reason_required');
        const changed = await as('researcher1', 'PUT', `/api/participants/${id}/consent`, {
          ...body,
          version: 1,
          reason: 'form version misread',
        });
        assert.equal(changed.statusCode, 200, changed.body);
        assert.equal(changed.json().version, 2);
        assert.equal(changed.json().consent_form_version, '2.0');
        assert.equal(changed.json().records_after_withdrawal, false);
        const read = await as('researcher1', 'GET', `/api/participants/${id}/consent`);
        assert.equal(read.statusCode, 200);
        assert.equal(read.json().version, 2);
        const hidden = await as('researcher2', 'GET', `/api/participants/${id}/consent`);
        assert.equal(hidden.statusCode, 404);
        assert.equal(
          hidden.json().error.message,
          `participant "${id}" requires an existing participant (got none)`,
        );
      });
    });

    describe('baseline, discharge, follow-up', () => {
      it('baseline: responses in, scores computed by scoreInstrument out; invalid responses 422 with every problem', async () => {
        const id = await participant('site_1');
        const responses = { symptoms: { ...answers(world).symptoms, s10: null } };
        const saved = await as(
          'researcher1',
          'PUT',
          `/api/participants/${id}/baseline`,
          baselineBody(responses),
        );
        assert.equal(saved.statusCode, 200, saved.body);
        const expected = scoreInstrument(PLACEHOLDER_SYMPTOMS, responses.symptoms);
        assert.deepEqual(saved.json().scores.symptoms, {
          total: expected.total,
          subscales: expected.subscales,
          answered: 9,
          items: 10,
          prorated: true,
        });
        assert.equal(saved.json().version, 1);
        const read = await as('researcher1', 'GET', `/api/participants/${id}/baseline`);
        assert.deepEqual(read.json().scores, saved.json().scores);
        const bad = await as('researcher1', 'PUT', `/api/participants/${id}/baseline`, {
          ...baselineBody({ symptoms: { s1: 9, nope: 1 } }),
          version: 1,
          reason: 'typo',
        });
        assert.equal(bad.statusCode, 422, bad.body);
        assert.deepEqual((bad.json().error.issues as { path: string }[]).map((issue) => issue.path).sort(), [
          'baseline.responses.symptoms.nope',
          'baseline.responses.symptoms.s1',
        ]);
        const schema = await as('researcher1', 'PUT', `/api/participants/${id}/baseline`, {
          responses: { symptoms: { s1: 'x' } },
        });
        assert.equal(schema.statusCode, 400);
        assert.ok((schema.json().error.issues as unknown[]).length >= 8);
        const notRandomised = await as(
          'researcher1',
          'PUT',
          `/api/participants/${pending}/baseline`,
          baselineBody({}),
        );
        assert.equal(notRandomised.statusCode, 409);
        assert.equal(
          notRandomised.json().error.message,
          'baseline requires a randomised participant (got status eligible)',
        );
      });

      it('discharge sets the visit windows; follow-ups due lists the 4-month interview in its window', async () => {
        const id = await participant('site_1');
        const discharge = await as('researcher1', 'PUT', `/api/participants/${id}/discharge`, {
          discharge_date: '2024-01-10',
        });
        assert.equal(discharge.statusCode, 200, discharge.body);
        assert.deepEqual(discharge.json().windows.month_4, {
          target: '2024-05-11',
          earliest: '2024-04-27',
          latest: '2024-07-06',
        });
        const due = await as('researcher1', 'GET', '/api/trials/enrich/follow-ups/due?on=2024-05-01');
        assert.equal(due.statusCode, 200, due.body);
        const row = (due.json().due as { id: string; visit_id: string; state: string }[]).find(
          (item) => item.id === id && item.visit_id === 'month_4',
        );
        assert.equal(row?.state, 'open');
        const late = await as('researcher1', 'GET', '/api/trials/enrich/follow-ups/due?on=2024-07-07');
        assert.equal(
          (late.json().due as { id: string; visit_id: string; state: string }[]).find(
            (item) => item.id === id && item.visit_id === 'month_4',
          )?.state,
          'overdue',
        );
        const elsewhere = await as('researcher2', 'GET', '/api/trials/enrich/follow-ups/due?on=2024-05-01');
        assert.ok(!(elsewhere.json().due as { id: string }[]).some((item) => item.id === id));
        const interview = await as('researcher1', 'PUT', `/api/participants/${id}/interviews/month_4`, {
          status: 'completed',
          interview_date: '2024-05-20',
          responses: answers(world),
        });
        assert.equal(interview.statusCode, 200, interview.body);
        assert.equal(interview.json().window.within_window, true);
        assert.equal(typeof interview.json().scores.symptoms.total, 'number');
        const after = await as('researcher1', 'GET', '/api/trials/enrich/follow-ups/due?on=2024-05-21');
        assert.ok(
          !(after.json().due as { id: string; visit_id: string }[]).some(
            (item) => item.id === id && item.visit_id === 'month_4',
          ),
        );
        const list = await as('researcher1', 'GET', `/api/participants/${id}/interviews`);
        assert.equal(list.json().interviews.length, 1);
        const unknownVisit = await as('researcher1', 'PUT', `/api/participants/${id}/interviews/month_99`, {
          status: 'not_completed',
          not_completed_reason: 'declined',
        });
        assert.equal(unknownVisit.statusCode, 404);
        const inconsistent = await as('researcher1', 'PUT', `/api/participants/${id}/interviews/month_4`, {
          status: 'not_completed',
          version: 1,
          reason: 'was not done',
        });
        assert.equal(inconsistent.statusCode, 422);
      });

      it('12-month service use: review, events (added, corrected with version + reason), totals', async () => {
        const id = await participant('site_1');
        const review = await as('researcher1', 'PUT', `/api/participants/${id}/service-use/month_12`, {
          review_date: '2025-02-01',
          records_available: true,
        });
        assert.equal(review.statusCode, 200, review.body);
        const event = await as('researcher1', 'POST', `/api/participants/${id}/service-use/events`, {
          kind: 'admission',
          admission_date: '2024-06-01',
          discharge_date: '2024-06-20',
          legal_status: 'voluntary',
        });
        assert.equal(event.statusCode, 201, event.body);
        const crisis = await as('researcher1', 'POST', `/api/participants/${id}/service-use/events`, {
          kind: 'crisis_team',
          date: '2024-07-01',
          contacts: 3,
        });
        assert.equal(crisis.statusCode, 201, crisis.body);
        const invalid = await as('researcher1', 'POST', `/api/participants/${id}/service-use/events`, {
          kind: 'admission',
          admission_date: '2024-06-01',
          discharge_date: '2024-05-20',
          legal_status: 'voluntary',
        });
        assert.equal(invalid.statusCode, 422);
        const eventId = event.json().event_id as string;
        const fixed = await as(
          'researcher1',
          'PUT',
          `/api/participants/${id}/service-use/events/${eventId}`,
          {
            kind: 'admission',
            admission_date: '2024-06-01',
            discharge_date: '2024-06-21',
            legal_status: 'involuntary',
            version: 1,
            reason: 'section 2 on the record',
          },
        );
        assert.equal(fixed.statusCode, 200, fixed.body);
        assert.equal(fixed.json().version, 2);
        const summary = await as('researcher1', 'GET', `/api/participants/${id}/service-use`);
        assert.deepEqual(summary.json().totals, {
          admissions: 1,
          crisis_team: 3,
          liaison: 0,
          community_team: 0,
        });
        assert.equal(summary.json().reviews[0].records_available, true);
      });

      it('withdrawal from the intervention only is its own record: blinded callers never see or touch it', async () => {
        const id = peerSupport;
        const byCoordinator = await as(
          'coordinator1',
          'PUT',
          `/api/participants/${id}/intervention-withdrawal`,
          {
            withdrawal_date: '2024-04-01',
            initiated_by: 'participant',
            withdrawal_reason: 'no longer wants visits',
          },
        );
        assert.equal(byCoordinator.statusCode, 200, byCoordinator.body);
        assert.equal(byCoordinator.json().scope, 'intervention');
        assert.equal(byCoordinator.json().data_use, 'collected_and_records');
        const byResearcher = await as(
          'researcher1',
          'PUT',
          `/api/participants/${id}/intervention-withdrawal`,
          {
            withdrawal_date: '2024-04-01',
            initiated_by: 'participant',
          },
        );
        assert.equal(byResearcher.statusCode, 403, byResearcher.body);
        // Scope intervention on the study withdrawal: the same refusal for both arms, before any record is read.
        const refusals = [];
        for (const participantId of [id, usualCare]) {
          const refused = await as('researcher1', 'PUT', `/api/participants/${participantId}/withdrawal`, {
            withdrawal_date: '2024-04-01',
            initiated_by: 'participant',
            scope: 'intervention',
            data_use: 'collected_and_records',
            version: 1,
            reason: 'trying to overwrite',
          });
          assert.equal(refused.statusCode, 422, refused.body);
          assert.match(refused.json().error.message, /intervention-withdrawal/);
          refusals.push([refused.statusCode, refused.json().error.code]);
        }
        assert.deepEqual(refusals, [
          [422, 'withdrawal_scope_intervention'],
          [422, 'withdrawal_scope_intervention'],
        ]);
        // The blinded researcher sees no withdrawal and records a study withdrawal as a first entry
        // (version 0): a plain success, whatever the other record says.
        const before = await as('researcher1', 'GET', `/api/participants/${id}/withdrawal`);
        assert.deepEqual(before.json(), { withdrawal: null });
        const study = await as('researcher1', 'PUT', `/api/participants/${id}/withdrawal`, {
          withdrawal_date: '2024-05-01',
          initiated_by: 'participant',
          scope: 'interviews',
          data_use: 'collected_and_records',
        });
        assert.equal(study.statusCode, 200, study.body);
        assert.equal(study.json().version, 1);
        assert.equal(study.json().scope, 'interviews');
        assert.ok(!study.body.includes('intervention'), study.body);
        assert.ok(!showsAllocation(study.body), study.body);
        const after = await as('researcher1', 'GET', `/api/participants/${id}/withdrawal`);
        assert.equal(after.json().withdrawal.scope, 'interviews');
        assert.ok(!after.body.includes('intervention'), after.body);
        const hidden = await as('researcher1', 'GET', `/api/participants/${id}/intervention-withdrawal`);
        assert.equal(hidden.statusCode, 403);
        assert.ok(!hidden.body.includes('2024-04-01'), hidden.body);
        // The coordinator's record is kept as it was.
        const kept = await as('coordinator1', 'GET', `/api/participants/${id}/intervention-withdrawal`);
        assert.equal(kept.statusCode, 200, kept.body);
        const record = kept.json().intervention_withdrawal;
        assert.deepEqual(
          [record.version, record.withdrawal_date, record.scope, record.withdrawal_reason],
          [1, '2024-04-01', 'intervention', 'no longer wants visits'],
        );
        const noneForUsualCare = await as(
          'admin',
          'GET',
          `/api/participants/${usualCare}/intervention-withdrawal`,
        );
        assert.deepEqual(noneForUsualCare.json(), { intervention_withdrawal: null });
        const correctedIntervention = await as(
          'coordinator1',
          'PUT',
          `/api/participants/${id}/intervention-withdrawal`,
          {
            withdrawal_date: '2024-04-02',
            initiated_by: 'participant',
            version: 1,
            reason: 'date on the letter',
          },
        );
        assert.equal(correctedIntervention.statusCode, 200, correctedIntervention.body);
        assert.equal(correctedIntervention.json().version, 2);
        // The audit: the blinded manager sees the study withdrawal but nothing of the intervention one.
        const audit = (role: 'trial_manager' | 'admin') =>
          world.store.listAudit({ trialId: 'enrich', viewer: { role } });
        const blindedAudit = await audit('trial_manager');
        assert.ok(blindedAudit.some((entry) => entry.entity === 'withdrawal'));
        assert.ok(
          !blindedAudit.some(
            (entry) =>
              entry.entity === 'intervention_withdrawal' ||
              String(entry.newValue).includes('intervention') ||
              String(entry.oldValue).includes('intervention'),
          ),
        );
        const adminAudit = await audit('admin');
        assert.ok(
          adminAudit.some(
            (entry) => entry.entity === 'intervention_withdrawal' && entry.field === 'withdrawalDate',
          ),
        );
        const bad = await as('researcher1', 'PUT', `/api/participants/${siteOne}/withdrawal`, {
          withdrawal_date: '2024-04-01',
          initiated_by: 'participant',
          scope: 'interviews',
          data_use: 'nothing',
        });
        assert.equal(bad.statusCode, 400);
        const none = await as('researcher1', 'GET', `/api/participants/${usualCare}/death`);
        assert.equal(none.statusCode, 404, none.body);
        const death = await as('researcher1', 'PUT', `/api/participants/${usualCare}/death`, {
          date_of_death: '2024-05-01',
        });
        assert.equal(death.statusCode, 200, death.body);
        const read = await as('researcher1', 'GET', `/api/participants/${usualCare}/death`);
        assert.equal(read.statusCode, 200, read.body);
        assert.equal(read.json().date_of_death, '2024-05-01');
        assert.equal(read.json().version, 1);
        const corrected = await as('researcher1', 'PUT', `/api/participants/${usualCare}/death`, {
          date_of_death: '2024-04-30',
          cause: 'recorded by the coroner',
          version: 1,
          reason: 'date on the death certificate',
        });
        assert.equal(corrected.statusCode, 200, corrected.body);
        assert.equal(corrected.json().version, 2);
        const stale = await as('researcher1', 'PUT', `/api/participants/${usualCare}/death`, {
          date_of_death: '2024-04-29',
          version: 1,
          reason: 'a stale correction',
        });
        assert.equal(stale.statusCode, 409, stale.body);
        assert.equal(stale.json().error.code, 'store_version_conflict');
      });
    });

    describe('peer support', () => {
      it('contacts: the peer worker logs one on their caseload; the caseload and due list show it; researcher 403', async () => {
        const logged = await as(
          'peerworker',
          'POST',
          `/api/participants/${peerSupport}/contacts`,
          contactBody,
        );
        assert.equal(logged.statusCode, 201, logged.body);
        assert.equal(logged.json().peer_worker_id, (logins.peerworker as Login).userId);
        const list = await as('coordinator1', 'GET', `/api/participants/${peerSupport}/contacts`);
        assert.ok(
          (list.json().contacts as { contact_id: string }[]).some(
            (c) => c.contact_id === logged.json().contact_id,
          ),
        );
        const caseload = await as('peerworker', 'GET', '/api/trials/enrich/caseload?on=2024-03-04');
        assert.equal(caseload.statusCode, 200, caseload.body);
        assert.deepEqual(
          (caseload.json().participants as { participant_id: string }[]).map((row) => row.participant_id),
          [peerSupportPid],
        );
        const trialContacts = await as('peerworker', 'GET', '/api/trials/enrich/contacts');
        assert.ok(
          (trialContacts.json().contacts as { participant_id: string }[]).every(
            (c) => c.participant_id === peerSupportPid,
          ),
        );
        const researcher = await as('researcher1', 'GET', `/api/participants/${peerSupport}/contacts`);
        assert.equal(researcher.statusCode, 403);
        assert.ok(!showsAllocation(researcher.body));
        const invalid = await as('peerworker', 'POST', `/api/participants/${peerSupport}/contacts`, {
          ...contactBody,
          phase: 'after_discharge',
          minutes: 0,
        });
        assert.equal(invalid.statusCode, 400);
        const wardAfter = await as('peerworker', 'POST', `/api/participants/${peerSupport}/contacts`, {
          ...contactBody,
          phase: 'after_discharge',
        });
        assert.equal(wardAfter.statusCode, 422);
        const notMine = await as(
          'peerworker',
          'POST',
          `/api/participants/${usualCare}/contacts`,
          contactBody,
        );
        assert.equal(notMine.statusCode, 404);
      });

      it('contacts due: weekly after discharge, overdue counted in days', async () => {
        const id = await participant('site_1');
        await world.store.saveRecord(
          'enrich',
          'assignment',
          {
            assignmentId: `A-${id}`,
            participantId: await pidOf(id),
            peerWorkerId: (logins.peerworker as Login).userId,
            startDate: '2024-03-01',
          },
          { actor: { userId: 'system', role: 'admin' } },
        );
        await as('researcher1', 'PUT', `/api/participants/${id}/discharge`, { discharge_date: '2024-03-10' });
        const due = await as('coordinator1', 'GET', '/api/trials/enrich/contacts/due?on=2024-03-20');
        assert.equal(due.statusCode, 200, due.body);
        const row = (due.json().due as { id: string; next_contact_due: string; days_overdue: number }[]).find(
          (item) => item.id === id,
        );
        assert.deepEqual([row?.next_contact_due, row?.days_overdue], ['2024-03-17', 3]);
      });

      it('assignment: coordinator only, peer workers only, end with version + reason', async () => {
        const researcher = await as('researcher1', 'POST', `/api/participants/${peerSupport}/assignments`, {
          peer_worker_id: (logins.peerworker as Login).userId,
          start_date: '2024-03-01',
        });
        assert.equal(researcher.statusCode, 403);
        const notPeer = await as('coordinator1', 'POST', `/api/participants/${peerSupport}/assignments`, {
          peer_worker_id: (logins.researcher1 as Login).userId,
          start_date: '2024-03-01',
        });
        assert.equal(notPeer.statusCode, 422);
        const list = await as('coordinator1', 'GET', `/api/participants/${peerSupport}/assignments`);
        const first = list.json().assignments[0] as { assignment_id: string; version: number };
        const ended = await as(
          'coordinator1',
          'PATCH',
          `/api/participants/${peerSupport}/assignments/${first.assignment_id}`,
          {
            end_date: '2024-08-01',
            version: first.version,
            reason: 'peer support period over',
          },
        );
        assert.equal(ended.statusCode, 200, ended.body);
        assert.equal(ended.json().end_date, '2024-08-01');
      });
    });

    describe('safety', () => {
      it('SAE: reported by a researcher; relatedness hidden from blinded callers, shown to the coordinator', async () => {
        const reported = await as('researcher1', 'POST', `/api/participants/${siteOne}/saes`, {
          ...saeBody,
          relatedness: 'possibly',
        });
        assert.equal(reported.statusCode, 201, reported.body);
        assert.equal(reported.json().relatedness, undefined);
        const coordinator = await as('coordinator1', 'GET', `/api/participants/${siteOne}/saes`);
        assert.equal(coordinator.json().saes[0].relatedness, 'possibly');
        const all = await as('manager', 'GET', '/api/trials/enrich/saes');
        assert.ok(
          (all.json().saes as { sae_id: string; relatedness?: string }[]).every(
            (sae) => sae.relatedness === undefined,
          ),
        );
        const inconsistent = await as('researcher1', 'POST', `/api/participants/${siteOne}/saes`, {
          ...saeBody,
          outcome: 'fatal',
        });
        assert.equal(inconsistent.statusCode, 422);
        const saeId = reported.json().sae_id as string;
        const { relatedness: _notSent, ...followUp } = saeBody;
        const stale = await as('researcher1', 'PUT', `/api/participants/${siteOne}/saes/${saeId}`, {
          ...followUp,
          outcome: 'ongoing',
          version: 5,
          reason: 'update',
        });
        assert.equal(stale.statusCode, 409);
        // A blinded follow-up: relatedness may not be sent (422, nothing changed) and, left out, is kept.
        const withRelatedness = await as('researcher1', 'PUT', `/api/participants/${siteOne}/saes/${saeId}`, {
          ...followUp,
          relatedness: 'not_related',
          outcome: 'ongoing',
          version: 1,
          reason: 'follow-up',
        });
        assert.equal(withRelatedness.statusCode, 422, withRelatedness.body);
        assert.equal(withRelatedness.json().error.code, 'sae_relatedness_blinded');
        const blindedFollowUp = await as('researcher1', 'PUT', `/api/participants/${siteOne}/saes/${saeId}`, {
          ...followUp,
          outcome: 'ongoing',
          version: 1,
          reason: 'follow-up: still in hospital',
        });
        assert.equal(blindedFollowUp.statusCode, 200, blindedFollowUp.body);
        assert.equal(blindedFollowUp.json().version, 2);
        assert.equal(blindedFollowUp.json().relatedness, undefined);
        const afterBlinded = await as('coordinator1', 'GET', `/api/participants/${siteOne}/saes`);
        const stored = (
          afterBlinded.json().saes as { sae_id: string; relatedness: string; outcome: string }[]
        ).find((sae) => sae.sae_id === saeId);
        assert.deepEqual([stored?.relatedness, stored?.outcome], ['possibly', 'ongoing']);
        // An unblinded follow-up may change relatedness, or leave it out to keep it.
        const unblinded = await as('coordinator1', 'PUT', `/api/participants/${siteOne}/saes/${saeId}`, {
          ...followUp,
          relatedness: 'probably',
          outcome: 'ongoing',
          version: 2,
          reason: 'relatedness reassessed',
        });
        assert.equal(unblinded.statusCode, 200, unblinded.body);
        assert.equal(unblinded.json().relatedness, 'probably');
        const keptByUnblinded = await as(
          'coordinator1',
          'PUT',
          `/api/participants/${siteOne}/saes/${saeId}`,
          {
            ...followUp,
            outcome: 'resolved',
            version: 3,
            reason: 'discharged',
          },
        );
        assert.equal(keptByUnblinded.statusCode, 200, keptByUnblinded.body);
        assert.deepEqual(
          [keptByUnblinded.json().relatedness, keptByUnblinded.json().version],
          ['probably', 4],
        );
        const hidden = await as('researcher2', 'GET', `/api/participants/${siteOne}/saes`);
        assert.equal(hidden.statusCode, 404);
      });

      it('emergency unblinding: reason required (400), researcher 403, manager gets the arm, audited with the reason', async () => {
        const missing = await as('manager', 'POST', `/api/participants/${siteTwo}/unblind`, {});
        assert.equal(missing.statusCode, 400);
        const researcher = await as('researcher2', 'POST', `/api/participants/${siteTwo}/unblind`, {
          reason: 'clinical emergency on the ward',
        });
        assert.equal(researcher.statusCode, 403);
        assert.ok(!showsAllocation(researcher.body));
        const done = await as('manager', 'POST', `/api/participants/${siteTwo}/unblind`, {
          reason: 'clinical emergency on the ward',
        });
        assert.equal(done.statusCode, 200, done.body);
        assert.equal(done.json().arm, await armOf(siteTwo));
        const audit = await world.store.listAudit({ trialId: 'enrich', viewer: { role: 'admin' } });
        assert.ok(
          audit.some(
            (entry) => entry.action === 'unblind' && entry.reason === 'clinical emergency on the ward',
          ),
        );
      });
    });

    describe('instruments and reports', () => {
      it('instruments: definitions in snake_case; score preview agrees with scoreInstrument; bad responses 422', async () => {
        const list = await as('peerworker', 'GET', '/api/trials/enrich/instruments');
        assert.equal(list.statusCode, 200);
        const symptoms = (list.json().instruments as { id: string; minimum_answered: number }[]).find(
          (instrument) => instrument.id === 'symptoms',
        );
        assert.equal(symptoms?.minimum_answered, PLACEHOLDER_SYMPTOMS.minimumAnswered);
        const responses = { s1: 1, s2: 2, s3: 3, s4: 4, s5: 0, s6: 1, s7: 2, s8: 3 };
        const score = await as('researcher1', 'POST', '/api/trials/enrich/instruments/symptoms/score', {
          responses,
        });
        assert.equal(score.statusCode, 200, score.body);
        assert.equal(score.json().total, scoreInstrument(PLACEHOLDER_SYMPTOMS, responses).total);
        const bad = await as('researcher1', 'POST', '/api/trials/enrich/instruments/symptoms/score', {
          responses: { s1: 7 },
        });
        assert.equal(bad.statusCode, 422);
        assert.deepEqual(
          bad.json().error.issues.map((issue: { path: string }) => issue.path),
          ['responses.s1'],
        );
        const unknown = await as('researcher1', 'GET', '/api/trials/enrich/instruments/nope');
        assert.equal(unknown.statusCode, 404);
      });

      it('recruitment by site over time, completeness and CONSORT: totals for the blinded manager, arms for the DMC', async () => {
        const recruitment = await as('manager', 'GET', '/api/trials/enrich/reports/recruitment');
        assert.equal(recruitment.statusCode, 200, recruitment.body);
        const siteRow = (
          recruitment.json().sites as {
            site_id: string;
            randomised: number;
            by_month: { cumulative_randomised: number }[];
          }[]
        ).find((site) => site.site_id === 'site_2');
        assert.ok((siteRow?.randomised ?? 0) >= 1);
        assert.equal(siteRow?.by_month.at(-1)?.cumulative_randomised, siteRow?.randomised);
        const completeness = await as(
          'manager',
          'GET',
          '/api/trials/enrich/reports/completeness?on=2024-06-01',
        );
        assert.equal(completeness.statusCode, 200, completeness.body);
        assert.equal(completeness.json().by_arm, undefined);
        assert.ok(!showsAllocation(completeness.body));
        const consort = await as('manager', 'GET', '/api/trials/enrich/reports/consort');
        assert.equal(consort.statusCode, 200);
        const flow = consort.json();
        assert.equal(flow.arms, undefined);
        assert.ok(!showsAllocation(consort.body));
        assert.ok(flow.excluded.reasons.age_18_or_over >= 1);
        assert.equal(
          flow.assessed_for_eligibility,
          flow.excluded.total + flow.awaiting_randomisation + flow.randomised,
        );
        const dmc = await as('dmc', 'GET', '/api/trials/enrich/reports/consort');
        assert.equal(dmc.statusCode, 200);
        const arms = dmc.json().arms as {
          arm: string;
          allocated: number;
          discontinued_intervention: number;
        }[];
        assert.deepEqual(
          arms.map((arm) => arm.arm),
          ARMS,
        );
        assert.equal((arms[0]?.allocated ?? 0) + (arms[1]?.allocated ?? 0), flow.randomised);
        assert.equal(arms[0]?.discontinued_intervention, 1);
        const researcher = await as('researcher1', 'GET', '/api/trials/enrich/reports/consort');
        assert.equal(researcher.statusCode, 403);
      });
    });

    describe('role x workflow endpoint matrix', () => {
      type Case = {
        name: string;
        /** The can() decision, or a function deciding it. */
        allowed: Action | ((user: User) => boolean);
        resource: (user: User) => ParticipantResource | { kind: 'trial'; trialLocked: boolean };
        request: (login: Login) => Promise<{ statusCode: number; body: string }>;
        /** A refusal by scope answers 404 rather than 403. */
        hidden?: boolean;
        /** The answer carries the arm on purpose (emergency unblinding). */
        reveals?: boolean;
      };
      const site = (name: string, peerWorkerIds: string[] = []): ParticipantResource => ({
        kind: 'participant',
        trialLocked: false,
        site: name,
        peerWorkerIds,
      });
      const open = { kind: 'trial', trialLocked: false } as const;
      const own = (user: User) => site(user.sites[0] ?? '', [user.userId]);
      const caseload = () => site('site_1', [(logins.peerworker as Login).userId]);
      const fresh = () => participant('site_1');
      const summaries = (user: User) =>
        can(user, 'export_blinded', open) || can(user, 'view_aggregate_by_arm', open);
      const cases: Case[] = [
        {
          name: 'GET screening log',
          allowed: 'read_participant',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/screening-log'),
        },
        {
          name: 'POST screening log (site_1)',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          request: (l) =>
            world.as(l, 'POST', '/api/trials/enrich/screening-log', {
              site_id: 'site_1',
              outcome: 'declined',
            }),
        },
        {
          name: 'PUT consent',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await participant('site_1', false)}/consent`, {
              consent_date: '2024-03-01',
              consent_form_version: '1.0',
              records_access: true,
              records_after_withdrawal: true,
              version: 1,
              reason: 'matrix',
            }),
        },
        {
          name: 'PUT baseline',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/baseline`, baselineBody(answers(world))),
        },
        {
          name: 'GET baseline',
          allowed: 'read_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) => {
            const id = await fresh();
            await as('admin', 'PUT', `/api/participants/${id}/baseline`, baselineBody(answers(world)));
            return world.as(l, 'GET', `/api/participants/${id}/baseline`);
          },
        },
        {
          name: 'PUT discharge',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/discharge`, {
              discharge_date: '2024-03-20',
            }),
        },
        {
          name: 'PUT interview',
          allowed: 'record_follow_up',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/interviews/month_4`, {
              status: 'not_completed',
              not_completed_reason: 'not_contactable',
            }),
        },
        {
          name: 'GET interviews',
          allowed: 'read_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${siteOne}/interviews`),
        },
        {
          name: 'PUT service-use review',
          allowed: 'record_follow_up',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/service-use/month_12`, {
              review_date: '2025-02-01',
              records_available: false,
            }),
        },
        {
          name: 'POST service-use event',
          allowed: 'record_follow_up',
          resource: () => site('site_1'),
          hidden: true,
          request: (l) =>
            world.as(l, 'POST', `/api/participants/${siteOne}/service-use/events`, {
              kind: 'liaison',
              date: '2024-05-01',
              contacts: 1,
            }),
        },
        {
          name: 'GET service use',
          allowed: 'read_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${siteOne}/service-use`),
        },
        {
          name: 'PUT withdrawal',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/withdrawal`, {
              withdrawal_date: '2024-04-01',
              initiated_by: 'participant',
              scope: 'interviews',
              data_use: 'collected_and_records',
            }),
        },
        {
          name: 'GET withdrawal',
          allowed: 'read_participant',
          resource: caseload,
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${peerSupport}/withdrawal`),
        },
        {
          name: 'PUT intervention withdrawal',
          allowed: 'withdraw_from_intervention',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/intervention-withdrawal`, {
              withdrawal_date: '2024-04-01',
              initiated_by: 'participant',
            }),
        },
        {
          name: 'GET intervention withdrawal',
          allowed: 'view_contacts',
          resource: caseload,
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${peerSupport}/intervention-withdrawal`),
        },
        {
          name: 'PUT death',
          allowed: 'write_participant',
          resource: () => site('site_1'),
          hidden: true,
          request: async (l) =>
            world.as(l, 'PUT', `/api/participants/${await fresh()}/death`, { date_of_death: '2024-06-01' }),
        },
        {
          name: 'POST assignment',
          allowed: 'assign_peer_worker',
          resource: caseload,
          hidden: true,
          request: (l) =>
            world.as(l, 'POST', `/api/participants/${peerSupport}/assignments`, {
              peer_worker_id: (logins.peerworker as Login).userId,
              start_date: '2024-03-02',
            }),
        },
        {
          name: 'GET assignments',
          allowed: 'view_contacts',
          resource: caseload,
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${peerSupport}/assignments`),
        },
        {
          name: 'POST contact',
          allowed: 'log_contact',
          resource: caseload,
          hidden: true,
          request: (l) =>
            world.as(l, 'POST', `/api/participants/${peerSupport}/contacts`, {
              ...contactBody,
              peer_worker_id: (logins.peerworker as Login).userId,
            }),
        },
        {
          name: 'GET contacts',
          allowed: 'view_contacts',
          resource: caseload,
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${peerSupport}/contacts`),
        },
        {
          name: 'GET trial contacts',
          allowed: 'view_contacts',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/contacts'),
        },
        {
          name: 'GET caseload',
          allowed: 'view_contacts',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/caseload'),
        },
        {
          name: 'GET contacts due',
          allowed: 'view_contacts',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/contacts/due'),
        },
        {
          name: 'POST SAE',
          allowed: 'report_sae',
          resource: () => site('site_1'),
          hidden: true,
          request: (l) => world.as(l, 'POST', `/api/participants/${siteOne}/saes`, saeBody),
        },
        {
          name: 'GET SAEs',
          allowed: 'view_sae',
          resource: () => site('site_1'),
          hidden: true,
          request: (l) => world.as(l, 'GET', `/api/participants/${siteOne}/saes`),
        },
        {
          name: 'GET trial SAEs',
          allowed: 'view_sae',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/saes'),
        },
        {
          name: 'POST unblind',
          allowed: 'emergency_unblind',
          resource: () => site('site_1'),
          hidden: true,
          reveals: true,
          request: (l) =>
            world.as(l, 'POST', `/api/participants/${siteOne}/unblind`, { reason: 'matrix emergency test' }),
        },
        {
          name: 'GET follow-ups due',
          allowed: 'record_follow_up',
          resource: own,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/follow-ups/due'),
        },
        {
          name: 'GET recruitment',
          allowed: summaries,
          resource: () => open,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/reports/recruitment'),
        },
        {
          name: 'GET completeness',
          allowed: summaries,
          resource: () => open,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/reports/completeness'),
        },
        {
          name: 'GET consort',
          allowed: summaries,
          resource: () => open,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/reports/consort'),
        },
        {
          name: 'GET instruments',
          allowed: () => true,
          resource: () => open,
          request: (l) => world.as(l, 'GET', '/api/trials/enrich/instruments'),
        },
      ];

      for (const role of ROLES) {
        for (const item of cases) {
          it(`${role}: ${item.name}`, async () => {
            const username = Object.entries(PEOPLE).find(
              ([name, person]) => person.role === role && name !== 'researcher2',
            )?.[0] as string;
            const login = logins[username] as Login;
            const user: User = { userId: login.userId, username, role, sites: PEOPLE[username]?.sites ?? [] };
            const resource = item.resource(user);
            const allowed =
              typeof item.allowed === 'function' ? item.allowed(user) : can(user, item.allowed, resource);
            const response = await item.request(login);
            if (allowed) {
              assert.ok(
                response.statusCode >= 200 && response.statusCode < 300,
                `${response.statusCode} ${response.body}`,
              );
            } else {
              let expected = 403;
              if (
                item.hidden === true &&
                resource.kind === 'participant' &&
                typeof item.allowed === 'string'
              ) {
                const probe: User = { ...user, sites: [...user.sites, resource.site] };
                const inside = { ...resource, peerWorkerIds: [...resource.peerWorkerIds, user.userId] };
                if (
                  (!can(user, 'read_participant', resource) && can(probe, 'read_participant', inside)) ||
                  can(probe, item.allowed, inside)
                ) {
                  expected = 404;
                }
              }
              assert.equal(response.statusCode, expected, response.body);
            }
            if (isBlinded(user, false) && item.reveals !== true) {
              assert.ok(
                !showsAllocation(response.body),
                `${role} ${item.name}: ${response.body.slice(0, 400)}`,
              );
            }
          });
        }
      }
    });
  });
}
