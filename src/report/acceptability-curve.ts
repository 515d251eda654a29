import { formatMoney } from './cost-effectiveness-plane.ts';
import { escapeXml, formatFixed, line, linearTicks, px, svgOpen, text } from './svg.ts';

/** Labels of the cost-effectiveness acceptability curve. */
export interface AcceptabilityCurveOptions {
  /** Thresholds to mark with a vertical line and the probability there; default 20,000 and 30,000. */
  readonly marks?: readonly number[];
  readonly currencySymbol?: string;
  readonly title?: string;
  /** Name of the intervention, for the y-axis label. */
  readonly intervention?: string;
}

const WIDTH = 560;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 36, top: 44, bottom: 58 };
const LINE_COLOUR = '#1f4e79';
const MARK_COLOURS = ['#b00020', '#7a4f01', '#2e7d32'];

/**
 * The cost-effectiveness acceptability curve as an SVG document (a string; nothing is written): the
 * probability that the intervention is cost-effective (net monetary benefit > 0 across bootstrap replicates)
 * against the willingness to pay per QALY, a step-free line through the given points on a 0-1 axis, with
 * dashed vertical lines and the probabilities at the marked thresholds. In the style of the forest plot.
 *
 * @example
 * const svg = acceptabilityCurve(result.ceac, { marks: [20000, 30000] });
 */
export function acceptabilityCurve(
  points: readonly { readonly wtp: number; readonly probability: number }[],
  options: AcceptabilityCurveOptions = {},
): string {
  const marks = options.marks ?? [20_000, 30_000];
  const symbol = options.currencySymbol ?? '£';
  const title = options.title ?? 'Cost-effectiveness acceptability curve';
  const intervention = options.intervention ?? 'intervention';
  const sorted = [...points].sort((left, right) => left.wtp - right.wtp);
  const high = Math.max(...sorted.map((point) => point.wtp), ...marks, 1);
  const xTicks = linearTicks(0, high, 5);
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const xHigh = xTicks.at(-1) as number;
  const toX = (value: number) => plotLeft + (value / xHigh) * (plotRight - plotLeft);
  const toY = (value: number) => plotBottom - value * (plotBottom - plotTop);

  const parts: string[] = [svgOpen(WIDTH, HEIGHT, title)];
  parts.push(text(WIDTH / 2, 22, title, { anchor: 'middle', weight: 'bold', size: 13 }));
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    const y = toY(tick);
    parts.push(line(plotLeft, y, plotRight, y, { stroke: '#e5e5e5', width: 0.8 }));
    parts.push(text(plotLeft - 8, y + 4, formatFixed(tick, 1), { anchor: 'end', size: 11 }));
  }
  for (const tick of xTicks) {
    const x = toX(tick);
    parts.push(line(x, plotBottom, x, plotBottom + 5, { width: 0.8 }));
    parts.push(text(x, plotBottom + 18, formatMoney(tick, symbol), { anchor: 'middle', size: 11 }));
  }
  parts.push(line(plotLeft, plotBottom, plotRight, plotBottom, { width: 0.8, role: 'x-axis' }));
  parts.push(line(plotLeft, plotTop, plotLeft, plotBottom, { width: 0.8, role: 'y-axis' }));
  parts.push(
    text((plotLeft + plotRight) / 2, plotBottom + 38, `Willingness to pay per QALY (${symbol})`, {
      anchor: 'middle',
    }),
  );
  const middle = (plotTop + plotBottom) / 2;
  parts.push(
    `<text x="${px(18)}" y="${px(middle)}" text-anchor="middle" transform="rotate(-90 ${px(18)} ${px(middle)})">${escapeXml(`Probability ${intervention} is cost-effective`)}</text>`,
  );
  const probabilityAt = (wtp: number): number | undefined => {
    const exact = sorted.find((point) => point.wtp === wtp);
    if (exact !== undefined) return exact.probability;
    const after = sorted.findIndex((point) => point.wtp > wtp);
    if (after <= 0) return undefined;
    const left = sorted[after - 1] as { wtp: number; probability: number };
    const right = sorted[after] as { wtp: number; probability: number };
    return (
      left.probability + ((wtp - left.wtp) / (right.wtp - left.wtp)) * (right.probability - left.probability)
    );
  };
  marks.forEach((wtp, index) => {
    const colour = MARK_COLOURS[index % MARK_COLOURS.length] as string;
    const x = toX(wtp);
    parts.push(line(x, plotTop, x, plotBottom, { stroke: colour, width: 1, dash: '5 4', role: 'mark' }));
    const probability = probabilityAt(wtp);
    parts.push(
      text(
        x + 4,
        plotTop + 12 + index * 14,
        `${formatMoney(wtp, symbol)}: ${probability === undefined ? 'NA' : formatFixed(probability, 2)}`,
        {
          size: 11,
          fill: colour,
          role: 'mark-label',
        },
      ),
    );
  });
  if (sorted.length > 0) {
    const path = sorted.map(
      (point, index) => `${index === 0 ? 'M' : 'L'}${px(toX(point.wtp))},${px(toY(point.probability))}`,
    );
    parts.push(
      `<path d="${path.join(' ')}" fill="none" stroke="${LINE_COLOUR}" stroke-width="1.8" data-role="curve"/>`,
    );
  }
  parts.push(
    text(
      WIDTH / 2,
      HEIGHT - 6,
      'Share of bootstrap replicates with positive net monetary benefit (λ·ΔQALY − Δcost > 0)',
      { anchor: 'middle', size: 10, fill: '#444', role: 'caption' },
    ),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
