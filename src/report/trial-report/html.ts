/** Small helpers for writing the report's HTML as strings. Internal to report/trial-report/. */
import { escapeXml } from '../svg.ts';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return escapeXml(value);
}

/** One table cell. Header cells get `scope`; `field` becomes `data-field` (a stable hook for tests). */
export interface Cell {
  readonly text: string;
  /** A header cell (`<th>`) with this scope. */
  readonly scope?: 'row' | 'col' | 'rowgroup' | 'colgroup';
  /** Right-aligned tabular figures. */
  readonly numeric?: boolean;
  readonly colspan?: number;
  readonly rowspan?: number;
  readonly className?: string;
  readonly field?: string;
}

function cell(value: Cell): string {
  const tag = value.scope ? 'th' : 'td';
  const classes = [value.numeric ? 'num' : '', value.className ?? ''].filter((name) => name !== '');
  const attributes = [
    value.scope ? `scope="${value.scope}"` : '',
    value.colspan && value.colspan > 1 ? `colspan="${value.colspan}"` : '',
    value.rowspan && value.rowspan > 1 ? `rowspan="${value.rowspan}"` : '',
    classes.length > 0 ? `class="${classes.join(' ')}"` : '',
    value.field ? `data-field="${escapeHtml(value.field)}"` : '',
  ].filter((attribute) => attribute !== '');
  return `<${tag}${attributes.length > 0 ? ` ${attributes.join(' ')}` : ''}>${escapeHtml(value.text)}</${tag}>`;
}

/** A row of the body; `className` marks group headers and indented rows. */
export interface Row {
  readonly cells: readonly Cell[];
  readonly className?: string;
}

/** A `<table>` with a caption, a header and a body, wrapped so it scrolls sideways on narrow screens. */
export function table(options: {
  readonly id: string;
  readonly caption: string;
  readonly head: readonly (readonly Cell[])[];
  readonly body: readonly Row[];
  readonly note?: string;
}): string {
  const head = options.head.map((cells) => `<tr>${cells.map(cell).join('')}</tr>`).join('\n');
  const body = options.body
    .map(
      (row) => `<tr${row.className ? ` class="${row.className}"` : ''}>${row.cells.map(cell).join('')}</tr>`,
    )
    .join('\n');
  const note = options.note ? `\n<p class="table-note">${escapeHtml(options.note)}</p>` : '';
  return `<div class="table-wrap">
<table id="${escapeHtml(options.id)}">
<caption>${escapeHtml(options.caption)}</caption>
<thead>
${head}
</thead>
<tbody>
${body}
</tbody>
</table>${note}
</div>`;
}

/** A `<figure>` around an inline SVG with a caption. */
export function figure(id: string, svg: string, caption: string): string {
  return `<figure id="${escapeHtml(id)}">
${svg.trim()}
<figcaption>${escapeHtml(caption)}</figcaption>
</figure>`;
}

/** A paragraph of plain text. */
export function paragraph(value: string, className?: string): string {
  return `<p${className ? ` class="${className}"` : ''}>${escapeHtml(value)}</p>`;
}
