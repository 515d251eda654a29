import type {
  BaselineRow,
  CountPercent,
  EffectEstimate,
  MeanSd,
  SubgroupSpec,
  TrialAnalysis,
} from '../../analysis/trial-analysis-types.ts';
import type { KaplanMeierResult } from '../../stats/index.ts';
import { cohortSection } from '../cohort/cohort-report.ts';
import { consortDiagram } from './consort-diagram.ts';
import { economicEvaluationSection } from './economic-evaluation-section.ts';
import { engagementPredictorsTable } from './engagement-predictors-table.ts';
import {
  formatCountPercent,
  formatDecimal,
  formatEstimateInterval,
  formatInteger,
  formatMeanSd,
  formatPercentagePoints,
  formatPSentence,
  formatPValue,
  formatRatio,
  lowerFirst,
} from './format.ts';
import { type Cell, escapeHtml, figure, paragraph, type Row, table } from './html.ts';
import { kaplanMeierPlot } from './kaplan-meier-plot.ts';
import { TRIAL_REPORT_CSS } from './styles.ts';
import { subgroupForestPlot } from './subgroup-forest-plot.ts';

/** What the analysis object does not say: titles, registration, labels, and the run's date. */
export interface TrialReportOptions {
  /** Document title; default "Trial report: peer support for discharge". */
  readonly title?: string;
  /** When the report was made (ISO 8601, passed in by the CLI: report/ never reads the clock). */
  readonly generatedAt: string;
  /** Trial registration, e.g. "ISRCTN10043328". */
  readonly isrctn?: string;
  /** Display names of the arm levels; default usual_care "Usual care", peer_support "Peer support". */
  readonly armLabels?: Readonly<Record<string, string>>;
  /** Display names of variables, outcomes and category levels, merged over the built-in ones. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The R software the numbers were checked against, for the methods paragraph; default
   * {@link REFERENCE_SOFTWARE} (the versions `reference/trial-analysis.R` was run with).
   */
  readonly referenceSoftware?: string;
}

/** The R and package versions the analysis's reference tests were generated with. */
export const REFERENCE_SOFTWARE =
  'R 4.2.2 (stats::glm, lm, anova) with sandwich 3.0.2, MASS 7.3-58.2, survival 3.5-3 and boot 1.3-28.1';

const DEFAULT_ARM_LABELS: Readonly<Record<string, string>> = {
  usual_care: 'Usual care',
  peer_support: 'Peer support',
};

const DEFAULT_LABELS: Readonly<Record<string, string>> = {
  site: 'site',
  diagnosis_group: 'diagnosis group',
  admissions_prior_2y: 'admissions in the previous 2 years',
  readmitted_12m: 'readmission within 12 months of discharge',
  admissions_total_12m: 'All admissions',
  admissions_voluntary_12m: 'Voluntary admissions',
  admissions_involuntary_12m: 'Involuntary admissions',
  bed_days_12m: 'Days in hospital',
  crisis_contacts_12m: 'Crisis team contacts',
  liaison_contacts_12m: 'Liaison psychiatry (A&E) episodes',
  community_contacts_12m: 'Community team contacts',
  symptoms: 'Psychiatric symptoms',
  quality_of_life: 'Quality of life',
  social_inclusion: 'Social inclusion',
  hope: 'Hope for the future',
  social_network: 'Social network',
  eq5d: 'EQ-5D utility',
  psychosis: 'Psychosis',
  personality: 'Personality disorder',
  other: 'Other',
  female: 'Female',
  male: 'Male',
  heterosexual: 'Heterosexual',
  lgb: 'Lesbian, gay or bisexual',
  death: 'Death',
  hospitalisation: 'Hospitalisation',
  self_harm: 'Self-harm',
  suicide_attempt: 'Suicide attempt',
  violence: 'Violence',
};

/** Sections in document order: id, heading, and whether print starts it on a new page. */
const SECTIONS = [
  { id: 'key-results', heading: 'Key results', major: false },
  { id: 'consort', heading: 'Participant flow', major: false },
  { id: 'baseline', heading: 'Baseline characteristics', major: true },
  { id: 'primary', heading: 'Primary outcome', major: true },
  { id: 'cace', heading: 'Complier average causal effect', major: false },
  { id: 'subgroups', heading: 'Pre-specified subgroup analyses', major: true },
  { id: 'time-to-readmission', heading: 'Time to first readmission', major: true },
  { id: 'secondary', heading: 'Secondary outcomes', major: true },
  { id: 'engagement', heading: 'Engagement with peer support', major: true },
  { id: 'safety', heading: 'Serious adverse events', major: false },
  { id: 'economics', heading: 'Economic evaluation', major: true },
  { id: 'cohort', heading: 'Peer worker wellbeing cohort', major: true },
  { id: 'methods', heading: 'Statistical methods', major: false },
] as const;

/**
 * Sections shown only when the analysis has them (the economic evaluation, with `--unit-costs`; the
 * wellbeing cohort, with `--cohort`).
 */
const OPTIONAL_SECTIONS: readonly string[] = ['economics', 'cohort'];

/** The section ids of the report, in order (for tests and links); optional sections are left out. */
export const TRIAL_REPORT_SECTIONS: readonly string[] = SECTIONS.map((section) => section.id).filter(
  (id) => !OPTIONAL_SECTIONS.includes(id),
);

/**
 * The trial report as one self-contained HTML document (a string; nothing is read or written): title
 * and identification, key results in plain words, CONSORT flow diagram, baseline table, primary
 * intention-to-treat results, CACE, subgroup forest plot, Kaplan-Meier figure with numbers at risk,
 * secondary outcome tables, engagement, serious adverse events, and a methods paragraph generated from
 * the plan with the software version and the input file's SHA-256. CSS and SVG are inline; there are no
 * scripts, fonts or links to other sites, so the file opens offline and prints on A4 (a page break
 * before each major section; tables and figures are never cut).
 *
 * Numbers follow one convention throughout: ratios 2 dp, p-values 3 dp ("<0.001"), percentages 1 dp,
 * means and SDs 1 dp, mean differences 2 dp, risk differences in percentage points 1 dp.
 *
 * @example
 * const html = renderTrialReport(analysis, { generatedAt: new Date().toISOString(), isrctn: 'ISRCTN10043328' });
 */
