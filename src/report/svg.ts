/** Small helpers for writing SVG figures as strings. Internal to report/. */

export const FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate rounded to 0.01 px (keeps files small and diffs stable). */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Approximate width of `text` in px at `size` for a Helvetica-like font (no font metrics in a pure function). */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const character of text) {
    if ("ilj.,:;|!'()[] ".includes(character)) units += 0.3;
    else if ('mwMW%'.includes(character)) units += 0.85;
    else if (character >= 'A' && character <= 'Z') units += 0.66;
    else units += 0.54;
  }
  return units * size;
}

/** A number with `digits` decimals and a typographic minus sign. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'NA';
  const text = value.toFixed(digits);
  const negativeZero = /^-0\.?0*$/.test(text);
  return negativeZero ? text.slice(1) : text.replace('-', '\u2212');
}

/** A p-value for figure annotations: `p < 0.001` or `p = 0.042`. */
export function formatP(value: number): string {
  if (!Number.isFinite(value)) return 'p = NA';
  if (value < 0.001) return 'p < 0.001';
  return `p = ${value < 0.01 ? value.toFixed(3) : value.toFixed(2)}`;
}

/** A `<text>` element. */
export function text(
  x: number,
  y: number,
  content: string,
  options: {
    anchor?: 'start' | 'middle' | 'end';
    size?: number;
    weight?: 'bold' | undefined;
    style?: 'italic';
    fill?: string;
    role?: string;
  } = {},
): string {
  const attributes = [
    `x="${px(x)}"`,
    `y="${px(y)}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    options.size ? `font-size="${options.size}"` : '',
    options.weight ? `font-weight="${options.weight}"` : '',
    options.style ? `font-style="${options.style}"` : '',
    options.fill ? `fill="${options.fill}"` : '',
    options.role ? `data-role="${options.role}"` : '',
  ].filter((attribute) => attribute !== '');
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/** A `<line>` element. */
export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  options: { stroke?: string; width?: number; dash?: string; role?: string } = {},
): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${options.stroke ?? '#000'}" stroke-width="${options.width ?? 1}"${options.dash ? ` stroke-dasharray="${options.dash}"` : ''}${options.role ? ` data-role="${options.role}"` : ''}/>`;
}

/** The opening `<svg>` tag with a white background and the figure's font. */
export function svgOpen(width: number, height: number, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="12" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${px(width)}" height="${px(height)}" fill="#fff"/>`,
  ].join('\n');
}

/** Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 × 10^n) covering [low, high]. */
export function linearTicks(low: number, high: number, target = 6): number[] {
  if (!(high > low)) {
    const spread = Math.abs(low) > 0 ? Math.abs(low) : 1;
    return linearTicks(low - spread, high + spread, target);
  }
  const rough = (high - low) / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ??
    10 * magnitude;
  const first = Math.floor(low / step + 1e-9) * step;
  const last = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let value = first; value <= last + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** Ticks for a ratio axis on the log scale (1, 2, 5 × 10^n) covering [low, high] (natural scale). */
export function logTicks(low: number, high: number): number[] {
  const candidates: number[] = [];
  for (let power = -4; power <= 4; power++) {
    for (const factor of [1, 2, 5]) candidates.push(Number((factor * 10 ** power).toPrecision(6)));
  }
  const first =
    [...candidates].reverse().find((value) => value <= low * (1 + 1e-9)) ?? (candidates[0] as number);
  const last = candidates.find((value) => value >= high * (1 - 1e-9)) ?? (candidates.at(-1) as number);
  let ticks = candidates.filter((value) => value >= first && value <= last);
  // too many ticks: keep the powers of ten
  if (ticks.length > 9)
    ticks = ticks.filter((value) => Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9);
  return ticks;
}

/** A tick label: up to 3 significant digits, no trailing zeros, typographic minus. */
export function formatTick(value: number): string {
  const text = Number(value.toPrecision(3)).toString();
  return text.replace('-', '\u2212');
}
