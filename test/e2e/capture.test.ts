// Issue 9 capture in the browser app, end to end against `enrich serve --demo` in Chromium: two researchers
// rate one fidelity interview (the second blind to the first), the trial manager enters the consensus on the
// disagreement and downloads the ratings file; a peer worker completes a wellbeing questionnaire on a
// 390x844 phone, and the coordinator sees no answer of theirs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  DEMO_PASSWORD,
  type DemoServer,
  ensureWebBuilt,
  everythingOnPage,
  launchChromium,
  screenshotDirectory,
  signIn,
  skipReason,
  startDemoServer,
} from './harness.ts';

interface IndexItem {
  id: string;
  informants: string[];
}

describe('fidelity and wellbeing capture in the browser app', { skip: skipReason, timeout: 170_000 }, () => {
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

  async function apiGet<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(async (url) => {
      const response = await fetch(url);
      const type = response.headers.get('content-type') ?? '';
      return type.includes('json') ? response.json() : response.text();
    }, path) as Promise<T>;
  }

  /** A second researcher at site_1, created by the administrator over the API. */
  async function createResearcher2(): Promise<void> {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD('admin') }),
    });
    assert.equal(login.status, 200);
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
    const created = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({
        username: 'rater2',
        password: DEMO_PASSWORD('rater2'),
        role: 'researcher',
        site_ids: ['site_1'],
      }),
    });
    assert.equal(created.status, 201, await created.text());
  }

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    await createResearcher2();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  /** Fills the rating form of interview e2e-int-1 with every item at `score`, the first at `first`. */
  async function rate(page: Page, first: number, score: number): Promise<string> {
    await page.getByRole('link', { name: 'Fidelity ratings' }).click();
    await page.getByRole('heading', { name: 'Fidelity ratings' }).waitFor();
    const trials = await apiGet<{ trials: { id: string }[] }>(page, '/api/trials');
    const trialId = trials.trials[0]?.id as string;
    const index = await apiGet<{ index: { items: IndexItem[] } }>(
      page,
      `/api/trials/${trialId}/fidelity/index`,
    );
    const items = index.index.items.filter((item) => item.informants.includes('peer_worker'));
    await page.getByLabel('Interview id').fill('e2e-int-1');
    await page.getByLabel('Site', { exact: true }).selectOption('site_1');
    // The employer type comes from the site (the demo's site_1 is NHS), not from the rater.
    assert.equal(await page.getByLabel("Employer of the site's peer workers").textContent(), 'NHS');
    await page.getByLabel('Timepoint').selectOption('1');
    await page.getByLabel('Informant').selectOption('peer_worker');
    for (const [position, item] of items.entries()) {
      await page
        .locator(`input[name="fidelity.${item.id}"][value="${position === 0 ? first : score}"]`)
        .check();
    }
    await page.getByText(`Scored ${items.length} of ${items.length}`).waitFor();
    return trialId;
  }

  it('double rating: the second rater is blind to the first; the trial manager enters the consensus', async () => {
    const rater1 = await open();
    await signIn(rater1, server.url, 'researcher');
    const trialId = await rate(rater1, 4, 4);
    await shot(rater1, 'fidelity-rating');
    await rater1.getByRole('button', { name: 'Submit my rating' }).click();
    await rater1.getByRole('status').filter({ hasText: 'Waiting for the second rater' }).waitFor();

    const rater2 = await open();
    await signIn(rater2, server.url, 'rater2');
    await rater2.getByRole('link', { name: 'Fidelity ratings' }).click();
    await rater2.getByRole('cell', { name: '1 of 2' }).waitFor();
    // Blind: neither the page nor the API shows rater 1's scores before rater 2 submits.
    const blind = await apiGet<{ independent: unknown[]; ratings_visible: boolean }>(
      rater2,
      `/api/trials/${trialId}/fidelity/interviews/e2e-int-1`,
    );
    assert.deepEqual(blind.independent, []);
    assert.equal(blind.ratings_visible, false);
    assert.doesNotMatch(await everythingOnPage(rater2), /"scores"/);
    await rate(rater2, 2, 4);
    await rater2.getByRole('button', { name: 'Submit my rating' }).click();
    await rater2
      .getByRole('status')
      .filter({ hasText: /1 item\(s\) disagree/ })
      .waitFor();

    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.getByRole('link', { name: 'Fidelity consensus' }).click();
    const panel = manager.locator('#consensus-e2e-int-1');
    await panel.getByText(/rated (4 and 2|2 and 4)/).waitFor();
    await shot(manager, 'fidelity-consensus');
    await panel.locator('input[type="radio"][value="3"]').check();
    await panel.getByRole('button', { name: 'Save the consensus' }).click();
    await manager.getByRole('status').filter({ hasText: 'Consensus saved' }).waitFor();
    const csv = await apiGet<string>(manager, `/api/trials/${trialId}/fidelity/ratings.csv`);
    const consensusRows = csv
      .split('\n')
      .filter((line) => line.startsWith('e2e-int-1,') && line.endsWith(',1'));
    assert.equal(consensusRows.length, 1);
    assert.match(consensusRows[0] as string, /,3,1$/);
  });

  it('the trial manager rewords the index, is refused removing a rated item, and opens the fidelity report', async () => {
    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.getByRole('link', { name: 'Sites' }).click();
    await manager.getByRole('cell', { name: 'Voluntary sector' }).waitFor();
    // The employer type of a site is changed with a reason (audited).
    const change = manager.getByRole('form', { name: 'Change a site' });
    await change.getByLabel('Site to change').selectOption('site_3');
    await change.getByLabel("Peer workers' employer").selectOption('voluntary');
    await change.getByLabel('Reason for the change').fill('service moved to a charity');
    await change.getByRole('button', { name: 'Save the change' }).click();
    await manager.getByRole('status').filter({ hasText: 'Site “Yorkshire” changed' }).waitFor();
    await manager.getByRole('cell', { name: 'Voluntary sector' }).nth(1).waitFor();
    await manager.getByRole('link', { name: 'Fidelity index' }).click();
    await manager.getByRole('heading', { name: 'Fidelity index' }).waitFor();
    // The first rating (previous test) pinned the template as the trial's index: version 1, placeholders flagged.
    await manager.getByText(/still the template's placeholders/).waitFor();
    const item = (id: string) => manager.getByRole('group', { name: `Item ${id}` });
    const wording = 'Peer workers draw on their own lived experience in building trust';
    await item('s_trusting_relationships_1').getByLabel('Item wording').fill(wording);
    await manager.getByLabel('Reason for the change').fill('the published wording');
    await manager.getByRole('button', { name: 'Save the index' }).click();
    await manager.getByRole('status').filter({ hasText: 'Fidelity index saved (version 2)' }).waitFor();
    // e2e-int-1 was rated on this item: removing it is refused, with the item named.
    await item('s_trusting_relationships_1')
      .getByRole('button', { name: /^Remove item/ })
      .click();
    await manager.getByLabel('Reason for the change').fill('replace with the published items');
    await manager.getByRole('button', { name: 'Save the index' }).click();
    const refusal = manager.getByRole('alert').filter({ hasText: 'cannot be removed' });
    await refusal.getByText(/s_trusting_relationships_1 removed/).waitFor();
    await shot(manager, 'fidelity-index');
    const trials = await apiGet<{ trials: { id: string }[] }>(manager, '/api/trials');
    const trialId = trials.trials[0]?.id as string;
    const index = await apiGet<{ version: number; template: boolean; index: { items: IndexItem[] } }>(
      manager,
      `/api/trials/${trialId}/fidelity/index`,
    );
    assert.equal(index.version, 2);
    assert.equal(index.template, false);
    assert.equal((index.index.items[0] as IndexItem & { text: string }).text, wording);

    await manager.getByRole('link', { name: 'Fidelity consensus' }).click();
    const [report] = await Promise.all([
      manager.context().waitForEvent('page'),
      manager.getByRole('link', { name: 'Open the fidelity report' }).click(),
    ]);
    await report
      .getByRole('heading', { name: /^Fidelity report/ })
      .first()
      .waitFor();
    // The report of the in-app ratings: interview e2e-int-1 at site_1, its items scored.
    const html = await report.content();
    assert.match(html, /site_1/);
    assert.match(html, /s_trusting_relationships_1/);
  });

  it('peer worker on a 390x844 phone completes the T1 questionnaire; the coordinator sees no answer', async () => {
    const page = await open({ width: 390, height: 844 });
    await signIn(page, server.url, 'peerworker');
    await page.goto(`${server.url}/wellbeing`);
    await page.getByRole('heading', { name: 'My wellbeing questionnaires' }).waitFor();
    await page.getByRole('button', { name: 'Start T1' }).click();
    const radios = page.locator('.questionnaire fieldset.item');
    const count = await radios.count();
    assert.ok(count > 20, `every item of the measures is on the page (got ${count})`);
    for (let index = 0; index < count; index++) {
      await radios.nth(index).locator('input[type="radio"]').nth(1).check();
    }
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(scrollWidth <= 390, `no sideways scrolling on a phone (got ${scrollWidth}px)`);
    await page.getByText(`Answered ${count} of ${count}`).waitFor();
    await shot(page, 'wellbeing-phone');
    await page.getByRole('button', { name: 'Submit questionnaire' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Your questionnaire for timepoint 1 is saved' })
      .waitFor();
    await page.getByText('Completed').first().waitFor();

    const coordinator = await open();
    await signIn(coordinator, server.url, 'coordinator');
    await coordinator.goto(`${server.url}/wellbeing/summary`);
    await coordinator.getByRole('heading', { name: 'Peer worker wellbeing' }).waitFor();
    // An open collection shows only how many completed; no timepoint's results, and no close control for a
    // coordinator.
    await coordinator.getByText(/T1: after training: 1 completed, collection open/).waitFor();
    await coordinator.getByText('withheld (collection open)').first().waitFor();
    assert.equal(await coordinator.getByRole('button', { name: /^Close T\d collection$/ }).count(), 0);
    const everything = await everythingOnPage(coordinator);
    assert.doesNotMatch(everything, /"answers"|wb1/);
  });

  it('the trial manager sets a norm on the wellbeing screen; the statistician finds the pseudonymised export', async () => {
    const manager = await open();
    await signIn(manager, server.url, 'manager');
    await manager.goto(`${server.url}/wellbeing/summary`);
    await manager.getByRole('heading', { name: 'Population norms' }).waitFor();
    await manager.getByRole('button', { name: 'Edit norms' }).click();
    const field = (name: string) =>
      manager.getByLabel(new RegExp(`^Placeholder wellbeing scale.*: norm ${name}$`));
    const [mean, sd, source] = [field('mean'), field('SD'), field('source')];
    await mean.fill('51.5');
    await sd.fill('8.25');
    await source.fill('e2e population survey');
    await manager.getByRole('button', { name: 'Save norms' }).click();
    await manager.getByRole('status').filter({ hasText: 'Norms saved' }).waitFor();
    await manager.getByRole('cell', { name: 'e2e population survey' }).waitFor();
    // Closing T1 is deliberate: a confirmation that says it is final; then T1 shows as closed.
    await manager.getByRole('button', { name: 'Close T1 collection' }).click();
    const confirm = manager.getByRole('alertdialog', { name: 'Close T1 collection' });
    await confirm.getByText(/Closing T1 is final/).waitFor();
    await confirm.getByRole('button', { name: 'Yes, close T1 collection' }).click();
    await manager.getByText(/T1: after training: 1 completed, collection closed/).waitFor();
    // One questionnaire: T1's results stay withheld (fewer than 5) after closing.
    await manager.getByText('withheld (fewer than 5)').first().waitFor();
    const trials = await apiGet<{ trials: { id: string }[] }>(manager, '/api/trials');
    const trialId = trials.trials[0]?.id as string;
    const norms = await apiGet<string>(manager, `/api/trials/${trialId}/wellbeing/norms.csv`);
    assert.ok(norms.includes('wellbeing,,51.5,8.25,e2e population survey'), norms);
    // The manager has no export link and the export refuses them.
    const refused = await apiGet<{ error: { code: string } }>(
      manager,
      `/api/trials/${trialId}/exports/wellbeing.csv`,
    );
    assert.equal(refused.error.code, 'forbidden');

    const statistician = await open();
    await signIn(statistician, server.url, 'statistician');
    await statistician.goto(`${server.url}/analysis`);
    const link = statistician.getByRole('link', {
      name: 'Download the pseudonymised wellbeing questionnaires (CSV)',
    });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/api/trials/${trialId}/exports/wellbeing.csv`);
    const csv = await apiGet<string>(statistician, `/api/trials/${trialId}/exports/wellbeing.csv`);
    assert.match(csv, /^worker_id,timepoint,wb1,/);
    assert.match(csv.split('\n')[1] ?? '', /^pw-[0-9a-f]{16},1,/);

    // The statistician opens the fidelity report of the in-app ratings from the same page.
    const [report] = await Promise.all([
      statistician.context().waitForEvent('page'),
      statistician.getByRole('link', { name: /^Open the fidelity report/ }).click(),
    ]);
    await report
      .getByRole('heading', { name: /^Fidelity report/ })
      .first()
      .waitFor();
    assert.match(await report.content(), /site_1/);
  });
});
