import { escapeHtml } from '../trial-report/html.ts';
import { TRIAL_REPORT_CSS } from '../trial-report/styles.ts';

/** A standalone HTML page in the trial report's style: a header with identification, sections, a footer. */
export function standalonePage(options: {
  title: string;
  identification: readonly (readonly [string, string])[];
  sections: readonly { id: string; heading: string; html: string }[];
  footer: string;
  enrichVersion: string;
}): string {
  const sections = options.sections
    .map(
      (section, index) => `<section id="${section.id}" aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${escapeHtml(`${index + 1}. ${section.heading}`)}</h2>
${section.html}
</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="enrich ${escapeHtml(options.enrichVersion)}">
<title>${escapeHtml(options.title)}</title>
<style>${TRIAL_REPORT_CSS}</style>
</head>
<body>
<header class="report-header">
<h1>${escapeHtml(options.title)}</h1>
<dl class="identification">
${options.identification.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd${term === 'SHA-256' ? ' class="hash"' : ''}>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
</header>
<main>
<nav class="contents" aria-label="Contents"><ol>${options.sections.map((section) => `<li><a href="#${section.id}">${escapeHtml(section.heading)}</a></li>`).join('')}</ol></nav>
${sections}
</main>
<footer class="report-footer">
<p>${escapeHtml(options.footer)}</p>
</footer>
</body>
</html>
`;
}
