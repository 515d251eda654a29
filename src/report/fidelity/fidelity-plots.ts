import type { FidelityAnalysis } from '../../analysis/index.ts';
import { escapeXml, formatFixed, line, px, svgOpen, text, textWidth } from '../svg.ts';

const PALETTE = ['#1f4e79', '#b35806', '#2d7f5e', '#7b3294', '#c51b7d', '#4d4d4d', '#8c6d31', '#3690c0'];
const BAND_FILLS = ['#eef5ec', '#fbf6e6', '#f9ecec', '#f2f2f2'];

function scaleAxis(
  parts: string[],
  analysis: FidelityAnalysis,
  box: { left: number; right: number; top: number; bottom: number },
  toY: (score: number) => number,
): void {
  const { minimum, maximum } = analysis.index.scale;
  // band shading, high to low, each from its minimum up to the previous band's minimum
  let upper = maximum;
  analysis.index.bands.forEach((band, index) => {
    const lower = Math.max(band.minimum, minimum);
    if (upper > lower) {
      parts.push(
        `<rect x="${px(box.left)}" y="${px(toY(upper))}" width="${px(box.right - box.left)}" height="${px(toY(lower) - toY(upper))}" fill="${BAND_FILLS[index % BAND_FILLS.length]}" data-role="band" data-band="${escapeXml(band.id)}"/>`,
      );
      parts.push(text(box.right - 4, toY(upper) + 12, band.label, { anchor: 'end', size: 10, fill: '#666' }));
    }
    upper = lower;
  });
  for (let tick = minimum; tick <= maximum; tick++) {
    const y = toY(tick);
    parts.push(line(box.left, y, box.right, y, { stroke: '#e0e0e0', width: 0.8 }));
    parts.push(text(box.left - 8, y + 4, String(tick), { anchor: 'end', size: 11 }));
  }
  parts.push(line(box.left, box.bottom, box.right, box.bottom, { width: 0.8, role: 'x-axis' }));
  parts.push(line(box.left, box.top, box.left, box.bottom, { width: 0.8, role: 'y-axis' }));
}

function yLabel(parts: string[], label: string, top: number, bottom: number): void {
  const middle = (top + bottom) / 2;
  parts.push(
    `<text x="18" y="${px(middle)}" text-anchor="middle" transform="rotate(-90 18 ${px(middle)})">${escapeXml(label)}</text>`,
  );
}

/**
 * Overall fidelity score per site over the three timepoints, as an SVG document (a string): one line per site
 * (solid for NHS-employed peer workers, dashed for the voluntary sector), on the index's response scale with
 * its bands shaded, and a legend. Elements carry `data-role` (`site-line`, `point`, `band`) and `data-site`.
 * @example fidelityOverTimePlot(analyseFidelity(definition, ratings))
 */
