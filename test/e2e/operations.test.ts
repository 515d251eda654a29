// The participant page's operational workflows end to end (a real `enrich serve --demo`, Debian's
// Chromium): correcting a record with a reason (and the audit trail showing old value, new value and
// reason), a stale correction refused as a conflict, emergency unblinding (the arm shown to the allowed
// requester on that page only; the control never shown to a blinded role), a death record and
// service-use events.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  type DemoServer,
  ensureWebBuilt,
  everythingOnPage,
  launchChromium,
  screenshotDirectory,
  signIn,
  skipReason,
  startDemoServer,
} from './harness.ts';

if (skipReason) console.log(`# skipping the end-to-end tests of the participant workflows: ${skipReason}`);

/** The arm labels a blinded user must never see (codes and words). */
const ARM_LABELS = /usual[\s_-]*care|peer[\s_-]*support/i;

/** The day before an ISO date. */
function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** An ISO date `days` days before today (UTC). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A date as the app shows it (`12 Mar 2024`), spaces as `\s` for a RegExp (the app uses non-breaking ones). */
function shownDate(date: string): string {
  return new Date(`${date}T00:00:00Z`)
    .toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .replace(/\s/g, '\\s');
}

/** Waits until a panel's facts show `Version <n>` (the record's version after the last save). */
function versionShown(panel: Locator, version: number): Promise<void> {
  return panel
    .locator('dd')
    .filter({ hasText: new RegExp(`^${version} \\(last changed`) })
    .waitFor();
}

interface ParticipantRow {
  readonly id: string;
  readonly participant_id: string | null;
  readonly status: string;
  readonly site_id: string;
}

