import type { MetaAnalysisResult, MetaStudy, PooledSummary } from '../stats/index.ts';
import {
  escapeXml,
  formatFixed,
  formatP,
  formatTick,
  line,
  linearTicks,
  logTicks,
  px,
  svgOpen,
  text,
  textWidth,
} from './svg.ts';

/** Labels and direction for a forest plot. */
export interface ForestPlotOptions {
  /** Name of arm 1 (events1/mean1), e.g. "Peer support"; "Intervention" by default. */
  readonly arm1?: string;
  /** Name of arm 2 (events2/mean2), e.g. "Usual care"; "Control" by default. */
  readonly arm2?: string;
  /**
   * True when larger values of the effect favour arm 1 (a recovery score); false (default) when
   * smaller values do (events such as hospitalisation, symptom scores).
   */
  readonly higherIsBetter?: boolean;
  /** Figure title (the SVG `<title>`; not drawn). */
  readonly title?: string;
}

const MEASURE_NAMES: Record<MetaAnalysisResult['measure'], string> = {
  RR: 'Risk ratio',
  OR: 'Odds ratio',
  RD: 'Risk difference',
  SMD: 'Std. mean difference',
  MD: 'Mean difference',
  GEN: 'Estimate',
};

const ROW = 20;
const MARGIN = 16;
const PLOT_WIDTH = 300;
const SQUARE_COLOUR = '#1f4e79';

/**
 * A forest plot of a meta-analysis as an SVG document (a string; nothing is written): one row per study
 * with its estimate (a square whose area is proportional to its weight) and 95% CI, the weight in
 * percent and the estimate with CI as numbers; per-subgroup subtotal diamonds and heterogeneity when
 * the analysis has subgroups; the pooled diamond spanning the pooled CI; the prediction interval for
 * random-effects models; heterogeneity and overall-effect tests as in RevMan and metafor's forest().
 * RR and OR are drawn on a log axis labelled on the natural scale. The labels under the axis say which
 * side favours which arm. Elements carry `data-role` attributes for tests and styling.
 *
 * @example
 * const svg = forestPlot(metaAnalysis(data, { measure: 'RR' }), { arm1: 'Peer support', arm2: 'Usual care' });
 */
