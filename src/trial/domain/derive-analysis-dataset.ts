import { ANALYSIS_DATASET_COLUMNS, type ColumnSpec } from '../analysis-dataset-schema.ts';
import { type DataProblem, InstrumentResponseError, RecordValidationError } from '../errors.ts';
import { parseIsoDate } from '../typed-columns.ts';
import { scoreInstrument } from './instruments.ts';
import { findInstrumentForConstruct } from './trial-config.ts';
import {
  CONTACT_ACTIVITIES,
  type Construct,
  type ContactRecord,
  type InstrumentResponses,
  type ParticipantRecords,
  type TrialConfig,
} from './types.ts';

/** One analysis-dataset row: column name -> value (`null` = missing; dates ISO text; binaries 0/1). */
export type AnalysisRow = Readonly<Record<string, string | number | null>>;

/** The scored constructs and their column stems, in the data dictionary's order. */
const CONSTRUCTS: readonly Construct[] = [
  'symptoms',
  'quality_of_life',
  'social_inclusion',
  'hope',
  'social_network',
  'eq5d',
];

const RELATIONSHIP_ACTIVITIES: ReadonlySet<string> = new Set(
  CONTACT_ACTIVITIES.filter((activity) => activity.category === 'relationship').map(
    (activity) => activity.id,
  ),
);

const PHASE_ORDER = { before_discharge: 0, after_discharge: 1 } as const;

/**
 * Derives the analysis dataset (docs/reference/data-dictionary.md) from the stored records: one row per
 * randomised participant, in the order given, every column of `ANALYSIS_DATASET_COLUMNS`. Pure; O(records).
 *
 * Day numbers count from the discharge date D of the index admission (day 0); the outcome period is days
 * 1..F with F = `config.followUpDays` (365).
 * - Design: participant, site, diagnosis group; `arm` and `randomised_date` from the randomisation.
 * - Baseline: from the baseline record; `index_los_days` = D − index admission date; scores computed from
 *   the baseline responses with each construct's configured instrument (`scoreInstrument`: prorating rule).
 * - Intervention received: `pw_contacts_hospital` = face-to-face contacts before discharge;
 *   `pw_contacts_community` = contacts after discharge (any mode); the first contact (earliest date, then
 *   before discharge first, then contact id) gives `first_contact_minutes` and the number of its
 *   relationship activities; no contact: 0 contacts, first-contact columns missing.
 * - 12 months (needs D and, when a records visit is configured, a review of it with records available;
 *   otherwise every 12-month column is missing): admissions with admission day in 1..C are counted by
 *   legal status, where C = min(F, day of death, day of a withdrawal that stops records use); bed days =
 *   days in hospital counted inclusively (admission day to discharge day, a same-day stay = 1) within days
 *   1..C, an admission still open running to C; crisis, liaison and community team contacts dated in 1..C
 *   are summed. A withdrawal that stops records use before day F makes these counts missing (a part-year
 *   count is not comparable).
 * - Readmission: with r the day of the first admission in 1..C, `readmitted_12m` = 1, `days_to_readmission`
 *   = r, `readmission_event` = 1; without one, `days_to_readmission` = C (censored at 365, death or
 *   withdrawal), event 0, and `readmitted_12m` = 0, or missing when censored by withdrawal (not known).
 * - 4-month interview (the first `interview` visit of the configuration): `followup_4m` = 1 when it was
 *   completed; its scores then come from its responses, else they are missing.
 * - Status: `withdrawn` = 1 for a withdrawal from interviews or from everything (not from the intervention
 *   only: `interventionWithdrawal`, or an older store's `withdrawal` with scope `intervention`, which keep
 *   all data and change no column); `died_12m` = 1 when death is on or before day F.
 * - A withdrawal with `dataUse: 'none'` leaves only the design columns and `withdrawn`.
 *
 * A withdrawal stops records use when its `dataUse` is `collected_only` or `none`.
 *
 * @throws RecordValidationError listing every inconsistency: duplicate participant ids, a record filed under
 *   another participant, an unknown arm, malformed dates, responses that cannot be scored, two completed
 *   interviews for one visit.
 * @example
 * deriveAnalysisDataset(ENRICH_TRIAL_CONFIG, [records])[0]?.pw_contacts_community; // 3
 */
