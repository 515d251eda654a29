import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixturePath, readFixture } from '../helpers/fixtures.ts';
import { runCli } from './run-cli.ts';

const ratings = fixturePath('data/fidelity-ratings.csv');
const directory = mkdtempSync(join(tmpdir(), 'enrich-fidelity-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('enrich fidelity', () => {
  it('prints the JSON analysis whose site scores are those of reference/fidelity.R', async () => {
    const result = await runCli(['fidelity', ratings, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    const expected = (
      readFixture('fidelity.json') as { cases: { expected: { sites: { overall: number }[] } }[] }
    ).cases[0]?.expected;
    // 1e-10: closed-form means (see src/analysis/fidelity/analyse-fidelity.test.ts for every number).
    json.sites.forEach((site: { overall: number }, index: number) => {
      const reference = expected?.sites[index]?.overall as number;
      assert.ok(Math.abs(site.overall - reference) <= 1e-10 * reference);
    });
    assert.deepEqual(Object.keys(json.reliability.overall), [
      'item',
      'domain',
      'part',
      'pairs',
      'exact_agreement',
      'weighted_kappa',
      'icc1',
      'icc2',
      'note',
    ]);
    assert.equal(json.index.placeholder_items, 16);
  });

  it('prints a readable summary and writes the HTML report with both figures', async () => {
    const html = join(directory, 'report.html');
    const result = await runCli(['fidelity', ratings, '--html', html]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /caution: 16 placeholder items/);
    assert.match(result.stdout, /Disagreements: \d+, needing consensus: \d+/);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<figure id="fidelity-over-time">/);
    assert.match(page, /<figure id="fidelity-setup-delivery">/);
    assert.equal((page.match(/data-role="site-line"/g) ?? []).length, 6);
    assert.equal((page.match(/data-role="bar"/g) ?? []).length, 12);
    assert.match(page, /<table id="fidelity-disagreements">/);
  });

  it('writes the template, which a custom --index may edit', async () => {
    const template = await runCli(['fidelity', '--template']);
    assert.equal(template.code, 0);
    const definition = JSON.parse(template.stdout);
    assert.equal(definition.items.length, 16);
    definition.scoring = { part: 'mean_of_domains', overall: 'mean_of_parts' };
    const path = write('index.json', JSON.stringify(definition));
    const result = await runCli(['fidelity', ratings, '--index', path, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).index.scoring.part, 'mean_of_domains');
  });

  it('reports every problem of an index definition at once (exit 2)', async () => {
    const path = write(
      'bad-index.json',
      JSON.stringify({
        id: 'x',
        name: 'x',
        version: '1',
        scale: { minimum: 1, maximum: 3, anchors: [] },
        domains: [{ id: 'a', label: 'A' }],
        items: [{ id: 'i1', domain: 'b', part: 'middle', informants: ['nurse'], text: 'x' }],
        scoring: { part: 'median', overall: 'mean_of_items' },
        bands: [{ id: 'low', label: 'Low', minimum: 2 }],
        extra: true,
      }),
    );
    const result = await runCli(['fidelity', ratings, '--index', path]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^enrich: error \[fidelity_index_invalid\]/);
    for (const message of [
      'a fidelity index requires only the keys',
      'a fidelity scale requires one anchor per point, 3 for 1-3 (got 0)',
      'item "i1" requires a domain of the index (got "b")',
      'item "i1" requires part setup or delivery (got "middle")',
      'item "i1" requires distinct informants from peer_worker, supervisor, person_supported (got ["nurse"])',
      'domain "a" requires at least one item (got none)',
      'scoring requires { part: mean_of_items | mean_of_domains',
      'the lowest band requires the scale minimum 1 as its minimum (got 2)',
    ]) {
      assert.ok(result.stderr.includes(message), `missing: ${message}\n${result.stderr}`);
    }
  });

  it('rejects an index that is not JSON', async () => {
    const path = write('not-json.json', '{ nope');
    const result = await runCli(['fidelity', ratings, '--index', path]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\[fidelity_index_invalid\].*a fidelity index requires valid JSON/);
  });

  it('reports every problem of a ratings file at once, with lines (exit 2)', async () => {
    const path = write(
      'bad-ratings.csv',
      [
        'interview_id,site,employer_type,timepoint,informant,rater,item,score,consensus',
        'A,s1,council,4,supervisor,r1,s_reciprocity_1,7,0',
        'B,s1,nhs,1,person_supported,r1,s_reciprocity_1,3,0',
        'C,s1,nhs,1,peer_worker,r1,unknown_item,3,2',
        'D,s2,nhs,1,peer_worker,r1,d_reciprocity_1,3,0',
        'D,s2,nhs,1,peer_worker,r1,d_reciprocity_1,4,0',
        'D,s2,nhs,2,peer_worker,r2,d_reciprocity_2,4,0',
        'E,s3,nhs,1,peer_worker,r1,d_reciprocity_1,3,0',
        'F,s3,voluntary,1,peer_worker,r1,d_reciprocity_1,2,0',
        'G,s4,nhs,1,peer_worker,r1,d_reciprocity_1,,0',
      ].join('\n'),
    );
    const result = await runCli(['fidelity', path]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^enrich: error \[fidelity_ratings_invalid\]/);
    for (const message of [
      'line 2, column employer_type: employer_type requires nhs or voluntary (got "council")',
      'line 2, column timepoint: timepoint requires 1, 2 or 3 (got "4")',
      'line 2, column score: score requires a whole number from 1 to 5 (got "7")',
      'line 3, column item: item "s_reciprocity_1" requires an interview with supervisor or peer_worker (got person_supported)',
      'line 4, column item: item requires an item of index "enrich_fidelity_template" (got "unknown_item")',
      'line 4, column consensus: consensus requires 0 or 1 (TRUE or FALSE) (got "2")',
      'line 6, column rater: interview "D" item "d_reciprocity_1" requires distinct raters (got "r1" twice)',
      'line 7, column interview_id: interview "D" requires the same site, employer_type, timepoint and informant on every row',
      'line 10, column score: a rating requires a value for score (got a missing cell)',
      'line 9, column employer_type: site "s3" requires one employer_type (got voluntary; line 8 has nhs)',
    ]) {
      assert.ok(result.stderr.includes(message), `missing: ${message}\n${result.stderr}`);
    }
  });

  it('names missing columns, and refuses usage errors', async () => {
    const path = write('columns.csv', 'site,score\na,1\n');
    const missing = await runCli(['fidelity', path]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /a ratings file requires a column "interview_id" \(got columns site, score\)/,
    );
    const usage = await runCli(['fidelity']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /\[usage_error\]|a CSV file is required/);
    const template = await runCli(['fidelity', '--template', ratings]);
    assert.equal(template.code, 2);
    assert.match(template.stderr, /--template takes no other argument/);
  });
});
