import { basename } from 'node:path';
import {
  type AnalyseTrialOptions,
  analyseTrial,
  type EffectEstimate,
  PLACEHOLDER_COHORT_MEASURES,
  readCohortNorms,
  readCohortResponses,
  type TrialAnalysis,
} from '../../analysis/index.ts';
import { renderTrialReport } from '../../report/trial-report/index.ts';
import { parseCsv } from '../../table/index.ts';
import { readAnalysisDataset, readSaeDataset } from '../../trial/index.ts';
import { optionalPositiveInteger, parseCommandArguments, requireFile } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, readInputBytes, writeOutputText } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { packageVersion, sha256Hex } from '../provenance.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';
import { readAnalysisPlanFile, readEconomicsInputs } from './economics.ts';

export const ANALYSE_USAGE =
  'enrich analyse FILE.csv [--sae SAE.csv] [--sap plan.json] [--bootstrap 1000] [--seed 1] [--unit-costs COSTS.csv [--value-set STATES.csv --eq5d 3L|5L] [--wtp 20000,30000]] [--cohort QUESTIONNAIRES.csv --norms NORMS.csv] [--json OUT|-] [--html REPORT.html [--title T] [--isrctn ID]]';

/** A whole-number seed, negative allowed, as R's set.seed takes it. */
function optionalSeed(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || Math.abs(Number(value)) > 2_147_483_647) {
    throw new UsageError(
      `--seed requires a whole number between -2147483647 and 2147483647 (got "${String(value)}")\nusage: ${ANALYSE_USAGE}`,
    );
  }
  return Number(value);
}

