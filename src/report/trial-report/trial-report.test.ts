import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../../test/helpers/svg.ts';
import type { TrialAnalysis } from '../../analysis/trial-analysis-types.ts';
import {
  formatCountPercent,
  formatDecimal,
  formatEstimateInterval,
  formatMeanSd,
  formatPercentagePoints,
  formatPValue,
  formatRatio,
} from './format.ts';
import { sampleTrialAnalysis } from './sample-analysis.test-support.ts';
import { REFERENCE_SOFTWARE, renderTrialReport, TRIAL_REPORT_SECTIONS } from './trial-report.ts';

const GENERATED_AT = '2025-03-14T10:00:00Z';

function render(analysis: TrialAnalysis = sampleTrialAnalysis(), extra: object = {}): string {
  return renderTrialReport(analysis, { generatedAt: GENERATED_AT, isrctn: 'ISRCTN10043328', ...extra });
}

const VOID_ELEMENTS = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col', 'wbr']);

/** Every element closed in order (HTML void elements excepted), attributes quoted, no stray `<`. */
function assertWellFormedHtml(html: string): void {
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'), 'doctype and language');
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace('<!DOCTYPE html>', '');
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"<]*")?)*)\s*(\/?)>/g;
  const stack: string[] = [];
  let position = 0;
  for (const match of body.matchAll(tag)) {
    const between = body.slice(position, match.index);
    assert.ok(!/[<>]/.test(between), `stray markup before ${match[0]}: ${between.slice(0, 80)}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(between), `bare & in text: ${between.slice(0, 80)}`);
    const [, closing, name, , selfClosing] = match;
    const lower = (name as string).toLowerCase();
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes its element`);
    else if (!selfClosing && !VOID_ELEMENTS.has(lower)) stack.push(name as string);
    position = (match.index ?? 0) + match[0].length;
  }
  assert.equal(body.slice(position).trim(), '');
  assert.deepEqual(stack, [], 'every element closed');
}

