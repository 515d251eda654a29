import { exportWellbeingCsv } from '../../server/index.ts';
import {
  createSecureRandom,
  exportTrialData,
  formatDataDictionaryCsv,
  StorageError,
} from '../../storage/index.ts';
import { parseCommandArguments, requireOption } from '../arguments.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { type CommandIo, writeOutputText } from '../io.ts';
import { databaseTargetOf, openCliStore } from './init.ts';

export const EXPORT_USAGE =
  'enrich export [--db PATH | DATABASE_URL=postgres://...] --trial ID --out FILE.csv [--sae-out FILE.csv] [--dictionary-out FILE.csv] [--blinded] [--wellbeing-out FILE.csv] [--as USERNAME]';

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
      'wellbeing-out': { type: 'string' },
      as: { type: 'string' },
    },
    EXPORT_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"\nusage: ${EXPORT_USAGE}`);
  }
  const trialId = requireOption(parsed, 'trial', EXPORT_USAGE);
  const wellbeingOut = parsed.values['wellbeing-out'];
  if (wellbeingOut === '') {
    throw new UsageError(`--wellbeing-out requires a file name\nusage: ${EXPORT_USAGE}`);
  }
  // --wellbeing-out alone writes only the pseudonymised wellbeing file (a statistician's --as needs no dataset).
  const out =
    typeof wellbeingOut === 'string' && parsed.values.out === undefined
      ? undefined
      : requireOption(parsed, 'out', EXPORT_USAGE);
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
    const lines: string[] = [];
    if (out !== undefined) {
      const result = await exportTrialData(store, trialId, viewer, { blinded });
      writeOutputText(out, result.analysisCsv, 'analysis dataset');
      lines.push(
        `wrote ${result.blinded ? 'the blinded' : 'the'} analysis dataset of trial "${trialId}" to ${out}: ${result.participants} participants`,
      );
      if (typeof saeOut === 'string' && result.saeCsv !== undefined) {
        writeOutputText(saeOut, result.saeCsv, 'SAE file');
        lines.push(`wrote ${result.seriousAdverseEvents} serious adverse events to ${saeOut}`);
      }
    }
    if (typeof wellbeingOut === 'string') {
      // As GET .../exports/wellbeing.csv: export_wellbeing only, pseudonyms under the trial's key, audited.
      const wellbeing = await exportWellbeingCsv(store, trialId, viewer, createSecureRandom());
      writeOutputText(wellbeingOut, wellbeing.csv, 'wellbeing questionnaire file');
      lines.push(
        `wrote ${wellbeing.questionnaires} wellbeing questionnaires of ${wellbeing.workers} pseudonymised peer workers to ${wellbeingOut}`,
      );
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
  summary:
    'export a trial database as the analysis dataset CSV (+ SAE file, data dictionary, pseudonymised wellbeing questionnaires)',
  run: runExport,
};
