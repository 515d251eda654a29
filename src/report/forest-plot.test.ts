import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../test/helpers/svg.ts';
import { metaAnalysis, type StudyData } from '../stats/index.ts';
import { forestPlot } from './forest-plot.ts';
import { funnelPlot } from './funnel-plot.ts';
import { textWidth } from './svg.ts';

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

/** Text and x of every per-arm cell, in document order. */
function armCells(svg: string): { x: number; y: number; text: string }[] {
  return [
    ...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*data-role="arm-cell"[^>]*>([^<]*)<\/text>/g),
  ].map((match) => ({ x: Number(match[1]), y: Number(match[2]), text: match[3] as string }));
}

describe('forestPlot: RevMan columns', () => {
  const sum = (values: ArrayLike<number>) => Array.from(values).reduce((total, value) => total + value, 0);

  it('draws events and total per arm for binary data, summed on the total and "Total events" rows', () => {
    const mh = metaAnalysis(bcg, { measure: 'RR', method: 'MH' });
    const svg = forestPlot(mh, { arm1: 'BCG', arm2: 'no vaccine', data: bcg });
    assertWellFormedSvg(svg);
    assert.match(svg, /data-role="arm1-header"[^>]*>BCG</);
    assert.match(svg, /data-role="arm2-header"[^>]*>no vaccine</);
    assert.match(svg, />M-H, fixed, 95% CI \(log scale\)</);
    const cells = armCells(svg);
    // 13 studies × 4 columns, then the total row (n1, n2) and the total events row (events1, events2)
    assert.equal(cells.length, 13 * 4 + 4);
    const [first] = elementsWithRole(svg, 'study-row');
    assert.ok(first);
    assert.deepEqual(
      cells.slice(0, 4).map((cell) => cell.text),
      [bcg.events1[0], bcg.n1[0], bcg.events2[0], bcg.n2[0]].map(String),
    );
    assert.deepEqual(
      cells.slice(-4).map((cell) => cell.text),
      [sum(bcg.n1), sum(bcg.n2), sum(bcg.events1), sum(bcg.events2)].map(String),
    );
    assert.equal(elementsWithRole(svg, 'events-row').length, 1);
    // numbers are right-aligned left of the plot: every cell ends before the first axis tick
    const firstTick = Number(attribute(elementsWithRole(svg, 'axis-tick')[0] as string, 'data-x'));
    for (const cell of cells)
      assert.ok(cell.x < firstTick - 10, `cell ${cell.text} at ${cell.x} clear of the plot`);
  });

  it('sums participants and events per subgroup', () => {
    const grouped = metaAnalysis(bcg, {
      measure: 'OR',
      method: 'MH',
      subgroup: { column: 'alloc', groupOf: allocation, levels: ['alternate', 'random', 'systematic'] },
    });
    const svg = forestPlot(grouped, { data: bcg });
    assertWellFormedSvg(svg);
    assert.equal(elementsWithRole(svg, 'events-row').length, 4);
    const alternate = [4, 5];
    const pick = (values: ArrayLike<number>) => alternate.map((index) => values[index] as number);
    const cells = armCells(svg).map((cell) => cell.text);
    // the alternate subgroup: 2 studies × 4 cells, then its subtotal (n1, n2) and events (events1, events2)
    assert.deepEqual(
      cells.slice(8, 12),
      [sum(pick(bcg.n1)), sum(pick(bcg.n2)), sum(pick(bcg.events1)), sum(pick(bcg.events2))].map(String),
    );
  });

  it('draws mean, SD and total per arm for continuous data', () => {
    const data: StudyData = {
      kind: 'continuous',
      study: ['A', 'B', 'C'],
      mean1: [10.5, -2.25, 3],
      sd1: [2.1, 1.5, 0.75],
      n1: [30, 42, 25],
      mean2: [9.8, -1.5, 2.5],
      sd2: [2, 1.25, 0.8],
      n2: [31, 40, 27],
    };
    const svg = forestPlot(metaAnalysis(data, { measure: 'MD', method: 'DL' }), { data });
    assertWellFormedSvg(svg);
    const cells = armCells(svg).map((cell) => cell.text);
    assert.equal(cells.length, 3 * 6 + 2);
    assert.deepEqual(cells.slice(6, 12), ['\u22122.25', '1.5', '42', '\u22121.5', '1.25', '40']);
    assert.deepEqual(cells.slice(-2), ['97', '98']);
    assert.equal(elementsWithRole(svg, 'events-row').length, 0);
  });

  it('says "Not estimable" for a study with no events in either arm and draws no square for it', () => {
    const data: StudyData = {
      kind: 'binary',
      study: ['A', 'B', 'C'],
      events1: [3, 0, 8],
      n1: [40, 20, 50],
      events2: [7, 0, 12],
      n2: [41, 22, 48],
    };
    const svg = forestPlot(metaAnalysis(data, { measure: 'OR', method: 'PETO' }), { data });
    assertWellFormedSvg(svg);
    const row = svg.match(/<g data-role="study-row" data-study="B"[^>]*>(.*?)<\/g>/)?.[1] ?? '';
    assert.match(row, />Not estimable</);
    assert.doesNotMatch(row, /<rect|<line/);
    assert.match(svg, />Peto, fixed, 95% CI \(log scale\)</);
  });

  it('keeps a long "Favours" label left of the null line inside the figure', () => {
    const data: StudyData = { kind: 'generic', study: ['A', 'B'], yi: [0.8, 1.1], vi: [0.01, 0.02] };
    const arm1 = 'Peer support workers (one-to-one)';
    const svg = forestPlot(metaAnalysis(data, { measure: 'GEN', method: 'FE' }), { arm1 });
    const label = svg.match(/<text x="([\d.]+)"[^>]*data-role="favours-left"[^>]*>([^<]*)</);
    assert.ok(label);
    // the axis starts at 0, so without room the end-anchored label would start left of the figure
    assert.ok(Number(label[1]) - textWidth(label[2] as string, 11) >= 0, `label ends at ${label[1]}`);
  });

  it('is wide enough for its longest footnote', () => {
    const data: StudyData = { kind: 'generic', study: ['A', 'B'], yi: [0.1, 0.2], vi: [0.01, 0.02] };
    const grouped = metaAnalysis(data, {
      measure: 'GEN',
      method: 'FE',
      subgroup: { column: 'g', groupOf: ['x', 'y'], levels: ['x', 'y'] },
    });
    const svg = forestPlot(grouped);
    const width = Number(svg.match(/^<svg [^>]*width="([\d.]+)"/)?.[1]);
    const note = svg.match(/>(Test for subgroup differences[^<]*)</)?.[1] ?? '';
    assert.ok(note !== '');
    // 11px Helvetica averages under 0.6 em per character
    assert.ok(width >= 16 + note.length * 11 * 0.55, `width ${width} for a ${note.length}-character note`);
  });
});

describe('funnelPlot', () => {
  it('leaves out a study without an effect size (MH, no events in either arm)', () => {
    const data: StudyData = {
      kind: 'binary',
      study: ['A', 'B', 'C'],
      events1: [3, 0, 8],
      n1: [40, 20, 50],
      events2: [7, 0, 12],
      n2: [41, 22, 48],
    };
    const svg = funnelPlot(metaAnalysis(data, { measure: 'RR', method: 'MH' }));
    assertWellFormedSvg(svg);
    assert.doesNotMatch(svg, /NaN/);
    assert.deepEqual(
      elementsWithRole(svg, 'study-point').map((point) => attribute(point, 'data-study')),
      ['A', 'C'],
    );
  });

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