/** The text of the cell with `data-field="field"` (entities decoded). */
function cell(html: string, field: string): string {
  const matches = [
    ...html.matchAll(
      new RegExp(`<t[dh][^>]* data-field="${field.replace(/\./g, '\\.')}">([^<]*)</t[dh]>`, 'g'),
    ),
  ];
  assert.equal(matches.length, 1, `exactly one cell ${field}`);
  return decode((matches[0] as RegExpMatchArray)[1] as string);
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function svgs(html: string): string[] {
  return [...html.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((match) => match[0]);
}

describe('renderTrialReport', () => {
  const analysis = sampleTrialAnalysis();
  const html = render(analysis);

  it('is a well-formed, self-contained HTML document', () => {
    assertWellFormedHtml(html);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(html, /<title>Trial report: peer support for discharge<\/title>/);
    // nothing is fetched: no scripts, links, images, fonts or URLs (the SVG namespace is not a request)
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|<object|@import|@font-face|url\(|\ssrc=/i);
    const urls = [...html.matchAll(/(?:https?:)?\/\/[\w.-]+\.[a-z]{2,}[^\s"'<)]*/gi)].map(
      (match) => match[0],
    );
    assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg']);
  });

  it('has every section in order, each with a numbered heading, and print page breaks', () => {
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(ids, [...TRIAL_REPORT_SECTIONS]);
    for (const id of TRIAL_REPORT_SECTIONS) {
      assert.match(
        html,
        new RegExp(`<section id="${id}"[^>]* aria-labelledby="${id}-heading">\\n<h2 id="${id}-heading">`),
      );
    }
    assert.match(html, /<h2 id="consort-heading">1\. Participant flow<\/h2>/);
    assert.match(html, /<h2 id="methods-heading">10\. Statistical methods<\/h2>/);
    assert.match(html, /@page \{ size: A4;/);
    assert.match(html, /section\.major \{ break-before: page; \}/);
    assert.ok((html.match(/class="major"/g) ?? []).length >= 5);
  });

  it('embeds the three figures as well-formed SVG with titles and captions', () => {
    const figures = svgs(html);
    assert.equal(figures.length, 3);
    for (const svg of figures) {
      assertWellFormedSvg(`${svg}\n`);
      assert.match(svg, /role="img">\n<title>[^<]+<\/title>/);
    }
    for (const id of ['consort-figure', 'subgroup-figure', 'km-figure']) {
      assert.match(
        html,
        new RegExp(`<figure id="${id}">\\n<svg [\\s\\S]*?</svg>\\n<figcaption>Figure \\d\\. `),
      );
    }
  });

  it('gives every table a caption and every header cell a scope', () => {
    const tables = [...html.matchAll(/<table id="([^"]+)">\n<caption>([^<]+)<\/caption>/g)];
    assert.deepEqual(
      tables.map((match) => match[1]),
      [
        'baseline-table',
        'primary-table',
        'primary-effects-table',
        'cace-table',
        'subgroup-table',
        'time-to-readmission-table',
        'count-outcomes-table',
        'four-month-table',
        'engagement-table',
        'sae-table',
      ],
    );
    assert.equal((html.match(/<table /g) ?? []).length, tables.length);
    const headerCells = [...html.matchAll(/<th(?:\s[^>]*)?>/g)].map((match) => match[0]);
    assert.ok(headerCells.length > 50);
    for (const header of headerCells) assert.match(header, / scope="(row|col|rowgroup|colgroup)"/);
  });

  it('identifies the trial, the data and the run', () => {
    assert.match(html, /<dt>Registration<\/dt><dd>ISRCTN10043328<\/dd>/);
    assert.match(html, new RegExp(`<dd class="hash">${analysis.methods.inputSha256}</dd>`));
    assert.match(html, /<dd>2025-03-14T10:00:00Z by enrich 0\.1\.0<\/dd>/);
    assert.match(html, /<dd>590 \(peer support 294, usual care 296\)<\/dd>/);
  });

  it('shows the primary results as the analysis object holds them, formatted', () => {
    const { primary } = analysis;
    for (const arm of ['peer_support', 'usual_care']) {
      assert.equal(cell(html, `primary.n.${arm}`), String(primary.n[arm]));
      assert.equal(
        cell(html, `primary.events.${arm}`),
        `${primary.events[arm]} (${formatDecimal(primary.percent[arm], 1)}%)`,
      );
    }
    const interval = (
      estimate: { estimate: number; ciLower: number; ciUpper: number },
      format: (value: number | null | undefined) => string,
    ) => formatEstimateInterval(estimate.estimate, estimate.ciLower, estimate.ciUpper, format);
    assert.equal(cell(html, 'primary.oddsRatio'), interval(primary.oddsRatio, formatRatio));
    assert.equal(cell(html, 'primary.riskRatio'), interval(primary.riskRatio, formatRatio));
    assert.equal(
      cell(html, 'primary.riskDifference'),
      interval(primary.riskDifference, formatPercentagePoints),
    );
    assert.equal(cell(html, 'primary.oddsRatio.pValue'), formatPValue(primary.oddsRatio.pValue));
    // the conventions, literally: ORs 2 dp, p 3 dp, percentages 1 dp, RD in percentage points
    assert.equal(cell(html, 'primary.oddsRatio'), '0.93 (0.66 to 1.30)');
    assert.equal(cell(html, 'primary.oddsRatio.pValue'), '0.678');
    assert.equal(cell(html, 'primary.events.peer_support'), '136 (47.4%)');
    assert.equal(cell(html, 'primary.riskDifference'), '\u22122.8 (\u221210.9 to 5.3)');
    assert.match(html, /risk ratio 0\.97, 95% CI 0\.82 to 1\.14; p = 0\.705\)/);
    assert.match(html, /anything from a 18% lower to a 14% higher risk/);
  });

  it('shows the CACE with its bootstrap facts', () => {
    const { cace } = analysis;
    assert.equal(
      cell(html, 'cace.riskRatio'),
      formatEstimateInterval(
        cace.riskRatio.estimate,
        cace.riskRatio.ciLower,
        cace.riskRatio.ciUpper,
        formatRatio,
      ),
    );
    assert.equal(cell(html, 'cace.riskRatio'), '0.88 (0.76 to 0.99)');
    assert.equal(cell(html, 'cace.n'), String(cace.n));
    assert.equal(cell(html, 'cace.compliers.peer_support'), String(cace.compliersByArm.peer_support));
    assert.equal(cell(html, 'cace.compliers.usual_care'), '0');
    assert.equal(cell(html, 'cace.notAssessable'), String(cace.notAssessable));
    assert.equal(cell(html, 'cace.bootstrap.resamples'), '1000 (usual care 285, peer support 264)');
    assert.equal(cell(html, 'cace.bootstrap.seed'), '1');
    assert.match(html, /Model notes: stage 1: fitted probabilities numerically 0 or 1 occurred\./);
  });

  it('shows baseline, subgroup, secondary, engagement and SAE values formatted', () => {
    for (const row of analysis.baseline) {
      for (const arm of ['peer_support', 'usual_care']) {
        if (row.kind === 'continuous') {
          const value = row.byArm[arm];
          assert.equal(cell(html, `baseline.${row.variable}.${arm}`), formatMeanSd(value?.mean, value?.sd));
        } else {
          for (const level of row.levels) {
            const value = level.byArm[arm];
            assert.ok(value);
            assert.equal(
              cell(html, `baseline.${row.variable}.${level.level}.${arm}`),
              formatCountPercent(value.count, value.denominator),
            );
          }
        }
      }
    }
    assert.equal(cell(html, 'baseline.symptoms_baseline.missing.usual_care'), '6');
    for (const subgroup of analysis.subgroups) {
      assert.equal(
        cell(html, `subgroups.${subgroup.variable}.interactionPValue`),
        formatPValue(subgroup.interactionPValue),
      );
      for (const level of subgroup.levels) {
        const or = level.oddsRatio;
        assert.equal(
          cell(html, `subgroups.${subgroup.variable}.${level.level}.oddsRatio`),
          formatEstimateInterval(or.estimate, or.ciLower, or.ciUpper, formatRatio),
        );
      }
    }
    assert.equal(cell(html, 'subgroups.first_language.interactionPValue'), '<0.001');
    for (const count of analysis.secondary.counts) {
      const rr = count.rateRatio;
      assert.equal(
        cell(html, `counts.${count.outcome}.rateRatio`),
        formatEstimateInterval(rr.estimate, rr.ciLower, rr.ciUpper, formatRatio),
      );
      assert.equal(cell(html, `counts.${count.outcome}.rateRatio.pValue`), formatPValue(rr.pValue));
      assert.equal(
        cell(html, `counts.${count.outcome}.usual_care`),
        formatMeanSd(count.byArm.usual_care?.mean, count.byArm.usual_care?.sd),
      );
    }
    for (const scale of analysis.secondary.fourMonth) {
      const md = scale.meanDifference;
      assert.equal(
        cell(html, `fourMonth.${scale.outcome}.meanDifference`),
        formatEstimateInterval(md.estimate, md.ciLower, md.ciUpper, (value) => formatDecimal(value, 2)),
      );
      assert.equal(
        cell(html, `fourMonth.${scale.outcome}.n.peer_support`),
        `${scale.n.peer_support} (${formatDecimal(scale.followUpPercent.peer_support, 1)}%)`,
      );
    }
    assert.equal(cell(html, 'fourMonth.symptoms_4m.meanDifference'), '\u22120.42 (\u22123.10 to 2.26)');
    assert.equal(cell(html, 'engagement.contactsHospital.peer_support'), '1.8 (2.9)');
    assert.equal(cell(html, 'engagement.compliers.peer_support'), '162 (60.4%)');
    assert.equal(cell(html, 'engagement.firstContactMinutes.usual_care'), 'NA');
    const sae = analysis.sae;
    assert.ok(sae);
    assert.equal(cell(html, 'sae.events.total'), '67');
    assert.equal(cell(html, 'sae.participants.total'), '51 (8.6%)');
    assert.equal(cell(html, 'sae.participants.peer_support'), formatCountPercent(26, 294));
    assert.equal(cell(html, 'sae.related.total'), '1');
    assert.equal(cell(html, 'sae.deaths.total'), '12');
    assert.equal(cell(html, 'sae.category.self_harm.peer_support'), '9 (7)');
    // per-category events add up to the total in each arm
    for (const arm of ['peer_support', 'usual_care']) {
      const byCategory: number = sae.byCategory.reduce(
        (sum, category) => sum + (category.events[arm] ?? 0),
        0,
      );
      assert.equal(Number(cell(html, `sae.events.${arm}`)), byCategory);
    }
  });

  it('draws the CONSORT numbers of the analysis, adding up', () => {
    const consort = svgs(html)[0] as string;
    const value = (arm: string, key: string) =>
      Number(
        attribute(
          consort.match(new RegExp(`<text [^>]*data-arm="${arm}" data-key="${key}"[^>]*>`))?.[0] ?? '',
          'data-value',
        ),
      );
    assert.equal(value('all', 'randomised'), 590);
    let allocated = 0;
    for (const arm of ['peer_support', 'usual_care']) {
      const numbers = analysis.consort.byArm[arm];
      assert.ok(numbers);
      assert.equal(value(arm, 'allocated'), numbers.randomised);
      assert.equal(value(arm, 'analysedPrimary'), analysis.primary.n[arm]);
      assert.equal(value(arm, 'analysedPrimary') + value(arm, 'missingPrimary'), value(arm, 'allocated'));
      allocated += value(arm, 'allocated');
    }
    assert.equal(allocated, value('all', 'randomised'));
  });

  it('draws the Kaplan-Meier curves of the analysis with one drop per event time', () => {
    const km = svgs(html)[2] as string;
    const curves = [
      ...km.matchAll(/<g data-role="km-stratum" data-stratum="([^"]+)"><path [^>]*d="([^"]+)"/g),
    ];
    assert.deepEqual(
      curves.map((match) => match[1]),
      ['peer_support', 'usual_care'],
      'intervention first, as in the tables',
    );
    for (const match of curves) {
      const curve = analysis.secondary.timeToReadmission.curves.find((item) => item.arm === match[1]);
      assert.ok(curve);
      const drops = (match[2]?.match(/V/g) ?? []).length;
      assert.equal(drops, curve.points.filter((point) => point.nEvent > 0).length);
    }
    assert.deepEqual(
      elementsWithRole(km, 'axis-tick').map((tick) => Number(attribute(tick, 'data-value'))),
      [0, 60, 120, 180, 240, 300, 365],
    );
    assert.match(km, /data-role="annotation">Log-rank p = 0\.612</);
    assert.match(
      html,
      /<figcaption>Figure 3\.[^<]*Log-rank p = 0\.612; adjusted Cox hazard ratio 0\.95 \(95% CI 0\.75 to 1\.20\), p = 0\.660\.<\/figcaption>/,
    );
    assert.equal(cell(html, 'km.usual_care.median'), 'not reached');
  });

  it('writes the methods from the plan: models, covariates, bootstrap, seed, version, SHA-256, R packages', () => {
    const changed = sampleTrialAnalysis();
    changed.methods.plan.bootstrapResamples = 2000;
    changed.methods.plan.seed = 20240601;
    changed.methods.plan.covariates = ['site', 'age'];
    changed.methods.enrichVersion = '9.8.7';
    const methods = render(changed).match(/<section id="methods"[\s\S]*?<\/section>/)?.[0] ?? '';
    assert.match(methods, /All models adjust for site \(site\) and Age \(age\)\./);
    assert.match(
      methods,
      /from 2000 resamples of both stages together, stratified by arm, with random seed 20240601/,
    );
    assert.match(methods, /robust \(sandwich, HC0\) standard errors/);
    assert.match(methods, /two-stage residual inclusion/);
    assert.match(methods, /<dd>enrich 9\.8\.7<\/dd>/);
    assert.match(methods, new RegExp(`<dd class="hash">${changed.methods.inputSha256}</dd>`));
    assert.match(methods, new RegExp(`<dd class="hash">${changed.methods.saeSha256}</dd>`));
    assert.ok(methods.includes(REFERENCE_SOFTWARE));
    assert.match(methods, /<code>glm\(readmitted_12m ~ arm \+ site/);
    const other = render(changed, { referenceSoftware: 'R 4.4.0 with boot 1.3-30' });
    assert.match(other, /R 4\.4\.0 with boot 1\.3-30: every number agrees/);
  });

  it('says so when there is no SAE file and no subgroup, and escapes what the user typed', () => {
    const bare = sampleTrialAnalysis();
    bare.sae = null;
    bare.methods.saeFile = null;
    bare.methods.saeSha256 = null;
    bare.subgroups = [];
    bare.methods.inputFile = 'trial <2025> & "final".csv';
    const out = render(bare, { title: 'Report <draft>', armLabels: { peer_support: 'Peer & support' } });
    assertWellFormedHtml(out);
    assert.match(out, /No serious adverse event file was given/);
    assert.doesNotMatch(out, /id="sae-table"/);
    assert.match(out, /The plan specifies no subgroup analyses\./);
    assert.equal(svgs(out).length, 2);
    assert.match(out, /<title>Report &lt;draft&gt;<\/title>/);
    assert.match(out, /trial &lt;2025&gt; &amp; &quot;final&quot;\.csv/);
    assert.match(out, /Allocated to peer &amp; support/);
    assert.doesNotMatch(out, /<dt>SAE file<\/dt>/);
  });

  it('shows NA for a number the analysis could not compute, never NaN', () => {
    const broken = sampleTrialAnalysis();
    broken.primary.riskRatio = {
      estimate: Number.NaN,
      ciLower: Number.NaN,
      ciUpper: Number.NaN,
      pValue: Number.NaN,
    };
    const out = render(broken);
    assert.equal(cell(out, 'primary.riskRatio'), 'NA (NA to NA)');
    assert.equal(cell(out, 'primary.riskRatio.pValue'), 'NA');
    assert.match(out, /The adjusted risk ratio could not be estimated/);
    broken.cace.riskRatio = { estimate: Number.NaN, ciLower: Number.NaN, ciUpper: Number.NaN };
    const noCace = render(broken);
    assert.match(noCace, /The complier average causal effect could not be estimated/);
    assert.equal(cell(noCace, 'cace.riskRatio'), 'NA (NA to NA)');
    for (const text of [out, noCace]) assert.doesNotMatch(text, /NaN|undefined|Infinity/);
  });
});
