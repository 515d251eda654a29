import type { MetaAnalysisResult } from '../stats/index.ts';
import { formatTick, line, linearTicks, logTicks, px, svgOpen, text } from './svg.ts';

const AXIS_NAMES: Record<MetaAnalysisResult['measure'], string> = {
  RR: 'Risk ratio (log scale)',
  OR: 'Odds ratio (log scale)',
  RD: 'Risk difference',
  SMD: 'Standardised mean difference',
  MD: 'Mean difference',
  GEN: 'Effect size',
};

/**
 * A funnel plot as an SVG document (a string), as metafor's funnel(): each study's estimate against its
 * standard error on an inverted axis (precise studies at the top), the pseudo 95% confidence region
 * estimate ± 1.96·SE as a white funnel on a grey ground, and a vertical line at the pooled estimate.
 * Ratio measures use a log axis labelled on the natural scale. Points carry `data-role="study-point"`.
 *
 * @example
 * const svg = funnelPlot(metaAnalysis(data, { measure: 'SMD' }));
 */
export function funnelPlot(result: MetaAnalysisResult, options: { title?: string } = {}): string {
  const ratio = result.measure === 'RR' || result.measure === 'OR';
  const width = 560;
  const height = 430;
  const left = 72;
  const right = width - 24;
  const top = 24;
  const bottom = height - 64;
  const z = 1.959963984540054;
  // a study without an effect size (MH/Peto: no events, or only events, in both arms) is not drawn
  const studies = result.studies.filter((study) => Number.isFinite(study.yi) && Number.isFinite(study.vi));
  const ses = studies.map((study) => Math.sqrt(study.vi));
  const seTicks = linearTicks(0, Math.max(...ses) * 1.05, 4);
  const seMax = seTicks.at(-1) as number;
  const centre = result.estimate;
  const xs = [centre - z * seMax, centre + z * seMax, ...studies.map((study) => study.yi)];
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  const ticks = ratio ? logTicks(Math.exp(low), Math.exp(high)) : linearTicks(low, high, 6);
  const axisLow = Math.min(ratio ? Math.log(ticks[0] as number) : (ticks[0] as number), low);
  const axisHigh = Math.max(ratio ? Math.log(ticks.at(-1) as number) : (ticks.at(-1) as number), high);
  const toX = (value: number) => left + ((value - axisLow) / (axisHigh - axisLow)) * (right - left);
  const toY = (se: number) => top + (se / seMax) * (bottom - top);

  const parts: string[] = [];
  parts.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" fill="#e6e6e6"/>`,
  );
  const funnelPoints = [
    [toX(centre), toY(0)],
    [toX(centre - z * seMax), toY(seMax)],
    [toX(centre + z * seMax), toY(seMax)],
  ]
    .map(([x, y]) => `${px(x as number)},${px(y as number)}`)
    .join(' ');
  parts.push(
    `<polygon data-role="pseudo-confidence-region" points="${funnelPoints}" fill="#fff" stroke="#555" stroke-width="0.8" stroke-dasharray="4,3"/>`,
  );
  for (const tick of seTicks) {
    parts.push(line(left, toY(tick), right, toY(tick), { stroke: '#fff', width: 0.6 }));
  }
  parts.push(line(toX(centre), toY(0), toX(centre), toY(seMax), { width: 1, role: 'pooled-line' }));
  if (ratio ? true : axisLow < 0 && axisHigh > 0) {
    parts.push(
      line(toX(0), top, toX(0), bottom, { width: 0.8, stroke: '#999', dash: '1,2', role: 'null-line' }),
    );
  }
  studies.forEach((study, index) => {
    parts.push(
      `<circle data-role="study-point" data-study="${study.study.replace(/[<>&"']/g, '')}" cx="${px(toX(study.yi))}" cy="${px(toY(ses[index] as number))}" r="3.6" fill="#000" fill-opacity="0.85" stroke="#fff" stroke-width="0.6"/>`,
    );
  });
  parts.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" fill="none" stroke="#000" stroke-width="0.8"/>`,
  );
  for (const tick of ticks) {
    const x = toX(ratio ? Math.log(tick) : tick);
    if (x < left - 0.5 || x > right + 0.5) continue;
    parts.push(
      `<g data-role="axis-tick" data-value="${tick}">${line(x, bottom, x, bottom + 5, { width: 0.8 })}${text(x, bottom + 18, formatTick(tick), { anchor: 'middle', size: 11 })}</g>`,
    );
  }
  for (const tick of seTicks) {
    const y = toY(tick);
    parts.push(
      `${line(left - 5, y, left, y, { width: 0.8 })}${text(left - 8, y + 4, formatTick(tick), { anchor: 'end', size: 11 })}`,
    );
  }
  parts.push(text((left + right) / 2, bottom + 40, AXIS_NAMES[result.measure], { anchor: 'middle' }));
  parts.push(
    `<text x="${px(22)}" y="${px((top + bottom) / 2)}" text-anchor="middle" transform="rotate(-90 22 ${px((top + bottom) / 2)})">Standard error</text>`,
  );
  const title = options.title ?? `Funnel plot: ${AXIS_NAMES[result.measure]}`;
  return `${svgOpen(width, height, title)}\n${parts.join('\n')}\n</svg>\n`;
}
