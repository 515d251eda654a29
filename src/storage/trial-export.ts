import type { TrialStore } from '../trial/index.ts';
import {
  ANALYSIS_DATASET_COLUMNS,
  type AnalysisRow,
  BLINDED_EXPORT_EXCLUDED_COLUMNS,
  blindAnalysisRows,
  can,
  deriveAnalysisDataset,
  explainDenial,
  formatAnalysisCsv,
  SAE_COLUMNS,
  type User,
} from '../trial/index.ts';
import { StorageError } from './errors.ts';

/** The files of one export: the analysis dataset and, unblinded, the serious adverse events. */
export interface TrialExport {
  readonly analysisCsv: string;
  /** One row per SAE (participant_id, onset_date, category, related); absent from a blinded export. */
  readonly saeCsv: string | undefined;
  readonly participants: number;
  readonly seriousAdverseEvents: number;
  readonly blinded: boolean;
}

const RELATED = new Set(['possibly', 'probably', 'definitely']);

/**
 * Exports a trial's analysis dataset exactly as docs/reference/data-dictionary.md defines it, derived from
 * the stored records by `deriveAnalysisDataset`, for `viewer`: unblinded (every column and the SAE file)
 * when the access policy allows `export_unblinded` (a statistician only after the database lock), blinded
 * (without `arm` and the intervention-received columns, no SAE file) when `blinded` is asked for and
 * `export_blinded` is allowed. The export is recorded in the audit trail.
 *
 * @throws StorageError `store_forbidden` naming the rule that refuses; `store_not_found` for an unknown
 *   trial; RecordValidationError when the stored records are inconsistent.
 * @example
 * const { analysisCsv } = await exportTrialData(store, 'enrich', statistician, { blinded: false });
 */
export async function exportTrialData(
  store: TrialStore,
  trialId: string,
  viewer: User,
  options: { readonly blinded: boolean },
): Promise<TrialExport> {
  const trial = await store.getTrial(trialId);
  const resource = { kind: 'trial', trialLocked: trial.lockedAt !== undefined } as const;
  const action = options.blinded ? 'export_blinded' : 'export_unblinded';
  if (!can(viewer, action, resource)) {
    throw new StorageError(
      'store_forbidden',
      `${explainDenial(viewer, action, resource) ?? action}${options.blinded || trial.lockedAt !== undefined ? '' : '; before the database lock only the blinded export is available'}`,
    );
  }
  const records = await store.listParticipantRecords(trialId);
  const rows = deriveAnalysisDataset(trial.config, records);
  const saeRows: AnalysisRow[] = records.flatMap((record) =>
    record.seriousAdverseEvents.map((event) => ({
      participant_id: record.participant.participantId,
      onset_date: event.onsetDate,
      category: event.category,
      related: RELATED.has(event.relatedness) ? 1 : 0,
    })),
  );
  const excluded = new Set<string>(BLINDED_EXPORT_EXCLUDED_COLUMNS);
  const analysisCsv = options.blinded
    ? formatAnalysisCsv(
        blindAnalysisRows(rows) as AnalysisRow[],
        ANALYSIS_DATASET_COLUMNS.filter((spec) => !excluded.has(spec.name)),
      )
    : formatAnalysisCsv(rows);
  await store.recordExport(
    trialId,
    options.blinded ? 'analysis dataset (blinded)' : 'analysis dataset and SAE file (unblinded)',
    { userId: viewer.userId, role: viewer.role },
  );
  return {
    analysisCsv,
    saeCsv: options.blinded ? undefined : formatAnalysisCsv(saeRows, SAE_COLUMNS),
    participants: rows.length,
    seriousAdverseEvents: saeRows.length,
    blinded: options.blinded,
  };
}
