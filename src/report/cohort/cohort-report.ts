import { type CohortAnalysis, type CohortScoreSummary, suppressedText } from '../../analysis/index.ts';
import { standalonePage } from '../fidelity/page.ts';
import { formatDecimal, formatPValue } from '../trial-report/format.ts';
import { paragraph, type Row, table } from '../trial-report/html.ts';

/** Provenance printed on the page; the caller (the CLI) reads the files and knows the clock. */
export interface CohortReportOptions {
  readonly title?: string;
  readonly inputFile: string;
  readonly inputSha256: string;
  readonly normsFile: string;
  readonly generatedAt: string;
  readonly enrichVersion: string;
}

const number = (value: number | null, digits = 2) => formatDecimal(value, digits);

function scoreTable(score: CohortScoreSummary, index: number): string {
  const rows: Row[] = score.timepoints.map((entry) => {
    const change = score.change.find((candidate) => candidate.timepoint === entry.timepoint);
    const norm = score.norm?.comparisons.find((candidate) => candidate.timepoint === entry.timepoint);
    const changeText =
      change === undefined
        ? '—'
        : change.suppressed !== null
          ? suppressedText(change.suppressed)
          : `${number(change.meanChange)} (${number(change.ciLower)} to ${number(change.ciUpper)}), n ${change.n}, d_z ${number(change.effectSizeDz)}, ${formatPValue(change.pValue)}`;
    const normText =
      norm === undefined
        ? '—'
        : norm.suppressed !== null
          ? suppressedText(norm.suppressed)
          : `${number(norm.difference)} (${number(norm.ciLower)} to ${number(norm.ciUpper)}), ${formatPValue(norm.pValue)}`;
    return {
      cells: [
        { text: `T${entry.timepoint}`, scope: 'row' },
        {
          text: entry.suppressed !== null ? suppressedText(entry.suppressed) : String(entry.n),
          numeric: true,
          field: `n-${index}-${entry.timepoint}`,
        },
        {
          text: entry.suppressed !== null ? '—' : `${number(entry.mean)} (${number(entry.sd)})`,
          numeric: true,
        },
        {
          text: entry.suppressed !== null ? '—' : `${number(entry.minimum)} to ${number(entry.maximum)}`,
          numeric: true,
        },
        { text: changeText, numeric: true },
        { text: normText, numeric: true },
      ],
    };
  });
  return table({
    id: `cohort-score-${index}`,
    caption: score.label,
    head: [
      [
        'Time',
        'n',
        'Mean (SD)',
        'Range',
        'Change from T1 (95% CI), paired t-test',
        score.norm === null
          ? 'Norm'
          : `Difference from norm ${number(score.norm.mean)} (SD ${number(score.norm.sd)})`,
      ].map((label) => ({ text: label, scope: 'col' as const })),
    ],
    body: rows,
    ...(score.norm === null ? {} : { note: `Norm: ${score.norm.source}.` }),
  });
}

/** The cohort's numbers and methods in words, and the placeholder caution (HTML paragraphs). */
function cohortOverview(analysis: CohortAnalysis): string {
  const placeholders = analysis.measures.filter((measure) => measure.note?.startsWith('Placeholder'));
  return [
    paragraph(
      `Questionnaires at T1 (after training), T2 (4 months) and T3 (12 months): ${analysis.participants.map((entry) => `T${entry.timepoint} ${entry.suppressed === null ? entry.n : suppressedText(entry.suppressed)}`).join(', ')} peer workers. Aggregates over fewer than ${analysis.minimumGroupSize} people are suppressed, and so is a change from T1 whose group differs from another published group of the same score by 1 to ${analysis.minimumGroupSize - 1} people (subtracting one aggregate from the other would describe those few); no individual's answers are shown.`,
    ),
    placeholders.length > 0
      ? paragraph(
          `Caution: ${placeholders.map((measure) => measure.id).join(', ')} are placeholder measures; replace them with the licensed questionnaires before interpreting these results.`,
        )
      : '',
    paragraph(
      "Change from T1: paired t-test over peer workers with both scores; effect size Cohen's d_z = mean change / SD of the changes. Norm comparison: one-sample t-test of the timepoint mean against the norm mean; standardised difference = difference / norm SD (in the JSON output).",
    ),
  ].join('\n');
}

/** One table per measure and subscale (HTML). */
function cohortScoreTables(analysis: CohortAnalysis): string {
  return analysis.scores.map(scoreTable).join('\n');
}

/**
 * The body of a "Peer worker wellbeing cohort" section (HTML; the caller adds the heading): the cohort's
 * numbers per timepoint, the methods in words, and one table per measure and subscale, as the standalone
 * cohort report prints them. The trial report (`enrich analyse --cohort`) uses it.
 * @example cohortSection(analyseCohort(scores, norms, PLACEHOLDER_COHORT_MEASURES))
 */
export function cohortSection(analysis: CohortAnalysis): string {
  return `${cohortOverview(analysis)}\n${cohortScoreTables(analysis)}`;
}

/**
 * The peer worker wellbeing cohort as one standalone HTML page (a string): one table per measure and
 * subscale (n, mean (SD), range per timepoint; change from T1 by paired t-test with Cohen's d_z; difference
 * from the configured norm by one-sample t-test). Aggregates over fewer than 5 peer workers show as
 * "<5 (suppressed)"; the page, like the analysis, holds no individual answer.
 * @example renderCohortReport(analysis, { inputFile, inputSha256, normsFile, generatedAt, enrichVersion })
 */
export function renderCohortReport(analysis: CohortAnalysis, options: CohortReportOptions): string {
  return standalonePage({
    title: options.title ?? 'Peer worker wellbeing cohort',
    enrichVersion: options.enrichVersion,
    identification: [
      ['Questionnaire file', options.inputFile],
      ['SHA-256', options.inputSha256],
      ['Norms', options.normsFile],
      ['Generated', `${options.generatedAt} by enrich ${options.enrichVersion}`],
    ],
    sections: [
      { id: 'cohort-overview', heading: 'Cohort and methods', html: cohortOverview(analysis) },
      { id: 'cohort-scores', heading: 'Measures over time', html: cohortScoreTables(analysis) },
    ],
    footer: `Produced by enrich ${options.enrichVersion} from ${options.inputFile} on ${options.generatedAt}. Every number in this report is also in the output of enrich cohort --json.`,
  });
}
