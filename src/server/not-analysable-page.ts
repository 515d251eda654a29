import type { DatasetError } from '../trial/index.ts';

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** What a report page says when its analysis refused the data: which report, of what, and who refused. */
export interface NotAnalysableWording {
  /** e.g. "Analysis report" (the page title says "... not available"). */
  readonly report: string;
  /** e.g. "The analysis report cannot be made from this dataset yet". */
  readonly heading: string;
  /** e.g. "The pre-specified analyses refused the exported dataset". */
  readonly refusedBy: string;
}

/**
 * The HTML page a browser tab shows (with status 422) when a report link's analysis refuses the data, e.g. no
 * participant with a 12-month outcome yet: the error code and every problem, escaped.
 */
export function notAnalysablePage(error: DatasetError, wording: NotAnalysableWording): string {
  const items = error.problems.map((problem) => `<li>${escapeHtml(problem.message)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(wording.report)} not available</title></head><body><h1>${escapeHtml(wording.heading)}</h1><p>${escapeHtml(wording.refusedBy)} (error ${escapeHtml(error.code)}):</p><ul>${items}</ul></body></html>`;
}
