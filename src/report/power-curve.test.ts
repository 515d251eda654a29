import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../test/helpers/svg.ts';
import type { PowerResult } from '../trial/index.ts';
import { powerCurve } from './power-curve.ts';

const result: PowerResult = {
  alpha: 0.05,
  reps: 1000,
  seed: 1,
  controlRisk: 0.5,
  riskRatio: 0.86,
  complierProportion: 0.77,
  complierRiskRatio: 0.8,
  analysis: 'logistic regression',
  points: [
    {
      n: 200,
      reps: 1000,
      rejections: 160,
      power: 0.16,
      monteCarloSe: 0.0116,
      failed: 0,
      warned: 0,
      medianRatio: 0.75,
    },
    {
      n: 800,
      reps: 1000,
      rejections: 520,
      power: 0.52,
      monteCarloSe: 0.0158,
      failed: 0,
      warned: 0,
      medianRatio: 0.75,
    },
    {
      n: 400,
      reps: 1000,
      rejections: 290,
      power: 0.29,
      monteCarloSe: 0.0143,
      failed: 0,
      warned: 0,
      medianRatio: 0.75,
    },
  ],
};

describe('powerCurve', () => {
  it('draws one point and one Monte Carlo interval per n, in order of n, on a 0-1 axis', () => {
    const svg = powerCurve(result);
    assertWellFormedSvg(svg);
    const points = elementsWithRole(svg, 'point');
    assert.equal(points.length, 3);
    const xs = points.map((element) => Number(attribute(element, 'cx')));
    const ys = points.map((element) => Number(attribute(element, 'cy')));
    assert.deepEqual(
      [...xs].sort((a, b) => a - b),
      xs,
      'sorted by n',
    );
    // higher power is drawn higher (smaller y): 0.16 < 0.29 < 0.52
    assert.ok((ys[0] as number) > (ys[1] as number) && (ys[1] as number) > (ys[2] as number));
    assert.equal(elementsWithRole(svg, 'mc-interval').length, 3);
    assert.equal(elementsWithRole(svg, 'target').length, 1);
    assert.match(svg, /Control risk 0\.500, risk ratio 0\.86, 1000 simulated trials per n/);
    assert.match(svg, /n = 400: power 0\.290 \(MC SE 0\.014\)/);
  });

  it('omits the target line when asked and escapes the title', () => {
    const svg = powerCurve(result, { targetPower: 0, title: 'ENRICH <power>' });
    assertWellFormedSvg(svg);
    assert.equal(elementsWithRole(svg, 'target').length, 0);
    assert.match(svg, /<title>ENRICH &lt;power&gt;<\/title>/);
  });

  it('handles a single sample size', () => {
    const single = { ...result, points: [result.points[0] as (typeof result.points)[0]] };
    const svg = powerCurve(single);
    assertWellFormedSvg(svg);
    assert.equal(elementsWithRole(svg, 'point').length, 1);
    assert.ok(!svg.includes('NaN'));
  });
});
