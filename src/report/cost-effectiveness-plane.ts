import { escapeXml, formatFixed, formatTick, line, linearTicks, px, svgOpen, text } from './svg.ts';

/** What the cost-effectiveness plane shows: the bootstrap replicates and the point estimate. */
export interface CostEffectivenessPlaneInput {
  /** Incremental QALYs of each bootstrap replicate (intervention minus control). */
  readonly qalyDifferences: ArrayLike<number>;
  /** Incremental costs of each replicate, in the same order. */
  readonly costDifferences: ArrayLike<number>;
  /** The point estimate (dE, dC). */
  readonly estimate: { readonly qaly: number; readonly cost: number };
}

/** Labels of the plane. */
export interface CostEffectivenessPlaneOptions {
  /** Willingness-to-pay lines (cost per QALY); default 20,000 and 30,000. */
  readonly thresholds?: readonly number[];
  /** Currency symbol for labels; default "£". */
  readonly currencySymbol?: string;
  readonly title?: string;
  /** Name of the intervention and the comparator, for the axis labels. */
  readonly intervention?: string;
  readonly comparator?: string;
}

const WIDTH = 560;
const HEIGHT = 420;
const MARGIN = { left: 78, right: 24, top: 44, bottom: 62 };
const POINT_COLOUR = '#1f4e79';
const THRESHOLD_COLOURS = ['#b00020', '#7a4f01', '#2e7d32'];

/** "£20,000" with thousands separators and a typographic minus. */
export function formatMoney(value: number, symbol: string): string {
  const rounded = Math.round(value);
  const digits = Math.abs(rounded).toLocaleString('en-GB');
  return `${rounded < 0 ? '\u2212' : ''}${symbol}${digits}`;
}

/**
 * The cost-effectiveness plane as an SVG document (a string; nothing is written): one dot per bootstrap
 * replicate at (incremental QALYs, incremental cost), the point estimate as a larger marker, the axes
 * through the origin, and a dashed line through the origin for each willingness-to-pay threshold (cost =
 * lambda x QALYs; replicates below and to the right of a line are cost-effective at that threshold). The
 * quadrants are labelled (north-east: more costly and more effective ...). In the style of the forest plot.
 *
 * @example
 * const svg = costEffectivenessPlane({ qalyDifferences: result.plane.qalyDifferences,
 *   costDifferences: result.plane.costDifferences, estimate: { qaly: 0.004, cost: -2600 } });
 */
