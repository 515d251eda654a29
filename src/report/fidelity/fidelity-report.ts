import type { FidelityAnalysis, RaterAgreement } from '../../analysis/index.ts';
import { formatDecimal, formatPValue } from '../trial-report/format.ts';
import { figure, paragraph, type Row, table } from '../trial-report/html.ts';
import { fidelityOverTimePlot, setupDeliveryPlot } from './fidelity-plots.ts';
import { standalonePage } from './page.ts';

/** Provenance printed on the page; the caller (the CLI) reads the file, hashes it and knows the clock. */
export interface FidelityReportOptions {
  readonly title?: string;
  readonly inputFile: string;
  readonly inputSha256: string;
  readonly generatedAt: string;
  readonly enrichVersion: string;
}

const score = (value: number | null) => formatDecimal(value, 2);
const interval = (value: { estimate: number; ciLower: number | null; ciUpper: number | null } | null) =>
  value === null
    ? '–'
    : value.ciLower === null || value.ciUpper === null
      ? `${formatDecimal(value.estimate, 2)} (no CI)`
      : `${formatDecimal(value.estimate, 2)} (${formatDecimal(value.ciLower, 2)} to ${formatDecimal(value.ciUpper, 2)})`;

function bandLabel(analysis: FidelityAnalysis, id: string | null): string {
  return analysis.index.bands.find((band) => band.id === id)?.label ?? '–';
}

/**
 * The fidelity report's sections as HTML fragments (id, heading, html), for a standalone page or another
 * report: scores by site and timepoint (table and line chart), set-up vs delivery (bars and table), NHS vs
 * voluntary sector (Welch's t-test on site scores), inter-rater reliability, internal consistency, and the
 * disagreements that still need a consensus score. Every number is in `enrich fidelity --json`.
 * @example fidelitySections(analysis).map((section) => section.heading)
 */
