import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../../test/helpers/svg.ts';
import type { KaplanMeierResult } from '../../stats/index.ts';
import { fixtureCase } from '../../stats/survival/survival-fixture.test-support.ts';
import { kaplanMeierPlot, numberAtRisk } from './kaplan-meier-plot.ts';

// reference/survival.R: survfit(Surv(time, event) ~ sex, data = lung). The plot is drawn from R's own
// table (not from enrich's kaplanMeier), so the steps are checked against R's curve directly.
const lung = fixtureCase('lung_km_sex');
interface RRow {
  time: number;
  n_risk: number;
  n_event: number;
  n_censor: number;
  survival: number;
}
interface RStratum {
  name: string;
  n: number;
  events: number;
  median: number | null;
  median_ci_lower: number | null;
  median_ci_upper: number | null;
  table: RRow[];
}
const rStrata = lung.expected.strata as RStratum[];
const result: KaplanMeierResult = {
  strata: rStrata.map((stratum) => ({
    name: stratum.name,
    n: stratum.n,
    events: stratum.events,
    median: stratum.median,
    medianCiLower: stratum.median_ci_lower,
    medianCiUpper: stratum.median_ci_upper,
    table: stratum.table.map((row) => ({
      time: row.time,
      nRisk: row.n_risk,
      nEvent: row.n_event,
      nCensor: row.n_censor,
      survival: row.survival,
      stdErr: null,
      ciLower: null,
      ciUpper: null,
    })),
  })),
};

/** value -> pixel mappings recovered from the drawn axis ticks. */
function axes(svg: string) {
  const read = (role: string, position: string) =>
    elementsWithRole(svg, role).map((element) => ({
      value: Number(attribute(element, 'data-value')),
      pixel: Number(attribute(element, position)),
    }));
  const fit = (ticks: { value: number; pixel: number }[]) => {
    const first = ticks[0] as { value: number; pixel: number };
    const last = ticks.at(-1) as { value: number; pixel: number };
    const slope = (last.pixel - first.pixel) / (last.value - first.value);
    return {
      toPixel: (value: number) => first.pixel + slope * (value - first.value),
      toValue: (pixel: number) => first.value + (pixel - first.pixel) / slope,
    };
  };
  return { time: fit(read('axis-tick', 'data-x')), survival: fit(read('y-tick', 'data-y')) };
}

/** The H/V commands of a curve's path as [command, pixel] pairs. */
function steps(path: string): { command: string; value: number }[] {
  const d = attribute(path, 'd');
  return [...d.matchAll(/([HV])([-\d.]+)/g)].map((match) => ({
    command: match[1] as string,
    value: Number(match[2]),
  }));
}

describe('kaplanMeierPlot', () => {
  const timeTicks = [0, 200, 400, 600, 800, 1000, 1200];
  const svg = kaplanMeierPlot(result, {
    strataLabels: { 'sex=1': 'Male', 'sex=2': 'Female' },
    timeLabel: 'Days',
    timeTicks,
    annotation: ['Log-rank p < 0.001'],
  });

  it('is a well-formed SVG with a title, a legend and the labels', () => {
    assertWellFormedSvg(svg);
    assert.match(svg, /<title>Kaplan-Meier curves: Male, Female<\/title>/);
    assert.equal(elementsWithRole(svg, 'legend-item').length, 2);
    assert.match(svg, /Male \(n = 138, events = 112\)/);
    assert.match(svg, /Female \(n = 90, events = 53\)/);
    assert.match(svg, /data-role="annotation">Log-rank p &lt; 0.001</);
  });

  it('drops at every event time, to R survfit survival, and nowhere else', () => {
    const { time, survival } = axes(svg);
    const curves = elementsWithRole(svg, 'km-curve');
    assert.equal(curves.length, 2);
    rStrata.forEach((stratum, index) => {
      const commands = steps(curves[index] as string);
      const eventRows = stratum.table.filter((row) => row.n_event > 0);
      // H to the event time, V down to the new survival, per event time; then H to the last time
      assert.equal(commands.length, 2 * eventRows.length + 1);
      eventRows.forEach((row, step) => {
        const horizontal = commands[2 * step] as { command: string; value: number };
        const vertical = commands[2 * step + 1] as { command: string; value: number };
        assert.equal(horizontal.command, 'H');
        assert.equal(vertical.command, 'V');
        // coordinates are rounded to 0.01 px: 0.01 px is 0.02 days and 0.00004 of survival here
        assert.ok(Math.abs(time.toValue(horizontal.value) - row.time) < 0.05, `step at ${row.time}`);
        assert.ok(Math.abs(survival.toValue(vertical.value) - row.survival) < 1e-4, `S(${row.time})`);
      });
      const last = commands.at(-1) as { command: string; value: number };
      assert.equal(last.command, 'H');
      assert.ok(Math.abs(time.toValue(last.value) - (stratum.table.at(-1) as RRow).time) < 0.05);
    });
  });

  it('starts each curve at S(0) = 1 and marks each censoring time at the current survival', () => {
    const { time, survival } = axes(svg);
    for (const curve of elementsWithRole(svg, 'km-curve')) {
      const start = attribute(curve, 'd').match(/^M([-\d.]+) ([-\d.]+)/);
      assert.ok(start);
      assert.ok(Math.abs(time.toValue(Number(start[1])) - 0) < 0.05);
      assert.ok(Math.abs(survival.toValue(Number(start[2])) - 1) < 1e-4);
    }
    const marks = elementsWithRole(svg, 'censor-mark');
    const censoredTimes = rStrata.flatMap((stratum) =>
      stratum.table.filter((row) => row.n_censor > 0).map((row) => row),
    );
    assert.equal(marks.length, censoredTimes.length);
    marks.forEach((mark, index) => {
      const row = censoredTimes[index] as RRow;
      assert.equal(Number(attribute(mark, 'data-time')), row.time);
      const centre = (Number(attribute(mark, 'y1')) + Number(attribute(mark, 'y2'))) / 2;
      // the survival after this time's events: S(t) of the row itself
      assert.ok(Math.abs(survival.toValue(centre) - row.survival) < 1e-4);
    });
  });

  it('shows the numbers at risk as survfit counts them: follow-up time >= t', () => {
    const groups = lung.groups as { labels: string[]; codes: number[] };
    const rows = elementsWithRole(svg, 'at-risk-row');
    assert.equal(rows.length, 2);
    const cells = [...svg.matchAll(/data-role="at-risk" data-time="(\d+)">(\d+)</g)];
    assert.equal(cells.length, 2 * timeTicks.length);
    groups.labels.forEach((_, group) => {
      timeTicks.forEach((tick, index) => {
        const expected = lung.time.filter(
          (value, row) => groups.codes[row] === group && value >= tick,
        ).length;
        const cell = cells[group * timeTicks.length + index] as RegExpMatchArray;
        assert.equal(Number(cell[1]), tick);
        assert.equal(Number(cell[2]), expected, `group ${group} at ${tick}`);
        assert.equal(
          numberAtRisk(result.strata[group] as KaplanMeierResult['strata'][number], tick),
          expected,
        );
      });
    });
  });

  it('chooses its own ticks and default labels without options', () => {
    const plain = kaplanMeierPlot(result);
    assertWellFormedSvg(plain);
    const ticks = elementsWithRole(plain, 'axis-tick').map((element) =>
      Number(attribute(element, 'data-value')),
    );
    assert.equal(ticks[0], 0);
    assert.ok((ticks.at(-1) as number) >= 1022, 'the axis reaches the last time (1022 days)');
    assert.match(plain, /<title>Kaplan-Meier curves: 1, 2<\/title>/);
  });
});