export function renderTrialReport(analysis: TrialAnalysis, options: TrialReportOptions): string {
  const context = createContext(analysis, options);
  const title = options.title ?? 'Trial report: peer support for discharge';
  const body: Record<(typeof SECTIONS)[number]['id'], string> = {
    'key-results': keyResultsSection(context),
    consort: consortSection(context),
    baseline: baselineSection(context),
    primary: primarySection(context),
    cace: caceSection(context),
    subgroups: subgroupSection(context),
    'time-to-readmission': timeToReadmissionSection(context),
    secondary: secondarySection(context),
    engagement: engagementSection(context),
    safety: safetySection(context),
    economics:
      analysis.economics === undefined
        ? ''
        : economicEvaluationSection(analysis.economics, [context.intervention, context.reference]),
    cohort: analysis.cohort === undefined ? '' : cohortSection(analysis.cohort),
    methods: methodsSection(context),
  };
  const shown = SECTIONS.filter(
    (section) =>
      (section.id !== 'economics' || analysis.economics !== undefined) &&
      (section.id !== 'cohort' || analysis.cohort !== undefined),
  );
  const sections = shown.map((section, index) => {
    const classes = [section.major ? 'major' : '', section.id === 'key-results' ? 'key-results' : '']
      .filter((name) => name !== '')
      .join(' ');
    const number = index === 0 ? '' : `${index}. `;
    return `<section id="${section.id}"${classes ? ` class="${classes}"` : ''} aria-labelledby="${section.id}-heading">
<h2 id="${section.id}-heading">${escapeHtml(number + section.heading)}</h2>
${body[section.id]}
</section>`;
  });
  const contents = shown
    .slice(1)
    .map((section) => `<li><a href="#${section.id}">${escapeHtml(section.heading)}</a></li>`)
    .join('');
  const methods = analysis.methods;
  const identification: [string, string][] = [];
  if (options.isrctn) identification.push(['Registration', options.isrctn]);
  identification.push(['Analysis dataset', methods.inputFile], ['SHA-256', methods.inputSha256]);
  if (methods.saeFile) identification.push(['SAE file', methods.saeFile]);
  identification.push(
    [
      'Randomised',
      `${analysis.consort.randomised} (${context.arms.map((arm) => `${lowerFirst(arm.label)} ${analysis.consort.byArm[arm.level]?.randomised ?? 0}`).join(', ')})`,
    ],
    ['Generated', `${options.generatedAt} by enrich ${methods.enrichVersion}`],
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="enrich ${escapeHtml(methods.enrichVersion)}">
<title>${escapeHtml(title)}</title>
<style>${TRIAL_REPORT_CSS}</style>
</head>
<body>
<header class="report-header">
<h1>${escapeHtml(title)}</h1>
<dl class="identification">
${identification.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd${term === 'SHA-256' ? ' class="hash"' : ''}>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
</header>
<main>
<nav class="contents" aria-label="Contents"><ol>${contents}</ol></nav>
${sections.join('\n')}
</main>
<footer class="report-footer">
<p>Produced by enrich ${escapeHtml(methods.enrichVersion)} from ${escapeHtml(methods.inputFile)} (SHA-256 <span class="hash">${escapeHtml(methods.inputSha256)}</span>) on ${escapeHtml(options.generatedAt)}. Every number in this report is also in the output of <code>enrich analyse --json</code>.</p>
</footer>
</body>
</html>
`;
}

// --- context --------------------------------------------------------------------------------------

interface Arm {
  readonly level: string;
  readonly label: string;
}

interface Context {
  readonly analysis: TrialAnalysis;
  readonly options: TrialReportOptions;
  /** Arms in display order: the intervention first, as trial reports print them. */
  readonly arms: readonly Arm[];
  readonly intervention: Arm;
  readonly reference: Arm;
  readonly label: (name: string) => string;
  readonly level: string;
}

function createContext(analysis: TrialAnalysis, options: TrialReportOptions): Context {
  const armLabels = { ...DEFAULT_ARM_LABELS, ...options.armLabels };
  const levels = analysis.methods.armLevels;
  const armOf = (level: string): Arm => ({ level, label: armLabels[level] ?? humanise(level) });
  const reference = armOf(levels[0] ?? 'usual_care');
  const intervention = armOf(levels[1] ?? 'peer_support');
  const others = levels.slice(2).map(armOf);
  const labels = { ...DEFAULT_LABELS, ...options.labels };
  return {
    analysis,
    options,
    arms: [intervention, reference, ...others],
    intervention,
    reference,
    label: (name: string) => labels[name] ?? humanise(name),
    level: `${formatDecimal(analysis.methods.plan.confidenceLevel * 100, 0)}%`,
  };
}

/** "diagnosis_group" -> "Diagnosis group". */
function humanise(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function armHeader(context: Context, extra?: (arm: Arm) => string): Cell[] {
  return context.arms.map((arm) => ({
    text: extra ? `${arm.label} ${extra(arm)}` : arm.label,
    scope: 'col' as const,
    numeric: true,
  }));
}

function estimateCell(
  estimate: EffectEstimate,
  format: (value: number | null | undefined) => string,
  field: string,
): Cell {
  return {
    text: formatEstimateInterval(estimate.estimate, estimate.ciLower, estimate.ciUpper, format),
    numeric: true,
    field,
  };
}

function pCell(value: number, field: string): Cell {
  return { text: formatPValue(value), numeric: true, field };
}

/** Means and SDs to 1 dp; utilities (EQ-5D, at most 1) to 2 dp, as health economists report them. */
function meanDigits(variable: string): number {
  return variable.startsWith('eq5d') ? 2 : 1;
}

function meanSdText(value: MeanSd | undefined, variable = ''): string {
  if (value === undefined || value.n === 0) return 'NA';
  return formatMeanSd(value.mean, value.sd, meanDigits(variable));
}

function countPercentText(value: CountPercent | undefined): string {
  if (value === undefined) return 'NA';
  return formatCountPercent(value.count, value.denominator);
}

function formatDifference(value: number | null | undefined): string {
  return formatDecimal(value, 2);
}

/** A ratio in plain words: "21% lower" / "14% higher" / "the same". */
function ratioWords(ratio: number): string {
  const change = Math.round(Math.abs(ratio - 1) * 100);
  if (change === 0) return 'no different';
  return `${change}% ${ratio < 1 ? 'lower' : 'higher'}`;
}

// --- sections -------------------------------------------------------------------------------------

function primarySentence(context: Context): string {
  const { primary } = context.analysis;
  const { intervention, reference } = context;
  const rr = primary.riskRatio;
  const armText = (arm: Arm) =>
    `${formatInteger(primary.events[arm.level])} of ${formatInteger(primary.n[arm.level])} (${formatDecimal(primary.percent[arm.level], 1)}%)`;
  const covariates = listWords(context.analysis.methods.plan.covariates.map(context.label));
  const readmitted = `${armText(intervention)} participants offered ${lowerFirst(intervention.label)} and ${armText(reference)} offered ${lowerFirst(reference.label)} were readmitted within 12 months.`;
  if (![rr.estimate, rr.ciLower, rr.ciUpper].every(Number.isFinite)) {
    return `${readmitted} The adjusted risk ratio could not be estimated (see the notes from the model fits).`;
  }
  const conclusion =
    rr.ciLower <= 1 && rr.ciUpper >= 1
      ? `The data are compatible with anything from a ${ratioWords(rr.ciLower)} to a ${ratioWords(rr.ciUpper)} risk, so the trial did not show that ${lowerFirst(intervention.label)} changes the risk of readmission.`
      : `The whole ${context.level} confidence interval lies ${rr.ciUpper < 1 ? 'below' : 'above'} 1: risk was ${ratioWords(rr.ciLower)} to ${ratioWords(rr.ciUpper)}.`;
  return `${readmitted} After adjustment for ${covariates}, the risk of readmission with ${lowerFirst(intervention.label)} was estimated to be ${ratioWords(rr.estimate)} than with ${lowerFirst(reference.label)} (risk ratio ${formatRatio(rr.estimate)}, ${context.level} CI ${formatRatio(rr.ciLower)} to ${formatRatio(rr.ciUpper)}; ${formatPSentence(rr.pValue)}). ${conclusion}`;
}

function caceSentence(context: Context): string {
  const { cace } = context.analysis;
  const rr = cace.riskRatio;
  if (![rr.estimate, rr.ciLower, rr.ciUpper].every(Number.isFinite)) {
    return 'The complier average causal effect could not be estimated (see the notes from the model fits).';
  }
  const excludesOne = rr.ciUpper < 1 || rr.ciLower > 1;
  return `Among compliers (participants who had at least two peer worker contacts, at least one after discharge), the risk of readmission was estimated to be ${ratioWords(rr.estimate)} than among comparable participants offered ${lowerFirst(context.reference.label)} (complier average causal effect risk ratio ${formatRatio(rr.estimate)}, ${context.level} BCa bootstrap CI ${formatRatio(rr.ciLower)} to ${formatRatio(rr.ciUpper)}${excludesOne ? ', an interval that excludes 1' : ', an interval that includes 1'}).`;
}

function keyResultsSection(context: Context): string {
  const { analysis } = context;
  const items = [primarySentence(context), caceSentence(context)];
  const interactions = analysis.subgroups.filter((subgroup) => subgroup.interactionPValue < 0.05);
  if (interactions.length > 0) {
    items.push(
      `The effect differed between the levels of ${interactions.length === 1 ? 'one pre-specified subgroup' : `${interactions.length} pre-specified subgroups`} (${interactions.map((subgroup) => `${lowerFirst(subgroup.label)}: interaction ${formatPSentence(subgroup.interactionPValue)}`).join('; ')}); with several subgroups tested, such findings are exploratory.`,
    );
  } else {
    items.push(
      'No pre-specified subgroup showed evidence that the effect differed (all interaction p ≥ 0.05).',
    );
  }
  const differing = [
    ...analysis.secondary.counts
      .filter((count) => count.rateRatio.pValue < 0.05)
      .map(
        (count) =>
          `${lowerFirst(context.label(count.outcome))} at 12 months (rate ratio ${formatRatio(count.rateRatio.estimate)}, ${formatPSentence(count.rateRatio.pValue)}${count.warnings.length > 0 ? '; the model fit gave warnings, see Statistical methods, so treat this result with caution' : ''})`,
      ),
    ...analysis.secondary.fourMonth
      .filter((scale) => scale.meanDifference.pValue < 0.05)
      .map(
        (scale) =>
          `${lowerFirst(context.label(scale.outcome.replace(/_4m$/, '')))} at 4 months (mean difference ${formatDifference(scale.meanDifference.estimate)}, ${formatPSentence(scale.meanDifference.pValue)})`,
      ),
  ];
  const secondaryCount = analysis.secondary.counts.length + analysis.secondary.fourMonth.length;
  items.push(
    differing.length === 0
      ? 'No secondary outcome differed between the arms at p < 0.05.'
      : `${differing.length} of ${secondaryCount} secondary outcomes differed between the arms at p < 0.05, without adjustment for multiple comparisons: ${listWords(differing)}.`,
  );
  if (analysis.sae) {
    const sae = analysis.sae;
    const total = (record: Record<string, number>) =>
      Object.values(record).reduce((sum, value) => sum + value, 0);
    items.push(
      `${total(sae.events)} serious adverse events were reported in ${total(Object.fromEntries(Object.entries(sae.participants).map(([arm, value]) => [arm, value.count])))} participants (${context.arms.map((arm) => `${lowerFirst(arm.label)} ${sae.events[arm.level] ?? 0}`).join(', ')}); ${total(sae.related)} ${total(sae.related) === 1 ? 'was' : 'were'} judged related to the intervention; ${total(sae.deaths)} ${total(sae.deaths) === 1 ? 'was a death' : 'were deaths'}.`,
    );
  }
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}</ul>`;
}

function consortSection(context: Context): string {
  const { consort } = context.analysis;
  const svg = consortDiagram(consort, {
    arms: context.arms,
    randomisationNote: `stratified by ${listWords(context.analysis.methods.plan.covariates.filter((name) => name === 'site' || name === 'diagnosis_group').map(context.label))}`,
  });
  return figure(
    'consort-figure',
    svg,
    `Figure 1. CONSORT flow diagram. Participants are analysed in the arm to which they were randomised (intention to treat). Withdrawal and death may overlap with a known primary outcome, which comes from health records; analysed plus not known equals allocated in each arm.`,
  );
}

function baselineSection(context: Context): string {
  const { analysis, arms } = context;
  const n = (arm: Arm) => analysis.consort.byArm[arm.level]?.randomised ?? 0;
  const rows: Row[] = [];
  const missingRow = (row: BaselineRow): Row | undefined => {
    const missing = arms.map((arm) => row.missing[arm.level] ?? 0);
    if (missing.every((value) => value === 0)) return undefined;
    return {
      className: 'indent',
      cells: [
        { text: 'Missing', scope: 'row' },
        ...missing.map((value, index) => ({
          text: formatInteger(value),
          numeric: true,
          field: `baseline.${row.variable}.missing.${arms[index]?.level}`,
        })),
      ],
    };
  };
  for (const row of analysis.baseline) {
    if (row.kind === 'continuous') {
      rows.push({
        cells: [
          { text: `${row.label}, mean (SD)`, scope: 'row' },
          ...arms.map((arm) => ({
            text: meanSdText(row.byArm[arm.level], row.variable),
            numeric: true,
            field: `baseline.${row.variable}.${arm.level}`,
          })),
        ],
      });
    } else {
      rows.push({
        className: 'group',
        cells: [{ text: `${row.label}, n (%)`, scope: 'rowgroup', colspan: arms.length + 1 }],
      });
      for (const level of row.levels) {
        rows.push({
          className: 'indent',
          cells: [
            { text: context.label(level.level), scope: 'row' },
            ...arms.map((arm) => ({
              text: countPercentText(level.byArm[arm.level]),
              numeric: true,
              field: `baseline.${row.variable}.${level.level}.${arm.level}`,
            })),
          ],
        });
      }
    }
    const missing = missingRow(row);
    if (missing) rows.push(missing);
  }
  return table({
    id: 'baseline-table',
    caption: 'Table 1. Baseline characteristics by randomised arm',
    head: [[{ text: 'Characteristic', scope: 'col' }, ...armHeader(context, (arm) => `(n = ${n(arm)})`)]],
    body: rows,
    note: 'Mean (SD) for continuous variables and n (%) for categories; percentages of participants with the value recorded. No significance tests are reported for baseline differences, as CONSORT recommends.',
  });
}

function primarySection(context: Context): string {
  const { primary } = context.analysis;
  const arms = context.arms;
  const outcomeTable = table({
    id: 'primary-table',
    caption: `Table 2. Primary outcome: ${context.label(primary.outcome)}`,
    head: [
      [
        { text: 'Arm', scope: 'col' },
        { text: 'Analysed', scope: 'col', numeric: true },
        { text: 'Readmitted, n (%)', scope: 'col', numeric: true },
      ],
    ],
    body: arms.map((arm) => ({
      cells: [
        { text: arm.label, scope: 'row' },
        { text: formatInteger(primary.n[arm.level]), numeric: true, field: `primary.n.${arm.level}` },
        {
          text: `${formatInteger(primary.events[arm.level])} (${formatDecimal(primary.percent[arm.level], 1)}%)`,
          numeric: true,
          field: `primary.events.${arm.level}`,
        },
      ],
    })),
    note: `${primary.missing} participant${primary.missing === 1 ? '' : 's'} with an unknown primary outcome ${primary.missing === 1 ? 'is' : 'are'} not analysed.`,
  });
  const covariates = listWords(context.analysis.methods.plan.covariates.map(context.label));
  const effectsTable = table({
    id: 'primary-effects-table',
    caption: `Table 3. Effect of ${lowerFirst(context.intervention.label)} compared with ${lowerFirst(context.reference.label)} on the primary outcome`,
    head: [
      [
        { text: 'Measure', scope: 'col' },
        { text: `Estimate (${context.level} CI)`, scope: 'col', numeric: true },
        { text: 'p', scope: 'col', numeric: true },
      ],
    ],
    body: [
      {
        cells: [
          { text: 'Odds ratio, adjusted (logistic regression)', scope: 'row' },
          estimateCell(primary.oddsRatio, formatRatio, 'primary.oddsRatio'),
          pCell(primary.oddsRatio.pValue, 'primary.oddsRatio.pValue'),
        ],
      },
      {
        cells: [
          { text: 'Risk ratio, adjusted (Poisson regression, robust SE)', scope: 'row' },
          estimateCell(primary.riskRatio, formatRatio, 'primary.riskRatio'),
          pCell(primary.riskRatio.pValue, 'primary.riskRatio.pValue'),
        ],
      },
      {
        cells: [
          { text: 'Risk difference, unadjusted (percentage points)', scope: 'row' },
          estimateCell(primary.riskDifference, formatPercentagePoints, 'primary.riskDifference'),
          pCell(primary.riskDifference.pValue, 'primary.riskDifference.pValue'),
        ],
      },
    ],
    note: `Adjusted for ${covariates} (${formatInteger(primary.nModel)} participants with complete covariates). Ratios below 1 and negative differences mean fewer readmissions with ${lowerFirst(context.intervention.label)}.${primary.warnings.length > 0 ? ` Model notes: ${primary.warnings.join('; ')}.` : ''}`,
  });
  return `${paragraph(primarySentence(context), 'plain')}\n${outcomeTable}\n${effectsTable}`;
}

function caceSection(context: Context): string {
  const { cace } = context.analysis;
  const bootstrap = cace.bootstrap;
  const rows: [string, string, string][] = [
    [
      `Risk ratio (${context.level} BCa bootstrap CI)`,
      formatEstimateInterval(
        cace.riskRatio.estimate,
        cace.riskRatio.ciLower,
        cace.riskRatio.ciUpper,
        formatRatio,
      ),
      'cace.riskRatio',
    ],
    ['Participants analysed', formatInteger(cace.n), 'cace.n'],
    ...context.arms.map((arm): [string, string, string] => [
      `Compliers, ${lowerFirst(arm.label)}`,
      formatInteger(cace.compliersByArm[arm.level] ?? 0),
      `cace.compliers.${arm.level}`,
    ]),
    [
      'Left out: peer worker contacts not assessable',
      formatInteger(cace.notAssessable),
      'cace.notAssessable',
    ],
    ['Left out: outcome or covariate missing', formatInteger(cace.otherMissing), 'cace.otherMissing'],
    [
      'Bootstrap resamples (stratified by arm)',
      `${formatInteger(bootstrap.resamples)} (${bootstrap.strata.map((stratum) => `${lowerFirst(context.label(stratum.level))} ${stratum.n}`).join(', ')})`,
      'cace.bootstrap.resamples',
    ],
    ['Random seed', String(bootstrap.seed), 'cace.bootstrap.seed'],
    [
      'Bias correction z\u2080; acceleration a',
      `${formatDecimal(bootstrap.biasCorrection, 3)}; ${formatDecimal(bootstrap.acceleration, 4)}`,
      'cace.bootstrap.bca',
    ],
  ];
  if (bootstrap.failedResamples > 0) {
    rows.push([
      'Resamples that could not be fitted',
      formatInteger(bootstrap.failedResamples),
      'cace.bootstrap.failed',
    ]);
  }
  const caceTable = table({
    id: 'cace-table',
    caption: 'Table 4. Complier average causal effect on readmission (two-stage residual inclusion)',
    head: [
      [
        { text: 'Quantity', scope: 'col' },
        { text: 'Value', scope: 'col', numeric: true },
      ],
    ],
    body: rows.map(([name, value, field]) => ({
      cells: [
        { text: name, scope: 'row' },
        { text: value, numeric: true, field },
      ],
    })),
    note: `Compliers: at least two peer worker contacts, at least one of them in the community after discharge. Nobody in usual care can be a complier.${cace.warnings.length > 0 ? ` Model notes: ${cace.warnings.join('; ')}.` : ''}`,
  });
  return `${paragraph(caceSentence(context), 'plain')}\n${caceTable}`;
}

function subgroupLevelLabels(context: Context): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const subgroup of context.analysis.subgroups) {
    for (const level of subgroup.levels) labels[level.level] = context.label(level.level);
  }
  return labels;
}