export function costEffectivenessPlane(
  input: CostEffectivenessPlaneInput,
  options: CostEffectivenessPlaneOptions = {},
): string {
  const thresholds = options.thresholds ?? [20_000, 30_000];
  const symbol = options.currencySymbol ?? '£';
  const title = options.title ?? 'Cost-effectiveness plane';
  const intervention = options.intervention ?? 'intervention';
  const comparator = options.comparator ?? 'control';
  const count = Math.min(input.qalyDifferences.length, input.costDifferences.length);
  const effects: number[] = [input.estimate.qaly, 0];
  const costs: number[] = [input.estimate.cost, 0];
  for (let index = 0; index < count; index++) {
    const effect = input.qalyDifferences[index] as number;
    const cost = input.costDifferences[index] as number;
    if (Number.isFinite(effect) && Number.isFinite(cost)) {
      effects.push(effect);
      costs.push(cost);
    }
  }
  const spread = (values: number[]) => {
    const low = Math.min(...values);
    const high = Math.max(...values);
    const reach = Math.max(Math.abs(low), Math.abs(high)) || 1;
    return linearTicks(-reach, reach, 6);
  };
  const xTicks = spread(effects);
  const yTicks = spread(costs);
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const xLow = xTicks[0] as number;
  const xHigh = xTicks.at(-1) as number;
  const yLow = yTicks[0] as number;
  const yHigh = yTicks.at(-1) as number;
  const toX = (value: number) => plotLeft + ((value - xLow) / (xHigh - xLow)) * (plotRight - plotLeft);
  const toY = (value: number) => plotBottom - ((value - yLow) / (yHigh - yLow)) * (plotBottom - plotTop);

  const parts: string[] = [svgOpen(WIDTH, HEIGHT, title)];
  parts.push(text(WIDTH / 2, 22, title, { anchor: 'middle', weight: 'bold', size: 13 }));
  parts.push(
    `<clipPath id="ce-plane-clip"><rect x="${px(plotLeft)}" y="${px(plotTop)}" width="${px(plotRight - plotLeft)}" height="${px(plotBottom - plotTop)}"/></clipPath>`,
  );
  for (const tick of yTicks) {
    const y = toY(tick);
    parts.push(line(plotLeft, y, plotRight, y, { stroke: '#e5e5e5', width: 0.8 }));
    parts.push(text(plotLeft - 8, y + 4, formatMoney(tick, symbol), { anchor: 'end', size: 11 }));
  }
  for (const tick of xTicks) {
    const x = toX(tick);
    parts.push(line(x, plotTop, x, plotBottom, { stroke: '#e5e5e5', width: 0.8 }));
    parts.push(text(x, plotBottom + 18, formatTick(tick), { anchor: 'middle', size: 11 }));
  }
  parts.push(line(plotLeft, plotTop, plotLeft, plotBottom, { width: 0.8 }));
  parts.push(line(plotLeft, plotBottom, plotRight, plotBottom, { width: 0.8 }));
  // axes through the origin
  parts.push(line(toX(0), plotTop, toX(0), plotBottom, { stroke: '#444', width: 1, role: 'y-axis' }));
  parts.push(line(plotLeft, toY(0), plotRight, toY(0), { stroke: '#444', width: 1, role: 'x-axis' }));
  // replicates
  const dots: string[] = [];
  for (let index = 0; index < effects.length - 2; index++) {
    dots.push(
      `<circle cx="${px(toX(effects[index + 2] as number))}" cy="${px(toY(costs[index + 2] as number))}" r="1.8"/>`,
    );
  }
  parts.push(
    `<g fill="${POINT_COLOUR}" fill-opacity="0.35" data-role="replicates" data-count="${dots.length}">${dots.join('')}</g>`,
  );
  // threshold lines: cost = lambda x QALYs through the origin, clipped to the plot
  thresholds.forEach((lambda, index) => {
    const colour = THRESHOLD_COLOURS[index % THRESHOLD_COLOURS.length] as string;
    // the line's ends where it leaves the plot box
    const xAtYLow = yLow / lambda;
    const xAtYHigh = yHigh / lambda;
    const x1 = Math.max(xLow, Math.min(xHigh, xAtYLow));
    const x2 = Math.max(xLow, Math.min(xHigh, xAtYHigh));
    parts.push(
      `<line x1="${px(toX(x1))}" y1="${px(toY(lambda * x1))}" x2="${px(toX(x2))}" y2="${px(toY(lambda * x2))}" stroke="${colour}" stroke-width="1.2" stroke-dasharray="6 4" clip-path="url(#ce-plane-clip)" data-role="threshold" data-wtp="${lambda}"/>`,
    );
    const labelX = Math.min(x2, xHigh);
    const labelY = lambda * labelX;
    parts.push(
      text(
        toX(labelX) - 4,
        Math.max(plotTop + 12, toY(labelY) + (index + 1) * 12),
        `${formatMoney(lambda, symbol)}/QALY`,
        {
          anchor: 'end',
          size: 10,
          fill: colour,
          role: 'threshold-label',
        },
      ),
    );
  });
  // the point estimate
  const estimateX = toX(input.estimate.qaly);
  const estimateY = toY(input.estimate.cost);
  parts.push(
    `<path d="M${px(estimateX)},${px(estimateY - 6)} L${px(estimateX + 6)},${px(estimateY)} L${px(estimateX)},${px(estimateY + 6)} L${px(estimateX - 6)},${px(estimateY)} Z" fill="#fff" stroke="#000" stroke-width="1.5" data-role="estimate"><title>${escapeXml(
      `Point estimate: ${formatFixed(input.estimate.qaly, 4)} QALYs, ${formatMoney(input.estimate.cost, symbol)}`,
    )}</title></path>`,
  );
  // quadrant labels
  const corner = { size: 10, fill: '#555' } as const;
  parts.push(text(plotRight - 4, plotTop + 14, 'More costly, more effective', { anchor: 'end', ...corner }));
  parts.push(text(plotLeft + 4, plotTop + 14, 'More costly, less effective', corner));
  parts.push(
    text(plotRight - 4, plotBottom - 6, 'Less costly, more effective', { anchor: 'end', ...corner }),
  );
  parts.push(text(plotLeft + 4, plotBottom - 6, 'Less costly, less effective', corner));
  parts.push(
    text((plotLeft + plotRight) / 2, plotBottom + 38, `Incremental QALYs (${intervention} − ${comparator})`, {
      anchor: 'middle',
    }),
  );
  const middle = (plotTop + plotBottom) / 2;
  parts.push(
    `<text x="${px(16)}" y="${px(middle)}" text-anchor="middle" transform="rotate(-90 ${px(16)} ${px(middle)})">${escapeXml(`Incremental cost (${symbol})`)}</text>`,
  );
  parts.push(
    text(
      WIDTH / 2,
      HEIGHT - 6,
      `${dots.length} bootstrap replicates; diamond: point estimate; dashed: willingness to pay per QALY`,
      { anchor: 'middle', size: 10, fill: '#444', role: 'caption' },
    ),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