export function fidelitySections(
  analysis: FidelityAnalysis,
): { id: string; heading: string; html: string }[] {
  const domains = analysis.index.domains;
  const placeholderNote =
    analysis.index.placeholderItems > 0
      ? paragraph(
          `Caution: ${analysis.index.placeholderItems} of the index's items are placeholders from the template (${analysis.index.name}, version ${analysis.index.version}); replace them with the published index's items before interpreting these scores.`,
          'caution',
        )
      : '';
  const bands = analysis.index.bands
    .map((band) => `${band.label} ≥ ${formatDecimal(band.minimum, 1)}`)
    .join('; ');
  const timepointRows: Row[] = analysis.siteTimepoints.map((row) => ({
    cells: [
      { text: row.site, scope: 'row' },
      { text: row.employerType === 'nhs' ? 'NHS' : 'Voluntary' },
      { text: `T${row.timepoint}` },
      { text: String(row.interviews), numeric: true },
      ...row.domains.map((entry) => ({ text: score(entry.score), numeric: true })),
      { text: score(row.setup), numeric: true, field: `setup-${row.site}-${row.timepoint}` },
      { text: score(row.delivery), numeric: true, field: `delivery-${row.site}-${row.timepoint}` },
      { text: score(row.overall), numeric: true, field: `overall-${row.site}-${row.timepoint}` },
      { text: bandLabel(analysis, row.band) },
    ],
  }));
  const scores = [
    placeholderNote,
    paragraph(
      `${analysis.counts.interviews} interviews at ${analysis.counts.sites} sites; ${analysis.counts.ratings} ratings. An item's score in an interview is the consensus score where one was recorded, else the mean of the two raters; site scores are means over the site's interviews at each timepoint. Scale ${analysis.index.scale.minimum}–${analysis.index.scale.maximum}; bands: ${bands}.`,
    ),
    figure(
      'fidelity-over-time',
      fidelityOverTimePlot(analysis),
      'Overall fidelity score per site at each timepoint (dashed: peer workers employed in the voluntary sector).',
    ),
    table({
      id: 'fidelity-site-timepoints',
      caption: 'Fidelity scores by site and timepoint',
      head: [
        [
          { text: 'Site', scope: 'col' },
          { text: 'Employer', scope: 'col' },
          { text: 'Time', scope: 'col' },
          { text: 'Interviews', scope: 'col' },
          ...domains.map((domain) => ({ text: domain.label, scope: 'col' as const })),
          { text: 'Set-up', scope: 'col' },
          { text: 'Delivery', scope: 'col' },
          { text: 'Overall', scope: 'col' },
          { text: 'Band', scope: 'col' },
        ],
      ],
      body: timepointRows,
    }),
  ].join('\n');

  const setupDelivery = [
    figure(
      'fidelity-setup-delivery',
      setupDeliveryPlot(analysis),
      'Set-up and delivery fidelity per site, mean over timepoints.',
    ),
    table({
      id: 'fidelity-sites',
      caption: 'Site scores, mean over timepoints',
      head: [
        ['Site', 'Employer', 'Timepoints', 'Set-up', 'Delivery', 'Delivery − set-up', 'Overall', 'Band'].map(
          (label) => ({
            text: label,
            scope: 'col' as const,
          }),
        ),
      ],
      body: analysis.sites.map((site) => ({
        cells: [
          { text: site.site, scope: 'row' },
          { text: site.employerType === 'nhs' ? 'NHS' : 'Voluntary' },
          { text: site.timepoints.map((timepoint) => `T${timepoint}`).join(', ') },
          { text: score(site.setup), numeric: true },
          { text: score(site.delivery), numeric: true },
          {
            text:
              site.setup === null || site.delivery === null
                ? '–'
                : formatDecimal(site.delivery - site.setup, 2),
            numeric: true,
          },
          { text: score(site.overall), numeric: true },
          { text: bandLabel(analysis, site.band) },
        ],
      })),
    }),
  ].join('\n');

  const employer = table({
    id: 'fidelity-employer',
    caption: 'NHS vs voluntary-sector employers: site scores (mean over timepoints)',
    head: [
      [
        'Score',
        'NHS sites',
        'NHS mean (SD)',
        'Voluntary sites',
        'Voluntary mean (SD)',
        'Difference (95% CI)',
        'p',
      ].map((label) => ({ text: label, scope: 'col' as const })),
    ],
    body: analysis.employerComparison.map((row) => ({
      cells: [
        {
          text: row.score === 'setup' ? 'Set-up' : row.score === 'delivery' ? 'Delivery' : 'Overall',
          scope: 'row',
        },
        { text: String(row.nhs.sites), numeric: true },
        { text: `${score(row.nhs.mean)} (${score(row.nhs.sd)})`, numeric: true },
        { text: String(row.voluntary.sites), numeric: true },
        { text: `${score(row.voluntary.mean)} (${score(row.voluntary.sd)})`, numeric: true },
        {
          text: row.difference === null ? '–' : interval(row.difference),
          numeric: true,
          field: `difference-${row.score}`,
        },
        { text: row.difference === null ? '–' : formatPValue(row.difference.pValue), numeric: true },
      ],
    })),
    note: "Difference = NHS − voluntary, Welch's t-test on site-level scores. Sites are few, so this is a simple descriptive comparison with little power, not a test of the employer effect.",
  });

  const agreementRow = (row: RaterAgreement): Row => ({
    className: row.item === 'all' ? 'total' : '',
    cells: [
      { text: row.item === 'all' ? 'All items' : row.item, scope: 'row' },
      { text: row.part ?? '' },
      { text: String(row.pairs), numeric: true },
      {
        text: row.exactAgreement === null ? '–' : `${formatDecimal(100 * row.exactAgreement, 0)}%`,
        numeric: true,
      },
      { text: interval(row.weightedKappa), numeric: true, field: `kappa-${row.item}` },
      { text: interval(row.icc1), numeric: true },
      { text: interval(row.icc2), numeric: true, field: `icc2-${row.item}` },
    ],
  });
  const reliability = table({
    id: 'fidelity-reliability',
    caption: 'Inter-rater reliability of the two independent ratings',
    head: [
      [
        'Item',
        'Part',
        'Pairs',
        'Exact agreement',
        'Weighted kappa (95% CI)',
        'ICC(1) (95% CI)',
        'ICC(2,1) (95% CI)',
      ].map((label) => ({ text: label, scope: 'col' as const })),
    ],
    body: [agreementRow(analysis.reliability.overall), ...analysis.reliability.items.map(agreementRow)],
    note: 'Kappa with quadratic weights (psych::cohen.kappa); ICC(1) one-way and ICC(2,1) two-way random, absolute agreement (psych::ICC, lmer = FALSE). A dash: not computable (see the JSON note), e.g. every pair gave the same single score. No CI: the weighted kappa variance formula of psych 2.2.9 formula went negative for these data, so no standard error is reported.',
  });

  const consistency = table({
    id: 'fidelity-consistency',
    caption: "Internal consistency per domain (Cronbach's alpha over interviews)",
    head: [
      ['Domain', 'Items', 'Interviews', 'Raw alpha (95% CI)', 'Standardised alpha'].map((label) => ({
        text: label,
        scope: 'col' as const,
      })),
    ],
    body: analysis.internalConsistency.map((row) => ({
      cells: [
        { text: domains.find((domain) => domain.id === row.domain)?.label ?? row.domain, scope: 'row' },
        { text: String(row.items), numeric: true },
        { text: String(row.interviews), numeric: true },
        {
          text:
            row.rawAlpha === null
              ? '–'
              : `${formatDecimal(row.rawAlpha, 2)} (${formatDecimal(row.ciLower, 2)} to ${formatDecimal(row.ciUpper, 2)})`,
          numeric: true,
        },
        { text: formatDecimal(row.stdAlpha, 2), numeric: true },
      ],
    })),
    note: 'psych::alpha with pairwise-complete covariances; item scores are consensus or two-rater means. Feldt 95% CI.',
  });

  const open = analysis.disagreements.filter((entry) => entry.consensusScore === null);
  const disagreements = [
    paragraph(
      `${analysis.disagreements.length} pairs of ratings differ by ${formatDecimal(analysis.index.disagreementThreshold, 0)} point(s) or more; ${open.length} still need a consensus score.`,
    ),
    open.length === 0
      ? ''
      : table({
          id: 'fidelity-disagreements',
          caption: 'Disagreements needing a consensus score',
          head: [
            ['Interview', 'Site', 'Time', 'Informant', 'Item', 'Raters', 'Scores'].map((label) => ({
              text: label,
              scope: 'col' as const,
            })),
          ],
          body: open.map((entry) => ({
            cells: [
              { text: entry.interviewId, scope: 'row' },
              { text: entry.site },
              { text: `T${entry.timepoint}` },
              { text: entry.informant.replace('_', ' ') },
              { text: entry.item },
              { text: entry.raters.join(' / ') },
              { text: entry.scores.join(' / '), numeric: true },
            ],
          })),
        }),
  ].join('\n');

  return [
    { id: 'fidelity-scores', heading: 'Fidelity by site and timepoint', html: scores },
    { id: 'fidelity-setup-delivery-section', heading: 'Set-up vs delivery', html: setupDelivery },
    { id: 'fidelity-employer-section', heading: 'NHS vs voluntary-sector employers', html: employer },
    { id: 'fidelity-reliability-section', heading: 'Inter-rater reliability', html: reliability },
    { id: 'fidelity-consistency-section', heading: 'Internal consistency', html: consistency },
    { id: 'fidelity-disagreements-section', heading: 'Disagreements', html: disagreements },
  ];
}

/**
 * The fidelity report as one standalone HTML page (a string; nothing is written): the sections of
 * {@link fidelitySections} under a header naming the index, the ratings file and its SHA-256.
 * @example renderFidelityReport(analysis, { inputFile, inputSha256, generatedAt, enrichVersion })
 */
export function renderFidelityReport(analysis: FidelityAnalysis, options: FidelityReportOptions): string {
  return standalonePage({
    title: options.title ?? 'Fidelity report: principle-based peer support',
    enrichVersion: options.enrichVersion,
    identification: [
      ['Fidelity index', `${analysis.index.name} (version ${analysis.index.version})`],
      ['Ratings file', options.inputFile],
      ['SHA-256', options.inputSha256],
      ['Generated', `${options.generatedAt} by enrich ${options.enrichVersion}`],
    ],
    sections: fidelitySections(analysis),
    footer: `Produced by enrich ${options.enrichVersion} from ${options.inputFile} on ${options.generatedAt}. Every number in this report is also in the output of enrich fidelity --json.`,
  });
}
