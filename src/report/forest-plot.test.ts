import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../test/helpers/svg.ts';
import { metaAnalysis, type StudyData } from '../stats/index.ts';
import { forestPlot } from './forest-plot.ts';
import { funnelPlot } from './funnel-plot.ts';

// dat.bcg (metafor's metadat), the first 13 trials of BCG vaccine against tuberculosis
const bcg: StudyData = {
  kind: 'binary',
  study: [
    'Aronson',
    'Ferguson',
    'Rosenthal 1960',
    'Hart',
    'Frimodt',
    'Stein',
    'Vandiviere',
    'TPT Madras',
    'Coetzee',
    'Rosenthal 1961',
    'Comstock 1974',
    'Comstock 1969',
    'Comstock 1976',
  ],
  events1: [4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27],
  n1: [123, 306, 231, 13598, 5069, 1541, 2545, 88391, 7499, 1716, 50634, 2498, 16913],
  events2: [11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29],
  n2: [139, 303, 220, 12867, 5808, 1451, 629, 88391, 7277, 1665, 27338, 2341, 17854],
};
const allocation = [
  'random',
  'random',
  'random',
  'random',
  'alternate',
  'alternate',
  'random',
  'random',
  'random',
  'systematic',
  'systematic',
  'systematic',
  'systematic',
];

/** The axis mapping x = a + b·value, recovered from two axis ticks (value on the analysis scale). */
function axisMapping(svg: string, logScale: boolean): (value: number) => number {
  const ticks = elementsWithRole(svg, 'axis-tick').map((element) => ({
    value: Number(attribute(element, 'data-value')),
    x: Number(attribute(element, 'data-x')),
  }));
  assert.ok(ticks.length >= 2, 'at least two axis ticks');
  const first = ticks[0] as { value: number; x: number };
  const last = ticks.at(-1) as { value: number; x: number };
  const scale = (value: number) => (logScale ? Math.log(value) : value);
  const slope = (last.x - first.x) / (scale(last.value) - scale(first.value));
  return (value: number) => first.x + slope * (value - scale(first.value));
}

function diamondXs(element: string): number[] {
  return attribute(element, 'points')
    .split(' ')
    .map((point) => Number(point.split(',')[0]));
}

