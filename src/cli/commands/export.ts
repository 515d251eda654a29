import { exportTrialData, formatDataDictionaryCsv, StorageError } from '../../storage/index.ts';
import { parseCommandArguments, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, writeOutputText } from '../io.ts';
import { databaseTargetOf, openCliStore } from './init.ts';

export const EXPORT_USAGE =
  'enrich export [--db PATH | DATABASE_URL=postgres://...] --trial ID --out FILE.csv [--sae-out FILE.csv] [--dictionary-out FILE.csv] [--blinded] [--as USERNAME]';

async function runExport(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArguments(
    argv,
    {
      db: { type: 'string' },
      trial: { type: 'string' },
      out: { type: 'string' },
      'sae-out': { type: 'string' },
      'dictionary-out': { type: 'string' },
      blinded: { type: 'boolean' },
      as: { type: 'string' },
    },
    EXPORT_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${EXPORT_USAGE}`);
  }
  const trialId = requireOption(parsed, 'trial', EXPORT_USAGE);
  const out = requireOption(parsed, 'out', EXPORT_USAGE);
  const saeOut = parsed.values['sae-out'];
  const dictionaryOut = parsed.values['dictionary-out'];
  const blinded = parsed.values.blinded === true;
  if (blinded && typeof saeOut === 'string') {
    throw new UsageError(
      `--sae-out requires the unblinded export (SAE relatedness reveals the arm); drop --blinded\nusage: ${EXPORT_USAGE}`,
    );
  }
  const username = typeof parsed.values.as === 'string' ? parsed.values.as : 'admin';
  const store = await openCliStore(databaseTargetOf(parsed.values.db));
  try {
    const viewer = await store.findUser(username);
    if (viewer === undefined) {
      throw new StorageError('store_not_found', `--as requires an existing user (got "${username}")`);
    }
    const result = await exportTrialData(store, trialId, viewer, { blinded });
    writeOutputText(out, result.analysisCsv, 'analysis dataset');
    const lines = [
      `wrote ${result.blinded ? 'the blinded' : 'the'} analysis dataset of trial "${trialId}" to ${out}: ${result.participants} participants`,
    ];
    if (typeof saeOut === 'string' && result.saeCsv !== undefined) {
      writeOutputText(saeOut, result.saeCsv, 'SAE file');
      lines.push(`wrote ${result.seriousAdverseEvents} serious adverse events to ${saeOut}`);
    }
    if (typeof dictionaryOut === 'string') {
      writeOutputText(dictionaryOut, formatDataDictionaryCsv(), 'data dictionary');
      lines.push(`wrote the data dictionary to ${dictionaryOut}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `enrich export`: the analysis dataset (and SAE file, data dictionary) derived from a trial database. */
export const exportCommand: CliCommand = {
  name: 'export',
  usage: EXPORT_USAGE,
  summary: 'export a trial database as the analysis dataset CSV (+ SAE file, data dictionary)',
  run: runExport,
};
