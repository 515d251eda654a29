import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptabilityCurve } from './acceptability-curve.ts';
import { costEffectivenessPlane, formatMoney } from './cost-effectiveness-plane.ts';

describe('costEffectivenessPlane', () => {
  const input = {
    qalyDifferences: [0.01, -0.005, 0.002, Number.NaN],
    costDifferences: [-1200, 800, 300, 100],
    estimate: { qaly: 0.003, cost: -400 },
  };

  it('draws one dot per finite replicate, the estimate and a line per threshold', () => {
    const svg = costEffectivenessPlane(input, { thresholds: [20_000, 30_000] });
    assert.match(svg, /data-role="replicates" data-count="3"/);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
    assert.equal((svg.match(/data-role="threshold" data-wtp="(20000|30000)"/g) ?? []).length, 2);
    assert.match(svg, /data-role="estimate"><title>Point estimate: 0\.0030 QALYs, −£400<\/title>/);
    assert.match(svg, /£20,000\/QALY/);
    assert.match(svg, /More costly, more effective/);
  });

  it('formats money with separators and a typographic minus', () => {
    assert.equal(formatMoney(-2612.4, '£'), '−£2,612');
    assert.equal(formatMoney(30000, '£'), '£30,000');
  });
});

describe('acceptabilityCurve', () => {
  it('draws the curve and marks the thresholds with their probabilities', () => {
    const points = [
      { wtp: 0, probability: 0.8 },
      { wtp: 20_000, probability: 0.7 },
      { wtp: 40_000, probability: 0.6 },
    ];
    const svg = acceptabilityCurve(points, { marks: [20_000, 30_000] });
    assert.match(svg, /data-role="curve"/);
    assert.equal((svg.match(/data-role="mark"/g) ?? []).length, 2);
    assert.match(svg, /£20,000: 0\.70/);
    assert.match(svg, /£30,000: 0\.65/); // interpolated between 20,000 and 40,000
  });
});
