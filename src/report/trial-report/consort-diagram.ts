import type { ConsortNumbers } from '../../analysis/trial-analysis-types.ts';
import { escapeXml, px, svgOpen, text, textWidth } from '../svg.ts';
import { lowerFirst } from './format.ts';

/** One arm of the diagram: its level in the analysis and its display name. */
export interface ConsortArm {
  readonly level: string;
  readonly label: string;
}

/** Arms (left to right) and labels of a CONSORT flow diagram. */
export interface ConsortDiagramOptions {
  /** Arms in display order, e.g. `[{ level: 'peer_support', label: 'Peer support' }, ...]`. */
  readonly arms: readonly ConsortArm[];
  /** Figure title (the SVG `<title>`; not drawn). */
  readonly title?: string;
  /** Extra line in the randomisation box, e.g. "stratified by site and diagnosis group". */
  readonly randomisationNote?: string;
}

/** The counts a line of a box shows, for tests and screen readers (`data-key` on the line). */
type CountKey =
  | 'randomised'
  | 'allocated'
  | 'withdrawn'
  | 'died'
  | 'missingPrimary'
  | 'noFourMonth'
  | 'analysedPrimary'
  | 'fourMonthFollowUp';

interface BoxLine {
  readonly text: string;
  readonly bold?: boolean;
  readonly key?: CountKey;
  readonly value?: number;
}

const MARGIN = 16;
const STAGE_WIDTH = 74;
const LINE_HEIGHT = 16;
const BOX_PADDING = 9;
const GAP = 28;
const BOX_FILL = '#f3f7fb';
const BOX_STROKE = '#1f4e79';

/**
 * A CONSORT 2010 flow diagram of a randomised trial as an SVG document (a string; nothing is written):
 * randomised → allocated to each arm → follow-up (withdrew, died, primary outcome not known, no
 * 4-month interview) → analysis (analysed for the primary outcome, 4-month interview), one column per
 * arm, stage names on the left as in the CONSORT template. Each count is a `<tspan>`-free `<text>`
 * with `data-key`, `data-arm` and `data-value`, so tests can check that the boxes add up.
 * Withdrawal and death can overlap with a known primary outcome (records-based outcomes are collected
 * after withdrawal where consent allows), so only "analysed + not known = allocated" must add up.
 *
 * @example
 * const svg = consortDiagram(analysis.consort, {
 *   arms: [{ level: 'peer_support', label: 'Peer support' }, { level: 'usual_care', label: 'Usual care' }],
 * });
 */