/** A progress bar on stderr, drawn only on a terminal, redrawn when the percentage changes. */
function progressBar(
  io: CommandIo,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  const terminal = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let shown = -1;
  return {
    update(done, total) {
      if (!terminal) return;
      const percent = Math.floor((100 * done) / total);
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((width * done) / total);
      io.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total}`,
      );
    },
    end() {
      if (terminal && shown >= 0) io.stderr.write('\r\x1b[K');
    },
  };
}

/** `enrich analyse`: the pre-specified trial analysis (src/analysis) with JSON, text and HTML outputs. */
function runAnalyse(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      sae: { type: 'string' },
      sap: { type: 'string' },
      bootstrap: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
      title: { type: 'string' },
      isrctn: { type: 'string' },
      'unit-costs': { type: 'string' },
      'value-set': { type: 'string' },
      eq5d: { type: 'string' },
      wtp: { type: 'string' },
      cohort: { type: 'string' },
      norms: { type: 'string' },
    },
    ANALYSE_USAGE,
  );
  const file = requireFile(parsed, ANALYSE_USAGE);
  const resamples = optionalPositiveInteger(parsed, 'bootstrap', ANALYSE_USAGE);
  const seed = optionalSeed(parsed.values.seed);
  const jsonTarget = parsed.values.json as string | undefined;
  const htmlTarget = parsed.values.html as string | undefined;
  for (const [name, value] of [
    ['json', jsonTarget],
    ['html', htmlTarget],
    ['sae', parsed.values.sae],
    ['sap', parsed.values.sap],
    ['cohort', parsed.values.cohort],
    ['norms', parsed.values.norms],
  ] as const) {
    if (value === '') throw new UsageError(`--${name} requires a file name\nusage: ${ANALYSE_USAGE}`);
  }
  const cohortPath = parsed.values.cohort as string | undefined;
  const normsPath = parsed.values.norms as string | undefined;
  if ((cohortPath === undefined) !== (normsPath === undefined)) {
    throw new UsageError(
      `${cohortPath === undefined ? '--norms requires --cohort QUESTIONNAIRES.csv' : '--cohort requires --norms NORMS.csv'} (the wellbeing cohort is compared with its norms)\nusage: ${ANALYSE_USAGE}`,
    );
  }
  if (resamples !== undefined && resamples > 100_000) {
    throw new UsageError(
      `--bootstrap requires a whole number from 1 to 100000 (got ${resamples})\nusage: ${ANALYSE_USAGE}`,
    );
  }
  const plan = readAnalysisPlanFile(parsed.values.sap as string | undefined);
  if (resamples !== undefined) plan.bootstrapResamples = resamples;
  if (seed !== undefined) plan.seed = seed;

  const economics = readEconomicsInputs(parsed.values, ANALYSE_USAGE, false);
  const bytes = readInputBytes(file, 'input file');
  const dataset = readAnalysisDataset(parseCsv(bytes, file));
  const saePath = parsed.values.sae as string | undefined;
  const saeBytes = saePath === undefined ? undefined : readInputBytes(saePath, 'SAE file');
  const sae =
    saeBytes === undefined ? undefined : readSaeDataset(parseCsv(saeBytes, saePath as string), dataset);
  const cohort = readCohortInputs(cohortPath, normsPath);
  const runDate = new Date().toISOString();
  const bar = progressBar(io, 'CACE bootstrap');
  let analysis: TrialAnalysis;
  try {
    analysis = analyseTrial(dataset, {
      plan,
      ...(sae === undefined ? {} : { sae }),
      ...(economics === undefined ? {} : { economics }),
      ...(cohort === undefined ? {} : { cohort }),
      provenance: {
        enrichVersion: packageVersion(),
        inputFile: basename(file),
        inputSha256: sha256Hex(bytes),
        ...(saePath === undefined || saeBytes === undefined
          ? {}
          : { saeFile: basename(saePath), saeSha256: sha256Hex(saeBytes) }),
        runDate,
      },
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.end();
  }
  if (htmlTarget !== undefined) {
    const title = parsed.values.title as string | undefined;
    const isrctn = parsed.values.isrctn as string | undefined;
    const report = renderTrialReport(analysis, {
      generatedAt: runDate,
      ...(title === undefined ? {} : { title }),
      ...(isrctn === undefined ? {} : { isrctn }),
    });
    writeOutputText(htmlTarget, report, 'HTML report');
  }
  if (jsonTarget === '-') {
    io.stdout.write(formatJson(analysis));
    return 0;
  }
  if (jsonTarget !== undefined) writeOutputText(jsonTarget, formatJson(analysis), 'JSON output');
  io.stdout.write(formatAnalysisText(analysis));
  return 0;
}

/** The wellbeing cohort's questionnaires and norms, read as `enrich cohort` reads them; undefined without --cohort. */
function readCohortInputs(
  cohortPath: string | undefined,
  normsPath: string | undefined,
): AnalyseTrialOptions['cohort'] {
  if (cohortPath === undefined || normsPath === undefined) return undefined;
  const measures = PLACEHOLDER_COHORT_MEASURES;
  return {
    data: readCohortResponses(parseCsv(readInputBytes(cohortPath, 'cohort file'), cohortPath), measures),
    norms: readCohortNorms(parseCsv(readInputBytes(normsPath, 'norms file'), normsPath), measures),
    measures,
  };
}

function ratio(
  effect: EffectEstimate | { estimate: number; ciLower: number; ciUpper: number },
  digits = 4,
): string {
  return `${formatNumber(effect.estimate, digits)} (${formatNumber(effect.ciLower, digits)} to ${formatNumber(effect.ciUpper, digits)})`;
}

/** The readable summary: the main results of each section. */
export function formatAnalysisText(analysis: TrialAnalysis): string {
  const [reference, treated] = analysis.methods.armLevels as [string, string];
  const { primary, cace } = analysis;
  const lines: string[] = [];
  const consort = analysis.consort.byArm;
  lines.push(
    `Trial analysis of ${analysis.methods.inputFile} (SHA-256 ${analysis.methods.inputSha256.slice(0, 16)}...), enrich ${analysis.methods.enrichVersion}`,
    `Randomised ${analysis.consort.randomised}: ${reference} ${consort[reference]?.randomised}, ${treated} ${consort[treated]?.randomised}`,
    `Covariates: ${analysis.methods.plan.covariates.join(', ') || '(none)'}`,
    '',
    `Primary outcome (${primary.outcome}), intention to treat:`,
    alignTable(
      ['arm', 'n', 'events', '%'],
      [reference, treated].map((arm) => [
        arm,
        String(primary.n[arm]),
        String(primary.events[arm]),
        formatNumber(primary.percent[arm], 3),
      ]),
    ),
    '',
    alignTable(
      ['effect', 'estimate (95% CI)', 'p'],
      [
        ['risk difference', ratio(primary.riskDifference), formatPValue(primary.riskDifference.pValue)],
        ['adjusted odds ratio', ratio(primary.oddsRatio), formatPValue(primary.oddsRatio.pValue)],
        ['adjusted risk ratio', ratio(primary.riskRatio), formatPValue(primary.riskRatio.pValue)],
      ],
    ),
    '',
    `CACE risk ratio (two-stage residual inclusion): ${ratio(cace.riskRatio)}`,
    `  BCa bootstrap, ${cace.bootstrap.resamples} resamples stratified by arm, seed ${cace.bootstrap.seed}; n = ${cace.n}, compliers ${cace.compliers}, not assessable ${cace.notAssessable}, other missing ${cace.otherMissing}`,
    '',
    'Subgroups (odds ratio for arm within each level):',
    alignTable(
      ['subgroup', 'level', 'odds ratio (95% CI)', 'interaction p'],
      analysis.subgroups.flatMap((subgroup) =>
        subgroup.levels.map((level, index) => [
          index === 0 ? subgroup.variable : '',
          level.level,
          ratio(level.oddsRatio),
          index === 0 ? formatPValue(subgroup.interactionPValue) : '',
        ]),
      ),
    ),
    '',
    'Secondary counts at 12 months (negative binomial rate ratio):',
    alignTable(
      ['outcome', `${reference} mean (SD)`, `${treated} mean (SD)`, 'rate ratio (95% CI)', 'p'],
      analysis.secondary.counts.map((count) => [
        count.outcome,
        ...[reference, treated].map(
          (arm) => `${formatNumber(count.byArm[arm]?.mean, 3)} (${formatNumber(count.byArm[arm]?.sd, 3)})`,
        ),
        ratio(count.rateRatio),
        formatPValue(count.rateRatio.pValue),
      ]),
    ),
    '',
    `Time to readmission: hazard ratio ${ratio(analysis.secondary.timeToReadmission.hazardRatio)}, p ${formatPValue(analysis.secondary.timeToReadmission.hazardRatio.pValue)}; log-rank p ${formatPValue(analysis.secondary.timeToReadmission.logrankPValue)}`,
    '',
    '4-month outcomes (adjusted mean difference, complete cases):',
    alignTable(
      ['outcome', 'difference (95% CI)', 'p', `n ${reference}`, `n ${treated}`],
      analysis.secondary.fourMonth.map((outcome) => [
        outcome.outcome,
        ratio(outcome.meanDifference),
        formatPValue(outcome.meanDifference.pValue),
        String(outcome.n[reference]),
        String(outcome.n[treated]),
      ]),
    ),
  );
  if (analysis.sae !== null) {
    const sae = analysis.sae;
    lines.push(
      '',
      `Serious adverse events: ${reference} ${sae.events[reference]} events in ${sae.participants[reference]?.count} participants, ${treated} ${sae.events[treated]} events in ${sae.participants[treated]?.count} participants`,
    );
  }
  if (analysis.cohort !== undefined) {
    const participants = analysis.cohort.participants.map(
      (entry) => `T${entry.timepoint} ${entry.suppressed === null ? entry.n : '<5'}`,
    );
    lines.push(
      '',
      `Peer worker wellbeing cohort: ${participants.join(', ')} peer workers (aggregates under ${analysis.cohort.minimumGroupSize} suppressed; every number in --json and --html)`,
    );
  }
  const warnings = [
    ...primary.warnings.map((warning) => `primary: ${warning}`),
    ...cace.warnings.map((warning) => `CACE: ${warning}`),
    ...analysis.subgroups.flatMap((subgroup) =>
      subgroup.warnings.map((warning) => `${subgroup.variable}: ${warning}`),
    ),
    ...analysis.secondary.counts.flatMap((count) =>
      count.warnings.map((warning) => `${count.outcome}: ${warning}`),
    ),
  ];
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((warning) => `  ${warning}`));
  return `${lines.join('\n')}\n`;
}

export const analyseCommand: CliCommand = {
  name: 'analyse',
  usage: ANALYSE_USAGE,
  summary:
    'the pre-specified trial analysis (primary ITT, CACE, subgroups, secondary, SAE) with JSON and HTML report',
  run: runAnalyse,
};