describe('forestPlot', () => {
  const result = metaAnalysis(bcg, { measure: 'RR', method: 'REML' });
  const svg = forestPlot(result, { arm1: 'BCG', arm2: 'no vaccine' });

  it('is well-formed SVG with one row per study, in input order', () => {
    assertWellFormedSvg(svg);
    const rows = elementsWithRole(svg, 'study-row');
    assert.equal(rows.length, bcg.study.length);
    assert.deepEqual(
      rows.map((row) => attribute(row, 'data-study')),
      [...bcg.study],
    );
  });

  it("draws the pooled diamond from the pooled CI's lower to upper end on the log axis", () => {
    const toX = axisMapping(svg, true);
    const [left, top, right, bottom] = diamondXs(elementsWithRole(svg, 'pooled-diamond')[0] as string);
    assert.ok(Math.abs((left as number) - toX(result.ciLower)) < 0.02);
    assert.ok(Math.abs((right as number) - toX(result.ciUpper)) < 0.02);
    assert.ok(Math.abs((top as number) - toX(result.estimate)) < 0.02);
    assert.equal(top, bottom);
  });

  it('draws the prediction interval for a random-effects model and none for FE', () => {
    const toX = axisMapping(svg, true);
    const interval = elementsWithRole(svg, 'prediction-interval');
    assert.equal(interval.length, 1);
    const fixed = forestPlot(metaAnalysis(bcg, { measure: 'RR', method: 'FE' }));
    assert.equal(elementsWithRole(fixed, 'prediction-interval').length, 0);
    const segment = svg
      .slice(svg.indexOf('data-role="prediction-interval"'))
      .match(/x1="([\d.]+)"[^>]*x2="([\d.]+)"/);
    assert.ok(segment);
    assert.ok(Math.abs(Number(segment[1]) - toX(result.piLower)) < 0.02);
    assert.ok(Math.abs(Number(segment[2]) - toX(result.piUpper)) < 0.02);
  });

  it('labels natural-scale ticks on a log axis and says which side favours which arm', () => {
    const values = elementsWithRole(svg, 'axis-tick').map((element) =>
      Number(attribute(element, 'data-value')),
    );
    assert.ok(values.includes(1), 'the line of no effect, RR = 1, is a tick');
    assert.match(svg, /data-role="favours-left"[^>]*>← Favours BCG</);
    assert.match(svg, /data-role="favours-right"[^>]*>Favours no vaccine →</);
    const higher = forestPlot(result, { arm1: 'BCG', arm2: 'no vaccine', higherIsBetter: true });
    assert.match(higher, /data-role="favours-left"[^>]*>← Favours no vaccine</);
  });

  it('shows weights and estimates as numbers, and subgroup diamonds with the subgroup test', () => {
    assert.match(svg, />0\.49 \[0\.34, 0\.70\]</);
    const grouped = metaAnalysis(bcg, {
      measure: 'RR',
      method: 'DL',
      subgroup: { column: 'alloc', groupOf: allocation, levels: ['alternate', 'random', 'systematic'] },
    });
    const groupedSvg = forestPlot(grouped);
    assertWellFormedSvg(groupedSvg);
    assert.equal(elementsWithRole(groupedSvg, 'subgroup-diamond').length, 3);
    assert.equal(elementsWithRole(groupedSvg, 'subgroup-header').length, 3);
    assert.match(groupedSvg, /Test for subgroup differences: Q = /);
    const toX = axisMapping(groupedSvg, true);
    const group = grouped.subgroups?.groups[1];
    assert.ok(group);
    const [left, , right] = diamondXs(elementsWithRole(groupedSvg, 'subgroup-diamond')[1] as string);
    assert.ok(Math.abs((left as number) - toX(group.ciLower)) < 0.02);
    assert.ok(Math.abs((right as number) - toX(group.ciUpper)) < 0.02);
  });

  it('escapes study labels and uses a linear axis for differences', () => {
    const data: StudyData = {
      kind: 'generic',
      study: ['A & <B>', 'C "quoted"', "D's"],
      yi: [0.2, 0.5, -0.1],
      vi: [0.04, 0.09, 0.05],
    };
    const generic = metaAnalysis(data, { measure: 'GEN', method: 'DL' });
    const plot = forestPlot(generic);
    assertWellFormedSvg(plot);
    assert.match(plot, /A &amp; &lt;B&gt;/);
    const toX = axisMapping(plot, false);
    const [left, , right] = diamondXs(elementsWithRole(plot, 'pooled-diamond')[0] as string);
    assert.ok(Math.abs((left as number) - toX(generic.ciLower)) < 0.02);
    assert.ok(Math.abs((right as number) - toX(generic.ciUpper)) < 0.02);
  });
});

describe('funnelPlot', () => {
  it('plots one point per study on an inverted SE axis with the funnel around the pooled estimate', () => {
    const result = metaAnalysis(bcg, { measure: 'RR', method: 'REML' });
    const svg = funnelPlot(result);
    assertWellFormedSvg(svg);
    const points = elementsWithRole(svg, 'study-point');
    assert.equal(points.length, bcg.study.length);
    const ys = points.map((point) => Number(attribute(point, 'cy')));
    const ses = result.studies.map((study) => Math.sqrt(study.vi));
    // larger SE lower on the plot (greater y): the y order follows the SE order
    const bySe = [...ses.keys()].sort((a, b) => (ses[a] as number) - (ses[b] as number));
    const byY = [...ys.keys()].sort((a, b) => (ys[a] as number) - (ys[b] as number));
    assert.deepEqual(byY, bySe);
    const pooled = elementsWithRole(svg, 'pooled-line')[0] as string;
    const apex = attribute(elementsWithRole(svg, 'pseudo-confidence-region')[0] as string, 'points').split(
      ' ',
    )[0];
    assert.equal(attribute(pooled, 'x1'), apex?.split(',')[0]);
  });
});