export function forestPlot(result: MetaAnalysisResult, options: ForestPlotOptions = {}): string {
  const ratio = result.measure === 'RR' || result.measure === 'OR';
  const digits = result.measure === 'RD' ? 3 : 2;
  const shown = (value: number) => formatFixed(ratio ? Math.exp(value) : value, digits);
  const interval = (estimate: number, lower: number, upper: number) =>
    `${shown(estimate)} [${shown(lower)}, ${shown(upper)}]`;
  const isRandom = result.method !== 'FE';
  const measureName = MEASURE_NAMES[result.measure];
  const modelName = isRandom ? `Random-effects model (${result.method})` : 'Fixed-effect model';
  const arm1 = options.arm1 ?? 'Intervention';
  const arm2 = options.arm2 ?? 'Control';

  // --- row layout ----------------------------------------------------------------------------------
  type Row =
    | { kind: 'header'; label: string }
    | { kind: 'study'; study: MetaStudy; index: number }
    | { kind: 'subtotal'; label: string; summary: PooledSummary }
    | { kind: 'note'; label: string }
    | { kind: 'gap' }
    | { kind: 'total'; summary: PooledSummary }
    | { kind: 'prediction'; summary: PooledSummary };
  const rows: Row[] = [];
  const studyRows = (studies: readonly MetaStudy[]) =>
    studies.forEach((study) => {
      rows.push({ kind: 'study', study, index: result.studies.indexOf(study) });
    });
  if (result.subgroups !== undefined) {
    for (const group of result.subgroups.groups) {
      rows.push({ kind: 'header', label: group.name });
      studyRows(result.studies.filter((study) => study.subgroup === group.name));
      rows.push({ kind: 'subtotal', label: `Subtotal (k = ${group.k})`, summary: group });
      rows.push({ kind: 'note', label: heterogeneityText(group, isRandom) });
      rows.push({ kind: 'gap' });
    }
  } else {
    studyRows(result.studies);
  }
  rows.push({ kind: 'total', summary: result });
  if (isRandom && result.k > 1) rows.push({ kind: 'prediction', summary: result });

  // --- horizontal layout -----------------------------------------------------------------------------
  const labels = rows.map((row) =>
    row.kind === 'study'
      ? textWidth(row.study.study, 12) + 12
      : row.kind === 'header'
        ? textWidth(row.label, 12) * 1.08
        : row.kind === 'subtotal'
          ? textWidth(row.label, 12) + 24
          : row.kind === 'total'
            ? textWidth(modelName, 12) * 1.08 + 12
            : row.kind === 'prediction'
              ? textWidth('Prediction interval', 12) + 12
              : 0,
  );
  const labelWidth = Math.max(150, ...labels);
  const plotLeft = MARGIN + labelWidth + 10;
  const plotRight = plotLeft + PLOT_WIDTH;
  const weightRight = plotRight + 62;
  const estimateLeft = weightRight + 18;
  const estimateTexts = rows.map((row) =>
    row.kind === 'study'
      ? interval(row.study.yi, row.study.ciLower, row.study.ciUpper)
      : row.kind === 'subtotal' || row.kind === 'total'
        ? interval(row.summary.estimate, row.summary.ciLower, row.summary.ciUpper)
        : '',
  );
  const headerRight = `${measureName} [95% CI]`;
  const estimateWidth = Math.max(
    textWidth(headerRight, 12) * 1.08,
    ...estimateTexts.map((value) => textWidth(value, 12)),
  );
  const width = estimateLeft + estimateWidth + MARGIN;

  // --- the axis ------------------------------------------------------------------------------------------
  const bounds: number[] = [0];
  for (const study of result.studies) bounds.push(study.ciLower, study.ciUpper);
  bounds.push(result.ciLower, result.ciUpper);
  if (isRandom) bounds.push(result.piLower, result.piUpper);
  for (const group of result.subgroups?.groups ?? []) bounds.push(group.ciLower, group.ciUpper);
  let low = Math.min(...bounds.filter(Number.isFinite));
  let high = Math.max(...bounds.filter(Number.isFinite));
  // keep the pooled results readable when one small study has a huge CI: at most ±4.6 (1/100 to 100)
  // on the log scale, and at most 6 pooled-CI widths beyond the pooled estimate otherwise
  const reach = ratio
    ? Math.log(100)
    : 6 * Math.max(result.ciUpper - result.ciLower, 1e-12) + Math.abs(result.estimate);
  low = Math.max(low, -reach);
  high = Math.min(high, reach);
  const ticks = ratio ? logTicks(Math.exp(low), Math.exp(high)) : linearTicks(low, high, 6);
  const axisLow = ratio ? Math.log(ticks[0] as number) : (ticks[0] as number);
  const axisHigh = ratio ? Math.log(ticks.at(-1) as number) : (ticks.at(-1) as number);
  const toX = (value: number) => plotLeft + ((value - axisLow) / (axisHigh - axisLow)) * PLOT_WIDTH;
  const clamp = (value: number) => Math.min(Math.max(value, axisLow), axisHigh);

  // --- drawing -------------------------------------------------------------------------------------------
  const parts: string[] = [];
  const top = MARGIN + 16;
  parts.push(text(MARGIN, top, 'Study', { weight: 'bold' }));
  parts.push(text((plotLeft + plotRight) / 2, top - 15, measureName, { anchor: 'middle', weight: 'bold' }));
  parts.push(
    text(
      (plotLeft + plotRight) / 2,
      top,
      `${isRandom ? 'IV, random' : 'IV, fixed'}, 95% CI${ratio ? ' (log scale)' : ''}`,
      {
        anchor: 'middle',
        size: 11,
      },
    ),
  );
  parts.push(text(weightRight, top, 'Weight', { anchor: 'end', weight: 'bold' }));
  parts.push(text(estimateLeft, top, headerRight, { weight: 'bold' }));
  const ruleTop = top + 7;
  parts.push(line(MARGIN, ruleTop, width - MARGIN, ruleTop, { width: 0.8 }));

  const maxWeight = Math.max(...result.studies.map((study) => study.weight));
  let y = ruleTop + 4;
  const firstRowTop = y;
  const rowCentres: number[] = [];
  const body: string[] = [];
  rows.forEach((row, index) => {
    const height = row.kind === 'gap' ? 8 : row.kind === 'note' ? 16 : ROW;
    const centre = y + height / 2;
    rowCentres.push(centre);
    const baseline = centre + 4;
    if (row.kind === 'header') {
      body.push(text(MARGIN, baseline, row.label, { weight: 'bold', role: 'subgroup-header' }));
    } else if (row.kind === 'study') {
      const { study } = row;
      const side = Math.max(4, 15 * Math.sqrt(study.weight / maxWeight));
      const lower = clamp(study.ciLower);
      const upper = clamp(study.ciUpper);
      const items = [
        text(MARGIN + (result.subgroups ? 10 : 0), baseline, study.study),
        line(toX(lower), centre, toX(upper), centre, { width: 1.1 }),
      ];
      if (study.ciLower < axisLow) items.push(arrow(toX(axisLow), centre, -1));
      if (study.ciUpper > axisHigh) items.push(arrow(toX(axisHigh), centre, 1));
      if (study.yi >= axisLow && study.yi <= axisHigh) {
        items.push(
          `<rect x="${px(toX(study.yi) - side / 2)}" y="${px(centre - side / 2)}" width="${px(side)}" height="${px(side)}" fill="${SQUARE_COLOUR}"/>`,
        );
      }
      items.push(text(weightRight, baseline, `${study.weight.toFixed(1)}%`, { anchor: 'end' }));
      items.push(text(estimateLeft, baseline, estimateTexts[index] ?? ''));
      body.push(
        `<g data-role="study-row" data-study="${escapeXml(study.study)}" data-yi="${study.yi}" data-ci-lower="${study.ciLower}" data-ci-upper="${study.ciUpper}">${items.join('')}</g>`,
      );
    } else if (row.kind === 'subtotal' || row.kind === 'total') {
      const { summary } = row;
      const isTotal = row.kind === 'total';
      const bold = isTotal ? ('bold' as const) : undefined;
      const weight = isTotal
        ? 100
        : result.studies
            .filter((study) => study.subgroup === (summary as { name?: string }).name)
            .reduce((sum, study) => sum + study.weight, 0);
      body.push(
        text(MARGIN + (isTotal ? 0 : 10), baseline, isTotal ? modelName : row.label, { weight: bold }),
      );
      body.push(
        diamond(
          toX(clamp(summary.ciLower)),
          toX(clamp(summary.estimate)),
          toX(clamp(summary.ciUpper)),
          centre,
          isTotal,
        ),
      );
      body.push(text(weightRight, baseline, `${weight.toFixed(1)}%`, { anchor: 'end', weight: bold }));
      body.push(text(estimateLeft, baseline, estimateTexts[index] ?? '', { weight: bold }));
    } else if (row.kind === 'prediction') {
      const { summary } = row;
      const left = toX(clamp(summary.piLower));
      const right = toX(clamp(summary.piUpper));
      body.push(text(MARGIN, baseline, 'Prediction interval', { style: 'italic' }));
      body.push(
        `<g data-role="prediction-interval">${line(left, centre, right, centre, { width: 1.4 })}${line(left, centre - 4, left, centre + 4, { width: 1.4 })}${line(right, centre - 4, right, centre + 4, { width: 1.4 })}</g>`,
      );
      body.push(
        text(estimateLeft, baseline, `[${shown(summary.piLower)}, ${shown(summary.piUpper)}]`, {
          style: 'italic',
        }),
      );
    } else if (row.kind === 'note') {
      body.push(text(MARGIN + 10, centre + 3.5, row.label, { size: 10.5, fill: '#333' }));
    }
    y += height;
  });
  const lastRowBottom = y;

  // the line of no effect, behind the rows
  const nullX = toX(0);
  parts.push(line(nullX, firstRowTop, nullX, lastRowBottom + 4, { width: 0.8, role: 'null-line' }));
  // the pooled estimate as a dotted guide through the study rows
  parts.push(
    line(toX(clamp(result.estimate)), firstRowTop, toX(clamp(result.estimate)), lastRowBottom + 4, {
      width: 0.7,
      dash: '3,3',
      stroke: '#777',
    }),
  );
  parts.push(...body);

  // axis
  const axisY = lastRowBottom + 4;
  const axis: string[] = [line(plotLeft, axisY, plotRight, axisY, { width: 0.8 })];
  for (const tick of ticks) {
    const x = toX(ratio ? Math.log(tick) : tick);
    axis.push(
      `<g data-role="axis-tick" data-value="${tick}" data-x="${px(x)}">${line(x, axisY, x, axisY + 4, { width: 0.8 })}${text(x, axisY + 16, formatTick(tick), { anchor: 'middle', size: 11 })}</g>`,
    );
  }
  parts.push(`<g data-role="axis">${axis.join('')}</g>`);
  const favoursLow = options.higherIsBetter === true ? arm2 : arm1;
  const favoursHigh = options.higherIsBetter === true ? arm1 : arm2;
  const favoursY = axisY + 32;
  parts.push(
    text(nullX - 6, favoursY, `\u2190 Favours ${favoursLow}`, {
      anchor: 'end',
      size: 11,
      role: 'favours-left',
    }),
  );
  parts.push(text(nullX + 6, favoursY, `Favours ${favoursHigh} \u2192`, { size: 11, role: 'favours-right' }));

  // footnotes: heterogeneity and tests
  let footY = favoursY + 24;
  const notes = [
    `Heterogeneity: ${heterogeneityText(result, isRandom)}`,
    `Test for overall effect: ${result.test === 'knha' ? `t(${result.QDf})` : 'z'} = ${formatFixed(result.statistic, 2)} (${formatP(result.pValue)})`,
  ];
  if (result.subgroups?.test) {
    const test = result.subgroups.test;
    notes.push(
      `Test for subgroup differences: Q = ${formatFixed(test.Q, 2)}, df = ${test.df} (${formatP(test.pValue)})`,
    );
  }
  if (result.egger) {
    notes.push(`Egger's test for funnel asymmetry: ${formatP(result.egger.pValue)}`);
  }
  for (const note of notes) {
    parts.push(text(MARGIN, footY, note, { size: 11 }));
    footY += 15;
  }
  const height = footY + MARGIN - 8;
  const title = options.title ?? `Forest plot: ${measureName}, ${modelName}`;
  return `${svgOpen(width, height, title)}\n${parts.join('\n')}\n</svg>\n`;
}

