// The browser app end to end: a real `enrich serve --demo` child process on a temporary database and a
// free port, Debian's Chromium through playwright-core, every role's main flow from sign-in to result.
// Screenshots of each main screen go to a temporary directory (ENRICH_SCREENSHOTS=docs/images to refresh
// the committed ones).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_SCREENED } from '../../src/server/demo.ts';
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

if (skipReason) console.log(`# skipping the end-to-end tests of the browser app: ${skipReason}`);

/** The arm labels a blinded researcher must never see (codes and words). */
const ARM_LABELS = /usual[\s_-]*care|peer[\s_-]*support/i;

describe('the browser app, end to end', { skip: skipReason, timeout: 170_000 }, () => {
  let server: DemoServer;
  let browser: Browser;
  const shots = skipReason ? '' : screenshotDirectory();
  const contexts: BrowserContext[] = [];

  async function open(viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw new Error(`page error: ${error.message}`);
    });
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(shots, `app-${name}.png`), fullPage: false });
  }

  /** Signs in as `username` in a page's context and answers a GET of the API there (for checks against the truth). */
  async function apiGet<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
  }

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('signs in, refuses a wrong password with a clear message, and shows each role only its own pages', async () => {
    const page = await open();
    await page.goto(`${server.url}/`);
    await shot(page, 'sign-in');
    await page.getByLabel('Username').fill('researcher');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That username and password do not match' }).waitFor();
    await signIn(page, server.url, 'researcher');
    const menu = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    assert.deepEqual(menu, [
      'Participants',
      'Screening log',
      'Screen and consent',
      'Follow-ups due',
      'Fidelity ratings',
    ]);
    await page.goto(`${server.url}/lock`);
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
  });

  it('researcher (blinded): screens, registers and randomises someone, enters the baseline and discharge, and never sees an arm', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    assert.doesNotMatch(await everythingOnPage(page), ARM_LABELS);
    await page.getByRole('link', { name: 'Screening log' }).click();
    await page.getByRole('table', { name: 'Screening log' }).waitFor();
    assert.match(await page.getByRole('table', { name: 'Screening log' }).innerText(), /Under 18/);
    await shot(page, 'screening-log');

    await page.getByRole('link', { name: 'Screen and consent' }).first().click();
    await page.getByLabel('Site').selectOption('site_1');
    await page.getByLabel('Age (years)').fill('34');
    await page.getByLabel('Psychiatric admissions in the previous 2 years').fill('2');
    await page.getByRole('radio', { name: 'Psychosis' }).check();
    await page.getByLabel('Gender').selectOption('female');
    await page.getByLabel('Ethnic group').selectOption('White');
    await page.getByLabel('First language').selectOption('English');
    await page
      .getByRole('group', { name: /Detained/ })
      .getByRole('radio', { name: 'No' })
      .check();
    await page.getByLabel('Written informed consent given today').check();
    await page.getByLabel('Consent form version').fill('2.1');
    assert.match((await page.locator('.checklist').textContent()) ?? '', /Aged 18 or over: met/);
    await shot(page, 'screen-and-consent');
    await page.getByRole('button', { name: 'Register participant' }).click();
    const registered = page.getByRole('status').filter({ hasText: 'Registered' });
    await registered.waitFor();
    const screeningId = /S-[A-Z0-9]+/.exec(await registered.innerText())?.[0] as string;
    assert.ok(screeningId, 'the success message names the screening id');

    await registered.getByRole('link').click();
    await page.getByRole('button', { name: 'Request randomisation' }).click();
    await page.getByRole('button', { name: 'Yes, randomise' }).click();
    await page.getByRole('status').filter({ hasText: 'Randomisation is recorded' }).waitFor();
    await page.getByRole('heading', { name: /^Participant P\d{4}$/ }).waitFor();
    assert.doesNotMatch(await everythingOnPage(page), ARM_LABELS);

    // Baseline item by item: the first point of every item, scores computed by the server.
    await page.getByLabel('Date of this admission').fill('2025-01-02');
    const items = page.locator('#baseline fieldset.item');
    const count = await items.count();
    assert.equal(count, 57);
    for (let index = 0; index < count; index++) await items.nth(index).locator('input').nth(1).check();
    await page.locator('#baseline .score-line').first().filter({ hasText: 'Score: 10' }).waitFor();
    await page.getByRole('button', { name: 'Save baseline' }).click();
    await page.getByText('Baseline saved').waitFor();
    assert.match(
      await page.locator('#baseline table').innerText(),
      /Placeholder symptom severity scale[^\n]*\t10/,
    );
    await page
      .getByLabel('Discharge date', { exact: true })
      .fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Save discharge date' }).click();
    await page.locator('#discharge').getByText('Month 4 window').waitFor();
    await shot(page, 'participant');
    assert.doesNotMatch(await everythingOnPage(page), ARM_LABELS);

    for (const link of ['Participants', 'Follow-ups due']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('table').first().waitFor();
      assert.doesNotMatch(await everythingOnPage(page), ARM_LABELS, link);
    }
    await shot(page, 'follow-ups');
    const participant = await apiGet<Record<string, unknown>>(page, `/api/participants/${screeningId}`);
    assert.equal(participant.status, 'randomised');
    assert.equal('arm' in participant, false);
  });

  it('researcher: a refused registration (another site) says why and keeps every answer', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    await page.goto(`${server.url}/screen`);
    await page.getByLabel('Site').selectOption('site_2');
    await page.getByLabel('Age (years)').fill('40');
    await page.getByLabel('Psychiatric admissions in the previous 2 years').fill('1');
    await page.getByRole('radio', { name: 'Other' }).first().check();
    await page.getByLabel('Gender').selectOption('male');
    await page.getByLabel('Ethnic group').selectOption('Black');
    await page.getByLabel('First language').selectOption('Other');
    await page
      .getByRole('group', { name: /Detained/ })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await page.getByLabel('Written informed consent given today').check();
    await page.getByRole('button', { name: 'Register participant' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Not allowed for your role|Not found, or not at one of your sites/);
    assert.equal(await page.getByLabel('Age (years)').inputValue(), '40');
    assert.equal(await page.getByLabel('Site').inputValue(), 'site_2');
    await shot(page, 'refused');
  });

  it('researcher: a session that expires mid-form signs in again and the entry is still there', async () => {
    const page = await open();
    await signIn(page, server.url, 'researcher');
    await page.goto(`${server.url}/screen`);
    await page.getByLabel('Site').selectOption('site_1');
    await page.getByLabel('Age (years)').fill('52');
    await page.getByLabel('Psychiatric admissions in the previous 2 years').fill('3');
    await page.getByRole('radio', { name: 'Personality disorder' }).check();
    await page.getByLabel('Gender').selectOption('other');
    await page.getByLabel('Ethnic group').selectOption('Asian');
    await page.getByLabel('First language').selectOption('English');
    await page
      .getByRole('group', { name: /Detained/ })
      .getByRole('radio', { name: 'No' })
      .check();
    await page.getByLabel('Written informed consent given today').check();
    await page.context().clearCookies(); // the server no longer knows this browser: as after a timeout
    await page.getByRole('button', { name: 'Register participant' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Password').fill('demo-researcher');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Age (years)').inputValue(), '52');
    // Even a reload keeps the draft (sessionStorage, per user and form).
    await page.reload();
    assert.equal(await page.getByLabel('Age (years)').inputValue(), '52');
    await page.getByRole('button', { name: 'Register participant' }).click();
    await page.getByRole('status').filter({ hasText: 'Registered' }).waitFor();
    assert.equal(await page.getByLabel('Age (years)').inputValue(), '');
  });

  it('peer worker coordinator: sees allocations awaiting a peer worker, assigns one, and checks caseloads', async () => {
    const page = await open();
    await signIn(page, server.url, 'coordinator');
    await page.getByRole('link', { name: 'Awaiting a peer worker' }).click();
    await page.getByRole('table', { name: 'Awaiting a peer worker' }).waitFor();
    const [{ participants }, caseload] = await Promise.all([
      apiGet<{ participants: { id: string; participant_id: string; arm?: string; status: string }[] }>(
        page,
        '/api/trials/enrich-demo/participants',
      ),
      apiGet<{ participants: { id: string; peer_worker_ids: string[] }[] }>(
        page,
        '/api/trials/enrich-demo/caseload',
      ),
    ]);
    const assigned = new Set(caseload.participants.map((row) => row.id));
    const waiting = participants
      .filter((row) => row.status === 'randomised' && row.arm === 'peer_support' && !assigned.has(row.id))
      .map((row) => row.participant_id)
      .sort();
    const shown = (
      await page
        .getByRole('table', { name: 'Awaiting a peer worker' })
        .locator('tbody tr td:first-child')
        .allInnerTexts()
    )
      .filter((text) => /^P\d+/.test(text))
      .sort();
    assert.deepEqual(shown, waiting);
    await shot(page, 'coordinator-awaiting');
    if (waiting.length > 0) {
      await page.getByRole('button', { name: `Assign a peer worker to ${waiting[0]}` }).click();
      // Peer workers by name: the demo's peer worker works at the coordinator's site.
      const names = await page.getByLabel('Peer worker', { exact: true }).locator('option').allInnerTexts();
      assert.ok(names.includes('peerworker'), names.join(','));
      await page.getByLabel('Peer worker', { exact: true }).selectOption({ label: 'peerworker' });
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Peer worker assigned to ${waiting[0]}` })
        .waitFor();
    }
    await page.getByRole('link', { name: 'Caseloads' }).click();
    await page.getByRole('table', { name: 'Caseloads' }).waitFor();
    const rows = await page.getByRole('table', { name: 'Caseloads' }).locator('tbody tr').count();
    assert.equal(rows, caseload.participants.length + (waiting.length > 0 ? 1 : 0));
    await page.getByRole('heading', { name: 'No contact yet' }).waitFor();
    await shot(page, 'coordinator-caseloads');
  });

  it('peer worker on a 390x844 phone: own caseload, logs a contact in a few taps', async () => {
    const page = await open({ width: 390, height: 844 });
    await signIn(page, server.url, 'peerworker');
    await page.getByRole('heading', { name: 'My caseload' }).waitFor();
    const cards = page.getByRole('list', { name: 'My caseload' }).getByRole('listitem');
    assert.ok((await cards.count()) > 0);
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(scrollWidth <= 390, `no sideways scrolling on a phone (got ${scrollWidth}px)`);
    await shot(page, 'peer-worker-phone');
    const first = cards.first();
    const before = Number(/(\d+) contacts/.exec(await first.innerText())?.[1]);
    const participant = (await first.locator('.card-title').innerText()).trim();
    await first.getByRole('link', { name: /Log contact/ }).click();
    await page.getByRole('heading', { name: `Log a contact with ${participant}` }).waitFor();
    await page.getByText('Community venue').click();
    await page.getByText('Face to face').click();
    await page.getByRole('radio', { name: '45' }).check();
    await page.getByText('Practical help').click();
    await shot(page, 'peer-worker-log-contact');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await page.getByRole('status').filter({ hasText: 'Contact saved' }).waitFor();
    const card = page
      .getByRole('list', { name: 'My caseload' })
      .getByRole('listitem')
      .filter({ hasText: participant });
    assert.equal(Number(/(\d+) contacts/.exec(await card.innerText())?.[1]), before + 1);
  });

  it('admin: creates a user, sees it in the user list with role and site, and creates an API token', async () => {
    const page = await open();
    await signIn(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username').fill('researcher2');
    await page.getByLabel('Initial password').fill('short');
    await page.getByText('At least 8 characters', { exact: true }).last().waitFor();
    await page.getByLabel('Initial password').fill('a-long-password');
    await page.getByLabel('Role').selectOption('researcher');
    await page.getByRole('checkbox', { name: 'West Midlands' }).check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'User “researcher2” created' }).waitFor();
    const users = page.getByRole('table', { name: 'Users' });
    const created = users.locator('tbody tr').filter({ hasText: 'researcher2' });
    await created.waitFor();
    assert.match(await created.innerText(), /researcher2\s+Researcher\s+West Midlands/);
    assert.ok((await users.locator('tbody tr').filter({ hasText: 'coordinator' }).count()) > 0);
    await shot(page, 'admin-users');
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('button', { name: 'Create an API token' }).click();
    assert.match(await page.getByLabel('Your new API token').inputValue(), /^enrich_/);
    await shot(page, 'admin-tokens');
  });

  it('trial manager: recruitment by site against target, CONSORT so far, completeness, audit filters, then the database lock', async () => {
    const page = await open();
    await signIn(page, server.url, 'manager');
    await page.getByRole('heading', { name: 'Recruitment', exact: true }).waitFor();
    // The demo's target is trial data (72, 24 per site): shown against recruitment, then changed with a reason.
    const progress = page.getByRole('table', { name: /Recruitment against target on/ });
    await progress.waitFor();
    assert.match(await progress.locator('tbody tr').filter({ hasText: 'All sites' }).innerText(), /\t72\t/);
    await page.locator('.chart svg[role=img] .target-line').waitFor();
    assert.match((await page.getByRole('img').first().getAttribute('aria-label')) ?? '', /North London: \d+/);
    await shot(page, 'manager-recruitment');
    await page.getByRole('button', { name: 'Change the target' }).click();
    await page.getByLabel('Target (total randomised)').fill('75');
    await page.getByLabel('Reason for the change').fill('extension agreed with the funder');
    await page.getByRole('button', { name: 'Save the target' }).click();
    await page.getByRole('status').filter({ hasText: 'Target saved' }).waitFor();
    // Stored with the trial, not in the browser: a fresh page (and the API) read the new target.
    await page.reload();
    await progress.waitFor();
    assert.match(await progress.locator('tbody tr').filter({ hasText: 'All sites' }).innerText(), /\t75\t/);
    const stored = await apiGet<{ target: { total: number }; version: number }>(
      page,
      '/api/trials/enrich-demo/recruitment/target',
    );
    assert.equal(stored.target.total, 75);
    assert.equal(stored.version, 2);
    // Follow-ups done outside their window, as the protocol deviations listing has them.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Follow-ups due' })
      .click();
    const deviations = page.getByRole('table', { name: 'Follow-ups done outside their window' });
    await deviations.waitFor();
    const listed = await apiGet<{ deviations: unknown[] }>(
      page,
      '/api/trials/enrich-demo/reports/protocol-deviations',
    );
    assert.ok(listed.deviations.length > 0, 'the demo has interviews outside their window');
    assert.equal(await deviations.locator('tbody tr').count(), listed.deviations.length);
    await page.getByRole('link', { name: 'CONSORT flow' }).click();
    const assessed = page.getByText(/Assessed for eligibility \(n = \d+\)/);
    await assessed.waitFor();
    const screened = Number(/n = (\d+)/.exec(await assessed.innerText())?.[1]);
    // The demo's people plus the one the researcher registered above.
    assert.ok(screened >= DEMO_SCREENED && screened <= DEMO_SCREENED + 2, `assessed ${screened}`);
    await shot(page, 'manager-consort');
    await page.getByRole('link', { name: 'Completeness' }).click();
    await page.getByRole('table', { name: 'Completeness by site' }).waitFor();
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('table', { name: 'Audit trail' }).waitFor();
    await page.getByLabel('Action').selectOption('randomise');
    const actions = await page
      .getByRole('table', { name: 'Audit trail' })
      .locator('tbody tr td:nth-child(4)')
      .allInnerTexts();
    assert.ok(actions.length > 0);
    assert.ok(
      actions.every((action) => action === 'Randomise'),
      actions.join(','),
    );
    const who = await page
      .getByRole('table', { name: 'Audit trail' })
      .locator('tbody tr td:nth-child(3)')
      .allInnerTexts();
    assert.ok(
      who.every((name) => name === 'researcher'),
      `randomisations by the demo researcher, named (got ${who.join(',')})`,
    );
    await shot(page, 'manager-audit');
    await page.getByRole('link', { name: 'Randomisation settings' }).click();
    await page.getByRole('heading', { name: 'Randomisation settings' }).waitFor();
    await page.getByText('The settings are locked: participants have been randomised').waitFor();
    await page.getByText('Stratified permuted blocks').waitFor();
    await page.getByRole('table', { name: 'Stratification factors' }).waitFor();
    await shot(page, 'manager-randomisation-settings');
    await page.getByRole('link', { name: 'Database lock' }).click();
    await page.getByLabel('Reason').fill('end of follow-up (test)');
    await page.getByRole('button', { name: 'Lock the database' }).click();
    await page.getByText('Type enrich-demo exactly').waitFor();
    await page.getByLabel(/Type the trial id/).fill('enrich-demo');
    await page.getByRole('button', { name: 'Lock the database' }).click();
    await page.getByRole('status').filter({ hasText: 'Locked' }).waitFor();
  });

  it('statistician: after the lock downloads the unblinded analysis dataset and opens the analysis report', async () => {
    const page = await open();
    await signIn(page, server.url, 'statistician');
    await page.getByRole('heading', { name: 'Analysis', exact: true }).waitFor();
    await page.getByText('the unblinded dataset is available').waitFor();
    await shot(page, 'statistician');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the analysis dataset (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const header = csv.split('\n')[0] as string;
    assert.match(header, /participant_id/);
    assert.match(header, /\barm\b/);
    assert.ok(csv.trim().split('\n').length > 30);
    // The report opens in a new tab. The demo trial is 22 months old: about half the participants have the
    // 12-month outcome, so the report has the primary analysis.
    const link = page.getByRole('link', { name: /Open the analysis report/ });
    assert.equal(await link.getAttribute('target'), '_blank');
    const [report] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await report.waitForLoadState();
    assert.match(report.url(), /\/api\/trials\/enrich-demo\/analysis-report\.html$/);
    await report.getByRole('heading', { name: /Primary outcome$/ }).waitFor();
    assert.match(
      await report.locator('body').innerText(),
      /\d+ of \d+ \([\d.]+%\) participants offered peer support and \d+ of \d+ \([\d.]+%\) offered usual care were readmitted within 12 months/,
    );
  });
});
