import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../../test/helpers/svg.ts';
import { sampleTrialAnalysis } from './sample-analysis.test-support.ts';
import { subgroupForestPlot } from './subgroup-forest-plot.ts';

const intervention = { level: 'peer_support', label: 'Peer support' };
const reference = { level: 'usual_care', label: 'Usual care' };

/** log(ratio) -> x from the drawn axis ticks (natural-scale values, log axis). */
function logAxis(svg: string): (ratio: number) => number {
  const ticks = elementsWithRole(svg, 'axis-tick').map((element) => ({
    value: Math.log(Number(attribute(element, 'data-value'))),
    x: Number(attribute(element, 'data-x')),
  }));
  const first = ticks[0] as { value: number; x: number };
  const last = ticks.at(-1) as { value: number; x: number };
  const slope = (last.x - first.x) / (last.value - first.value);
  return (ratio: number) => first.x + slope * (Math.log(ratio) - first.value);
}

describe('subgroupForestPlot', () => {
  const analysis = sampleTrialAnalysis();
  const svg = subgroupForestPlot(analysis.subgroups, {
    intervention,
    reference,
    overall: analysis.primary.oddsRatio,
    levelLabels: { psychosis: 'Psychosis', personality: 'Personality disorder', other: 'Other' },
  });

  it('is a well-formed SVG with favours labels on the right sides of 1', () => {
    assertWellFormedSvg(svg);
    const toX = logAxis(svg);
    const left = elementsWithRole(svg, 'favours-left')[0] as string;
    const right = elementsWithRole(svg, 'favours-right')[0] as string;
    assert.match(svg, /data-role="favours-left">← Favours peer support</);
    assert.match(svg, /data-role="favours-right">Favours usual care →</);
    assert.ok(Number(attribute(left, 'x')) < toX(1));
    assert.ok(Number(attribute(right, 'x')) > toX(1));
    const nullLine = elementsWithRole(svg, 'null-line')[0] as string;
    assert.ok(Math.abs(Number(attribute(nullLine, 'x1')) - toX(1)) < 0.02);
  });

  it('draws each level at its odds ratio with its CI, and prints them', () => {
    const toX = logAxis(svg);
    const rows = [...svg.matchAll(/<g data-role="subgroup-level"[^>]*>.*?<\/g>/g)].map((match) => match[0]);
    const levels = analysis.subgroups.flatMap((subgroup) =>
      subgroup.levels.map((level) => ({ subgroup, level })),
    );
    assert.equal(rows.length, levels.length);
    rows.forEach((row, index) => {
      const { subgroup, level } = levels[index] as (typeof levels)[number];
      assert.equal(attribute(row, 'data-variable'), subgroup.variable);
      assert.equal(attribute(row, 'data-level'), level.level);
      const square = row.match(/<rect [^>]*>/)?.[0] ?? '';
      const centre = Number(attribute(square, 'x')) + Number(attribute(square, 'width')) / 2;
      // coordinates are rounded to 0.01 px
      assert.ok(Math.abs(centre - toX(level.oddsRatio.estimate)) < 0.02, `${level.level} square`);
      const ci = row.match(/<line [^>]*>/)?.[0] ?? '';
      assert.ok(Math.abs(Number(attribute(ci, 'x1')) - toX(level.oddsRatio.ciLower)) < 0.02);
      assert.ok(Math.abs(Number(attribute(ci, 'x2')) - toX(level.oddsRatio.ciUpper)) < 0.02);
      const fraction = (arm: string) => `${level.events[arm]}/${level.n[arm]}`;
      assert.ok(row.includes(`>${fraction('peer_support')}<`));
      assert.ok(row.includes(`>${fraction('usual_care')}<`));
    });
    assert.match(svg, />0.40 \(0.17 to 0.94\)</);
    assert.match(svg, />1.12 \(0.77 to 1.63\)</);
    assert.match(svg, />Personality disorder</);
  });

  it('heads each subgroup with its interaction p-value and ends with the overall diamond', () => {
    const headers = elementsWithRole(svg, 'subgroup-header');
    assert.deepEqual(
      headers.map((header) => attribute(header, 'data-variable')),
      ['ethnicity_black', 'diagnosis_group', 'first_language'],
    );
    assert.match(svg, />Interaction p = 0.030</);
    assert.match(svg, />Interaction p = 0.412</);
    assert.match(svg, />Interaction p &lt; 0.001</);
    const diamond = elementsWithRole(svg, 'overall-diamond')[0] as string;
    assert.equal(Number(attribute(diamond, 'data-estimate')), analysis.primary.oddsRatio.estimate);
    assert.match(svg, />0.93 \(0.66 to 1.30\)</);
  });

  it('clips an interval beyond 1/100..100 with an arrow and keeps the SVG valid for odd labels', () => {
    const wide = sampleTrialAnalysis().subgroups.slice(0, 1);
    const level = wide[0]?.levels[0];
    assert.ok(level);
    level.oddsRatio = { estimate: 0.5, ciLower: 0.001, ciUpper: 400, pValue: 0.5 };
    const clipped = subgroupForestPlot(wide, {
      intervention: { level: 'peer_support', label: 'A & <B>' },
      reference,
    });
    assertWellFormedSvg(clipped);
    const ticks = elementsWithRole(clipped, 'axis-tick').map((element) =>
      Number(attribute(element, 'data-value')),
    );
    assert.equal(ticks[0], 0.01);
    assert.equal(ticks.at(-1), 100);
    assert.equal((clipped.match(/<polygon points=/g) ?? []).length, 2, 'an arrow at each clipped end');
    assert.match(clipped, /Favours A &amp; &lt;B&gt;/);
  });
});
