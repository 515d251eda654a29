import type { PowerResult } from '../trial/index.ts';
import { escapeXml, formatFixed, formatTick, line, linearTicks, px, svgOpen, text } from './svg.ts';

/** Labels of a power curve. */
export interface PowerCurveOptions {
  /** The power to mark with a dashed line (0.8; set 0 for none). */
  readonly targetPower?: number;
  /** Figure title (the SVG `<title>`, and drawn above the plot). */
  readonly title?: string;
}

const WIDTH = 560;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 24, top: 44, bottom: 56 };
const LINE_COLOUR = '#1f4e79';

/**
 * A power curve as an SVG document (a string; nothing is written): power by total sample size, each point
 * with its 95% Monte Carlo interval (power +- 1.96 SE, clipped to [0, 1]), joined by a line, on a 0-1 axis,
 * with a dashed line at the target power and the settings (control risk, risk ratio, reps, alpha) in the
 * caption. In the style of the forest plot (fonts, sizes, colours); elements carry `data-role` attributes.
 *
 * @example
 * const svg = powerCurve(simulatePower({ sampleSizes: [200, 400, 590, 800], reps: 1000, seed: 1 }));
 */
export function powerCurve(result: PowerResult, options: PowerCurveOptions = {}): string {
  const target = options.targetPower ?? 0.8;
  const title = options.title ?? 'Power by simulation';
  const points = [...result.points].sort((left, right) => left.n - right.n);
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const sizes = points.map((point) => point.n);
  const low = Math.min(...sizes);
  const high = Math.max(...sizes);
  const xTicks = linearTicks(low === high ? low * 0.5 : low, low === high ? high * 1.5 : high, 6).filter(
    (tick) => tick >= 0,
  );
  const axisLow = xTicks[0] as number;
  const axisHigh = xTicks.at(-1) as number;
  const toX = (n: number) => plotLeft + ((n - axisLow) / (axisHigh - axisLow)) * (plotRight - plotLeft);
  const toY = (power: number) => plotBottom - power * (plotBottom - plotTop);

  const parts: string[] = [svgOpen(WIDTH, HEIGHT, title)];
  parts.push(text(WIDTH / 2, 22, title, { anchor: 'middle', weight: 'bold', size: 13 }));
  // grid and axes
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    const y = toY(tick);
    parts.push(line(plotLeft, y, plotRight, y, { stroke: '#e5e5e5', width: 0.8 }));
    parts.push(text(plotLeft - 8, y + 4, formatFixed(tick, 1), { anchor: 'end', size: 11 }));
  }
  for (const tick of xTicks) {
    const x = toX(tick);
    parts.push(line(x, plotBottom, x, plotBottom + 5, { width: 0.8 }));
    parts.push(text(x, plotBottom + 18, formatTick(tick), { anchor: 'middle', size: 11 }));
  }
  parts.push(line(plotLeft, plotBottom, plotRight, plotBottom, { width: 0.8, role: 'x-axis' }));
  parts.push(line(plotLeft, plotTop, plotLeft, plotBottom, { width: 0.8, role: 'y-axis' }));
  parts.push(
    text((plotLeft + plotRight) / 2, plotBottom + 38, 'Total sample size (both arms)', { anchor: 'middle' }),
  );
  parts.push(
    `<text x="${px(18)}" y="${px((plotTop + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 ${px(18)} ${px((plotTop + plotBottom) / 2)})">Power</text>`,
  );
  if (target > 0 && target < 1) {
    const y = toY(target);
    parts.push(line(plotLeft, y, plotRight, y, { stroke: '#b00020', width: 1, dash: '5 4', role: 'target' }));
    parts.push(
      text(plotRight - 4, y - 5, `${formatFixed(target * 100, 0)}% power`, {
        anchor: 'end',
        size: 11,
        fill: '#b00020',
      }),
    );
  }
  // the curve, the Monte Carlo intervals and the points
  if (points.length > 1) {
    const path = points.map(
      (point, index) => `${index === 0 ? 'M' : 'L'}${px(toX(point.n))},${px(toY(point.power))}`,
    );
    parts.push(
      `<path d="${path.join(' ')}" fill="none" stroke="${LINE_COLOUR}" stroke-width="1.6" data-role="curve"/>`,
    );
  }
  for (const point of points) {
    const x = toX(point.n);
    const lower = Math.max(0, point.power - 1.96 * point.monteCarloSe);
    const upper = Math.min(1, point.power + 1.96 * point.monteCarloSe);
    parts.push(line(x, toY(lower), x, toY(upper), { stroke: LINE_COLOUR, width: 1.1, role: 'mc-interval' }));
    parts.push(line(x - 4, toY(lower), x + 4, toY(lower), { stroke: LINE_COLOUR, width: 1.1 }));
    parts.push(line(x - 4, toY(upper), x + 4, toY(upper), { stroke: LINE_COLOUR, width: 1.1 }));
    parts.push(
      `<circle cx="${px(x)}" cy="${px(toY(point.power))}" r="3.5" fill="${LINE_COLOUR}" data-role="point"><title>${escapeXml(
        `n = ${point.n}: power ${formatFixed(point.power, 3)} (MC SE ${formatFixed(point.monteCarloSe, 3)})`,
      )}</title></circle>`,
    );
  }
  const caption = `Control risk ${formatFixed(result.controlRisk, 3)}, risk ratio ${formatFixed(result.riskRatio, 2)}, ${result.reps} simulated trials per n, two-sided alpha ${result.alpha}; bars: 95% Monte Carlo intervals`;
  parts.push(
    text(WIDTH / 2, HEIGHT - 6, caption, { anchor: 'middle', size: 10, fill: '#444', role: 'caption' }),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