describe('participant workflows in the browser: corrections, unblinding, death, service use', {
  skip: skipReason,
  timeout: 170_000,
}, () => {
  let server: DemoServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = skipReason ? '' : screenshotDirectory();

  /** A screenshot of one panel (ENRICH_SCREENSHOTS=docs/images refreshes the guide's). */
  async function shot(panel: Locator, name: string): Promise<void> {
    await panel.screenshot({ path: join(shots, `app-${name}.png`) });
  }
  /** Randomised participants at the demo researcher's site, one per test so the tests do not meet. */
  let randomised: ParticipantRow[] = [];
  /** Participants a test has taken (each test works on its own). */
  const taken = new Set<string>();

  /**
   * The first randomised participant not yet taken whose `path(id)` GET answers `status` (the demo data
   * are generated, so the tests ask rather than assume which records exist).
   */
  async function subjectWith(
    page: Page,
    path: (id: string) => string,
    status: number,
    accept: (body: unknown) => boolean = () => true,
  ): Promise<ParticipantRow> {
    for (const row of randomised) {
      if (taken.has(row.id)) continue;
      const answer = await apiGet(page, path(row.id));
      if (answer.status === status && accept(answer.body)) {
        taken.add(row.id);
        return row;
      }
    }
    throw new Error(`no demo participant left whose ${path('<id>')} answers ${status}`);
  }

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw new Error(`page error: ${error.message}`);
    });
    return page;
  }

  /** A GET of the API in a page's session (the truth the screens are checked against). */
  async function apiGet<T>(page: Page, path: string): Promise<{ status: number; body: T }> {
    return page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, body: await response.json() };
    }, path) as Promise<{ status: number; body: T }>;
  }

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    const page = await open();
    await signIn(page, server.url, 'researcher');
    const list = await apiGet<{ participants: ParticipantRow[] }>(
      page,
      '/api/trials/enrich-demo/participants',
    );
    randomised = list.body.participants.filter((row) => row.status === 'randomised');
    assert.ok(randomised.length >= 4, `the demo has randomised participants (got ${randomised.length})`);
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('researcher corrects a baseline with a reason; the audit trail shows the old and new values and the reason', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    const subject = await subjectWith(page, (id) => `/api/participants/${id}/baseline`, 200);
    const before = await apiGet<{ version: number; index_admission_date: string }>(
      page,
      `/api/participants/${subject.id}/baseline`,
    );
    assert.equal(before.status, 200, 'the demo participant has a baseline');
    await page.goto(`${server.url}/participants/${subject.id}`);
    const panel = page.locator('#baseline');
    await versionShown(panel, before.body.version);
    await panel.getByRole('button', { name: 'Correct this record' }).click();
    const form = panel.getByRole('form', { name: 'Correct the baseline assessment' });
    await form.waitFor();
    // The form opens with the record as it is.
    assert.equal(
      await form.getByLabel('Date of this admission').inputValue(),
      before.body.index_admission_date,
    );
    const corrected = dayBefore(before.body.index_admission_date);
    await form.getByLabel('Date of this admission').fill(corrected);
    // No reason: refused in the browser, nothing sent.
    await form.getByRole('button', { name: 'Save correction' }).click();
    await form.getByText('Give the reason for this correction').waitFor();
    const reason = 'admission date misread from the ward sheet';
    await form.getByLabel('Reason for the correction').fill(reason);
    await shot(form.locator('.correction-box'), 'correct-record');
    await form.getByRole('button', { name: 'Save correction' }).click();
    const saved = panel.getByRole('status').filter({ hasText: 'Correction saved' });
    await saved.waitFor();
    const next = before.body.version + 1;
    assert.match(await saved.innerText(), new RegExp(`now version ${next}\\b`));
    await versionShown(panel, next);
    assert.equal(await panel.getByRole('form').count(), 0, 'the correction form closes after saving');
    const after = await apiGet<{ version: number; index_admission_date: string }>(
      page,
      `/api/participants/${subject.id}/baseline`,
    );
    assert.equal(after.body.version, next);
    assert.equal(after.body.index_admission_date, corrected);

    // The trial manager reads the change in the audit trail: field, old value, new value, reason.
    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.goto(`${server.url}/audit`);
    const table = manager.getByRole('table', { name: 'Audit trail' });
    await table.waitFor();
    await manager.getByLabel('Search').fill(reason);
    const row = table.locator('tbody tr').filter({ hasText: reason });
    await row.first().waitFor();
    assert.equal(await row.count(), 1, 'one field changed, one audit row');
    const text = await row.innerText();
    assert.match(text, /indexAdmissionDate|index_admission_date/);
    assert.ok(text.includes(before.body.index_admission_date), `old value in ${text}`);
    assert.ok(text.includes(corrected), `new value in ${text}`);
    assert.equal(await row.locator('del').innerText(), before.body.index_admission_date);
    assert.equal(await row.locator('ins').innerText(), corrected);
  });

  it('a stale correction (someone else saved first) is refused as a conflict, and reloading shows their change', async () => {
    const researcher = await open();
    await signIn(researcher, server.url, 'researcher');
    const subject = await subjectWith(researcher, (id) => `/api/participants/${id}/discharge`, 200);
    const discharge = await apiGet<{ version: number; discharge_date: string }>(
      researcher,
      `/api/participants/${subject.id}/discharge`,
    );
    assert.equal(discharge.status, 200, 'the demo participant has a discharge date');
    await researcher.goto(`${server.url}/participants/${subject.id}`);
    const panel = researcher.locator('#discharge');
    await panel.getByRole('button', { name: 'Correct this record' }).click();
    const form = panel.getByRole('form', { name: 'Correct the discharge date' });
    await form.getByLabel('Discharge date').fill(dayBefore(discharge.body.discharge_date));
    await form.getByLabel('Reason for the correction').fill('discharge letter gives the day before');

    // Meanwhile the trial manager corrects the same record.
    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.goto(`${server.url}/participants/${subject.id}`);
    const theirs = dayBefore(dayBefore(discharge.body.discharge_date));
    const managerPanel = manager.locator('#discharge');
    await managerPanel.getByRole('button', { name: 'Correct this record' }).click();
    await managerPanel.getByLabel('Discharge date', { exact: true }).fill(theirs);
    await managerPanel.getByLabel('Reason for the correction').fill('checked against the ward record');
    await managerPanel.getByRole('button', { name: 'Save correction' }).click();
    await managerPanel
      .getByRole('status')
      .filter({ hasText: `now version ${discharge.body.version + 1}` })
      .waitFor();

    await form.getByRole('button', { name: 'Save correction' }).click();
    const conflict = panel.getByRole('alert').filter({ hasText: 'Someone else changed this record' });
    await conflict.waitFor();
    await shot(panel, 'correction-conflict');
    assert.match(await conflict.innerText(), /Reload it to see the record as it is now/);
    // Nothing of the stale correction was saved.
    const stored = await apiGet<{ version: number; discharge_date: string }>(
      researcher,
      `/api/participants/${subject.id}/discharge`,
    );
    assert.equal(stored.body.discharge_date, theirs);
    assert.equal(stored.body.version, discharge.body.version + 1);
    await conflict.getByRole('button', { name: 'Reload the record' }).click();
    await versionShown(panel, discharge.body.version + 1);
    assert.equal(await panel.getByRole('form').count(), 0);
  });

  it('emergency unblinding: the trial manager confirms with a reason and sees the arm on that page only; blinded roles never see the control', async () => {
    const admin = await open();
    await signIn(admin, server.url, 'admin');
    const subject = await subjectWith(admin, (id) => `/api/participants/${id}`, 200);
    const truth = await apiGet<{ arm: string }>(admin, `/api/participants/${subject.id}`);
    assert.ok(['usual_care', 'peer_support'].includes(truth.body.arm), truth.body.arm);

    // Blinded researcher: no control, no arm, anywhere on the page.
    const researcher = await open();
    await signIn(researcher, server.url, 'researcher');
    await researcher.goto(`${server.url}/participants/${subject.id}`);
    await researcher.locator('#baseline').waitFor();
    assert.equal(await researcher.getByRole('heading', { name: 'Emergency unblinding' }).count(), 0);
    assert.equal(await researcher.getByRole('button', { name: /unblind/i }).count(), 0);
    assert.doesNotMatch(await everythingOnPage(researcher), ARM_LABELS);
    assert.doesNotMatch(await everythingOnPage(researcher), /unblind/i);

    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.goto(`${server.url}/participants/${subject.id}`);
    const panel = manager.locator('#unblinding');
    await panel.waitFor();
    assert.doesNotMatch(await everythingOnPage(manager), ARM_LABELS);
    await panel.getByRole('button', { name: 'Emergency unblinding…' }).click();
    const confirm = panel.getByRole('form', { name: 'Confirm emergency unblinding' });
    const consequences = await confirm.innerText();
    assert.match(consequences, /can no longer assess them blind/);
    assert.match(consequences, /audit trail with your name, the time and your reason, and cannot be undone/);
    await confirm.getByRole('button', { name: 'Reveal the allocation' }).click();
    await confirm.getByText(/Give the clinical reason for unblinding/).waitFor();
    assert.doesNotMatch(await everythingOnPage(manager), ARM_LABELS);
    const reason = 'acute drug interaction suspected; treating team must know the arm';
    await confirm.getByLabel('Reason for unblinding').fill(reason);
    await shot(panel, 'emergency-unblinding');
    await confirm.getByRole('button', { name: 'Reveal the allocation' }).click();
    const revealed = panel.getByRole('status');
    await revealed.waitFor();
    const label = truth.body.arm === 'peer_support' ? /Peer support/i : /Usual care/i;
    assert.match(await revealed.innerText(), label);
    assert.match(await revealed.innerText(), new RegExp(`Allocation of ${subject.participant_id}`));
    // Nothing of it kept in the tab: leave the page and come back, and the arm is gone.
    const stored = await manager.evaluate<string>('JSON.stringify(sessionStorage)');
    assert.doesNotMatch(stored, ARM_LABELS);
    await manager.goto(`${server.url}/participants`);
    await manager.goto(`${server.url}/participants/${subject.id}`);
    await manager.locator('#unblinding').getByRole('button', { name: 'Emergency unblinding…' }).waitFor();
    assert.doesNotMatch(await everythingOnPage(manager), ARM_LABELS);
    // Audited with who and why (the value itself concealed from the blinded trial manager).
    const audit = await apiGet<{
      entries: { action: string; reason: string | null; actor_username?: string }[];
    }>(manager, '/api/trials/enrich-demo/audit');
    const entry = audit.body.entries.find((item) => item.action === 'unblind' && item.reason === reason);
    assert.ok(entry, 'the unblinding is in the audit trail with its reason');
    assert.equal(entry.actor_username, 'manager');

    // The unblinded coordinator is not allowed to unblind either: no control.
    const coordinator = await open();
    await signIn(coordinator, server.url, 'coordinator');
    await coordinator.goto(`${server.url}/participants/${subject.id}`);
    await coordinator.getByRole('heading', { name: 'Screening and consent' }).waitFor();
    assert.equal(await coordinator.getByRole('heading', { name: 'Emergency unblinding' }).count(), 0);
  });

  it('researcher records a death (the draft survives a reload) and adds service-use events', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    const subject = await subjectWith(page, (id) => `/api/participants/${id}/death`, 404);
    const before = await apiGet<{ events: unknown[]; totals: Record<string, number> }>(
      page,
      `/api/participants/${subject.id}/service-use`,
    );
    await page.goto(`${server.url}/participants/${subject.id}`);
    const death = page.locator('#death');
    await death.getByRole('button', { name: 'Record a death' }).click();
    const deathForm = death.getByRole('form', { name: 'Record a death' });
    await deathForm.getByRole('button', { name: 'Record death' }).click();
    await deathForm.getByText('Enter the date of death').waitFor();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await deathForm.getByLabel('Date of death').fill(yesterday);
    await deathForm.getByLabel('Cause of death (optional)').fill('cardiac arrest');
    await page.reload();
    await death.getByRole('button', { name: 'Record a death' }).click();
    assert.equal(await deathForm.getByLabel('Date of death').inputValue(), yesterday);
    assert.equal(await deathForm.getByLabel('Cause of death (optional)').inputValue(), 'cardiac arrest');
    await deathForm.getByRole('button', { name: 'Record death' }).click();
    await death.getByRole('status').filter({ hasText: 'Death record saved (version 1)' }).waitFor();
    await death.getByText('cardiac arrest').waitFor();
    const stored = await apiGet<{ date_of_death: string; cause: string; version: number }>(
      page,
      `/api/participants/${subject.id}/death`,
    );
    assert.deepEqual(
      [stored.body.date_of_death, stored.body.cause, stored.body.version],
      [yesterday, 'cardiac arrest', 1],
    );

    const events = page.locator('#service-use-events');
    await events.getByRole('button', { name: 'Add a service-use event' }).waitFor();
    await events.getByRole('button', { name: 'Add a service-use event' }).click();
    const form = events.getByRole('form', { name: 'Add a service-use event' });
    await form.getByRole('button', { name: 'Add event' }).click();
    await form.getByText('Choose what kind of service use').waitFor();
    await form.getByLabel('Kind of service use').selectOption('admission');
    await form.getByLabel('Admission date').fill(daysAgo(60));
    await form.getByLabel('Discharge date (leave empty if still in hospital)').fill(daysAgo(70));
    await form.getByRole('radio', { name: 'Involuntary (detained)' }).check();
    await form.getByRole('button', { name: 'Add event' }).click();
    await form.getByText('The discharge date cannot be before the admission date').waitFor();
    await form.getByLabel('Discharge date (leave empty if still in hospital)').fill(daysAgo(46));
    await form.getByRole('button', { name: 'Add event' }).click();
    await events.getByRole('status').filter({ hasText: 'Service-use event added' }).waitFor();
    const list = events.getByRole('list', { name: 'Service-use events' });
    await list
      .getByText(
        new RegExp(
          `Admission ${shownDate(daysAgo(60))} – ${shownDate(daysAgo(46))}, Involuntary \\(version 1\\)`,
        ),
      )
      .waitFor();

    await events.getByRole('button', { name: 'Add a service-use event' }).click();
    await form.getByLabel('Kind of service use').selectOption('crisis_team');
    await form.getByLabel('Date', { exact: true }).fill(daysAgo(30));
    await form.getByLabel('Number of contacts').fill('17');
    await form.getByRole('button', { name: 'Add event' }).click();
    await list.getByText(/Crisis team: 17 contacts/).waitFor();
    // A miscount corrected: version and reason sent, the list shows the new count and version.
    await list.getByRole('button', { name: /Correct Crisis team: 17 contacts/ }).click();
    const correction = events.getByRole('form', { name: 'Correct a service-use event' });
    assert.equal(await correction.getByLabel('Number of contacts').inputValue(), '17');
    await correction.getByLabel('Number of contacts').fill('18');
    await correction.getByLabel('Reason for the correction').fill('one contact was on the next page');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    await events.getByRole('status').filter({ hasText: 'now version 2' }).waitFor();
    await list.getByText(/Crisis team: 18 contacts .*\(version 2\)/).waitFor();
    const answer = await apiGet<{
      events: { kind: string; contacts?: number; legal_status?: string }[];
      totals: Record<string, number>;
    }>(page, `/api/participants/${subject.id}/service-use`);
    assert.equal(answer.body.events.length, before.body.events.length + 2);
    assert.equal(answer.body.totals.admissions, (before.body.totals.admissions ?? 0) + 1);
    assert.equal(answer.body.totals.crisis_team, (before.body.totals.crisis_team ?? 0) + 18);
  });

  it('researcher records a withdrawal from the interviews, then corrects it with a reason', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    const subject = await subjectWith(
      page,
      (id) => `/api/participants/${id}/withdrawal`,
      200,
      (body) => (body as { withdrawal: unknown }).withdrawal === null,
    );
    await page.goto(`${server.url}/participants/${subject.id}`);
    const panel = page.locator('#withdrawal');
    await panel.getByRole('button', { name: 'Record a withdrawal' }).click();
    const form = panel.getByRole('form', { name: 'Record a withdrawal' });
    await form.getByLabel('Withdrawal date').fill(daysAgo(3));
    await form.getByLabel('Initiated by').selectOption('participant');
    await form.getByRole('radio', { name: 'From follow-up interviews' }).check();
    await form.getByRole('radio', { name: 'Only data collected so far may be used' }).check();
    await form.getByRole('button', { name: 'Record withdrawal' }).click();
    await panel.getByRole('status').filter({ hasText: 'Withdrawal saved (version 1)' }).waitFor();
    await versionShown(panel, 1);

    await panel.getByRole('button', { name: 'Correct this record' }).click();
    const correction = panel.getByRole('form', { name: 'Correct the withdrawal' });
    assert.equal(
      await correction.getByRole('radio', { name: 'From follow-up interviews' }).isChecked(),
      true,
      'the correction opens with the record as it is',
    );
    await correction.getByRole('radio', { name: 'Data collected so far and records may be used' }).check();
    await correction.getByLabel('Reason for the correction').fill('consent form allows records access');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    await panel.getByRole('status').filter({ hasText: 'now version 2' }).waitFor();
    await versionShown(panel, 2);
    const stored = await apiGet<{ withdrawal: { data_use: string; scope: string; version: number } }>(
      page,
      `/api/participants/${subject.id}/withdrawal`,
    );
    assert.deepEqual(
      [stored.body.withdrawal.scope, stored.body.withdrawal.data_use, stored.body.withdrawal.version],
      ['interviews', 'collected_and_records', 2],
    );
  });

  it('coordinator records a withdrawal from the intervention; the researcher never sees it and records a study withdrawal', async () => {
    const coordinatorPage = await open();
    await signIn(coordinatorPage, server.url, 'coordinator');
    const subject = await subjectWith(
      coordinatorPage,
      (id) => `/api/participants/${id}`,
      200,
      (body) => (body as { arm?: string }).arm === 'peer_support',
    );
    const path = `/api/participants/${subject.id}/intervention-withdrawal`;
    const none = await apiGet<{ intervention_withdrawal: unknown }>(coordinatorPage, path);
    assert.deepEqual(none.body, { intervention_withdrawal: null });
    await coordinatorPage.goto(`${server.url}/participants/${subject.id}`);
    const panel = coordinatorPage.locator('#intervention-withdrawal');
    await panel.getByRole('button', { name: 'Record a withdrawal from the intervention' }).click();
    const form = panel.getByRole('form', { name: 'Record a withdrawal from the intervention' });
    await form.getByLabel('Date peer support stopped').fill(daysAgo(5));
    await form.getByLabel('Initiated by').selectOption('participant');
    await form.getByRole('button', { name: 'Record withdrawal from the intervention' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: 'Withdrawal from the intervention saved (version 1)' })
      .waitFor();
    await versionShown(panel, 1);
    assert.equal(
      await coordinatorPage
        .locator('#withdrawal')
        .getByRole('button', { name: 'Record a withdrawal' })
        .count(),
      0,
      'the coordinator records no study withdrawal',
    );

    const researcherPage = await open();
    await signIn(researcherPage, server.url, 'researcher');
    await researcherPage.goto(`${server.url}/participants/${subject.id}`);
    const study = researcherPage.locator('#withdrawal');
    await study.getByRole('button', { name: 'Record a withdrawal' }).click();
    const studyForm = study.getByRole('form', { name: 'Record a withdrawal' });
    assert.equal(await studyForm.getByRole('radio', { name: /intervention/i }).count(), 0);
    assert.equal(await researcherPage.locator('#intervention-withdrawal').count(), 0);
    assert.equal(await researcherPage.getByText(/from the intervention/i).count(), 0);
    await studyForm.getByLabel('Withdrawal date').fill(daysAgo(2));
    await studyForm.getByLabel('Initiated by').selectOption('participant');
    await studyForm.getByRole('radio', { name: 'From follow-up interviews' }).check();
    await studyForm.getByRole('radio', { name: 'Data collected so far and records may be used' }).check();
    await studyForm.getByRole('button', { name: 'Record withdrawal' }).click();
    await study.getByRole('status').filter({ hasText: 'Withdrawal saved (version 1)' }).waitFor();
    const hidden = await apiGet<unknown>(researcherPage, path);
    assert.equal(hidden.status, 403);
    const kept = await apiGet<{ intervention_withdrawal: { version: number; scope: string } }>(
      coordinatorPage,
      path,
    );
    assert.deepEqual(
      [kept.body.intervention_withdrawal.version, kept.body.intervention_withdrawal.scope],
      [1, 'intervention'],
    );
  });

  it('researcher corrects a 4-month interview recorded as not completed (why not, with a reason)', async () => {
    interface Interviews {
      interviews: { visit_id: string; status: string; not_completed_reason?: string; version: number }[];
    }
    const page = await open();
    await signIn(page, server.url, 'researcher');
    const notDone = (body: unknown) =>
      (body as Interviews).interviews.some(
        (item) => item.visit_id === 'month_4' && item.status === 'not_completed',
      );
    const subject = await subjectWith(page, (id) => `/api/participants/${id}/interviews`, 200, notDone);
    const before = await apiGet<Interviews>(page, `/api/participants/${subject.id}/interviews`);
    const interview = before.body.interviews.find((item) => item.visit_id === 'month_4');
    assert.ok(interview);
    const other = interview.not_completed_reason === 'declined' ? 'not_contactable' : 'declined';
    await page.goto(`${server.url}/participants/${subject.id}`);
    const panel = page.locator('#month_4');
    await panel.getByRole('button', { name: 'Correct this record' }).click();
    const form = panel.getByRole('form', { name: /^Correct the 4-month interview$/i });
    assert.equal(await form.getByLabel('Why not').inputValue(), interview.not_completed_reason);
    await form.getByLabel('Why not').selectOption(other);
    await form.getByLabel('Reason for the correction').fill('call log shows the participant answered');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: `now version ${interview.version + 1}` })
      .waitFor();
    const after = await apiGet<Interviews>(page, `/api/participants/${subject.id}/interviews`);
    const corrected = after.body.interviews.find((item) => item.visit_id === 'month_4');
    assert.deepEqual([corrected?.not_completed_reason, corrected?.version], [other, interview.version + 1]);
  });
});
