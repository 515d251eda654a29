import type { KaplanMeierResult, KaplanMeierStratum } from '../../stats/index.ts';
import { escapeXml, formatTick, line, linearTicks, px, svgOpen, text, textWidth } from '../svg.ts';

/** Labels and axes of a Kaplan-Meier figure. */
export interface KaplanMeierPlotOptions {
  /** Figure title (the SVG `<title>`, read by screen readers; not drawn). */
  readonly title?: string;
  /** Display name of each stratum by its name (`{ 'arm=peer_support': 'Peer support' }`); default: the name after "=". */
  readonly strataLabels?: Readonly<Record<string, string>>;
  /** Label under the time axis; "Days" by default. */
  readonly timeLabel?: string;
  /** Label of the vertical axis; "Survival probability" by default. */
  readonly survivalLabel?: string;
  /** Time-axis ticks, increasing from 0; default: "nice" ticks up to the last time of any curve. */
  readonly timeTicks?: readonly number[];
  /** Times at which the numbers at risk are shown under the axis; default: the time ticks. */
  readonly atRiskTimes?: readonly number[];
  /** Lines of text drawn in the lower left of the plot (log-rank p, hazard ratio). */
  readonly annotation?: readonly string[];
}

/** Colours and dash patterns of the curves in stratum order: distinguishable in greyscale print too. */
export const CURVE_STYLES: readonly { readonly colour: string; readonly dash: string }[] = [
  { colour: '#1f4e79', dash: '' },
  { colour: '#b05010', dash: '7,3' },
  { colour: '#548235', dash: '2,2' },
  { colour: '#7030a0', dash: '8,3,2,3' },
];

const MARGIN = 16;
const PLOT_WIDTH = 480;
const PLOT_HEIGHT = 260;
const RISK_ROW = 17;

/**
 * A Kaplan-Meier figure as an SVG document (a string; nothing is written), in the style of the
 * forest plot: one step curve per stratum from S(0) = 1, dropping at each event time to the estimate
 * after it, a short vertical tick where observations are censored without an event, the legend above
 * the plot, and the numbers at risk under the time axis (participants still followed and event-free
 * just before each time: the `n.risk` of the first distinct time at or after it, as
 * `summary(survfit(...), times = ...)` reports it). Curves are drawn as absolute `H`/`V` path commands
 * and carry `data-role="km-curve"`; axis ticks carry their value and x position for tests.
 *
 * @example
 * const svg = kaplanMeierPlot(kaplanMeierFromFormula(data, 'Surv(days_to_readmission, readmission_event) ~ arm'), {
 *   strataLabels: { 'arm=usual_care': 'Usual care', 'arm=peer_support': 'Peer support' },
 *   timeLabel: 'Days since discharge', timeTicks: [0, 90, 180, 270, 365],
 * });
 */