function subgroupSection(context: Context): string {
  const { analysis } = context;
  if (analysis.subgroups.length === 0) return paragraph('The plan specifies no subgroup analyses.');
  const svg = subgroupForestPlot(analysis.subgroups, {
    intervention: context.intervention,
    reference: context.reference,
    overall: analysis.primary.oddsRatio,
    levelLabels: subgroupLevelLabels(context),
  });
  const specs = new Map<string, SubgroupSpec>(
    analysis.methods.plan.subgroups.map((spec) => [spec.name, spec]),
  );
  const rows: Row[] = [];
  for (const subgroup of analysis.subgroups) {
    rows.push({
      className: 'group',
      cells: [
        { text: subgroup.label, scope: 'rowgroup', colspan: 1 + context.arms.length + 1 },
        {
          text: formatPValue(subgroup.interactionPValue),
          numeric: true,
          className: 'group',
          field: `subgroups.${subgroup.variable}.interactionPValue`,
        },
      ],
    });
    for (const level of subgroup.levels) {
      rows.push({
        className: 'indent',
        cells: [
          { text: context.label(level.level), scope: 'row' },
          ...context.arms.map((arm) => ({
            text: `${formatInteger(level.events[arm.level])}/${formatInteger(level.n[arm.level])}`,
            numeric: true,
          })),
          estimateCell(
            level.oddsRatio,
            formatRatio,
            `subgroups.${subgroup.variable}.${level.level}.oddsRatio`,
          ),
          { text: '', numeric: true },
        ],
      });
    }
  }
  const splitNotes = analysis.subgroups
    .map((subgroup) => specs.get(subgroup.variable))
    .filter((spec): spec is SubgroupSpec => spec?.split !== undefined)
    .map(
      (spec) =>
        `${spec.label}: ${spec.split?.levels[0]} = ${spec.split?.values.join(', ')}; ${spec.split?.levels[1]} = every other recorded value of ${spec.variable}`,
    );
  const subgroupTable = table({
    id: 'subgroup-table',
    caption: 'Table 5. Odds ratio of readmission by pre-specified subgroup',
    head: [
      [
        { text: 'Subgroup', scope: 'col' },
        ...armHeader(context, () => 'readmitted/n'),
        { text: `Odds ratio (${context.level} CI)`, scope: 'col', numeric: true },
        { text: 'Interaction p', scope: 'col', numeric: true },
      ],
    ],
    body: rows,
    note: `Odds ratios from logistic regression with arm, subgroup, their interaction and the covariates; interaction p from the likelihood-ratio test against the model without the interaction.${splitNotes.length > 0 ? ` ${splitNotes.join('. ')}.` : ''}`,
  });
  return `${figure(
    'subgroup-figure',
    svg,
    `Figure 2. Odds ratio of readmission within 12 months, ${lowerFirst(context.intervention.label)} compared with ${lowerFirst(context.reference.label)}, within each level of the pre-specified subgroups (squares, area proportional to the number of participants; lines, ${context.level} CI; log scale) and in all participants (diamond). Interaction p-values test whether the effect differs between levels.`,
  )}\n${subgroupTable}`;
}

