/**
 * Issue 9 capture over the API, run once per dialect (capture-sqlite.test.ts always, capture-postgres.test.ts
 * when ENRICH_TEST_PG_URL is set): fidelity double rating blind to the other rater, disagreements and
 * consensus, the ratings-file export read back by `enrich fidelity`; the trial's own fidelity index (saved,
 * audited, protected once rated; index.json read by `enrich fidelity --index`; the in-app report); sites'
 * employer types taken by ratings; wellbeing questionnaires completed by peer workers, with no individual
 * answer reaching a coordinator or manager (every response body searched).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { itemsFor } from '../../src/server/routes/fidelity.ts';
import { WELLBEING_MEASURES } from '../../src/server/routes/wellbeing.ts';
import { parseCsv } from '../../src/table/index.ts';
import {
  FIDELITY_INDEX_TEMPLATE,
  type FidelityIndexDefinition,
  readFidelityRatings,
} from '../../src/trial/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { type FreshDatabase, type Login, openWorld, password, type World } from './harness.ts';

const T = '/api/trials/enrich';

/** Every score of an informant's items set to `score`, except `overrides`. */
function scoresFor(informant: string, score: number, overrides: Record<string, number> = {}) {
  return Object.fromEntries(itemsFor(informant).map((item) => [item.id, overrides[item.id] ?? score]));
}