export function fidelityOverTimePlot(analysis: FidelityAnalysis): string {
  const sites = analysis.sites.map((site) => site.site);
  const legendWidth = Math.max(120, ...sites.map((site) => textWidth(`${site} (voluntary)`, 11) + 56));
  const width = 420 + legendWidth;
  const height = 340;
  const box = { left: 56, right: 420 - 16, top: 40, bottom: height - 52 };
  const { minimum, maximum } = analysis.index.scale;
  const toY = (score: number) =>
    box.bottom - ((score - minimum) / (maximum - minimum)) * (box.bottom - box.top);
  const toX = (timepoint: number) => box.left + 30 + ((timepoint - 1) / 2) * (box.right - box.left - 60);
  const title = 'Overall fidelity by site and timepoint';
  const parts: string[] = [svgOpen(width, height, title)];
  parts.push(text(width / 2, 22, title, { anchor: 'middle', weight: 'bold', size: 13 }));
  scaleAxis(parts, analysis, box, toY);
  for (const timepoint of [1, 2, 3]) {
    parts.push(line(toX(timepoint), box.bottom, toX(timepoint), box.bottom + 5, { width: 0.8 }));
    parts.push(text(toX(timepoint), box.bottom + 18, `T${timepoint}`, { anchor: 'middle', size: 11 }));
  }
  parts.push(text((box.left + box.right) / 2, box.bottom + 38, 'Timepoint', { anchor: 'middle' }));
  yLabel(parts, 'Overall score', box.top, box.bottom);
  sites.forEach((site, index) => {
    const colour = PALETTE[index % PALETTE.length] as string;
    const rows = analysis.siteTimepoints.filter((row) => row.site === site && row.overall !== null);
    const voluntary = rows[0]?.employerType === 'voluntary';
    const points = rows.map((row) => [toX(row.timepoint), toY(row.overall as number)] as const);
    if (points.length > 1) {
      parts.push(
        `<path d="${points.map(([x, y], position) => `${position === 0 ? 'M' : 'L'}${px(x)},${px(y)}`).join('')}" fill="none" stroke="${colour}" stroke-width="2"${voluntary ? ' stroke-dasharray="6 4"' : ''} data-role="site-line" data-site="${escapeXml(site)}"/>`,
      );
    }
    rows.forEach((row, position) => {
      const [x, y] = points[position] as readonly [number, number];
      parts.push(
        `<circle cx="${px(x)}" cy="${px(y)}" r="3.5" fill="${colour}" data-role="point" data-site="${escapeXml(site)}" data-timepoint="${row.timepoint}" data-value="${formatFixed(row.overall as number, 2)}"/>`,
      );
    });
    const legendY = box.top + 8 + index * 20;
    parts.push(
      line(436, legendY - 4, 460, legendY - 4, {
        stroke: colour,
        width: 2,
        ...(voluntary ? { dash: '6 4' } : {}),
      }),
    );
    const employer =
      analysis.sites.find((entry) => entry.site === site)?.employerType === 'nhs' ? 'NHS' : 'voluntary';
    parts.push(text(466, legendY, `${site} (${employer})`, { size: 11 }));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * Set-up and delivery fidelity per site (each the mean over the site's timepoints), as grouped bars on the
 * index's response scale with its bands shaded, as an SVG document (a string). Bars carry `data-role="bar"`,
 * `data-site`, `data-part` and `data-value`.
 * @example setupDeliveryPlot(analyseFidelity(definition, ratings))
 */
export function setupDeliveryPlot(analysis: FidelityAnalysis): string {
  const sites = analysis.sites;
  const groupWidth = 64;
  const width = Math.max(420, 56 + 24 + sites.length * groupWidth + 140);
  const height = 340;
  const box = { left: 56, right: width - 140, top: 40, bottom: height - 56 };
  const { minimum, maximum } = analysis.index.scale;
  const toY = (score: number) =>
    box.bottom - ((score - minimum) / (maximum - minimum)) * (box.bottom - box.top);
  const title = 'Set-up and delivery fidelity by site';
  const parts: string[] = [svgOpen(width, height, title)];
  parts.push(text(width / 2, 22, title, { anchor: 'middle', weight: 'bold', size: 13 }));
  scaleAxis(parts, analysis, box, toY);
  yLabel(parts, 'Mean score over timepoints', box.top, box.bottom);
  const colours = { setup: '#9ecae1', delivery: '#1f4e79' } as const;
  const step = (box.right - box.left) / Math.max(sites.length, 1);
  sites.forEach((site, index) => {
    const centre = box.left + step * (index + 0.5);
    (['setup', 'delivery'] as const).forEach((part, position) => {
      const value = site[part];
      if (value === null) return;
      const x = centre - 22 + position * 22;
      parts.push(
        `<rect x="${px(x)}" y="${px(toY(value))}" width="20" height="${px(box.bottom - toY(value))}" fill="${colours[part]}" data-role="bar" data-site="${escapeXml(site.site)}" data-part="${part}" data-value="${formatFixed(value, 2)}"/>`,
      );
    });
    parts.push(text(centre, box.bottom + 16, site.site, { anchor: 'middle', size: 11 }));
    parts.push(
      text(centre, box.bottom + 30, site.employerType === 'nhs' ? 'NHS' : 'voluntary', {
        anchor: 'middle',
        size: 10,
        fill: '#555',
      }),
    );
  });
  (['setup', 'delivery'] as const).forEach((part, index) => {
    const y = box.top + 8 + index * 20;
    parts.push(
      `<rect x="${px(box.right + 16)}" y="${px(y - 10)}" width="14" height="12" fill="${colours[part]}"/>`,
    );
    parts.push(text(box.right + 36, y, part === 'setup' ? 'Set-up' : 'Delivery', { size: 11 }));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
