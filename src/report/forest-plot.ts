import type { MetaAnalysisResult, MetaStudy, PooledSummary, StudyData } from '../stats/index.ts';
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
  /**
   * The study data the result came from (same studies, same order). When given, RevMan's per-arm
   * columns are drawn: events and total per arm for binary data, mean, SD and total for continuous data,
   * with the participants (and events) summed on the subtotal and total rows.
   */
  readonly data?: StudyData;
}

/** One per-arm column: its arm, header, and the text of a study row and of a (sub)total row. */
interface ArmColumn {
  readonly arm: 1 | 2;
  readonly header: string;
  readonly cell: (index: number) => string;
  /** Text on the subtotal/total row (summed participants), '' for none. */
  readonly total: (members: readonly number[]) => string;
  /** Text on the "Total events" row, '' for none. */
  readonly events: (members: readonly number[]) => string;
}

function armColumns(data: StudyData | undefined, studyCount: number): ArmColumn[] {
  if (data === undefined || data.kind === 'generic' || data.study.length !== studyCount) return [];
  const sum = (values: ArrayLike<number>) => (members: readonly number[]) =>
    String(members.reduce((total, index) => total + (values[index] as number), 0));
  const none = () => '';
  const columns: ArmColumn[] = [];
  for (const arm of [1, 2] as const) {
    const n = arm === 1 ? data.n1 : data.n2;
    if (data.kind === 'binary') {
      const events = arm === 1 ? data.events1 : data.events2;
      columns.push({
        arm,
        header: 'Events',
        cell: (index) => String(events[index]),
        total: none,
        events: sum(events),
      });
    } else {
      const mean = arm === 1 ? data.mean1 : data.mean2;
      const sd = arm === 1 ? data.sd1 : data.sd2;
      columns.push({ arm, header: 'Mean', cell: exactValue(mean), total: none, events: none });
      columns.push({ arm, header: 'SD', cell: exactValue(sd), total: none, events: none });
    }
    columns.push({ arm, header: 'Total', cell: (index) => String(n[index]), total: sum(n), events: none });
  }
  return columns;
}

