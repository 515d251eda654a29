/**
 * The report's style sheet (inline; no web fonts, no external resources). Screen: one readable column
 * that tables scroll inside on narrow windows. Print: A4 with margins, a page break before each major
 * section, and no table row, table or figure cut across pages.
 */
import { FONT_FAMILY } from '../svg.ts';

export const TRIAL_REPORT_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --rule: #b8c4d0; --accent: #1f4e79; --band: #f3f7fb; }
* { box-sizing: border-box; }
html { font-family: ${FONT_FAMILY}; font-size: 16px; line-height: 1.45; color: var(--ink); background: #fff; }
body { margin: 0; }
main, header.report-header, footer.report-footer { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
header.report-header { padding-top: 1.5rem; border-bottom: 3px solid var(--accent); padding-bottom: 0.75rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 0.4rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
p { margin: 0.5rem 0; max-width: 48rem; }
dl.identification { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0 0; font-size: 0.92rem; }
dl.identification dt { font-weight: bold; color: var(--muted); }
dl.identification dd { margin: 0; overflow-wrap: anywhere; }
code, .hash { font-family: 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
nav.contents { font-size: 0.92rem; margin: 1rem 0; }
nav.contents ol { columns: 2 16rem; margin: 0.3rem 0; padding-left: 1.4rem; }
a { color: var(--accent); }
.key-results { background: var(--band); border-left: 4px solid var(--accent); padding: 0.6rem 1rem; margin: 1rem 0; }
.key-results h2 { margin-top: 0.3rem; border: 0; }
.key-results ul { margin: 0.3rem 0; padding-left: 1.2rem; }
.key-results li { margin: 0.3rem 0; }
.table-wrap { overflow-x: auto; margin: 0.8rem 0 1.2rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 60%; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.35rem; }
th, td { padding: 0.28rem 0.6rem; vertical-align: top; text-align: left; }
thead tr:first-child th { border-top: 2px solid var(--ink); }
thead tr:last-child th, thead th[rowspan] { border-bottom: 1px solid var(--ink); }
thead th { vertical-align: bottom; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
tbody th { font-weight: normal; }
tbody th[scope="row"] { white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.group th { font-weight: bold; padding-top: 0.5rem; }
tr.indent th { padding-left: 1.6rem; }
.table-note, figcaption { font-size: 0.85rem; color: var(--muted); max-width: 48rem; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { margin-top: 0.4rem; }
.plain { font-size: 1.02rem; }
th.span { text-align: center; border-bottom: 1px solid var(--rule); }
thead tr + tr th { border-top: 0; }
ul.models { font-size: 0.85rem; }
footer.report-footer { margin-top: 2rem; padding-bottom: 2rem; font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--rule); }
@media (max-width: 40rem) { html { font-size: 15px; } dl.identification { grid-template-columns: 1fr; } tbody th[scope="row"] { white-space: normal; } }
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
@media print {
  html { font-size: 10pt; }
  th, td { padding: 0.14rem 0.5rem; }
  tr.group th { padding-top: 0.3rem; }
  main, header.report-header, footer.report-footer { max-width: none; padding: 0; }
  nav.contents { display: none; }
  section.major { break-before: page; }
  h2, h3, caption { break-after: avoid; }
  table, figure, .key-results, .table-wrap, tr, dl { break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  figure svg { max-height: 230mm; }
  a { color: inherit; text-decoration: none; }
}
`;