export function kaplanMeierPlot(result: KaplanMeierResult, options: KaplanMeierPlotOptions = {}): string {
  const strata = result.strata;
  const labelOf = (stratum: KaplanMeierStratum) =>
    options.strataLabels?.[stratum.name] ?? stratum.name.slice(stratum.name.indexOf('=') + 1);
  const labels = strata.map(labelOf);
  const lastTime = Math.max(1, ...strata.map((stratum) => stratum.table.at(-1)?.time ?? 0));
  const timeTicks =
    options.timeTicks !== undefined && options.timeTicks.length >= 2
      ? [...options.timeTicks]
      : linearTicks(0, lastTime, 6).filter((tick) => tick >= 0);
  const axisEnd = Math.max(timeTicks.at(-1) as number, timeTicks[0] as number);
  const axisStart = timeTicks[0] as number;
  const atRiskTimes = options.atRiskTimes ?? timeTicks;

  const labelWidth = Math.max(
    ...labels.map((label) => textWidth(label, 11)),
    textWidth('Number at risk', 11),
  );
  const plotLeft = MARGIN + Math.max(52, labelWidth + 8);
  const plotRight = plotLeft + PLOT_WIDTH;
  const legendTop = MARGIN + 4;
  const plotTop = legendTop + 26;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const toX = (time: number) =>
    plotLeft + ((Math.min(time, axisEnd) - axisStart) / (axisEnd - axisStart || 1)) * PLOT_WIDTH;
  const toY = (survival: number) => plotBottom - survival * PLOT_HEIGHT;

  const parts: string[] = [];
  // legend: a sample of each line with its label, in one row above the plot
  let legendX = plotLeft;
  strata.forEach((stratum, index) => {
    const style = CURVE_STYLES[index % CURVE_STYLES.length] as (typeof CURVE_STYLES)[number];
    const label = `${labels[index]} (n = ${stratum.n}, events = ${stratum.events})`;
    parts.push(
      `<g data-role="legend-item">${line(legendX, legendTop + 8, legendX + 26, legendTop + 8, { stroke: style.colour, width: 2, dash: style.dash })}${text(legendX + 32, legendTop + 12, label, { size: 11 })}</g>`,
    );
    legendX += 32 + textWidth(label, 11) + 22;
  });

  // grid and axes
  const survivalTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  for (const tick of survivalTicks) {
    const y = toY(tick);
    if (tick > 0) parts.push(line(plotLeft, y, plotRight, y, { stroke: '#e3e3e3', width: 0.8 }));
    parts.push(
      `<g data-role="y-tick" data-value="${tick}" data-y="${px(y)}">${line(plotLeft - 4, y, plotLeft, y, { width: 0.8 })}${text(plotLeft - 7, y + 4, tick.toFixed(1), { anchor: 'end', size: 11 })}</g>`,
    );
  }
  parts.push(line(plotLeft, plotTop, plotLeft, plotBottom, { width: 0.8 }));
  parts.push(line(plotLeft, plotBottom, plotRight, plotBottom, { width: 0.8 }));
  for (const tick of timeTicks) {
    const x = toX(tick);
    parts.push(
      `<g data-role="axis-tick" data-value="${tick}" data-x="${px(x)}">${line(x, plotBottom, x, plotBottom + 4, { width: 0.8 })}${text(x, plotBottom + 16, formatTick(tick), { anchor: 'middle', size: 11 })}</g>`,
    );
  }
  parts.push(
    text((plotLeft + plotRight) / 2, plotBottom + 32, options.timeLabel ?? 'Days', {
      anchor: 'middle',
      size: 12,
    }),
  );
  const yLabel = options.survivalLabel ?? 'Survival probability';
  const yLabelX = MARGIN + 2;
  parts.push(
    `<text x="${px(yLabelX)}" y="${px((plotTop + plotBottom) / 2)}" text-anchor="middle" font-size="12" transform="rotate(-90 ${px(yLabelX + 9)} ${px((plotTop + plotBottom) / 2)})" dy="9">${escapeXml(yLabel)}</text>`,
  );

  // curves
  strata.forEach((stratum, index) => {
    const style = CURVE_STYLES[index % CURVE_STYLES.length] as (typeof CURVE_STYLES)[number];
    const commands = [`M${px(toX(axisStart))} ${px(toY(1))}`];
    const censorMarks: string[] = [];
    let survival = 1;
    for (const row of stratum.table) {
      if (row.time > axisEnd) break;
      if (row.nEvent > 0) {
        commands.push(`H${px(toX(row.time))}`, `V${px(toY(row.survival))}`);
        survival = row.survival;
      }
      if (row.nCensor > 0) {
        const x = toX(row.time);
        const y = toY(survival);
        censorMarks.push(
          `<line data-role="censor-mark" data-time="${row.time}" x1="${px(x)}" y1="${px(y - 4)}" x2="${px(x)}" y2="${px(y + 4)}" stroke="${style.colour}" stroke-width="1.2"/>`,
        );
      }
    }
    const lastShown = stratum.table.filter((row) => row.time <= axisEnd).at(-1);
    if (lastShown !== undefined) commands.push(`H${px(toX(lastShown.time))}`);
    parts.push(
      `<g data-role="km-stratum" data-stratum="${escapeXml(stratum.name)}"><path data-role="km-curve" d="${commands.join(' ')}" fill="none" stroke="${style.colour}" stroke-width="1.8"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>${censorMarks.join('')}</g>`,
    );
  });

  // annotation, lower left inside the plot
  const annotation = options.annotation ?? [];
  annotation.forEach((note, index) => {
    parts.push(
      text(plotLeft + 10, plotBottom - 12 - (annotation.length - 1 - index) * 15, note, {
        size: 11,
        role: 'annotation',
      }),
    );
  });

  // numbers at risk
  const riskTop = plotBottom + 58;
  parts.push(text(MARGIN, riskTop, 'Number at risk', { size: 11, weight: 'bold' }));
  strata.forEach((stratum, index) => {
    const style = CURVE_STYLES[index % CURVE_STYLES.length] as (typeof CURVE_STYLES)[number];
    const y = riskTop + (index + 1) * RISK_ROW;
    const cells = atRiskTimes
      .filter((time) => time >= axisStart && time <= axisEnd)
      .map((time) => {
        const count = numberAtRisk(stratum, time);
        return `<text x="${px(toX(time))}" y="${px(y)}" text-anchor="middle" font-size="11" data-role="at-risk" data-time="${time}">${count}</text>`;
      });
    parts.push(
      `<g data-role="at-risk-row" data-stratum="${escapeXml(stratum.name)}">${text(MARGIN, y, labels[index] ?? '', { size: 11, fill: style.colour })}${cells.join('')}</g>`,
    );
  });
  const height = riskTop + strata.length * RISK_ROW + MARGIN;
  const width = Math.max(plotRight + 24, legendX) + MARGIN;
  const title = options.title ?? `Kaplan-Meier curves: ${labels.join(', ')}`;
  return `${svgOpen(width, height, title)}\n${parts.join('\n')}\n</svg>\n`;
}

/**
 * Participants at risk at `time` in one curve: those whose follow-up time is at least `time`, which is
 * the `nRisk` of the first distinct time at or after it (0 after the last).
 */
export function numberAtRisk(stratum: KaplanMeierStratum, time: number): number {
  if (time <= 0) return stratum.n;
  return stratum.table.find((row) => row.time >= time)?.nRisk ?? 0;
}
