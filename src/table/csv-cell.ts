/**
 * Writing CSV cells that spreadsheets open safely. A text cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is taken by Excel, LibreOffice and Google Sheets as a formula (CSV/formula injection): such
 * a cell gets a leading apostrophe, which spreadsheets show as text and do not display, and is quoted. Numbers
 * are written as numbers (a negative mean stays `-1.5`). `unguardCsvText` undoes the apostrophe, so a file
 * written here and read back gives the text that was written.
 */

/** Text that a spreadsheet would run as a formula, after any apostrophes already there. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * One CSV cell: a number as is; text with a leading apostrophe when it would start a formula (also when it
 * already starts with apostrophes before such a character, so that reading back is exact), quoted as RFC 4180
 * when it holds a comma, quote or line break, or was guarded.
 * @example formatCsvCell('=HYPERLINK("x")'); // "\"'=HYPERLINK(\"\"x\"\")\""
 * @example formatCsvCell(-1.5); // '-1.5'
 */
export function formatCsvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const guarded = FORMULA_START.test(value);
  const text = guarded ? `'${value}` : value;
  return guarded || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The text a guarded cell held: one leading apostrophe removed when apostrophes precede a formula character
 * (the inverse of {@link formatCsvCell} on text).
 * @example unguardCsvText("'=1+1"); // '=1+1'
 * @example unguardCsvText("it's"); // "it's"
 */
export function unguardCsvText(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