export function consortDiagram(consort: ConsortNumbers, options: ConsortDiagramOptions): string {
  const arms = options.arms;
  const count = (value: number) => `(n = ${value})`;
  const randomisedLines: BoxLine[] = [
    {
      text: `Randomised ${count(consort.randomised)}`,
      bold: true,
      key: 'randomised',
      value: consort.randomised,
    },
  ];
  if (options.randomisationNote) randomisedLines.push({ text: options.randomisationNote });

  const columns = arms.map((arm) => {
    const numbers = consort.byArm[arm.level] ?? {
      randomised: 0,
      analysedPrimary: 0,
      fourMonthFollowUp: 0,
      withdrawn: 0,
      died: 0,
      missingPrimary: 0,
    };
    const allocation: BoxLine[] = [
      { text: `Allocated to ${lowerFirst(arm.label)}`, bold: true },
      { text: count(numbers.randomised), bold: true, key: 'allocated', value: numbers.randomised },
    ];
    const followUp: BoxLine[] = [
      {
        text: `Withdrew from the trial ${count(numbers.withdrawn)}`,
        key: 'withdrawn',
        value: numbers.withdrawn,
      },
      { text: `Died within 12 months ${count(numbers.died)}`, key: 'died', value: numbers.died },
      {
        text: `Primary outcome not known ${count(numbers.missingPrimary)}`,
        key: 'missingPrimary',
        value: numbers.missingPrimary,
      },
      {
        text: `No 4-month interview ${count(numbers.randomised - numbers.fourMonthFollowUp)}`,
        key: 'noFourMonth',
        value: numbers.randomised - numbers.fourMonthFollowUp,
      },
    ];
    const analysis: BoxLine[] = [
      {
        text: `Analysed for the primary outcome ${count(numbers.analysedPrimary)}`,
        bold: true,
        key: 'analysedPrimary',
        value: numbers.analysedPrimary,
      },
      {
        text: `4-month interview ${count(numbers.fourMonthFollowUp)}`,
        key: 'fourMonthFollowUp',
        value: numbers.fourMonthFollowUp,
      },
    ];
    return { arm, boxes: [allocation, followUp, analysis] };
  });

  const lineWidth = (boxLine: BoxLine) => textWidth(boxLine.text, 12) * (boxLine.bold ? 1.08 : 1);
  const boxWidth = Math.max(
    210,
    ...columns.flatMap((column) =>
      column.boxes.flat().map((boxLine) => lineWidth(boxLine) + 2 * BOX_PADDING),
    ),
  );
  const boxHeight = (lines: readonly BoxLine[]) => lines.length * LINE_HEIGHT + 2 * BOX_PADDING - 2;
  const columnsLeft = MARGIN + STAGE_WIDTH;
  const columnsWidth = arms.length * boxWidth + (arms.length - 1) * GAP;
  const width = columnsLeft + columnsWidth + MARGIN;
  const centreOf = (index: number) => columnsLeft + index * (boxWidth + GAP) + boxWidth / 2;
  const middle = columnsLeft + columnsWidth / 2;

  const parts: string[] = [];
  // randomisation box, centred
  const randomisedWidth = Math.max(
    200,
    ...randomisedLines.map((boxLine) => lineWidth(boxLine) + 2 * BOX_PADDING),
  );
  let y = MARGIN;
  parts.push(box(middle - randomisedWidth / 2, y, randomisedWidth, randomisedLines, 'all', 'middle'));
  y += boxHeight(randomisedLines);

  // split to the arms
  const splitY = y + 14;
  const stageRows: { name: string; top: number; bottom: number }[] = [];
  parts.push(connector(middle, y, middle, splitY, false));
  if (arms.length > 1) parts.push(connector(centreOf(0), splitY, centreOf(arms.length - 1), splitY, false));
  y = splitY + 14;

  const stages = ['Allocation', 'Follow-up', 'Analysis'];
  stages.forEach((stage, stageIndex) => {
    const height = Math.max(...columns.map((column) => boxHeight(column.boxes[stageIndex] ?? [])));
    columns.forEach((column, index) => {
      const lines = column.boxes[stageIndex] ?? [];
      const left = centreOf(index) - boxWidth / 2;
      if (stageIndex === 0) parts.push(connector(centreOf(index), splitY, centreOf(index), y, true));
      parts.push(
        box(left, y, boxWidth, lines, column.arm.level, stageIndex === 0 ? 'middle' : 'start', height),
      );
      if (stageIndex < stages.length - 1) {
        parts.push(connector(centreOf(index), y + height, centreOf(index), y + height + GAP, true));
      }
    });
    stageRows.push({ name: stage, top: y, bottom: y + height });
    y += height + (stageIndex < stages.length - 1 ? GAP : 0);
  });

  // stage names: a rounded band on the left of each row, as in the CONSORT template
  for (const row of stageRows) {
    const bandTop = row.top;
    const bandHeight = row.bottom - row.top;
    parts.push(
      `<g data-role="consort-stage"><rect x="${px(MARGIN)}" y="${px(bandTop)}" width="${px(STAGE_WIDTH - 12)}" height="${px(bandHeight)}" rx="6" fill="#dce6f1"/>${text(MARGIN + (STAGE_WIDTH - 12) / 2, bandTop + bandHeight / 2 + 4, row.name, { anchor: 'middle', size: 11, weight: 'bold' })}</g>`,
    );
  }

  const height = y + MARGIN;
  const title =
    options.title ??
    `CONSORT flow diagram: ${consort.randomised} randomised; ${arms
      .map((arm) => `${consort.byArm[arm.level]?.randomised ?? 0} allocated to ${lowerFirst(arm.label)}`)
      .join(', ')}`;
  return `${svgOpen(width, height, title)}\n${parts.join('\n')}\n</svg>\n`;
}

function box(
  left: number,
  top: number,
  width: number,
  lines: readonly BoxLine[],
  arm: string,
  align: 'start' | 'middle',
  height = lines.length * LINE_HEIGHT + 2 * BOX_PADDING - 2,
): string {
  const items = [
    `<rect x="${px(left)}" y="${px(top)}" width="${px(width)}" height="${px(height)}" fill="${BOX_FILL}" stroke="${BOX_STROKE}" stroke-width="1"/>`,
  ];
  lines.forEach((boxLine, index) => {
    const x = align === 'middle' ? left + width / 2 : left + BOX_PADDING;
    const baseline = top + BOX_PADDING + 11 + index * LINE_HEIGHT;
    const attributes = [
      `x="${px(x)}"`,
      `y="${px(baseline)}"`,
      align === 'middle' ? 'text-anchor="middle"' : '',
      boxLine.bold ? 'font-weight="bold"' : '',
      boxLine.key ? `data-role="consort-count" data-arm="${escapeXml(arm)}" data-key="${boxLine.key}"` : '',
      boxLine.value !== undefined ? `data-value="${boxLine.value}"` : '',
    ].filter((attribute) => attribute !== '');
    items.push(`<text ${attributes.join(' ')}>${escapeXml(boxLine.text)}</text>`);
  });
  return `<g data-role="consort-box" data-arm="${escapeXml(arm)}">${items.join('')}</g>`;
}

/** A connecting line, with an arrowhead at (x2, y2) when `arrow` is true. */
function connector(x1: number, y1: number, x2: number, y2: number, arrow: boolean): string {
  const shaft = `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(arrow ? y2 - 6 : y2)}" stroke="#000" stroke-width="1.1"/>`;
  if (!arrow) return shaft;
  return `${shaft}<polygon points="${px(x2)},${px(y2)} ${px(x2 - 4.5)},${px(y2 - 7)} ${px(x2 + 4.5)},${px(y2 - 7)}" fill="#000"/>`;
}