export function deriveAnalysisDataset(
  config: TrialConfig,
  participants: readonly ParticipantRecords[],
): AnalysisRow[] {
  const problems: DataProblem[] = [];
  const seen = new Set<string>();
  const rows: AnalysisRow[] = [];
  for (const records of participants) {
    const id = records.participant.participantId;
    if (seen.has(id)) {
      problems.push({
        path: `participant ${id}`,
        code: 'record_inconsistent',
        message: `the analysis dataset requires one record set per participant (got "${id}" twice)`,
      });
    }
    seen.add(id);
    rows.push(deriveRow(config, records, problems));
  }
  if (problems.length > 0) throw new RecordValidationError(problems);
  return rows;
}

function deriveRow(config: TrialConfig, records: ParticipantRecords, problems: DataProblem[]): AnalysisRow {
  const participant = records.participant;
  const id = participant.participantId;
  const problem = (path: string, code: string, message: string) =>
    problems.push({ path: `participant ${id}: ${path}`, code, message });
  const day = (path: string, value: string | undefined): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === 'string' && value.length === 10 ? parseIsoDate(value) : undefined;
    if (parsed === undefined) {
      problem(
        path,
        'record_field_invalid',
        `${path} requires an ISO date YYYY-MM-DD (got ${JSON.stringify(value)})`,
      );
    }
    return parsed;
  };
  checkOwnership(records, problem);
  if (!config.arms.some((arm) => arm.name === records.randomisation.arm)) {
    // The arm itself is not quoted: this message may reach a blinded user.
    problem(
      'randomisation.arm',
      'record_field_invalid',
      'randomisation.arm requires one of the configured arms',
    );
  }

  const row: Record<string, string | number | null> = {};
  for (const spec of ANALYSIS_DATASET_COLUMNS) row[spec.name] = null;
  row.participant_id = id;
  row.site = participant.site;
  row.arm = records.randomisation.arm;
  row.diagnosis_group = participant.diagnosisGroup;
  row.randomised_date = records.randomisation.randomisedDate;
  day('randomisation.randomisedDate', records.randomisation.randomisedDate);

  const withdrawal = records.withdrawal;
  row.withdrawn = withdrawal !== undefined && withdrawal.scope !== 'intervention' ? 1 : 0;
  if (withdrawal?.dataUse === 'none') return row;

  const discharge = day('discharge.dischargeDate', records.discharge?.dischargeDate);
  row.discharge_date = discharge === undefined ? null : (records.discharge?.dischargeDate as string);

  const score = (path: string, construct: Construct, responses: InstrumentResponses | undefined) => {
    const instrument = findInstrumentForConstruct(config, construct);
    if (instrument === undefined || responses === undefined) return null;
    const items = responses[instrument.id];
    if (items === undefined) return null;
    try {
      return scoreInstrument(instrument, items).total ?? null;
    } catch (error) {
      if (!(error instanceof InstrumentResponseError)) throw error;
      for (const item of error.problems)
        problem(`${path}.${item.path}`, 'record_field_invalid', item.message);
      return null;
    }
  };

  // Baseline.
  const baseline = records.baseline;
  if (baseline !== undefined) {
    row.age = baseline.ageYears;
    row.gender = baseline.gender;
    row.ethnicity = baseline.ethnicity;
    row.first_language = baseline.firstLanguage;
    row.sexual_orientation = baseline.sexualOrientation ?? null;
    row.admissions_prior_2y = baseline.admissionsPrior2y;
    row.detained_at_index = baseline.detainedAtIndex ? 1 : 0;
    const admitted = day('baseline.indexAdmissionDate', baseline.indexAdmissionDate);
    if (admitted !== undefined && discharge !== undefined) {
      if (discharge < admitted) {
        problem(
          'discharge.dischargeDate',
          'record_inconsistent',
          `discharge.dischargeDate requires a date on or after the index admission ${baseline.indexAdmissionDate} (got ${records.discharge?.dischargeDate})`,
        );
      } else {
        row.index_los_days = discharge - admitted;
      }
    }
    for (const construct of CONSTRUCTS) {
      row[`${construct}_baseline`] = score('baseline.responses', construct, baseline.responses);
    }
  }

  // Intervention received.
  const contacts = [...records.contacts].sort(compareContacts);
  row.pw_contacts_hospital = contacts.filter(
    (contact) => contact.phase === 'before_discharge' && contact.mode === 'face_to_face',
  ).length;
  row.pw_contacts_community = contacts.filter((contact) => contact.phase === 'after_discharge').length;
  const first = contacts[0];
  if (first !== undefined) {
    row.first_contact_minutes = first.minutes;
    row.first_contact_relationship_activities = first.activities.filter((activity) =>
      RELATIONSHIP_ACTIVITIES.has(activity),
    ).length;
  }

  // Status.
  const F = config.followUpDays;
  const deathDay =
    records.death === undefined || discharge === undefined
      ? undefined
      : (day('death.dateOfDeath', records.death.dateOfDeath) ?? Number.NaN) - discharge;
  if (records.death === undefined) row.died_12m = 0;
  else if (deathDay !== undefined && !Number.isNaN(deathDay)) row.died_12m = deathDay <= F ? 1 : 0;
  else if (discharge === undefined) day('death.dateOfDeath', records.death.dateOfDeath);

  // 4-month interview.
  const interviewVisit = config.visits.find((visit) => visit.kind === 'interview');
  if (interviewVisit !== undefined) {
    const completed = records.interviews.filter(
      (interview) => interview.visitId === interviewVisit.id && interview.status === 'completed',
    );
    if (completed.length > 1) {
      problem(
        `interview.${interviewVisit.id}`,
        'record_inconsistent',
        `interview ${interviewVisit.id} requires at most one completed interview (got ${completed.length})`,
      );
    }
    const interview = completed[0];
    row.followup_4m = interview === undefined ? 0 : 1;
    for (const construct of CONSTRUCTS) {
      row[`${construct}_4m`] =
        interview === undefined
          ? null
          : score(`interview.${interviewVisit.id}.responses`, construct, interview.responses);
    }
  }

  // 12-month outcomes from patient records.
  if (discharge === undefined) return row;
  const recordsVisit = config.visits.find((visit) => visit.kind === 'records');
  if (recordsVisit !== undefined) {
    const reviews = records.serviceUseReviews
      .filter((review) => review.visitId === recordsVisit.id)
      .sort((left, right) => left.reviewDate.localeCompare(right.reviewDate));
    const latest = reviews[reviews.length - 1];
    if (latest === undefined || !latest.recordsAvailable) return row;
  }
  const stopsRecords = withdrawal !== undefined && withdrawal.dataUse !== 'collected_and_records';
  const withdrawalDay = stopsRecords
    ? (day('withdrawal.withdrawalDate', withdrawal.withdrawalDate) ?? Number.NaN) - discharge
    : undefined;
  if (withdrawalDay !== undefined && (Number.isNaN(withdrawalDay) || withdrawalDay < 1)) return row;
  const censoredByWithdrawal = withdrawalDay !== undefined && withdrawalDay < F;
  let end = F;
  if (deathDay !== undefined && !Number.isNaN(deathDay)) end = Math.min(end, Math.max(1, deathDay));
  if (censoredByWithdrawal) end = Math.min(end, withdrawalDay);

  let voluntary = 0;
  let involuntary = 0;
  let bedDays = 0;
  let firstReadmission: number | undefined;
  const counts = { crisis_team: 0, liaison: 0, community_team: 0 };
  for (const event of records.serviceUseEvents) {
    if (event.kind === 'admission') {
      const admitted = day(`service_use.${event.eventId}.admissionDate`, event.admissionDate);
      const left =
        event.dischargeDate === undefined || event.dischargeDate === null
          ? undefined
          : day(`service_use.${event.eventId}.dischargeDate`, event.dischargeDate);
      if (admitted === undefined) continue;
      const admissionDay = admitted - discharge;
      const leaveDay = left === undefined ? end : left - discharge;
      if (admissionDay < 1 || admissionDay > end) continue;
      bedDays += Math.max(0, Math.min(leaveDay, end) - admissionDay + 1);
      if (event.legalStatus === 'involuntary') involuntary += 1;
      else voluntary += 1;
      if (firstReadmission === undefined || admissionDay < firstReadmission) firstReadmission = admissionDay;
    } else {
      const date = day(`service_use.${event.eventId}.date`, event.date);
      if (date === undefined) continue;
      const eventDay = date - discharge;
      if (eventDay >= 1 && eventDay <= end) counts[event.kind] += event.contacts;
    }
  }

  if (firstReadmission !== undefined) {
    row.readmitted_12m = 1;
    row.days_to_readmission = firstReadmission;
    row.readmission_event = 1;
  } else {
    row.readmitted_12m = censoredByWithdrawal ? null : 0;
    row.days_to_readmission = end;
    row.readmission_event = 0;
  }
  if (!censoredByWithdrawal) {
    row.admissions_voluntary_12m = voluntary;
    row.admissions_involuntary_12m = involuntary;
    row.admissions_total_12m = voluntary + involuntary;
    row.bed_days_12m = bedDays;
    row.crisis_contacts_12m = counts.crisis_team;
    row.liaison_contacts_12m = counts.liaison;
    row.community_contacts_12m = counts.community_team;
  }
  return row;
}

