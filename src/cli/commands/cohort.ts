import { basename } from 'node:path';
import {
  analyseCohort,
  type CohortAnalysis,
  PLACEHOLDER_COHORT_MEASURES,
  readCohortNorms,
  readCohortResponses,
  suppressedText,
} from '../../analysis/index.ts';
import { renderCohortReport } from '../../report/index.ts';
import { parseCsv } from '../../table/index.ts';
import { parseCommandArguments, requireFile, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, readInputBytes, writeOutputText } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { packageVersion, sha256Hex } from '../provenance.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';

export const COHORT_USAGE = 'enrich cohort FILE.csv --norms NORMS.csv [--json] [--html OUT]';

/** `enrich cohort`: the peer worker wellbeing cohort (src/analysis/cohort), aggregates only. */
function runCohort(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      norms: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      title: { type: 'string' },
    },
    COHORT_USAGE,
  );
  const file = requireFile(parsed, COHORT_USAGE);
  const normsPath = requireOption(parsed, 'norms', COHORT_USAGE);
  const htmlTarget = parsed.values.html as string | undefined;
  if (htmlTarget === '') throw new UsageError(`--html requires a file name\nusage: ${COHORT_USAGE}`);
  const measures = PLACEHOLDER_COHORT_MEASURES;
  const bytes = readInputBytes(file, 'input file');
  const data = readCohortResponses(parseCsv(bytes, file), measures);
  const norms = readCohortNorms(parseCsv(readInputBytes(normsPath, 'norms file'), normsPath), measures);
  const analysis = analyseCohort(data, norms, measures);
  if (htmlTarget !== undefined) {
    const title = parsed.values.title as string | undefined;
    writeOutputText(
      htmlTarget,
      renderCohortReport(analysis, {
        inputFile: basename(file),
        inputSha256: sha256Hex(bytes),
        normsFile: basename(normsPath),
        generatedAt: new Date().toISOString(),
        enrichVersion: packageVersion(),
        ...(title === undefined ? {} : { title }),
      }),
      'HTML report',
    );
  }
  io.stdout.write(parsed.values.json ? formatJson(analysis) : formatCohortText(analysis));
  return 0;
}

const value = (number: number | null, digits = 3) => (number === null ? 'NA' : formatNumber(number, digits));

/**
 * The readable summary: one row per score and timepoint; suppressed groups print `<5`, a withheld change or
 * norm comparison its reason (`<5 (suppressed)`, `withheld: would reveal fewer than 5 people by differencing
 * with the T1 group`).
 */
export function formatCohortText(analysis: CohortAnalysis): string {
  const rows: string[][] = [];
  for (const score of analysis.scores) {
    for (const entry of score.timepoints) {
      const change = score.change.find((candidate) => candidate.timepoint === entry.timepoint);
      const norm = score.norm?.comparisons.find((candidate) => candidate.timepoint === entry.timepoint);
      rows.push([
        score.subscale === null ? score.measure : `${score.measure}.${score.subscale}`,
        `T${entry.timepoint}`,
        entry.suppressed === null ? String(entry.n) : `<${analysis.minimumGroupSize}`,
        entry.suppressed === null ? `${value(entry.mean)} (${value(entry.sd)})` : 'suppressed',
        change === undefined
          ? ''
          : change.suppressed === null
            ? `${value(change.meanChange)} d_z ${value(change.effectSizeDz)} ${formatPValue(change.pValue ?? Number.NaN)}`
            : suppressedText(change.suppressed),
        norm === undefined
          ? ''
          : norm.suppressed === null
            ? `${value(norm.difference)} ${formatPValue(norm.pValue ?? Number.NaN)}`
            : suppressedText(norm.suppressed),
      ]);
    }
  }
  return `Peer worker wellbeing cohort, ${analysis.source} (aggregates over fewer than ${analysis.minimumGroupSize} people suppressed)\n\n${alignTable(
    ['score', 'time', 'n', 'mean (sd)', 'change from T1', 'vs norm'],
    rows,
  )}\n`;
}

export const cohortCommand: CliCommand = {
  name: 'cohort',
  usage: COHORT_USAGE,
  summary: 'Peer worker wellbeing cohort: measures over time, change from T1, norms (aggregates of 5+ only)',
  run: runCohort,
};