function heterogeneityText(summary: PooledSummary, isRandom: boolean): string {
  const parts = [];
  if (isRandom) parts.push(`\u03c4\u00b2 = ${formatTau(summary.tau2)}`);
  parts.push(`Q = ${formatFixed(summary.Q, 2)}, df = ${summary.QDf} (${formatP(summary.QPValue)})`);
  parts.push(`I\u00b2 = ${Math.round(summary.I2)}%`);
  return parts.join('; ');
}

function formatTau(value: number): string {
  if (value === 0) return '0';
  if (value < 0.001) return value.toExponential(1).replace('-', '\u2212');
  return value < 0.1 ? value.toFixed(3) : value.toFixed(2);
}

function diamond(left: number, centre: number, right: number, y: number, total: boolean): string {
  const half = 6;
  return `<polygon data-role="${total ? 'pooled-diamond' : 'subgroup-diamond'}" points="${px(left)},${px(y)} ${px(centre)},${px(y - half)} ${px(right)},${px(y)} ${px(centre)},${px(y + half)}" fill="${total ? '#000' : '#8c8c8c'}" stroke="#000" stroke-width="0.8"/>`;
}

function arrow(x: number, y: number, direction: -1 | 1): string {
  const tip = x;
  const back = x - direction * 6;
  return `<polygon points="${px(tip)},${px(y)} ${px(back)},${px(y - 3.5)} ${px(back)},${px(y + 3.5)}" fill="#000"/>`;
}