/** A number as entered (up to 6 significant digits), with a typographic minus sign. */
function exactValue(values: ArrayLike<number>): (index: number) => string {
  return (index) => String(Number((values[index] as number).toPrecision(6))).replace('-', '\u2212');
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
 * With `options.data`, RevMan's per-arm columns come first (events/total, or mean/SD/total, under each
 * arm's name), with participants summed on the subtotal and total rows and a "Total events" row for
 * binary data. The method column says `IV, random`, `IV, fixed`, `M-H, fixed` or `Peto, fixed`; a study
 * without an effect size (MH/Peto, no events or only events in both arms) reads "Not estimable". The
 * figure widens to fit its footnotes and the right-hand "favours" label.
 *
 * @example
 * const svg = forestPlot(metaAnalysis(data, { measure: 'RR' }), { arm1: 'Peer support', arm2: 'Usual care' });
 */
export function forestPlot(result: MetaAnalysisResult, options: ForestPlotOptions = {}): string {
  const ratio = result.measure === 'RR' || result.measure === 'OR';
  const digits = result.measure === 'RD' ? 3 : 2;
  const shown = (value: number) => formatFixed(ratio ? Math.exp(value) : value, digits);
  const interval = (estimate: number, lower: number, upper: number) =>
    Number.isFinite(estimate) ? `${shown(estimate)} [${shown(lower)}, ${shown(upper)}]` : 'Not estimable';
  const isTables = result.method === 'MH' || result.method === 'PETO';
  const isRandom = result.method !== 'FE' && !isTables;
  const measureName = result.method === 'PETO' ? 'Peto odds ratio' : MEASURE_NAMES[result.measure];
  const modelName = isRandom
    ? `Random-effects model (${result.method})`
    : result.method === 'MH'
      ? 'Fixed-effect model (M-H)'
      : result.method === 'PETO'
        ? 'Fixed-effect model (Peto)'
        : 'Fixed-effect model';
  const methodLabel = isRandom
    ? 'IV, random'
    : result.method === 'MH'
      ? 'M-H, fixed'
      : result.method === 'PETO'
        ? 'Peto, fixed'
        : 'IV, fixed';
  const arm1 = options.arm1 ?? 'Intervention';
  const arm2 = options.arm2 ?? 'Control';
  const columns = armColumns(options.data, result.studies.length);
  const hasEvents = options.data?.kind === 'binary' && columns.length > 0;
  const allStudies = result.studies.map((_, index) => index);

  // --- row layout ----------------------------------------------------------------------------------
  type Row =
    | { kind: 'header'; label: string }
    | { kind: 'study'; study: MetaStudy; index: number }
    | { kind: 'subtotal'; label: string; summary: PooledSummary; members: readonly number[] }
    | { kind: 'note'; label: string }
    | { kind: 'events'; members: readonly number[]; bold: boolean }
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
      const members = allStudies.filter((index) => result.studies[index]?.subgroup === group.name);
      studyRows(members.map((index) => result.studies[index] as MetaStudy));
      rows.push({ kind: 'subtotal', label: `Subtotal (k = ${group.k})`, summary: group, members });
      if (hasEvents) rows.push({ kind: 'events', members, bold: false });
      rows.push({ kind: 'note', label: heterogeneityText(group, isRandom) });
      rows.push({ kind: 'gap' });
    }
  } else {
    studyRows(result.studies);
  }
  rows.push({ kind: 'total', summary: result });
  if (isRandom && result.k > 1) rows.push({ kind: 'prediction', summary: result });
  if (hasEvents) rows.push({ kind: 'events', members: allStudies, bold: true });

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
              : row.kind === 'events'
                ? textWidth('Total events', 12) * (row.bold ? 1.08 : 1) + 24
                : 0,
  );
  const labelWidth = Math.max(150, ...labels);
  // per-arm columns (RevMan): numbers right-aligned at each column's right edge; an arm's name is centred
  // over its columns and widens them evenly when it is longer than they are
  const cellTexts = (column: ArmColumn) => [
    ...allStudies.map((index) => column.cell(index)),
    ...rows.map((row) =>
      row.kind === 'subtotal'
        ? column.total(row.members)
        : row.kind === 'total'
          ? column.total(allStudies)
          : row.kind === 'events'
            ? column.events(row.members)
            : '',
    ),
  ];
  const columnWidths = columns.map(
    (column) =>
      Math.max(
        textWidth(column.header, 12) * 1.08,
        ...cellTexts(column).map((value) => textWidth(value, 12) * 1.08),
      ) + 12,
  );
  const armNames = { 1: arm1, 2: arm2 } as const;
  for (const arm of [1, 2] as const) {
    const indices = columns.flatMap((column, index) => (column.arm === arm ? [index] : []));
    if (indices.length === 0) continue;
    const span = indices.reduce((total, index) => total + (columnWidths[index] as number), 0);
    const needed = textWidth(armNames[arm], 12) * 1.08 + 8;
    if (needed > span) {
      for (const index of indices) {
        columnWidths[index] = (columnWidths[index] as number) + (needed - span) / indices.length;
      }
    }
  }
  const columnRights: number[] = [];
  let cursor = MARGIN + labelWidth;
  columns.forEach((column, index) => {
    if (index > 0 && column.arm !== columns[index - 1]?.arm) cursor += 14;
    cursor += columnWidths[index] as number;
    columnRights.push(cursor);
  });
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
  // the "Favours arm" label left of the null line must not run off the left edge
  const favoursLow = options.higherIsBetter === true ? arm2 : arm1;
  const favoursHigh = options.higherIsBetter === true ? arm1 : arm2;
  const nullOffset = ((0 - axisLow) / (axisHigh - axisLow)) * PLOT_WIDTH;
  const favoursLowWidth = textWidth(`\u2190 Favours ${favoursLow}`, 11) * 1.05;
  const plotLeft = Math.max(
    cursor + (columns.length > 0 ? 22 : 10),
    MARGIN + favoursLowWidth + 6 - nullOffset,
  );
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
  const columnsWidth = estimateLeft + estimateWidth + MARGIN;

  const toX = (value: number) => plotLeft + ((value - axisLow) / (axisHigh - axisLow)) * PLOT_WIDTH;
  const clamp = (value: number) => Math.min(Math.max(value, axisLow), axisHigh);

  // the figure is as wide as its columns, its footnotes and the "favours" label right of the null line
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
  const width = Math.max(
    columnsWidth,
    toX(0) + 6 + textWidth(`Favours ${favoursHigh} \u2192`, 11) * 1.05 + MARGIN,
    ...notes.map((note) => MARGIN + textWidth(note, 11) * 1.05 + MARGIN),
  );

  // --- drawing -------------------------------------------------------------------------------------------
  const parts: string[] = [];
  const top = MARGIN + 16;
  parts.push(text(MARGIN, top, result.subgroups ? 'Study or subgroup' : 'Study', { weight: 'bold' }));
  for (const arm of [1, 2] as const) {
    const indices = columns.flatMap((column, index) => (column.arm === arm ? [index] : []));
    if (indices.length === 0) continue;
    const first = indices[0] as number;
    const right = columnRights[indices.at(-1) as number] as number;
    const left = (columnRights[first] as number) - (columnWidths[first] as number) + 4;
    parts.push(
      text((left + right) / 2, top - 17, armNames[arm], {
        anchor: 'middle',
        weight: 'bold',
        role: `arm${arm}-header`,
      }),
    );
    parts.push(line(left, top - 13, right, top - 13, { width: 0.6 }));
  }
  columns.forEach((column, index) => {
    parts.push(text(columnRights[index] as number, top, column.header, { anchor: 'end', weight: 'bold' }));
  });
  parts.push(text((plotLeft + plotRight) / 2, top - 17, measureName, { anchor: 'middle', weight: 'bold' }));
  parts.push(
    text((plotLeft + plotRight) / 2, top, `${methodLabel}, 95% CI${ratio ? ' (log scale)' : ''}`, {
      anchor: 'middle',
      size: 11,
    }),
  );
  parts.push(text(weightRight, top, 'Weight', { anchor: 'end', weight: 'bold' }));
  parts.push(text(estimateLeft, top, headerRight, { weight: 'bold' }));
  const ruleTop = top + 7;
  parts.push(line(MARGIN, ruleTop, width - MARGIN, ruleTop, { width: 0.8 }));

  const maxWeight = Math.max(...result.studies.map((study) => study.weight));
  const cells = (baseline: number, values: (column: ArmColumn) => string, bold?: 'bold') =>
    columns.flatMap((column, index) => {
      const value = values(column);
      return value === ''
        ? []
        : [
            text(columnRights[index] as number, baseline, value, {
              anchor: 'end',
              weight: bold,
              role: 'arm-cell',
            }),
          ];
    });
  let y = ruleTop + 4;
  const firstRowTop = y;
  const rowCentres: number[] = [];
  const body: string[] = [];
  rows.forEach((row, index) => {
    const height = row.kind === 'gap' ? 8 : row.kind === 'note' ? 16 : row.kind === 'events' ? 18 : ROW;
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
      const estimable = Number.isFinite(study.yi);
      const items = [
        text(MARGIN + (result.subgroups ? 10 : 0), baseline, study.study),
        ...cells(baseline, (column) => column.cell(row.index)),
      ];
      if (estimable) items.push(line(toX(lower), centre, toX(upper), centre, { width: 1.1 }));
      if (study.ciLower < axisLow) items.push(arrow(toX(axisLow), centre, -1));
      if (study.ciUpper > axisHigh) items.push(arrow(toX(axisHigh), centre, 1));
      if (estimable && study.yi >= axisLow && study.yi <= axisHigh) {
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
        ...cells(
          baseline,
          (column) => column.total(row.kind === 'subtotal' ? row.members : allStudies),
          bold,
        ),
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
    } else if (row.kind === 'events') {
      const bold = row.bold ? ('bold' as const) : undefined;
      body.push(
        `<g data-role="events-row">${[
          text(MARGIN + (row.bold ? 0 : 10), baseline, 'Total events', { weight: bold }),
          ...cells(baseline, (column) => column.events(row.members), bold),
        ].join('')}</g>`,
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
