import { basename } from 'node:path';
import { analyseFidelity, type FidelityAnalysis } from '../../analysis/index.ts';
import { renderFidelityReport } from '../../report/index.ts';
import { parseCsv } from '../../table/index.ts';
import {
  FIDELITY_INDEX_TEMPLATE,
  type FidelityIndexDefinition,
  FidelityIndexError,
  readFidelityRatings,
  validateFidelityIndex,
} from '../../trial/index.ts';
import { parseCommandArguments, requireFile } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, readInputBytes, writeOutputText } from '../io.ts';
import { formatJson } from '../json-output.ts';
import { packageVersion, sha256Hex } from '../provenance.ts';
import { alignTable, formatNumber, formatPValue } from '../text-table.ts';

export const FIDELITY_USAGE =
  'enrich fidelity FILE.csv [--index DEFINITION.json] [--json] [--html OUT] | enrich fidelity --template';

function readDefinition(path: string | undefined): FidelityIndexDefinition {
  if (path === undefined) return FIDELITY_INDEX_TEMPLATE;
  const text = readInputBytes(path, 'fidelity index').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FidelityIndexError([
      {
        path,
        code: 'fidelity_index_invalid',
        message: `a fidelity index requires valid JSON (got ${(error as Error).message})`,
      },
    ]);
  }
  return validateFidelityIndex(json, path);
}

/** `enrich fidelity`: the fidelity index analysis of an exported ratings file (src/analysis/fidelity). */
function runFidelity(argv: readonly string[], io: CommandIo): number {
  const parsed = parseCommandArguments(
    argv,
    {
      index: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      title: { type: 'string' },
      template: { type: 'boolean' },
    },
    FIDELITY_USAGE,
  );
  if (parsed.values.template) {
    if (parsed.positionals.length > 0 || Object.keys(parsed.values).length > 1) {
      throw new UsageError(`--template takes no other argument\nusage: ${FIDELITY_USAGE}`);
    }
    io.stdout.write(`${JSON.stringify(FIDELITY_INDEX_TEMPLATE, null, 2)}\n`);
    return 0;
  }
  const file = requireFile(parsed, FIDELITY_USAGE);
  const htmlTarget = parsed.values.html as string | undefined;
  for (const name of ['index', 'html', 'title'] as const) {
    if (parsed.values[name] === '')
      throw new UsageError(`--${name} requires a value\nusage: ${FIDELITY_USAGE}`);
  }
  const definition = readDefinition(parsed.values.index as string | undefined);
  const bytes = readInputBytes(file, 'input file');
  const ratings = readFidelityRatings(parseCsv(bytes, file), definition);
  const analysis = analyseFidelity(definition, ratings);
  if (htmlTarget !== undefined) {
    const title = parsed.values.title as string | undefined;
    const report = renderFidelityReport(analysis, {
      inputFile: basename(file),
      inputSha256: sha256Hex(bytes),
      generatedAt: new Date().toISOString(),
      enrichVersion: packageVersion(),
      ...(title === undefined ? {} : { title }),
    });
    writeOutputText(htmlTarget, report, 'HTML report');
  }
  io.stdout.write(parsed.values.json ? formatJson(analysis) : formatFidelityText(analysis));
  return 0;
}

const score = (value: number | null) => (value === null ? 'NA' : formatNumber(value, 3));

/** The readable summary of a fidelity analysis. */
export function formatFidelityText(analysis: FidelityAnalysis): string {
  const lines: string[] = [
    `Fidelity index ${analysis.index.name} (version ${analysis.index.version}) on ${analysis.source}`,
    `${analysis.counts.interviews} interviews, ${analysis.counts.sites} sites, ${analysis.counts.ratings} ratings; ${analysis.counts.doubleRated} items double rated, ${analysis.counts.consensus} consensus scores`,
  ];
  if (analysis.index.placeholderItems > 0) {
    lines.push(
      `caution: ${analysis.index.placeholderItems} placeholder items (template); replace them with the published index's items`,
    );
  }
  lines.push(
    '',
    alignTable(
      ['site', 'employer', 'time', 'interviews', 'set-up', 'delivery', 'overall', 'band'],
      analysis.siteTimepoints.map((row) => [
        row.site,
        row.employerType,
        `T${row.timepoint}`,
        String(row.interviews),
        score(row.setup),
        score(row.delivery),
        score(row.overall),
        row.band ?? 'NA',
      ]),
    ),
    '',
    "NHS vs voluntary (site means over timepoints; Welch's t-test, few sites):",
    alignTable(
      ['score', 'nhs mean', 'voluntary mean', 'difference (95% CI)', 'p'],
      analysis.employerComparison.map((row) => [
        row.score,
        `${score(row.nhs.mean)} (${row.nhs.sites})`,
        `${score(row.voluntary.mean)} (${row.voluntary.sites})`,
        row.difference === null
          ? (row.note ?? 'NA')
          : `${score(row.difference.estimate)} (${score(row.difference.ciLower)} to ${score(row.difference.ciUpper)})`,
        row.difference === null ? '' : formatPValue(row.difference.pValue),
      ]),
    ),
    '',
    'Inter-rater reliability (pooled over items):',
  );
  const overall = analysis.reliability.overall;
  const interval = (value: { estimate: number; ciLower: number | null; ciUpper: number | null } | null) =>
    value === null
      ? 'NA'
      : value.ciLower === null
        ? `${score(value.estimate)} (no CI)`
        : `${score(value.estimate)} (${score(value.ciLower)} to ${score(value.ciUpper)})`;
  lines.push(
    `  pairs ${overall.pairs}, weighted kappa ${interval(overall.weightedKappa)}, ICC(1) ${interval(overall.icc1)}, ICC(2,1) ${interval(overall.icc2)}`,
    '',
    alignTable(
      ['domain', 'items', 'interviews', 'alpha'],
      analysis.internalConsistency.map((row) => [
        row.domain,
        String(row.items),
        String(row.interviews),
        score(row.rawAlpha),
      ]),
    ),
    '',
    `Disagreements: ${analysis.disagreements.length}, needing consensus: ${analysis.needingConsensus}`,
  );
  return `${lines.join('\n')}\n`;
}

export const fidelityCommand: CliCommand = {
  name: 'fidelity',
  usage: FIDELITY_USAGE,
  summary: 'Fidelity index: scores by site and timepoint, NHS vs voluntary, kappa/ICC, alpha, disagreements',
  run: runFidelity,
};