/** The analysis's per-arm curves in display order, as the stats layer's `KaplanMeierResult`. */
export function kaplanMeierResultOf(
  curves: TrialAnalysis['secondary']['timeToReadmission']['curves'],
  armOrder: readonly string[],
): KaplanMeierResult {
  const ordered = [...curves].sort(
    (a, b) =>
      (armOrder.indexOf(a.arm) === -1 ? armOrder.length : armOrder.indexOf(a.arm)) -
      (armOrder.indexOf(b.arm) === -1 ? armOrder.length : armOrder.indexOf(b.arm)),
  );
  return {
    strata: ordered.map((curve) => ({
      name: curve.arm,
      n: curve.n,
      events: curve.events,
      median: curve.median,
      medianCiLower: curve.medianCiLower,
      medianCiUpper: curve.medianCiUpper,
      table: curve.points.map((point) => ({ ...point, stdErr: null })),
    })),
  };
}

function timeToReadmissionSection(context: Context): string {
  const time = context.analysis.secondary.timeToReadmission;
  const hr = time.hazardRatio;
  const lastTime = Math.max(0, ...time.curves.map((curve) => curve.points.at(-1)?.time ?? 0));
  const ticks = lastTime > 300 && lastTime <= 366 ? [0, 60, 120, 180, 240, 300, 365] : undefined;
  const hrText = `Cox hazard ratio ${formatEstimateInterval(hr.estimate, hr.ciLower, hr.ciUpper, formatRatio).replace('(', `(${context.level} CI `)}, ${formatPSentence(hr.pValue)}`;
  const svg = kaplanMeierPlot(
    kaplanMeierResultOf(
      time.curves,
      context.arms.map((arm) => arm.level),
    ),
    {
      strataLabels: Object.fromEntries(context.arms.map((arm) => [arm.level, arm.label])),
      timeLabel: 'Days since discharge',
      survivalLabel: 'Proportion not readmitted',
      ...(ticks ? { timeTicks: ticks } : {}),
      annotation: [`Log-rank ${formatPSentence(time.logrankPValue)}`, hrText],
      title: `Kaplan-Meier curves of time to first readmission by arm; log-rank ${formatPSentence(time.logrankPValue)}; ${hrText}`,
    },
  );
  const medianText = (curve: (typeof time.curves)[number]) =>
    curve.median === null
      ? 'not reached'
      : `${formatDecimal(curve.median, 0)} (${curve.medianCiLower === null ? 'not reached' : formatDecimal(curve.medianCiLower, 0)} to ${curve.medianCiUpper === null ? 'not reached' : formatDecimal(curve.medianCiUpper, 0)})`;
  const curvesByArm = new Map(time.curves.map((curve) => [curve.arm, curve]));
  const medianTable = table({
    id: 'time-to-readmission-table',
    caption: 'Table 6. Time to first readmission',
    head: [
      [
        { text: 'Arm', scope: 'col' },
        { text: 'Participants', scope: 'col', numeric: true },
        { text: 'Readmitted', scope: 'col', numeric: true },
        { text: `Median days (${context.level} CI)`, scope: 'col', numeric: true },
      ],
    ],
    body: context.arms
      .filter((arm) => curvesByArm.has(arm.level))
      .map((arm) => {
        const curve = curvesByArm.get(arm.level) as (typeof time.curves)[number];
        return {
          cells: [
            { text: arm.label, scope: 'row' as const },
            { text: formatInteger(curve.n), numeric: true, field: `km.${arm.level}.n` },
            { text: formatInteger(curve.events), numeric: true, field: `km.${arm.level}.events` },
            { text: medianText(curve), numeric: true, field: `km.${arm.level}.median` },
          ],
        };
      }),
    note: `Log-rank test: χ² = ${formatDecimal(time.logrankChisq, 2)}, ${formatPSentence(time.logrankPValue)}. Adjusted ${hrText} (${time.n} participants, ${time.events} readmissions; Efron ties).`,
  });
  return `${figure(
    'km-figure',
    svg,
    `Figure 3. Kaplan-Meier estimates of the proportion of participants not yet readmitted, by arm, with the numbers at risk under the axis; ticks mark censored follow-up. Log-rank ${formatPSentence(time.logrankPValue)}; adjusted ${hrText}.`,
  )}\n${medianTable}`;
}

function secondarySection(context: Context): string {
  const { secondary } = context.analysis;
  const countTable = table({
    id: 'count-outcomes-table',
    caption: 'Table 7. Service use in the 12 months after discharge',
    head: [
      [
        { text: 'Outcome', scope: 'col' },
        ...armHeader(context, () => 'mean (SD)'),
        { text: `Rate ratio (${context.level} CI)`, scope: 'col', numeric: true },
        { text: 'p', scope: 'col', numeric: true },
      ],
    ],
    body: secondary.counts.map((count) => ({
      cells: [
        { text: context.label(count.outcome), scope: 'row' },
        ...context.arms.map((arm) => ({
          text: meanSdText(count.byArm[arm.level]),
          numeric: true,
          field: `counts.${count.outcome}.${arm.level}`,
        })),
        estimateCell(count.rateRatio, formatRatio, `counts.${count.outcome}.rateRatio`),
        pCell(count.rateRatio.pValue, `counts.${count.outcome}.rateRatio.pValue`),
      ],
    })),
    note: `Rate ratios from negative binomial regression adjusted for ${listWords(context.analysis.methods.plan.covariates.map(context.label))}; below 1 means less use with ${lowerFirst(context.intervention.label)}.`,
  });
  const covariateWords = listWords(context.analysis.methods.plan.covariates.map(context.label));
  const fourMonthTable = table({
    id: 'four-month-table',
    caption: 'Table 8. Outcomes at 4 months after discharge',
    head: [
      [
        { text: 'Scale', scope: 'col', rowspan: 2 },
        ...context.arms.map((arm) => ({
          text: arm.label,
          scope: 'colgroup' as const,
          colspan: 2,
          className: 'span',
        })),
        { text: `Adjusted mean difference (${context.level} CI)`, scope: 'col', numeric: true, rowspan: 2 },
        { text: 'p', scope: 'col', numeric: true, rowspan: 2 },
      ],
      context.arms.flatMap((arm) => [
        { text: 'n (% followed up)', scope: 'col' as const, numeric: true, field: `head.${arm.level}.n` },
        { text: 'mean (SD)', scope: 'col' as const, numeric: true, field: `head.${arm.level}.mean` },
      ]),
    ],
    body: secondary.fourMonth.map((scale) => ({
      cells: [
        { text: context.label(scale.outcome.replace(/_4m$/, '')), scope: 'row' },
        ...context.arms.flatMap((arm) => [
          {
            text: `${formatInteger(scale.n[arm.level])} (${formatDecimal(scale.followUpPercent[arm.level], 1)}%)`,
            numeric: true,
            field: `fourMonth.${scale.outcome}.n.${arm.level}`,
          },
          {
            text: meanSdText(scale.byArm[arm.level], scale.outcome),
            numeric: true,
            field: `fourMonth.${scale.outcome}.${arm.level}`,
          },
        ]),
        estimateCell(scale.meanDifference, formatDifference, `fourMonth.${scale.outcome}.meanDifference`),
        pCell(scale.meanDifference.pValue, `fourMonth.${scale.outcome}.meanDifference.pValue`),
      ],
    })),
    note: `Complete cases (4-month and baseline score and covariates known), as a percentage of participants randomised to the arm. Mean differences (${lowerFirst(context.intervention.label)} minus ${lowerFirst(context.reference.label)}) from linear regression on the baseline value of the scale and ${covariateWords}. Higher symptom scores are worse; higher scores on the other scales are better. Low follow-up limits what these comparisons can show.`,
  });
  return `<h3>At 12 months</h3>\n${countTable}\n<h3>At 4 months</h3>\n${fourMonthTable}`;
}

function engagementSection(context: Context): string {
  const { engagement } = context.analysis;
  const rows: [string, (arm: Arm) => string, string][] = [
    ['Contact records assessable, n', (arm) => formatInteger(engagement.assessable[arm.level]), 'assessable'],
    [
      'Contacts in hospital, mean (SD)',
      (arm) => meanSdText(engagement.contactsHospital[arm.level]),
      'contactsHospital',
    ],
    [
      'Contacts after discharge, mean (SD)',
      (arm) => meanSdText(engagement.contactsCommunity[arm.level]),
      'contactsCommunity',
    ],
    ['Any contact, n (%)', (arm) => countPercentText(engagement.anyContact[arm.level]), 'anyContact'],
    ['Compliers, n (%)', (arm) => countPercentText(engagement.compliers[arm.level]), 'compliers'],
    [
      'First contact, minutes, mean (SD)',
      (arm) => meanSdText(engagement.firstContactMinutes[arm.level]),
      'firstContactMinutes',
    ],
  ];
  const summary = table({
    id: 'engagement-table',
    caption: 'Table 9. Engagement with peer support',
    head: [[{ text: 'Measure', scope: 'col' }, ...armHeader(context)]],
    body: rows.map(([name, value, field]) => ({
      cells: [
        { text: name, scope: 'row' },
        ...context.arms.map((arm) => ({
          text: value(arm),
          numeric: true,
          field: `engagement.${field}.${arm.level}`,
        })),
      ],
    })),
    note: 'Among participants whose peer worker contact records are assessable; percentages of them. Usual care participants are not offered peer support.',
  });
  return `${summary}\n${engagementPredictorsTable(engagement, context.level)}`;
}

function safetySection(context: Context): string {
  const { sae } = context.analysis;
  if (sae === null) return paragraph('No serious adverse event file was given, so no SAE table is shown.');
  const total = (record: Record<string, number>) =>
    Object.values(record).reduce((sum, value) => sum + value, 0);
  const participantsTotal = Object.values(sae.participants).reduce((sum, value) => sum + value.count, 0);
  const randomisedTotal = context.analysis.consort.randomised;
  const rows: Row[] = [
    {
      cells: [
        { text: 'Participants with at least one SAE, n (%)', scope: 'row' },
        ...context.arms.map((arm) => ({
          text: countPercentText(sae.participants[arm.level]),
          numeric: true,
          field: `sae.participants.${arm.level}`,
        })),
        {
          text: formatCountPercent(participantsTotal, randomisedTotal),
          numeric: true,
          field: 'sae.participants.total',
        },
      ],
    },
    {
      cells: [
        { text: 'Serious adverse events, n', scope: 'row' },
        ...context.arms.map((arm) => ({
          text: formatInteger(sae.events[arm.level] ?? 0),
          numeric: true,
          field: `sae.events.${arm.level}`,
        })),
        { text: formatInteger(total(sae.events)), numeric: true, field: 'sae.events.total' },
      ],
    },
    {
      className: 'group',
      cells: [
        { text: 'By category: events (participants)', scope: 'rowgroup', colspan: context.arms.length + 2 },
      ],
    },
    ...sae.byCategory.map((category) => ({
      className: 'indent',
      cells: [
        { text: context.label(category.category), scope: 'row' as const },
        ...context.arms.map((arm) => ({
          text: `${formatInteger(category.events[arm.level] ?? 0)} (${formatInteger(category.participants[arm.level] ?? 0)})`,
          numeric: true,
          field: `sae.category.${category.category}.${arm.level}`,
        })),
        {
          text: `${formatInteger(total(category.events))} (${formatInteger(total(category.participants))})`,
          numeric: true,
          field: `sae.category.${category.category}.total`,
        },
      ],
    })),
    {
      cells: [
        { text: 'Judged related to the intervention, n', scope: 'row' },
        ...context.arms.map((arm) => ({
          text: formatInteger(sae.related[arm.level] ?? 0),
          numeric: true,
          field: `sae.related.${arm.level}`,
        })),
        { text: formatInteger(total(sae.related)), numeric: true, field: 'sae.related.total' },
      ],
    },
    {
      cells: [
        { text: 'Deaths, n', scope: 'row' },
        ...context.arms.map((arm) => ({
          text: formatInteger(sae.deaths[arm.level] ?? 0),
          numeric: true,
          field: `sae.deaths.${arm.level}`,
        })),
        { text: formatInteger(total(sae.deaths)), numeric: true, field: 'sae.deaths.total' },
      ],
    },
  ];
  return table({
    id: 'sae-table',
    caption: 'Table 10. Serious adverse events by arm',
    head: [
      [
        { text: 'Serious adverse events', scope: 'col' },
        ...armHeader(context, (arm) => `(n = ${context.analysis.consort.byArm[arm.level]?.randomised ?? 0})`),
        { text: `Total (n = ${randomisedTotal})`, scope: 'col', numeric: true },
      ],
    ],
    body: rows,
    note: 'Percentages of participants randomised to each arm. A participant can have events in more than one category.',
  });
}

function methodsSection(context: Context): string {
  const { analysis, options } = context;
  const { methods } = analysis;
  const plan = methods.plan;
  const covariates = listWords(plan.covariates.map((name) => `${context.label(name)} (${name})`));
  const level = context.level;
  const subgroupText = plan.subgroups
    .map((spec) =>
      spec.split
        ? `${lowerFirst(spec.label)} (${spec.split.values.join(', ')} against all others)`
        : lowerFirst(spec.label),
    )
    .join('; ');
  const paragraphs = [
    `The analysis followed the pre-specified statistical analysis plan, by intention to treat, with ${lowerFirst(context.reference.label)} as the reference arm. All models adjust for ${covariates}. Confidence intervals are ${level} Wald intervals and p-values two-sided unless stated otherwise.`,
    `Primary outcome (${plan.primaryOutcome}), in participants with a known outcome: the number and percentage readmitted in each arm; the unadjusted risk difference with its Wald interval; the adjusted odds ratio from logistic regression of the outcome on arm and the covariates; and the adjusted risk ratio from Poisson regression with the same terms and robust (sandwich, HC0) standard errors (modified Poisson regression).`,
    `Complier average causal effect: compliers had at least two peer worker contacts, at least one of them after discharge; participants whose contacts could not be assessed were left out (${analysis.cace.notAssessable}). The effect was estimated by two-stage residual inclusion: stage 1, logistic regression of receipt (being a complier) on arm and the covariates; stage 2, Poisson regression of the primary outcome on receipt, the stage-1 response residual and the covariates; the complier average causal effect is the exponentiated coefficient of receipt. Its ${level} confidence interval is the bias-corrected and accelerated (BCa, jackknife acceleration) bootstrap interval from ${plan.bootstrapResamples} resamples of both stages together, stratified by arm, with random seed ${plan.seed} (R's Mersenne-Twister generator, as set.seed(${plan.seed}); boot::boot and boot::boot.ci reproduce the interval exactly).`,
    `Subgroups (${subgroupText}): logistic regression with the interaction of arm and subgroup plus the covariates; the odds ratio within each level from the linear combination of coefficients with its Wald interval, and the interaction p-value from the likelihood-ratio test against the model without the interaction.`,
    `Secondary outcomes at 12 months: counts (${listWords(plan.countOutcomes.map((name) => lowerFirst(context.label(name))))}) by negative binomial regression (rate ratios); time to first readmission (${plan.timeToEvent.time}, ${plan.timeToEvent.event}) by Kaplan-Meier curves, the log-rank test and a Cox proportional hazards model with the covariates (Efron ties). At 4 months: for each scale, linear regression of the 4-month score on arm, the baseline score and the covariates in complete cases (adjusted mean differences with t-based intervals). Engagement and serious adverse events are described by arm without tests.`,
  ];
  const models =
    methods.models.length > 0
      ? `<h3>Models fitted</h3>\n<ul class="models">${methods.models.map((model) => `<li><code>${escapeHtml(model.description)}</code></li>`).join('\n')}</ul>`
      : '';
  const warnings = [
    ...analysis.primary.warnings.map((warning) => `Primary: ${warning}`),
    ...analysis.cace.warnings.map((warning) => `CACE: ${warning}`),
    ...analysis.subgroups.flatMap((subgroup) =>
      subgroup.warnings.map((warning) => `${subgroup.label}: ${warning}`),
    ),
    ...analysis.secondary.counts.flatMap((count) =>
      count.warnings.map((warning) => `${context.label(count.outcome)}: ${warning}`),
    ),
  ];
  const notes =
    warnings.length > 0
      ? `<h3>Notes from the model fits</h3>\n<ul class="models">${warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('\n')}</ul>`
      : '';
  const software: [string, string, string][] = [
    ['Software', `enrich ${methods.enrichVersion}`, ''],
    ['Analysis dataset', methods.inputFile, ''],
    ['SHA-256', methods.inputSha256, 'hash'],
  ];
  if (methods.saeFile) {
    software.push(['SAE file', methods.saeFile, ''], ['SHA-256', methods.saeSha256 ?? 'NA', 'hash']);
  }
  software.push(
    ['Bootstrap', `${plan.bootstrapResamples} resamples, stratified by arm, seed ${plan.seed}`, ''],
    [
      'Checked against',
      `${options.referenceSoftware ?? REFERENCE_SOFTWARE}: every number agrees to a relative difference of 1e-6 or less, the bootstrap interval identically for the same seed`,
      '',
    ],
  );
  const provenance = `<dl class="identification">\n${software
    .map(
      ([term, value, className]) =>
        `<dt>${escapeHtml(term)}</dt><dd${className ? ` class="${className}"` : ''}>${escapeHtml(value)}</dd>`,
    )
    .join('\n')}\n</dl>`;
  return `<div class="methods">${paragraphs.map((text) => paragraph(text)).join('\n')}</div>\n<h3>Software and data</h3>\n${provenance}\n${models}\n${notes}`;
}
