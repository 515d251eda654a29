import type { EffectEstimate, SubgroupAnalysis } from '../../analysis/trial-analysis-types.ts';
import { escapeXml, formatTick, line, logTicks, px, svgOpen, text, textWidth } from '../svg.ts';
import { formatEstimateInterval, formatPSentence, formatRatio, lowerFirst } from './format.ts';

/** Arms, labels and the overall estimate of a subgroup forest plot. */
export interface SubgroupForestPlotOptions {
  /** Level and display name of the intervention arm (numerator of the odds ratio). */
  readonly intervention: { readonly level: string; readonly label: string };
  /** Level and display name of the reference arm. */
  readonly reference: { readonly level: string; readonly label: string };
  /** The odds ratio in all participants, drawn as a diamond under the subgroups. */
  readonly overall?: EffectEstimate;
  /** Display names of subgroup levels by their value (`{ psychosis: 'Psychosis' }`); default: the value. */
  readonly levelLabels?: Readonly<Record<string, string>>;
  /** Figure title (the SVG `<title>`; not drawn). */
  readonly title?: string;
}

const ROW = 20;
const MARGIN = 16;
const PLOT_WIDTH = 260;
const SQUARE_COLOUR = '#1f4e79';

/**
 * A forest plot of pre-specified subgroup analyses as an SVG document (a string; nothing is written),
 * in the style of the meta-analysis forest plot: for each subgroup a header with the interaction
 * p-value (likelihood-ratio test), then one row per level with events/participants in each arm,
 * the arm odds ratio as a square (area proportional to the level's size) with its 95% CI, and the
 * numbers; the overall odds ratio as a diamond. Log axis labelled on the natural scale, a line at 1,
 * and "Favours <intervention>" on the left (odds ratio below 1 = fewer events), "Favours <reference>"
 * on the right. Rows carry `data-role="subgroup-level"` with the estimate and limits.
 *
 * @example
 * const svg = subgroupForestPlot(analysis.subgroups, {
 *   intervention: { level: 'peer_support', label: 'Peer support' },
 *   reference: { level: 'usual_care', label: 'Usual care' },
 *   overall: analysis.primary.oddsRatio,
 * });
 */