function compareContacts(left: ContactRecord, right: ContactRecord): number {
  return (
    left.contactDate.localeCompare(right.contactDate) ||
    PHASE_ORDER[left.phase] - PHASE_ORDER[right.phase] ||
    left.contactId.localeCompare(right.contactId)
  );
}

/** Every record of the set must be filed under the same participant. */
function checkOwnership(
  records: ParticipantRecords,
  problem: (path: string, code: string, message: string) => void,
): void {
  const id = records.participant.participantId;
  const single: [string, { participantId: string } | undefined][] = [
    ['baseline', records.baseline],
    ['randomisation', records.randomisation],
    ['discharge', records.discharge],
    ['withdrawal', records.withdrawal],
    ['intervention_withdrawal', records.interventionWithdrawal],
    ['death', records.death],
  ];
  const lists: [string, readonly { participantId: string }[]][] = [
    ['assignment', records.assignments],
    ['contact', records.contacts],
    ['interview', records.interviews],
    ['service_use_review', records.serviceUseReviews],
    ['service_use', records.serviceUseEvents],
    ['sae', records.seriousAdverseEvents],
  ];
  const check = (kind: string, record: { participantId: string }) => {
    if (record.participantId !== id) {
      problem(
        `${kind}.participantId`,
        'record_inconsistent',
        `${kind}.participantId requires "${id}" (got "${record.participantId}")`,
      );
    }
  };
  for (const [kind, record] of single) if (record !== undefined) check(kind, record);
  for (const [kind, list] of lists) for (const record of list) check(kind, record);
}

function formatCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes analysis rows as the CSV of the data dictionary: a header row in `columns` order, `\n` line ends,
 * missing values as empty cells, numbers in JavaScript's shortest round-trip form, text quoted (RFC 4180)
 * only when it holds a comma, quote or line break. O(rows · columns).
 *
 * @example
 * formatAnalysisCsv(rows).split('\n')[0]; // 'participant_id,site,arm,diagnosis_group,...'
 */
export function formatAnalysisCsv(
  rows: readonly AnalysisRow[],
  columns: readonly ColumnSpec[] = ANALYSIS_DATASET_COLUMNS,
): string {
  const lines = [columns.map((spec) => formatCell(spec.name)).join(',')];
  for (const row of rows) lines.push(columns.map((spec) => formatCell(row[spec.name])).join(','));
  return `${lines.join('\n')}\n`;
}