export function defineCaptureSuite(dialect: 'sqlite' | 'postgres', fresh: FreshDatabase): void {
  describe(`fidelity ratings over the API on ${dialect}`, () => {
    let world: World;
    let admin: Login;
    let manager: Login;
    let rater1: Login;
    let rater2: Login;
    let statistician: Login;
    let peerworker: Login;
    const interview = { site: 'site_1', employer_type: 'nhs', timepoint: 1, informant: 'peer_worker' };

    before(async () => {
      world = await openWorld(fresh);
      admin = await world.login('admin');
      assert.equal(
        (await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' })).statusCode,
        201,
      );
      // site_1's peer workers are NHS employees (set on the site); site_2's employer is not set yet.
      for (const site of [
        { code: 'site_1', name: 'Site one', employer_type: 'nhs' },
        { code: 'site_2', name: 'Site two' },
      ]) {
        const created = await world.as(admin, 'POST', `${T}/sites`, site);
        assert.equal(created.statusCode, 201, created.body);
      }
      manager = await world.login('manager');
      rater1 = await world.login('researcher1');
      rater2 = await world.login('researcher2');
      statistician = await world.login('statistician');
      peerworker = await world.login('peerworker');
    });
    after(() => world.close());

    it('gives raters the index and refuses roles that do not rate', async () => {
      const index = await world.as(rater1, 'GET', `${T}/fidelity/index`);
      assert.equal(index.statusCode, 200);
      const body = index.json() as {
        index: unknown;
        template: boolean;
        version: number;
        rated_items: string[];
      };
      // No index saved yet: the trial rates against the shipped template, flagged as such.
      assert.deepEqual(body.index, FIDELITY_INDEX_TEMPLATE);
      assert.equal(body.template, true);
      assert.equal(body.version, 0);
      assert.deepEqual(body.rated_items, []);
      assert.equal((await world.as(peerworker, 'GET', `${T}/fidelity/index`)).statusCode, 403);
      const put = await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: scoresFor('peer_worker', 4),
      });
      assert.equal(put.statusCode, 403);
    });

    it('keeps the second rater blind to the first until they submit, then lists disagreements', async () => {
      const first = scoresFor('peer_worker', 4);
      const firstItem = Object.keys(first)[0] as string;
      const submitted = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: first,
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      // The first rating pins the template as the trial's own index (a later release's template cannot
      // change what these scores were given on), audited with who and why.
      const pinned = (await world.as(rater1, 'GET', `${T}/fidelity/index`)).json() as {
        index: unknown;
        template: boolean;
        version: number;
      };
      assert.deepEqual(pinned.index, FIDELITY_INDEX_TEMPLATE);
      assert.equal(pinned.template, false);
      assert.equal(pinned.version, 1);
      const pinAudit = (await world.as(admin, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; action: string; reason: string | null }[];
      };
      assert.ok(
        pinAudit.entries.some(
          (entry) =>
            entry.entity === 'fidelity_index' &&
            entry.action === 'create' &&
            entry.reason === 'the template index pinned at the first rating',
        ),
      );
      // Rater 2 before rating: the interview exists, nobody's scores are shown.
      const blind = await world.as(rater2, 'GET', `${T}/fidelity/interviews/int_1`);
      assert.equal(blind.statusCode, 200);
      const blindBody = blind.json() as { independent: unknown[]; ratings_visible: boolean; ratings: number };
      assert.equal(blindBody.ratings_visible, false);
      assert.deepEqual(blindBody.independent, []);
      assert.equal(blindBody.ratings, 1);
      assert.doesNotMatch(blind.body, /"scores"/);
      const list = await world.as(rater2, 'GET', `${T}/fidelity/interviews`);
      assert.doesNotMatch(list.body, /"scores"/);
      assert.equal((await world.as(rater2, 'GET', `${T}/fidelity/disagreements`)).statusCode, 403);
      assert.equal((await world.as(rater2, 'GET', `${T}/fidelity/ratings.csv`)).statusCode, 403);
      // A mismatched interview description is refused; a second rating by the same rater too.
      const mismatch = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        timepoint: 2,
        scores: first,
      });
      assert.equal(mismatch.statusCode, 422);
      const again = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: first,
      });
      assert.equal(again.statusCode, 409);
      const incomplete = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: { [firstItem]: 2 },
      });
      assert.equal(incomplete.statusCode, 422);
      // Rater 2 submits: 2 on the first item (a disagreement of 2), the same elsewhere.
      const second = scoresFor('peer_worker', 4, { [firstItem]: 2 });
      assert.equal(
        (
          await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
            ...interview,
            scores: second,
          })
        ).statusCode,
        201,
      );
      const seen = (await world.as(rater2, 'GET', `${T}/fidelity/interviews/int_1`)).json() as {
        independent: unknown[];
        disagreements: { item: string; scores: number[] }[];
      };
      assert.equal(seen.independent.length, 2);
      // Scores in the order of the stored ratings (by key), so compare them as a set.
      assert.deepEqual(
        seen.disagreements.map((entry) => ({ item: entry.item, scores: [...entry.scores].sort() })),
        [{ item: firstItem, scores: [2, 4] }],
      );
      // A third rater is refused.
      const admin3 = await world.as(admin, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: first,
      });
      assert.equal(admin3.statusCode, 409);
    });

    it('lets the trial manager enter the consensus on every disagreement', async () => {
      const listed = await world.as(manager, 'GET', `${T}/fidelity/disagreements`);
      assert.equal(listed.statusCode, 200);
      const body = listed.json() as {
        interviews: { interview_id: string; items: { item: string; consensus_score: null }[] }[];
      };
      assert.equal(body.interviews.length, 1);
      const item = body.interviews[0]?.items[0]?.item as string;
      assert.equal(body.interviews[0]?.items[0]?.consensus_score, null);
      assert.equal(
        (await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, { scores: {} }))
          .statusCode,
        422,
      );
      assert.equal(
        (await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, { scores: { [item]: 3 } }))
          .statusCode,
        403,
      );
      const consensus = await world.as(manager, 'PUT', `${T}/fidelity/interviews/int_1/consensus`, {
        scores: { [item]: 3 },
      });
      assert.equal(consensus.statusCode, 200, consensus.body);
      const after = (await world.as(manager, 'GET', `${T}/fidelity/disagreements`)).json() as {
        interviews: { items: { consensus_score: number }[] }[];
      };
      assert.equal(after.interviews[0]?.items[0]?.consensus_score, 3);
    });

    it('exports the ratings file that enrich fidelity reads (round trip)', async () => {
      // A second interview at another site, voluntary sector, rated twice in agreement.
      const other = { site: 'site_2', employer_type: 'voluntary', timepoint: 2, informant: 'supervisor' };
      for (const rater of [rater1, rater2]) {
        const response = await world.as(rater, 'PUT', `${T}/fidelity/interviews/int_2/my-rating`, {
          ...other,
          scores: scoresFor('supervisor', 3),
        });
        assert.equal(response.statusCode, 201, response.body);
      }
      const csv = await world.as(statistician, 'GET', `${T}/fidelity/ratings.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const ratings = readFidelityRatings(
        parseCsv(new TextEncoder().encode(csv.body), 'ratings.csv'),
        FIDELITY_INDEX_TEMPLATE,
      );
      const expectedRows = 2 * itemsFor('peer_worker').length + 1 + 2 * itemsFor('supervisor').length;
      assert.equal(ratings.ratings.length, expectedRows);
      assert.equal(ratings.ratings.filter((rating) => rating.consensus).length, 1);
      const directory = mkdtempSync(join(tmpdir(), 'enrich-capture-'));
      try {
        const file = join(directory, 'ratings.csv');
        writeFileSync(file, csv.body);
        const run = await runCli(['fidelity', file, '--json']);
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as Record<string, unknown>;
        assert.ok(result !== null && typeof result === 'object');
        assert.match(run.stdout, /site_1/);
        assert.match(run.stdout, /site_2/);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("takes a rating's employer type from its site; refuses a contradiction or neither", async () => {
      const bare = {
        site: 'site_1',
        timepoint: 3,
        informant: 'peer_worker',
        scores: scoresFor('peer_worker', 4),
      };
      const taken = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_3/my-rating`, bare);
      assert.equal(taken.statusCode, 201, taken.body);
      assert.equal((taken.json() as { employer_type: string }).employer_type, 'nhs');
      const contradiction = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_3/my-rating`, {
        ...bare,
        employer_type: 'voluntary',
      });
      assert.equal(contradiction.statusCode, 422);
      assert.match(contradiction.body, /employer type of site \\"site_1\\", nhs \(got voluntary/);
      // A site without an employer type and a rating that gives none.
      const site3 = await world.as(admin, 'POST', `${T}/sites`, { code: 'site_3', name: 'Site three' });
      assert.equal(site3.statusCode, 201, site3.body);
      const neither = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_4/my-rating`, {
        ...bare,
        site: 'site_3',
      });
      assert.equal(neither.statusCode, 422);
      assert.match(neither.body, /site \\"site_3\\" has none set and the rating gives none/);
      const unknown = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_4/my-rating`, {
        ...bare,
        site: 'site_9',
        employer_type: 'nhs',
      });
      assert.equal(unknown.statusCode, 422);
      assert.match(
        unknown.body,
        /requires a site of trial \\"enrich\\" \(got \\"site_9\\"; sites: site_1, site_2, site_3\)/,
      );
      // Refusals write nothing: int_1 (two ratings and the consensus), int_2 (two), int_3 (one).
      assert.equal((await world.store.listRecords('enrich', 'fidelity_rating')).length, 6);
      // A site without its own type keeps one: a later interview there must match the earlier ratings, else
      // ratings.csv and the report (one employer type per site) could not be made.
      const site3Rating = { ...bare, site: 'site_3', employer_type: 'voluntary' };
      const first = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_4/my-rating`, site3Rating);
      assert.equal(first.statusCode, 201, first.body);
      const clash = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_5/my-rating`, {
        ...site3Rating,
        employer_type: 'nhs',
      });
      assert.equal(clash.statusCode, 422, clash.body);
      assert.match(
        clash.body,
        /employer type of the earlier ratings at site \\"site_3\\", voluntary \(got nhs; earlier: interview \\"int_4\\"/,
      );
      assert.equal((await world.store.listRecords('enrich', 'fidelity_rating')).length, 7);
      const same = await world.as(rater2, 'PUT', `${T}/fidelity/interviews/int_5/my-rating`, site3Rating);
      assert.equal(same.statusCode, 201, same.body);
      const csv = await world.as(statistician, 'GET', `${T}/fidelity/ratings.csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      const site3Rows = readFidelityRatings(
        parseCsv(new TextEncoder().encode(csv.body), 'ratings.csv'),
        FIDELITY_INDEX_TEMPLATE,
      ).ratings.filter((rating) => rating.site === 'site_3');
      assert.deepEqual([...new Set(site3Rows.map((rating) => rating.employerType))], ['voluntary']);
      assert.equal((await world.as(statistician, 'GET', `${T}/fidelity/report.html`)).statusCode, 200);
    });

    it("sets and changes a site's employer type (reason required, audited); the export follows the site", async () => {
      const patch = { employer_type: 'nhs', reason: 'peer workers moved to the trust' };
      assert.equal((await world.as(rater1, 'PATCH', `${T}/sites/site_2`, patch)).statusCode, 403);
      const noReason = await world.as(admin, 'PATCH', `${T}/sites/site_2`, { employer_type: 'nhs' });
      assert.equal(noReason.statusCode, 400);
      assert.equal((await world.as(admin, 'PATCH', `${T}/sites/site_8`, patch)).statusCode, 404);
      const changed = await world.as(manager, 'PATCH', `${T}/sites/site_2`, patch);
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(changed.json(), {
        id: 'site_2',
        code: 'site_2',
        name: 'Site two',
        employer_type: 'nhs',
      });
      const listed = (await world.as(rater1, 'GET', `${T}/sites`)).json() as {
        sites: { code: string; employer_type: string | null }[];
      };
      assert.deepEqual(
        listed.sites.map((site) => [site.code, site.employer_type]),
        [
          ['site_1', 'nhs'],
          ['site_2', 'nhs'],
          ['site_3', null],
        ],
      );
      const audit = (await world.as(admin, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; field: string; old_value: unknown; new_value: unknown; reason: string }[];
      };
      assert.deepEqual(
        audit.entries
          .filter((entry) => entry.entity === 'site' && entry.field === 'employer_type')
          .map((entry) => [entry.old_value, entry.new_value, entry.reason]),
        [
          [null, 'nhs', null],
          [null, 'nhs', patch.reason],
        ],
      );
      // Interview int_2 was entered as voluntary at site_2: the ratings file now carries the site's type.
      const csv = (await world.as(statistician, 'GET', `${T}/fidelity/ratings.csv`)).body;
      const ratings = readFidelityRatings(
        parseCsv(new TextEncoder().encode(csv), 'ratings.csv'),
        FIDELITY_INDEX_TEMPLATE,
      ).ratings.filter((rating) => rating.site === 'site_2');
      assert.ok(ratings.length > 0);
      assert.ok(ratings.every((rating) => rating.employerType === 'nhs'));
    });

    it('after the lock the index and the sites are refused at the route (403), unchanged', async () => {
      const locked = await world.as(manager, 'POST', `${T}/lock`, { reason: 'final analysis' });
      assert.equal(locked.statusCode, 200, locked.body);
      const index = (await world.as(rater1, 'GET', `${T}/fidelity/index`)).json() as {
        index: unknown;
        version: number;
      };
      for (const who of [manager, admin]) {
        const put = await world.as(who, 'PUT', `${T}/fidelity/index`, {
          index: index.index,
          version: index.version,
          reason: 'late change',
        });
        assert.equal(put.statusCode, 403, put.body);
        assert.match(put.body, /requires an unlocked database/);
        const patch = await world.as(who, 'PATCH', `${T}/sites/site_3`, {
          employer_type: 'nhs',
          reason: 'late change',
        });
        assert.equal(patch.statusCode, 403, patch.body);
        assert.match(patch.body, /requires an unlocked database/);
      }
      const sites = (await world.as(rater1, 'GET', `${T}/sites`)).json() as {
        sites: { code: string; employer_type: string | null }[];
      };
      assert.equal(sites.sites.find((site) => site.code === 'site_3')?.employer_type, null);
      assert.deepEqual(
        ((await world.as(rater1, 'GET', `${T}/fidelity/index`)).json() as { version: number }).version,
        index.version,
      );
    });
  });

  describe(`the trial's own fidelity index on ${dialect}`, () => {
    let world: World;
    let admin: Login;
    let manager: Login;
    let rater1: Login;
    let rater2: Login;
    let statistician: Login;
    const name = 'ENRICH fidelity index (trial draft)';
    /** The template with its second items dropped, reworded, and one new delivery item. */
    const custom = (): FidelityIndexDefinition => {
      const { note: _note, ...template } = structuredClone(FIDELITY_INDEX_TEMPLATE);
      return {
        ...template,
        id: 'enrich_fidelity_trial',
        name,
        version: '1.0',
        items: [
          ...template.items
            .filter((item) => item.id.endsWith('_1'))
            .map(({ placeholder: _placeholder, ...item }) => ({ ...item, text: `Reworded ${item.id}` })),
          {
            id: 'd_reciprocity_own',
            domain: 'reciprocity',
            part: 'delivery',
            informants: ['peer_worker'],
            text: 'Peer workers and the people they support learn from each other',
          },
        ],
      };
    };
    const put = (login: Login, body: Record<string, unknown>) =>
      world.as(login, 'PUT', `${T}/fidelity/index`, body);
    const current = async () =>
      (await world.as(rater1, 'GET', `${T}/fidelity/index`)).json() as {
        index: FidelityIndexDefinition;
        template: boolean;
        version: number;
        rated_items: string[];
      };

    before(async () => {
      world = await openWorld(fresh);
      admin = await world.login('admin');
      assert.equal(
        (await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' })).statusCode,
        201,
      );
      for (const site of [
        { code: 'site_1', name: 'Site one', employer_type: 'nhs' },
        { code: 'site_2', name: 'Site two', employer_type: 'voluntary' },
      ]) {
        assert.equal((await world.as(admin, 'POST', `${T}/sites`, site)).statusCode, 201);
      }
      manager = await world.login('manager');
      rater1 = await world.login('researcher1');
      rater2 = await world.login('researcher2');
      statistician = await world.login('statistician');
    });
    after(() => world.close());

    it('saves a trial index (trial manager): every problem at once, then version and reason for a change', async () => {
      assert.equal((await put(rater1, { index: custom() })).statusCode, 403);
      // No rating yet: the in-app report says so (an HTML page: the link opens in a tab).
      const early = await world.as(statistician, 'GET', `${T}/fidelity/report.html`);
      assert.equal(early.statusCode, 422);
      assert.match(String(early.headers['content-type']), /text\/html/);
      assert.match(early.body, /requires at least one rating \(got none\)/);
      const broken = custom();
      const invalid = await put(manager, {
        index: {
          ...broken,
          scale: { ...broken.scale, anchors: broken.scale.anchors.slice(1) },
          items: [
            ...broken.items,
            { id: 'x_1', domain: 'nope', part: 'middle', informants: ['peer_worker'], text: 'x' },
          ],
        },
      });
      assert.equal(invalid.statusCode, 422);
      const problems = invalid.json() as { error: { code: string; issues: { path: string }[] } };
      assert.equal(problems.error.code, 'fidelity_index_invalid');
      assert.deepEqual(
        problems.error.issues.map((issue) => issue.path),
        ['index: scale.anchors', 'index: items[9].domain', 'index: items[9].part'],
      );
      assert.equal((await current()).template, true);

      const saved = await put(manager, { index: custom() });
      assert.equal(saved.statusCode, 200, saved.body);
      const state = await current();
      assert.equal(state.template, false);
      assert.equal(state.version, 1);
      assert.deepEqual(state.index, custom());
      // index.json is the bare definition, as a file.
      const file = await world.as(rater1, 'GET', `${T}/fidelity/index.json`);
      assert.equal(file.statusCode, 200);
      assert.match(String(file.headers['content-disposition']), /enrich-fidelity-index\.json/);
      assert.deepEqual(JSON.parse(file.body), custom());
      // A change needs the version it was read at and a reason.
      const changed = { ...custom(), version: '1.1' };
      const stale = await put(manager, { index: changed });
      assert.equal(stale.statusCode, 409);
      assert.equal((stale.json() as { error: { code: string } }).error.code, 'store_version_conflict');
      const noReason = await put(manager, { index: changed, version: 1 });
      assert.equal(noReason.statusCode, 422);
      assert.equal((noReason.json() as { error: { code: string } }).error.code, 'store_reason_required');
      assert.equal((await current()).version, 1);
      const audit = (await world.as(admin, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; action: string }[];
      };
      assert.ok(
        audit.entries.some((entry) => entry.entity === 'fidelity_index' && entry.action === 'create'),
      );
    });

    it("rates against the trial's index", async () => {
      const mine = (score: number) =>
        Object.fromEntries(itemsFor('peer_worker', custom()).map((item) => [item.id, score]));
      const interview = { site: 'site_1', timepoint: 1, informant: 'peer_worker' };
      // A template item the trial's index dropped is refused.
      const dropped = await world.as(rater1, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
        ...interview,
        scores: { ...mine(4), s_reciprocity_2: 4 },
      });
      assert.equal(dropped.statusCode, 422);
      assert.match(dropped.body, /item \\"s_reciprocity_2\\" is not rated from peer_worker interviews/);
      for (const [rater, score] of [
        [rater1, 4],
        [rater2, 2],
      ] as const) {
        const rated = await world.as(rater, 'PUT', `${T}/fidelity/interviews/int_1/my-rating`, {
          ...interview,
          scores: mine(score),
        });
        assert.equal(rated.statusCode, 201, rated.body);
        const other = await world.as(rater, 'PUT', `${T}/fidelity/interviews/int_2/my-rating`, {
          site: 'site_2',
          timepoint: 1,
          informant: 'peer_worker',
          scores: mine(score === 4 ? 3 : 4),
        });
        assert.equal(other.statusCode, 201, other.body);
      }
      const disagreements = (await world.as(manager, 'GET', `${T}/fidelity/disagreements`)).json() as {
        interviews: { interview_id: string; items: { item: string; text: string }[] }[];
      };
      assert.deepEqual(
        disagreements.interviews.map((entry) => entry.interview_id),
        ['int_1', 'int_2'],
      );
      assert.deepEqual(
        disagreements.interviews[0]?.items.map((entry) => entry.text),
        itemsFor('peer_worker', custom()).map((item) => item.text),
      );
      assert.deepEqual(
        (await current()).rated_items,
        itemsFor('peer_worker', custom()).map((item) => item.id),
      );
    });

    it('refuses a change that removes, moves, narrows or rescales rated items; allows wording', async () => {
      const base = custom();
      const rescaled = {
        ...base,
        items: base.items.filter((item) => item.id !== 'd_reciprocity_own'),
        scale: {
          minimum: 1,
          maximum: 7,
          anchors: [1, 2, 3, 4, 5, 6, 7].map((value) => ({ value, label: `point ${value}` })),
        },
      };
      const both = await put(manager, { index: rescaled, version: 1, reason: 'published index' });
      assert.equal(both.statusCode, 409, both.body);
      const refusal = both.json() as { error: { code: string; issues: { path: string; message: string }[] } };
      assert.equal(refusal.error.code, 'fidelity_index_in_use');
      assert.deepEqual(
        refusal.error.issues.map((issue) => issue.path),
        ['index.scale', 'index.items'],
      );
      assert.match(refusal.error.issues[1]?.message ?? '', /got d_reciprocity_own removed/);
      const moved = {
        ...base,
        items: base.items.map((item) =>
          item.id === 's_trusting_relationships_1'
            ? { ...item, domain: 'reciprocity' }
            : item.id === 'd_reciprocity_own'
              ? { ...item, informants: ['person_supported' as const] }
              : item,
        ),
      };
      const movedRefusal = await put(manager, { index: moved, version: 1, reason: 'published index' });
      assert.equal(movedRefusal.statusCode, 409);
      assert.deepEqual(
        (movedRefusal.json() as { error: { issues: { path: string }[] } }).error.issues.map(
          (issue) => issue.path,
        ),
        ['index.items.d_reciprocity_own.informants', 'index.items.s_trusting_relationships_1'],
      );
      assert.equal((await current()).version, 1);
      // Wording, anchor labels and a new item are allowed.
      const reworded: FidelityIndexDefinition = {
        ...base,
        scale: {
          ...base.scale,
          anchors: base.scale.anchors.map((anchor) => ({ ...anchor, label: `${anchor.label}.` })),
        },
        items: [
          ...base.items.map((item) => ({ ...item, text: `${item.text} (published wording)` })),
          {
            id: 'd_strengths_new',
            domain: 'strengths_community',
            part: 'delivery',
            informants: ['supervisor'],
            text: 'New',
          },
        ],
      };
      const ok = await put(manager, { index: reworded, version: 1, reason: 'published wording' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await current()).version, 2);
      assert.deepEqual((await current()).index, reworded);
    });

    it('exports index.json and ratings.csv that enrich fidelity --index reads; the report in the app matches', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'enrich-capture-index-'));
      try {
        const ratingsFile = join(directory, 'enrich-fidelity-ratings.csv');
        const indexFile = join(directory, 'index.json');
        const csv = await world.as(statistician, 'GET', `${T}/fidelity/ratings.csv`);
        writeFileSync(ratingsFile, csv.body);
        writeFileSync(indexFile, (await world.as(statistician, 'GET', `${T}/fidelity/index.json`)).body);
        const run = await runCli(['fidelity', ratingsFile, '--index', indexFile, '--json']);
        assert.equal(run.code, 0, run.stderr);
        assert.equal((JSON.parse(run.stdout) as { index: { name: string } }).index.name, name);
        // The template does not fit these ratings (d_reciprocity_own is not one of its items).
        const withTemplate = await runCli(['fidelity', ratingsFile]);
        assert.equal(withTemplate.code, 2);
        assert.match(withTemplate.stderr, /fidelity_ratings_invalid[\s\S]*d_reciprocity_own/);

        assert.equal((await world.as(rater1, 'GET', `${T}/fidelity/report.html`)).statusCode, 403);
        const report = await world.as(statistician, 'GET', `${T}/fidelity/report.html`);
        assert.equal(report.statusCode, 200, report.body);
        assert.match(String(report.headers['content-type']), /text\/html/);
        const title = /<title>([^<]*)<\/title>/.exec(report.body)?.[1];
        assert.match(title ?? '', /^Fidelity report: /);
        const htmlFile = join(directory, 'report.html');
        const cli = await runCli([
          'fidelity',
          ratingsFile,
          '--index',
          indexFile,
          '--html',
          htmlFile,
          '--title',
          (title ?? '').replaceAll('&amp;', '&'),
        ]);
        assert.equal(cli.code, 0, cli.stderr);
        // Same ratings file, same index: the same report but for when and by which version it was made.
        const normalise = (html: string) =>
          html
            .replaceAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, 'TIME')
            .replaceAll(/enrich \d+\.\d+\.\d+/g, 'enrich VERSION');
        assert.equal(normalise(report.body), normalise(readFileSync(htmlFile, 'utf8')));
        assert.match(report.body, new RegExp(name.replace(/[()]/g, '\\$&')));
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  describe(`wellbeing questionnaires over the API on ${dialect}: confidential`, () => {
    let world: World;
    let manager: Login;
    let coordinator: Login;
    let admin: Login;
    const workers: Login[] = [];
    /** Distinctive answers per worker: a marker value pattern we then look for in every response body. */
    const answersOf = (index: number) => {
      const answers: Record<string, number> = {};
      for (const measure of WELLBEING_MEASURES) {
        for (const [position, item] of measure.items.entries()) {
          answers[item.id] = measure.minimum + ((index + position) % (measure.maximum - measure.minimum + 1));
        }
      }
      return answers;
    };

    before(async () => {
      world = await openWorld(fresh);
      admin = await world.login('admin');
      await world.as(admin, 'POST', '/api/trials', { name: 'enrich', template: 'enrich' });
      manager = await world.login('manager');
      coordinator = await world.login('coordinator1');
      workers.push(await world.login('peerworker'));
      for (let index = 2; index <= 6; index++) {
        const username = `peerworker${index}`;
        await world.store.createUser(
          { username, password: password(username), role: 'peer_worker', sites: [] },
          { actor: { userId: 'system', role: 'admin' } },
        );
        workers.push(await world.login(username));
      }
    });
    after(() => world.close());

    it('a peer worker completes T1 and reads back only their own answers', async () => {
      const worker = workers[0] as Login;
      const questionnaire = await world.as(worker, 'GET', `${T}/wellbeing/questionnaire`);
      assert.equal(questionnaire.statusCode, 200);
      const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(0) });
      assert.equal(saved.statusCode, 200, saved.body);
      const mine = (await world.as(worker, 'GET', `${T}/wellbeing/mine`)).json() as {
        timepoints: { timepoint: number; completed: boolean; answers: Record<string, number> | null }[];
      };
      assert.equal(mine.timepoints[0]?.completed, true);
      assert.deepEqual(mine.timepoints[0]?.answers, answersOf(0));
      assert.equal(mine.timepoints[1]?.completed, false);
      // Another worker sees none of it.
      const other = (await world.as(workers[1] as Login, 'GET', `${T}/wellbeing/mine`)).json() as {
        timepoints: { answers: unknown }[];
      };
      assert.ok(other.timepoints.every((entry) => entry.answers === null));
      // Invalid answers are refused; a change needs version and reason.
      assert.equal(
        (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: { wb1: 99 } })).statusCode,
        422,
      );
      assert.equal(
        (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: { nope: 1 } })).statusCode,
        422,
      );
      assert.equal(
        (await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(1) })).statusCode,
        409,
      );
      // Coordinators and managers cannot complete one.
      assert.equal(
        (await world.as(coordinator, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(0) })).statusCode,
        403,
      );
    });

    it('suppresses aggregates under 5 people, then shows aggregates only', async () => {
      const early = (await world.as(manager, 'GET', `${T}/wellbeing/summary`)).json() as {
        collection: { timepoint: number; completed: number; closed: boolean }[];
        participants: { timepoint: number; n: number | null; suppressed: string | null }[];
        scores: { timepoints: { mean: number | null; suppressed: string | null }[] }[];
      };
      // T1's collection is open: only how many completed.
      assert.deepEqual(early.collection[0], { ...early.collection[0], completed: 1, closed: false });
      assert.equal(early.participants[0]?.n, null);
      assert.equal(early.participants[0]?.suppressed, 'collection open');
      assert.ok(early.scores.every((score) => score.timepoints.every((entry) => entry.mean === null)));
      for (const [index, worker] of workers.entries()) {
        if (index === 0) continue;
        const saved = await world.as(worker, 'PUT', `${T}/wellbeing/mine/1`, { answers: answersOf(index) });
        assert.equal(saved.statusCode, 200, saved.body);
      }
      assert.equal((await world.as(manager, 'POST', `${T}/wellbeing/collections/1/close`)).statusCode, 200);
      const summary = await world.as(coordinator, 'GET', `${T}/wellbeing/summary`);
      assert.equal(summary.statusCode, 200);
      const body = summary.json() as {
        participants: { timepoint: number; n: number | null }[];
        scores: {
          measure: string;
          timepoints: { timepoint: number; n: number | null; mean: number | null }[];
        }[];
      };
      assert.equal(body.participants[0]?.n, 6);
      assert.equal(body.participants[1]?.n, null);
      const wellbeing = body.scores.find((score) => score.measure === 'wellbeing');
      assert.equal(wellbeing?.timepoints[0]?.n, 6);
      assert.equal(typeof wellbeing?.timepoints[0]?.mean, 'number');
      // A peer worker and a researcher get no aggregate.
      assert.equal((await world.as(workers[0] as Login, 'GET', `${T}/wellbeing/summary`)).statusCode, 403);
    });

    it('no individual answer, score or worker id reaches a coordinator or manager on any route', async () => {
      const routes = [
        `${T}/wellbeing/summary`,
        `${T}/wellbeing/mine`,
        `${T}/wellbeing/questionnaire`,
        `${T}/audit`,
        `${T}/participants`,
        `/api/users`,
        `${T}/fidelity/ratings.csv`,
      ];
      const workerIds = workers.map((worker) => worker.userId);
      // Each worker's own T1 answers as the JSON object they stored (the answers map) and each item=value pair.
      const answerMaps = workers.map((_, index) => JSON.stringify(answersOf(index)));
      for (const viewer of [coordinator, manager]) {
        for (const route of routes) {
          const response = await world.as(viewer, 'GET', route);
          // The audit trail names who wrote a record (that someone completed a questionnaire), never the values.
          if (!route.endsWith('/audit')) {
            for (const id of workerIds) assert.ok(!response.body.includes(id), `${route} names worker ${id}`);
          }
          for (const map of answerMaps) assert.ok(!response.body.includes(map), `${route} carries answers`);
          assert.doesNotMatch(response.body, /"wb1"\s*:/, `${route} carries item answers`);
          assert.doesNotMatch(response.body, /"answers"\s*:\s*\{/, `${route} carries an answers object`);
        }
      }
      // The audit trail blanks wellbeing values even for the administrator.
      const audit = (await world.as(admin, 'GET', `${T}/audit`)).json() as {
        entries: { entity: string; old_value: unknown; new_value: unknown }[];
      };
      const wellbeingEntries = audit.entries.filter((entry) => entry.entity === 'wellbeing');
      assert.ok(wellbeingEntries.length >= 6);
      assert.ok(wellbeingEntries.every((entry) => entry.old_value === null && entry.new_value === null));
    });
  });
}