export function subgroupForestPlot(
  subgroups: readonly SubgroupAnalysis[],
  options: SubgroupForestPlotOptions,
): string {
  const { intervention, reference } = options;
  const levelLabel = (level: string) => options.levelLabels?.[level] ?? level;
  type Row =
    | { kind: 'header'; subgroup: SubgroupAnalysis }
    | { kind: 'level'; subgroup: SubgroupAnalysis; level: SubgroupAnalysis['levels'][number] }
    | { kind: 'overall'; estimate: EffectEstimate };
  const rows: Row[] = [];
  for (const subgroup of subgroups) {
    rows.push({ kind: 'header', subgroup });
    for (const level of subgroup.levels) rows.push({ kind: 'level', subgroup, level });
  }
  if (options.overall) rows.push({ kind: 'overall', estimate: options.overall });

  const fraction = (level: SubgroupAnalysis['levels'][number], arm: string) =>
    `${level.events[arm] ?? 0}/${level.n[arm] ?? 0}`;
  const interval = (estimate: EffectEstimate) =>
    formatEstimateInterval(estimate.estimate, estimate.ciLower, estimate.ciUpper, formatRatio);
  const headerText = (subgroup: SubgroupAnalysis) => subgroup.label;
  const labelWidth = Math.max(
    130,
    ...rows.map((row) =>
      row.kind === 'header'
        ? textWidth(headerText(row.subgroup), 12) * 1.08
        : row.kind === 'level'
          ? textWidth(levelLabel(row.level.level), 12) + 12
          : textWidth('All participants', 12) * 1.08,
    ),
  );
  const armColumn = Math.max(
    72,
    textWidth(intervention.label, 11) * 1.08 + 6,
    textWidth(reference.label, 11) * 1.08 + 6,
  );
  const interventionRight = MARGIN + labelWidth + 8 + armColumn;
  const referenceRight = interventionRight + armColumn;
  const plotLeft = referenceRight + 22;
  const plotRight = plotLeft + PLOT_WIDTH;
  const estimateLeft = plotRight + 18;
  const estimateTexts = rows.map((row) =>
    row.kind === 'level'
      ? interval(row.level.oddsRatio)
      : row.kind === 'overall'
        ? interval(row.estimate)
        : `Interaction ${formatPSentence(row.subgroup.interactionPValue)}`,
  );
  const estimateWidth = Math.max(
    textWidth('Odds ratio (95% CI)', 12) * 1.08,
    ...estimateTexts.map((value) => textWidth(value, 12)),
  );
  const width = estimateLeft + estimateWidth + MARGIN;

  // axis: every level's CI and 1, at most 1/100 to 100
  const bounds = [1];
  for (const row of rows) {
    const estimate =
      row.kind === 'level' ? row.level.oddsRatio : row.kind === 'overall' ? row.estimate : null;
    if (estimate) bounds.push(estimate.ciLower, estimate.ciUpper, estimate.estimate);
  }
  const finite = bounds.filter((value) => Number.isFinite(value) && value > 0);
  const ticks = logTicks(Math.max(0.01, Math.min(...finite)), Math.min(100, Math.max(...finite)));
  const axisLow = Math.log(ticks[0] as number);
  const axisHigh = Math.log(ticks.at(-1) as number);
  const toX = (ratio: number) =>
    plotLeft +
    ((Math.min(Math.max(Math.log(ratio), axisLow), axisHigh) - axisLow) / (axisHigh - axisLow)) * PLOT_WIDTH;

  const parts: string[] = [];
  const top = MARGIN + 16;
  parts.push(text(MARGIN, top, 'Subgroup', { weight: 'bold' }));
  parts.push(text(interventionRight, top - 15, 'Events/n', { anchor: 'end', size: 11 }));
  parts.push(text(interventionRight, top, intervention.label, { anchor: 'end', weight: 'bold', size: 11 }));
  parts.push(text(referenceRight, top - 15, 'Events/n', { anchor: 'end', size: 11 }));
  parts.push(text(referenceRight, top, reference.label, { anchor: 'end', weight: 'bold', size: 11 }));
  parts.push(text((plotLeft + plotRight) / 2, top - 15, 'Odds ratio', { anchor: 'middle', weight: 'bold' }));
  parts.push(text((plotLeft + plotRight) / 2, top, '95% CI (log scale)', { anchor: 'middle', size: 11 }));
  parts.push(text(estimateLeft, top, 'Odds ratio (95% CI)', { weight: 'bold' }));
  const ruleTop = top + 7;
  parts.push(line(MARGIN, ruleTop, width - MARGIN, ruleTop, { width: 0.8 }));

  const maxN = Math.max(
    1,
    ...rows.map((row) =>
      row.kind === 'level' ? Object.values(row.level.n).reduce((sum, value) => sum + value, 0) : 0,
    ),
  );
  let y = ruleTop + 4;
  const firstRowTop = y;
  const body: string[] = [];
  rows.forEach((row, index) => {
    const centre = y + ROW / 2;
    const baseline = centre + 4;
    if (row.kind === 'header') {
      if (index > 0) y += 4;
      const headerBaseline = y + ROW / 2 + 4;
      body.push(
        `<g data-role="subgroup-header" data-variable="${escapeXml(row.subgroup.variable)}" data-interaction-p="${row.subgroup.interactionPValue}">${text(MARGIN, headerBaseline, headerText(row.subgroup), { weight: 'bold' })}${text(estimateLeft, headerBaseline, estimateTexts[index] ?? '', { size: 11, style: 'italic' })}</g>`,
      );
    } else if (row.kind === 'level') {
      const { level } = row;
      const estimate = level.oddsRatio;
      const total = Object.values(level.n).reduce((sum, value) => sum + value, 0);
      const side = Math.max(5, 13 * Math.sqrt(total / maxN));
      const items = [
        text(MARGIN + 10, baseline, levelLabel(level.level)),
        text(interventionRight, baseline, fraction(level, intervention.level), { anchor: 'end', size: 11 }),
        text(referenceRight, baseline, fraction(level, reference.level), { anchor: 'end', size: 11 }),
      ];
      if (Number.isFinite(estimate.ciLower) && Number.isFinite(estimate.ciUpper)) {
        items.push(line(toX(estimate.ciLower), centre, toX(estimate.ciUpper), centre, { width: 1.1 }));
        if (Math.log(estimate.ciLower) < axisLow) items.push(arrow(toX(estimate.ciLower), centre, -1));
        if (Math.log(estimate.ciUpper) > axisHigh) items.push(arrow(toX(estimate.ciUpper), centre, 1));
      }
      if (Number.isFinite(estimate.estimate) && estimate.estimate > 0) {
        items.push(
          `<rect x="${px(toX(estimate.estimate) - side / 2)}" y="${px(centre - side / 2)}" width="${px(side)}" height="${px(side)}" fill="${SQUARE_COLOUR}"/>`,
        );
      }
      items.push(text(estimateLeft, baseline, estimateTexts[index] ?? ''));
      body.push(
        `<g data-role="subgroup-level" data-variable="${escapeXml(row.subgroup.variable)}" data-level="${escapeXml(level.level)}" data-estimate="${estimate.estimate}" data-ci-lower="${estimate.ciLower}" data-ci-upper="${estimate.ciUpper}">${items.join('')}</g>`,
      );
    } else {
      y += 6;
      const overallCentre = y + ROW / 2;
      const { estimate } = row;
      body.push(line(MARGIN, y - 2, width - MARGIN, y - 2, { width: 0.5, stroke: '#999' }));
      body.push(text(MARGIN, overallCentre + 4, 'All participants', { weight: 'bold' }));
      body.push(
        `<polygon data-role="overall-diamond" data-estimate="${estimate.estimate}" points="${px(toX(estimate.ciLower))},${px(overallCentre)} ${px(toX(estimate.estimate))},${px(overallCentre - 6)} ${px(toX(estimate.ciUpper))},${px(overallCentre)} ${px(toX(estimate.estimate))},${px(overallCentre + 6)}" fill="#000"/>`,
      );
      body.push(text(estimateLeft, overallCentre + 4, estimateTexts[index] ?? '', { weight: 'bold' }));
    }
    y += ROW;
  });
  const lastRowBottom = y;

  const nullX = toX(1);
  parts.push(line(nullX, firstRowTop, nullX, lastRowBottom + 4, { width: 0.8, role: 'null-line' }));
  parts.push(...body);
  const axisY = lastRowBottom + 4;
  const axis: string[] = [line(plotLeft, axisY, plotRight, axisY, { width: 0.8 })];
  for (const tick of ticks) {
    const x = toX(tick);
    axis.push(
      `<g data-role="axis-tick" data-value="${tick}" data-x="${px(x)}">${line(x, axisY, x, axisY + 4, { width: 0.8 })}${text(x, axisY + 16, formatTick(tick), { anchor: 'middle', size: 11 })}</g>`,
    );
  }
  parts.push(`<g data-role="axis">${axis.join('')}</g>`);
  const favoursY = axisY + 32;
  parts.push(
    text(nullX - 6, favoursY, `\u2190 Favours ${lowerFirst(intervention.label)}`, {
      anchor: 'end',
      size: 11,
      role: 'favours-left',
    }),
  );
  parts.push(
    text(nullX + 6, favoursY, `Favours ${lowerFirst(reference.label)} \u2192`, {
      size: 11,
      role: 'favours-right',
    }),
  );
  const height = favoursY + MARGIN;
  const title =
    options.title ??
    `Subgroup forest plot: odds ratio of the outcome, ${intervention.label} vs ${reference.label}, by ${subgroups.map((subgroup) => lowerFirst(subgroup.label)).join(', ')}`;
  return `${svgOpen(width, height, title)}\n${parts.join('\n')}\n</svg>\n`;
}

function arrow(x: number, y: number, direction: -1 | 1): string {
  const back = x - direction * 6;
  return `<polygon points="${px(x)},${px(y)} ${px(back)},${px(y - 3.5)} ${px(back)},${px(y + 3.5)}" fill="#000"/>`;
}
