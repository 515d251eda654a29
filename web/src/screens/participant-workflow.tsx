import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { ChoiceGroup, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { formatDate, humanise, today } from '../labels.ts';
import {
  LEGAL_STATUSES,
  NOT_COMPLETED_REASONS,
  SAE_CATEGORIES,
  SAE_EXPECTEDNESS,
  SAE_OUTCOMES,
  SAE_RELATEDNESS,
  SAE_SERIOUSNESS,
  SERVICE_USE_EVENT_KINDS,
  WITHDRAWAL_DATA_USE,
  WITHDRAWAL_INITIATORS,
  WITHDRAWAL_SCOPES,
} from '../options.ts';
import { useTrial } from '../trial-context.tsx';
import { Facts, Panel } from './page.tsx';
import { type Instrument, Questionnaire, type Responses, type Score, ScoreTable } from './questionnaire.tsx';
import type { Participant } from './types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Window {
  readonly target: string;
  readonly earliest: string;
  readonly latest: string;
}
interface Visit {
  readonly id: string;
  readonly label: string;
  readonly kind: 'interview' | 'records';
  readonly instruments: readonly string[];
}
interface InstrumentSet {
  readonly instruments: Instrument[];
  readonly baseline_instruments: string[];
  readonly visits: Visit[];
}

/** The envelope every stored record answers with (src/server/workflow.ts `recordBody`). */
interface Versioned {
  readonly version: number;
  readonly updated_at: string;
  readonly updated_by: string;
}

/** A record GET: 404 means "not entered yet", anything else is an error. */
function useRecord<T>(path: string) {
  const result = useApi<T>(path);
  const missing = result.error instanceof ApiError && result.error.status === 404;
  return { ...result, data: missing ? null : result.data, error: missing ? undefined : result.error };
}

function dateError(value: string, label: string, required = true): string | undefined {
  if (value === '') return required ? `Enter the ${label}` : undefined;
  if (!DATE.test(value)) return `Enter the ${label} as a date`;
  if (value > today()) return `The ${label} cannot be in the future`;
  return undefined;
}

/** What the last accepted save answered: the record's version now, and whether it was a correction. */
interface SaveResult {
  readonly version: number | undefined;
  readonly corrected: boolean;
}

/** Submits a form: keeps the entry on refusal, clears the draft on success, keeps the new version. */
function useSubmit(onDone: () => void) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SaveResult | undefined>(undefined);
  const run = async (send: () => Promise<unknown>, corrected = false) => {
    setBusy(true);
    setResult(undefined);
    try {
      const answer = await send();
      const version = (answer as { version?: unknown } | undefined)?.version;
      setError(undefined);
      setResult({ version: typeof version === 'number' ? version : undefined, corrected });
      onDone();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setError(undefined);
    setResult(undefined);
  };
  return { error, busy, saved: result !== undefined, result, run, reset };
}

/** Whether a refusal is the optimistic-concurrency one: the record changed since it was read. */
function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'store_version_conflict';
}

/**
 * A refused save, listed as the server gave it; a stale version (409 `store_version_conflict`) gets its own
 * plain message and a way to reload the record as it is now.
 */
function Refusal(props: { error: unknown; onReload?: () => void }) {
  if (props.error === undefined) return null;
  if (isStale(props.error)) {
    return (
      <Notice kind="error" title="Someone else changed this record">
        <p>
          Someone else changed this record after you opened it, so your change was not saved. Reload it to see
          the record as it is now, then make your change again if it is still needed.
        </p>
        {props.onReload === undefined ? null : (
          <button type="button" className="button" onClick={props.onReload}>
            Reload the record
          </button>
        )}
      </Notice>
    );
  }
  return <ErrorNotice error={props.error} />;
}

/** "Saved (version N)" after a first entry, "Correction saved: now version N" after a correction. */
function SavedNotice(props: { result: SaveResult | undefined; what: string }) {
  const result = props.result;
  if (result === undefined) return null;
  const version = result.version === undefined ? '' : ` version ${result.version}`;
  return (
    <Notice kind="success">
      {result.corrected
        ? `Correction saved: the ${props.what} is now${version}. The audit trail lists the change and your reason.`
        : `${props.what.charAt(0).toUpperCase()}${props.what.slice(1)} saved${result.version === undefined ? '' : ` (${version.trim()})`}.`}
    </Notice>
  );
}

function SubmitButton(props: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="button primary" disabled={props.busy}>
      {props.busy ? 'Saving…' : props.children}
    </button>
  );
}

/** A correction in progress: the version read, the reason, and the corrected values (a draft too). */
interface CorrectionDraft<T> {
  open: boolean;
  version: number;
  reason: string;
  values: T;
}

/**
 * The values of a form that either enters a record for the first time or corrects the one entered. Each
 * mode has its own draft in sessionStorage (the correction's keeps the version read and the reason, so a
 * reload or a new sign-in resumes it). A correction sends `version` and `reason`; the server refuses a
 * stale version (409) and a missing reason (422).
 */
function useEntryOrCorrection<T extends object>(form: string, initial: T) {
  const [entry, updateEntry, clearEntry] = useDraft<T>(form, initial);
  const [correction, updateCorrection, clearCorrection] = useDraft<CorrectionDraft<T>>(`${form}.correction`, {
    open: false,
    version: 0,
    reason: '',
    values: initial,
  });
  const correcting = correction.open;
  return {
    correcting,
    values: correcting ? correction.values : entry,
    update: (change: Partial<T>) => {
      if (correcting)
        updateCorrection((previous) => ({ ...previous, values: { ...previous.values, ...change } }));
      else updateEntry(change);
    },
    version: correction.version,
    reason: correction.reason,
    setReason: (reason: string) => updateCorrection({ reason }),
    /** Opens a correction of `version`, the form filled with the record as it is. */
    start: (version: number, values: T) => updateCorrection({ open: true, version, reason: '', values }),
    /** Leaves the correction (its draft is forgotten). */
    stop: clearCorrection,
    /** After the server accepted: forgets the draft in use. */
    done: () => (correcting ? clearCorrection() : clearEntry()),
    /** What the body adds: nothing on first entry; the version read and the reason on a correction. */
    versioned: (): { version?: number; reason?: string } =>
      correcting ? { version: correction.version, reason: correction.reason.trim() } : {},
    reasonError:
      correcting && correction.reason.trim() === '' ? 'Give the reason for this correction' : undefined,
  };
}

/** What the shared correction controls read of {@link useEntryOrCorrection}. */
interface Correction {
  readonly correcting: boolean;
  readonly version: number;
  readonly reason: string;
  readonly reasonError: string | undefined;
  setReason(reason: string): void;
  stop(): void;
}

/** The reason of a correction, with what will happen to the old values. */
function CorrectionReason(props: { correction: Correction; tried: boolean }) {
  const correction = props.correction;
  if (!correction.correcting) return null;
  return (
    <div className="correction-box">
      <p>
        Correcting version {correction.version} of this record. The audit trail keeps the old and the new
        values, your name, the time and your reason.
      </p>
      <TextField
        label="Reason for the correction"
        value={correction.reason}
        onChange={correction.setReason}
        error={props.tried ? correction.reasonError : undefined}
      />
    </div>
  );
}

/** "Correct this record" (when not correcting) for a record that exists and may be changed. */
function CorrectButton(props: { shown: boolean; onClick: () => void }) {
  return props.shown ? (
    <p>
      <button type="button" className="button" onClick={props.onClick}>
        Correct this record
      </button>
    </p>
  ) : null;
}

/** The submit button, and "Cancel correction" while correcting. */
function FormActions(props: {
  busy: boolean;
  correction: Correction;
  onCancel?: () => void;
  children: ReactNode;
}) {
  return (
    <div className="form-actions">
      <SubmitButton busy={props.busy}>
        {props.correction.correcting ? 'Save correction' : props.children}
      </SubmitButton>
      {props.correction.correcting ? (
        <button type="button" className="button subtle" onClick={props.correction.stop}>
          Cancel correction
        </button>
      ) : props.onCancel === undefined ? null : (
        <button type="button" className="button subtle" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** "Version N, last changed on …" for a record's facts. */
function versionFact(record: Versioned): [string, string] {
  return ['Version', `${record.version} (last changed ${formatDate(record.updated_at.slice(0, 10))})`];
}

/** The research workflow of one randomised participant, panel by panel. */
export function ParticipantWorkflow(props: {
  participant: Participant;
  canWrite: boolean;
  /** The withdrawal from the intervention only: hidden from roles blind to allocation. */
  interventionWithdrawal: 'hidden' | 'read' | 'write';
}) {
  const { trial } = useTrial();
  const instruments = useApi<InstrumentSet>(`/api/trials/${trial.id}/instruments`);
  if (instruments.error !== undefined)
    return <ErrorNotice error={instruments.error} title="The questionnaires could not be loaded" />;
  if (instruments.data === undefined) return <Loading what="the questionnaires" />;
  const set = instruments.data;
  const recordsVisits = set.visits.filter((visit) => visit.kind === 'records');
  return (
    <>
      <BaselinePanel participant={props.participant} set={set} canWrite={props.canWrite} />
      <DischargePanel participant={props.participant} canWrite={props.canWrite} />
      {set.visits
        .filter((visit) => visit.kind === 'interview')
        .map((visit) => (
          <InterviewPanel
            key={visit.id}
            participant={props.participant}
            visit={visit}
            set={set}
            canWrite={props.canWrite}
          />
        ))}
      {recordsVisits.length === 0 ? null : (
        <ServiceUse participant={props.participant} visits={recordsVisits} canWrite={props.canWrite} />
      )}
      <SaePanel participant={props.participant} canWrite={props.canWrite} />
      <WithdrawalPanel participant={props.participant} canWrite={props.canWrite} />
      {props.interventionWithdrawal === 'hidden' ? null : (
        <InterventionWithdrawalPanel
          participant={props.participant}
          canWrite={props.interventionWithdrawal === 'write'}
        />
      )}
      <DeathPanel participant={props.participant} canWrite={props.canWrite} />
    </>
  );
}

interface BaselineDraft {
  assessment_date: string;
  index_admission_date: string;
  responses: Responses;
  /** The demographics sent: null on first entry (taken from screening), the stored ones on a correction. */
  demographics: Record<string, unknown> | null;
}

interface BaselineRecord extends Versioned {
  readonly scores: Record<string, Score>;
  readonly responses: Responses;
  readonly assessment_date: string;
  readonly index_admission_date: string;
  readonly age_years: number;
  readonly gender: string;
  readonly ethnicity: string;
  readonly first_language: string;
  readonly sexual_orientation?: string;
  readonly admissions_prior2y?: number;
  readonly admissions_prior_2y?: number;
  readonly detained_at_index: boolean;
}

/** The stored demographics of a baseline, as the PUT body names them (kept unchanged by a correction). */
function demographicsOf(record: BaselineRecord): Record<string, unknown> {
  return {
    age: record.age_years,
    gender: record.gender,
    ethnicity: record.ethnicity,
    first_language: record.first_language,
    admissions_prior_2y: record.admissions_prior_2y ?? record.admissions_prior2y,
    detained_at_index: record.detained_at_index,
    ...(record.sexual_orientation === undefined ? {} : { sexual_orientation: record.sexual_orientation }),
  };
}

function BaselinePanel(props: { participant: Participant; set: InstrumentSet; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<BaselineRecord>(`/api/participants/${p.id}/baseline`);
  const form = useEntryOrCorrection<BaselineDraft>(`baseline.${p.id}`, {
    assessment_date: today(),
    index_admission_date: '',
    responses: {},
    demographics: null,
  });
  const values = form.values;
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setTried(false);
    record.reload();
  });
  const instruments = props.set.instruments.filter((instrument) =>
    props.set.baseline_instruments.includes(instrument.id),
  );
  const errors = {
    assessment_date: dateError(values.assessment_date, 'assessment date'),
    index_admission_date: dateError(values.index_admission_date, 'admission date'),
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (
      errors.assessment_date !== undefined ||
      errors.index_admission_date !== undefined ||
      form.reasonError !== undefined
    )
      return;
    void submit.run(
      () =>
        api('PUT', `/api/participants/${p.id}/baseline`, {
          assessment_date: values.assessment_date,
          index_admission_date: values.index_admission_date,
          ...(values.demographics ?? {
            age: p.age,
            gender: p.gender,
            ethnicity: p.ethnicity,
            first_language: p.first_language,
            admissions_prior_2y: p.admissions_prior_2y,
            detained_at_index: p.detained_at_index,
          }),
          responses: values.responses,
          ...form.versioned(),
        }),
      form.correcting,
    );
  };
  const reload = () => {
    form.stop();
    submit.reset();
    record.reload();
  };
  const stored = record.data;
  return (
    <Panel title="Baseline assessment" id="baseline">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      {stored === undefined && record.error === undefined ? <Loading what="the baseline" /> : null}
      <SavedNotice result={submit.result} what="baseline" />
      {stored === null || stored === undefined ? null : (
        <>
          <Facts
            items={[
              ['Assessed', formatDate(stored.assessment_date)],
              ['Date of this admission', formatDate(stored.index_admission_date)],
              versionFact(stored),
            ]}
          />
          <ScoreTable instruments={props.set.instruments} scores={stored.scores} />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(stored.version, {
                assessment_date: stored.assessment_date,
                index_admission_date: stored.index_admission_date,
                responses: stored.responses,
                demographics: demographicsOf(stored),
              });
            }}
          />
        </>
      )}
      {props.canWrite && (stored === null || (stored !== undefined && form.correcting)) ? (
        <form
          onSubmit={onSubmit}
          noValidate
          aria-label={form.correcting ? 'Correct the baseline assessment' : 'Baseline assessment'}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <div className="inline-controls">
            <TextField
              label="Assessment date"
              type="date"
              value={values.assessment_date}
              onChange={(value) => form.update({ assessment_date: value })}
              error={tried || values.assessment_date !== '' ? errors.assessment_date : undefined}
            />
            <TextField
              label="Date of this admission"
              type="date"
              value={values.index_admission_date}
              onChange={(value) => form.update({ index_admission_date: value })}
              error={tried || values.index_admission_date !== '' ? errors.index_admission_date : undefined}
            />
          </div>
          <Questionnaire
            instruments={instruments}
            responses={values.responses}
            onChange={(responses) => form.update({ responses })}
          />
          <FormActions busy={submit.busy} correction={form}>
            Save baseline
          </FormActions>
        </form>
      ) : null}
      {stored === null && !props.canWrite ? <p className="muted">Not entered yet.</p> : null}
    </Panel>
  );
}

interface DischargeRecord extends Versioned {
  readonly discharge_date: string;
  readonly windows: Record<string, Window>;
}

function DischargePanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<DischargeRecord>(`/api/participants/${p.id}/discharge`);
  const form = useEntryOrCorrection(`discharge.${p.id}`, { discharge_date: '' });
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setTried(false);
    record.reload();
  });
  const error = dateError(form.values.discharge_date, 'discharge date');
  const stored = record.data;
  const reload = () => {
    form.stop();
    submit.reset();
    record.reload();
  };
  return (
    <Panel title="Discharge" id="discharge">
      {stored === undefined && record.error === undefined ? <Loading what="the discharge" /> : null}
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      <SavedNotice result={submit.result} what="discharge date" />
      {stored === null || stored === undefined ? null : (
        <>
          <Facts
            items={[
              ['Discharged', formatDate(stored.discharge_date)],
              ...Object.entries(stored.windows).map(
                ([visit, window]) =>
                  [
                    `${humanise(visit)} window`,
                    `${formatDate(window.earliest)} – ${formatDate(window.latest)}`,
                  ] as [string, string],
              ),
              versionFact(stored),
            ]}
          />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(stored.version, { discharge_date: stored.discharge_date });
            }}
          />
        </>
      )}
      {props.canWrite && (stored === null || (stored !== undefined && form.correcting)) ? (
        <form
          noValidate
          aria-label={form.correcting ? 'Correct the discharge date' : 'Record the discharge date'}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (error !== undefined || form.reasonError !== undefined) return;
            void submit.run(
              () =>
                api('PUT', `/api/participants/${p.id}/discharge`, {
                  discharge_date: form.values.discharge_date,
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <TextField
            label="Discharge date"
            type="date"
            hint="Day 0 of the follow-up schedule"
            value={form.values.discharge_date}
            onChange={(value) => form.update({ discharge_date: value })}
            error={tried || form.values.discharge_date !== '' ? error : undefined}
          />
          <FormActions busy={submit.busy} correction={form}>
            Save discharge date
          </FormActions>
        </form>
      ) : null}
      {stored === null && !props.canWrite ? <p className="muted">Not discharged yet.</p> : null}
    </Panel>
  );
}

interface InterviewRecord extends Versioned {
  visit_id: string;
  status: string;
  interview_date?: string;
  not_completed_reason?: string;
  responses?: Responses;
  scores: Record<string, Score>;
  window: (Window & { within_window?: boolean }) | null;
}

function InterviewPanel(props: {
  participant: Participant;
  visit: Visit;
  set: InstrumentSet;
  canWrite: boolean;
}) {
  const p = props.participant;
  const list = useApi<{ interviews: InterviewRecord[] }>(`/api/participants/${p.id}/interviews`);
  const existing = list.data?.interviews.find((interview) => interview.visit_id === props.visit.id);
  const form = useEntryOrCorrection(`interview.${props.visit.id}.${p.id}`, {
    status: 'completed',
    interview_date: '',
    not_completed_reason: '',
    responses: {} as Responses,
  });
  const values = form.values;
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setTried(false);
    list.reload();
  });
  const instruments = props.set.instruments.filter((instrument) =>
    props.visit.instruments.includes(instrument.id),
  );
  const errors = {
    interview_date:
      values.status === 'completed' ? dateError(values.interview_date, 'interview date') : undefined,
    not_completed_reason:
      values.status === 'not_completed' && values.not_completed_reason === '' ? 'Choose why' : undefined,
  };
  const reload = () => {
    form.stop();
    submit.reset();
    list.reload();
  };
  const what = props.visit.label.toLowerCase();
  return (
    <Panel title={props.visit.label} id={props.visit.id}>
      {list.error !== undefined ? <ErrorNotice error={list.error} /> : null}
      <SavedNotice result={submit.result} what={what} />
      {existing === undefined ? null : (
        <>
          <Facts
            items={[
              ['Status', humanise(existing.status)],
              ['Interviewed', formatDate(existing.interview_date)],
              ...(existing.window === null
                ? []
                : ([
                    [
                      'Window',
                      `${formatDate(existing.window.earliest)} – ${formatDate(existing.window.latest)}`,
                    ],
                  ] as [string, string][])),
              ...(existing.not_completed_reason === undefined
                ? []
                : ([['Reason', humanise(existing.not_completed_reason)]] as [string, string][])),
              versionFact(existing),
            ]}
          />
          {Object.keys(existing.scores).length > 0 ? (
            <ScoreTable instruments={props.set.instruments} scores={existing.scores} />
          ) : null}
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(existing.version, {
                status: existing.status,
                interview_date: existing.interview_date ?? '',
                not_completed_reason: existing.not_completed_reason ?? '',
                responses: existing.responses ?? {},
              });
            }}
          />
        </>
      )}
      {list.data !== undefined && props.canWrite && (existing === undefined || form.correcting) ? (
        <form
          noValidate
          aria-label={form.correcting ? `Correct the ${what}` : props.visit.label}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (
              errors.interview_date !== undefined ||
              errors.not_completed_reason !== undefined ||
              form.reasonError !== undefined
            )
              return;
            void submit.run(
              () =>
                api('PUT', `/api/participants/${p.id}/interviews/${props.visit.id}`, {
                  status: values.status,
                  ...(values.status === 'completed'
                    ? { interview_date: values.interview_date, responses: values.responses }
                    : { not_completed_reason: values.not_completed_reason }),
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <ChoiceGroup
            legend="Was the interview done?"
            type="radio"
            inline
            options={[
              { value: 'completed', label: 'Completed' },
              { value: 'not_completed', label: 'Not completed' },
            ]}
            selected={[values.status]}
            onChange={(selected) => form.update({ status: selected[0] ?? 'completed' })}
          />
          {values.status === 'completed' ? (
            <>
              <TextField
                label="Interview date"
                type="date"
                value={values.interview_date}
                onChange={(value) => form.update({ interview_date: value })}
                error={tried || values.interview_date !== '' ? errors.interview_date : undefined}
              />
              <Questionnaire
                instruments={instruments}
                responses={values.responses}
                onChange={(responses) => form.update({ responses })}
              />
            </>
          ) : (
            <SelectField
              label="Why not"
              value={values.not_completed_reason}
              onChange={(value) => form.update({ not_completed_reason: value })}
              options={NOT_COMPLETED_REASONS}
              error={tried ? errors.not_completed_reason : undefined}
            />
          )}
          <FormActions busy={submit.busy} correction={form}>
            Save {what}
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}

interface ServiceUseReviewRecord extends Versioned {
  readonly visit_id: string;
  readonly review_date: string;
  readonly records_available: boolean;
}

type ServiceUseEventRecord = Versioned & {
  readonly event_id: string;
  readonly kind: string;
  readonly admission_date?: string;
  readonly discharge_date?: string;
  readonly legal_status?: string;
  readonly date?: string;
  readonly contacts?: number;
};

interface ServiceUseAnswer {
  readonly reviews: ServiceUseReviewRecord[];
  readonly events: ServiceUseEventRecord[];
  readonly totals: Record<string, number>;
}

/** The 12-month service use: the review of each records visit, then the events found in the records. */
function ServiceUse(props: { participant: Participant; visits: readonly Visit[]; canWrite: boolean }) {
  const record = useApi<ServiceUseAnswer>(`/api/participants/${props.participant.id}/service-use`);
  return (
    <>
      {props.visits.map((visit) => (
        <ServiceUsePanel
          key={visit.id}
          participant={props.participant}
          visit={visit}
          canWrite={props.canWrite}
          record={record}
        />
      ))}
      <ServiceUseEventsPanel participant={props.participant} canWrite={props.canWrite} record={record} />
    </>
  );
}

type ServiceUseLoad = ReturnType<typeof useApi<ServiceUseAnswer>>;

function ServiceUsePanel(props: {
  participant: Participant;
  visit: Visit;
  canWrite: boolean;
  record: ServiceUseLoad;
}) {
  const p = props.participant;
  const record = props.record;
  const review = record.data?.reviews.find((item) => item.visit_id === props.visit.id);
  const form = useEntryOrCorrection(`service-use.${props.visit.id}.${p.id}`, {
    review_date: '',
    records_available: '',
  });
  const values = form.values;
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setTried(false);
    record.reload();
  });
  const error = dateError(values.review_date, 'review date');
  const reload = () => {
    form.stop();
    submit.reset();
    record.reload();
  };
  return (
    <Panel title={props.visit.label} id={props.visit.id}>
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      <SavedNotice result={submit.result} what="service use review" />
      {review === undefined ? null : (
        <>
          <Facts
            items={[
              ['Reviewed', formatDate(review.review_date)],
              ['Records available', review.records_available ? 'Yes' : 'No (service use missing)'],
              ...Object.entries(record.data?.totals ?? {}).map(
                ([kind, count]) => [humanise(kind), count] as [string, number],
              ),
              versionFact(review),
            ]}
          />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(review.version, {
                review_date: review.review_date,
                records_available: review.records_available ? 'yes' : 'no',
              });
            }}
          />
        </>
      )}
      {record.data !== undefined && props.canWrite && (review === undefined || form.correcting) ? (
        <form
          noValidate
          aria-label={form.correcting ? 'Correct the service use review' : props.visit.label}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (error !== undefined || values.records_available === '' || form.reasonError !== undefined)
              return;
            void submit.run(
              () =>
                api('PUT', `/api/participants/${p.id}/service-use/${props.visit.id}`, {
                  review_date: values.review_date,
                  records_available: values.records_available === 'yes',
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <TextField
            label="Date the records were reviewed"
            type="date"
            value={values.review_date}
            onChange={(value) => form.update({ review_date: value })}
            error={tried || values.review_date !== '' ? error : undefined}
          />
          <ChoiceGroup
            legend="Could the patient records be obtained?"
            type="radio"
            inline
            options={[
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ]}
            selected={values.records_available === '' ? [] : [values.records_available]}
            onChange={(selected) => form.update({ records_available: selected[0] ?? '' })}
            error={tried && values.records_available === '' ? 'Answer yes or no' : undefined}
          />
          <FormActions busy={submit.busy} correction={form}>
            Save service use review
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}

interface ServiceUseEventDraft {
  /** The event corrected ('' when adding one). */
  event_id: string;
  kind: string;
  admission_date: string;
  discharge_date: string;
  legal_status: string;
  date: string;
  contacts: string;
}

/** One event in words: "Admission 3 Mar 2025 – 20 Mar 2025, involuntary" or "Crisis team: 3 contacts on …". */
function describeEvent(event: ServiceUseEventRecord): string {
  if (event.kind === 'admission') {
    const until = event.discharge_date === undefined ? 'still in hospital' : formatDate(event.discharge_date);
    return `Admission ${formatDate(event.admission_date)} – ${until}, ${humanise(event.legal_status)}`;
  }
  return `${humanise(event.kind)}: ${event.contacts} contact${event.contacts === 1 ? '' : 's'} on ${formatDate(event.date)}`;
}

/** Events found in the patient records (admissions, crisis team, liaison, community team contacts). */
function ServiceUseEventsPanel(props: {
  participant: Participant;
  canWrite: boolean;
  record: ServiceUseLoad;
}) {
  const p = props.participant;
  const record = props.record;
  const empty: ServiceUseEventDraft = {
    event_id: '',
    kind: '',
    admission_date: '',
    discharge_date: '',
    legal_status: '',
    date: '',
    contacts: '',
  };
  const form = useEntryOrCorrection<ServiceUseEventDraft>(`service-use-event.${p.id}`, empty);
  const values = form.values;
  const update = form.update;
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setOpen(false);
    setTried(false);
    record.reload();
  });
  const reload = () => {
    form.stop();
    submit.reset();
    record.reload();
  };
  const correct = (event: ServiceUseEventRecord) => {
    submit.reset();
    setTried(false);
    setOpen(false);
    form.start(event.version, {
      event_id: event.event_id,
      kind: event.kind,
      admission_date: event.admission_date ?? '',
      discharge_date: event.discharge_date ?? '',
      legal_status: event.legal_status ?? '',
      date: event.date ?? '',
      contacts: event.contacts === undefined ? '' : String(event.contacts),
    });
  };
  const admission = values.kind === 'admission';
  const contacts = Number(values.contacts);
  const errors: Record<string, string | undefined> = {
    kind: values.kind === '' ? 'Choose what kind of service use' : undefined,
    admission_date: admission ? dateError(values.admission_date, 'admission date') : undefined,
    discharge_date: admission
      ? (dateError(values.discharge_date, 'discharge date', false) ??
        (values.discharge_date !== '' && values.discharge_date < values.admission_date
          ? 'The discharge date cannot be before the admission date'
          : undefined))
      : undefined,
    legal_status: admission && values.legal_status === '' ? 'Choose the legal status' : undefined,
    date: !admission && values.kind !== '' ? dateError(values.date, 'date') : undefined,
    contacts:
      !admission && values.kind !== '' && !(Number.isInteger(contacts) && contacts >= 1 && contacts <= 1000)
        ? 'Enter the number of contacts (a whole number from 1)'
        : undefined,
  };
  const shown = (key: string) => (tried ? errors[key] : undefined);
  const events = record.data?.events ?? [];
  return (
    <Panel title="Service-use events from patient records" id="service-use-events">
      {submit.result === undefined ? null : submit.result.corrected ? (
        <SavedNotice result={submit.result} what="service-use event" />
      ) : (
        <Notice kind="success">Service-use event added.</Notice>
      )}
      {record.data === undefined ? null : events.length === 0 ? (
        <p className="muted">No events recorded.</p>
      ) : (
        <ul className="plain-list" aria-label="Service-use events">
          {events.map((event) => (
            <li key={event.event_id}>
              {describeEvent(event)} <span className="muted small">(version {event.version})</span>{' '}
              {props.canWrite && !form.correcting ? (
                <button type="button" className="button link small" onClick={() => correct(event)}>
                  Correct<span className="visually-hidden"> {describeEvent(event)}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canWrite && !open && !form.correcting ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Add a service-use event
        </button>
      ) : null}
      {props.canWrite && (open || form.correcting) ? (
        <form
          noValidate
          aria-label={form.correcting ? 'Correct a service-use event' : 'Add a service-use event'}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (
              Object.values(errors).some((message) => message !== undefined) ||
              form.reasonError !== undefined
            )
              return;
            const body = {
              kind: values.kind,
              ...(admission
                ? {
                    admission_date: values.admission_date,
                    ...(values.discharge_date === '' ? {} : { discharge_date: values.discharge_date }),
                    legal_status: values.legal_status,
                  }
                : { date: values.date, contacts }),
              ...form.versioned(),
            };
            const path = `/api/participants/${p.id}/service-use/events`;
            void submit.run(
              () =>
                form.correcting
                  ? api('PUT', `${path}/${encodeURIComponent(values.event_id)}`, body)
                  : api('POST', path, body),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <SelectField
            label="Kind of service use"
            value={values.kind}
            onChange={(kind) => update({ kind })}
            options={SERVICE_USE_EVENT_KINDS}
            error={shown('kind')}
          />
          {admission ? (
            <>
              <div className="inline-controls">
                <TextField
                  label="Admission date"
                  type="date"
                  value={values.admission_date}
                  onChange={(admission_date) => update({ admission_date })}
                  error={shown('admission_date')}
                />
                <TextField
                  label="Discharge date (leave empty if still in hospital)"
                  type="date"
                  value={values.discharge_date}
                  onChange={(discharge_date) => update({ discharge_date })}
                  error={shown('discharge_date')}
                />
              </div>
              <ChoiceGroup
                legend="Legal status"
                type="radio"
                inline
                options={LEGAL_STATUSES}
                selected={values.legal_status === '' ? [] : [values.legal_status]}
                onChange={(selected) => update({ legal_status: selected[0] ?? '' })}
                error={shown('legal_status')}
              />
            </>
          ) : values.kind === '' ? null : (
            <div className="inline-controls">
              <TextField
                label="Date"
                type="date"
                value={values.date}
                onChange={(date) => update({ date })}
                error={shown('date')}
              />
              <TextField
                label="Number of contacts"
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                value={values.contacts}
                onChange={(value) => update({ contacts: value })}
                error={shown('contacts')}
              />
            </div>
          )}
          <FormActions busy={submit.busy} correction={form} onCancel={() => setOpen(false)}>
            Add event
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}

interface SaeDraft {
  category: string;
  onset_date: string;
  description: string;
  seriousness: string[];
  relatedness: string;
  expectedness: string;
  outcome: string;
}

function SaePanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const list = useApi<{
    saes: { sae_id: string; category: string; onset_date: string; outcome: string; description: string }[];
  }>(`/api/participants/${p.id}/saes`);
  const empty: SaeDraft = {
    category: '',
    onset_date: '',
    description: '',
    seriousness: [],
    relatedness: '',
    expectedness: '',
    outcome: '',
  };
  const [values, update, clear] = useDraft<SaeDraft>(`sae.${p.id}`, empty);
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
    setOpen(false);
    setTried(false);
    list.reload();
  });
  const errors: Record<string, string | undefined> = {
    category: values.category === '' ? 'Choose a category' : undefined,
    onset_date: dateError(values.onset_date, 'onset date'),
    description: values.description.trim() === '' ? 'Describe what happened' : undefined,
    seriousness: values.seriousness.length === 0 ? 'Tick at least one' : undefined,
    relatedness: values.relatedness === '' ? 'Choose one' : undefined,
    expectedness: values.expectedness === '' ? 'Choose one' : undefined,
    outcome: values.outcome === '' ? 'Choose one' : undefined,
  };
  const shown = (key: string) => (tried ? errors[key] : undefined);
  const saes = list.data?.saes ?? [];
  return (
    <Panel title="Serious adverse events" id="saes">
      {list.error !== undefined ? <ErrorNotice error={list.error} /> : null}
      {submit.saved ? <Notice kind="success">Serious adverse event reported.</Notice> : null}
      {saes.length === 0 ? (
        <p className="muted">None reported.</p>
      ) : (
        <ul className="plain-list">
          {saes.map((sae) => (
            <li key={sae.sae_id}>
              <strong>{humanise(sae.category)}</strong> from {formatDate(sae.onset_date)} ·{' '}
              {humanise(sae.outcome)} — {sae.description}
            </li>
          ))}
        </ul>
      )}
      {props.canWrite && !open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Report a serious adverse event
        </button>
      ) : null}
      {props.canWrite && open ? (
        <form
          noValidate
          aria-label="Report a serious adverse event"
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (Object.values(errors).some((message) => message !== undefined)) return;
            void submit.run(() =>
              api('POST', `/api/participants/${p.id}/saes`, {
                ...values,
                description: values.description.trim(),
              }),
            );
          }}
        >
          <Refusal error={submit.error} />
          <SelectField
            label="Category"
            value={values.category}
            onChange={(category) => update({ category })}
            options={SAE_CATEGORIES}
            error={shown('category')}
          />
          <TextField
            label="Onset date"
            type="date"
            value={values.onset_date}
            onChange={(onset_date) => update({ onset_date })}
            error={shown('onset_date')}
          />
          <TextField
            label="What happened"
            value={values.description}
            onChange={(description) => update({ description })}
            error={shown('description')}
          />
          <ChoiceGroup
            legend="Why it is serious"
            type="checkbox"
            options={SAE_SERIOUSNESS}
            selected={values.seriousness}
            onChange={(seriousness) => update({ seriousness })}
            error={shown('seriousness')}
          />
          <SelectField
            label="Related to the research?"
            value={values.relatedness}
            onChange={(relatedness) => update({ relatedness })}
            options={SAE_RELATEDNESS}
            error={shown('relatedness')}
          />
          <SelectField
            label="Expected?"
            value={values.expectedness}
            onChange={(expectedness) => update({ expectedness })}
            options={SAE_EXPECTEDNESS}
            error={shown('expectedness')}
          />
          <SelectField
            label="Outcome"
            value={values.outcome}
            onChange={(outcome) => update({ outcome })}
            options={SAE_OUTCOMES}
            error={shown('outcome')}
          />
          <div className="form-actions">
            <SubmitButton busy={submit.busy}>Report SAE</SubmitButton>
            <button type="button" className="button subtle" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </Panel>
  );
}

interface WithdrawalRecord extends Versioned {
  readonly withdrawal_date: string;
  readonly scope: string;
  readonly data_use: string;
  readonly initiated_by: string;
  readonly withdrawal_reason: string | null;
}

function WithdrawalPanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  // The study withdrawal (interviews or everything); the GET answers {withdrawal: null} when none is
  // recorded. A withdrawal from the intervention only is a separate record (InterventionWithdrawalPanel).
  const record = useApi<{ withdrawal: WithdrawalRecord | null }>(`/api/participants/${p.id}/withdrawal`);
  const stored = record.data === undefined ? undefined : record.data.withdrawal;
  const form = useEntryOrCorrection(`withdrawal.${p.id}`, {
    withdrawal_date: '',
    initiated_by: '',
    scope: '',
    data_use: '',
    withdrawal_reason: '',
  });
  const values = form.values;
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setOpen(false);
    setTried(false);
    record.reload();
  });
  const errors: Record<string, string | undefined> = {
    withdrawal_date: dateError(values.withdrawal_date, 'withdrawal date'),
    initiated_by: values.initiated_by === '' ? 'Choose who' : undefined,
    scope: values.scope === '' ? 'Choose from what' : undefined,
    data_use: values.data_use === '' ? 'Choose what data may be used' : undefined,
  };
  const shown = (key: string) => (tried ? errors[key] : undefined);
  const reload = () => {
    form.stop();
    submit.reset();
    setOpen(false);
    record.reload();
  };
  const formShown =
    props.canWrite &&
    stored !== undefined &&
    ((stored === null && open) || (stored !== null && form.correcting));
  return (
    <Panel title="Withdrawal" id="withdrawal">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      <SavedNotice result={submit.result} what="withdrawal" />
      {stored === null || stored === undefined ? null : (
        <>
          <Facts
            items={[
              ['Withdrawn', formatDate(stored.withdrawal_date)],
              ['From', humanise(stored.scope)],
              ['Data use', humanise(stored.data_use)],
              ['Initiated by', humanise(stored.initiated_by)],
              ...(stored.withdrawal_reason === null
                ? []
                : ([['Reason given', stored.withdrawal_reason]] as [string, string][])),
              versionFact(stored),
            ]}
          />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(stored.version, {
                withdrawal_date: stored.withdrawal_date,
                initiated_by: stored.initiated_by,
                scope: stored.scope,
                data_use: stored.data_use,
                withdrawal_reason: stored.withdrawal_reason ?? '',
              });
            }}
          />
        </>
      )}
      {stored === null && props.canWrite && !open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Record a withdrawal
        </button>
      ) : null}
      {stored === null && !props.canWrite ? <p className="muted">No withdrawal recorded.</p> : null}
      {formShown ? (
        <form
          noValidate
          aria-label={form.correcting ? 'Correct the withdrawal' : 'Record a withdrawal'}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (
              Object.values(errors).some((message) => message !== undefined) ||
              form.reasonError !== undefined
            )
              return;
            void submit.run(
              () =>
                api('PUT', `/api/participants/${p.id}/withdrawal`, {
                  withdrawal_date: values.withdrawal_date,
                  initiated_by: values.initiated_by,
                  scope: values.scope,
                  data_use: values.data_use,
                  ...(values.withdrawal_reason.trim() === ''
                    ? {}
                    : { withdrawal_reason: values.withdrawal_reason.trim() }),
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <TextField
            label="Withdrawal date"
            type="date"
            value={values.withdrawal_date}
            onChange={(withdrawal_date) => form.update({ withdrawal_date })}
            error={shown('withdrawal_date')}
          />
          <SelectField
            label="Initiated by"
            value={values.initiated_by}
            onChange={(initiated_by) => form.update({ initiated_by })}
            options={WITHDRAWAL_INITIATORS}
            error={shown('initiated_by')}
          />
          <ChoiceGroup
            legend="Withdrawn from"
            type="radio"
            options={WITHDRAWAL_SCOPES}
            selected={values.scope === '' ? [] : [values.scope]}
            onChange={(selected) => form.update({ scope: selected[0] ?? '' })}
            error={shown('scope')}
          />
          <ChoiceGroup
            legend="Use of data"
            type="radio"
            options={WITHDRAWAL_DATA_USE}
            selected={values.data_use === '' ? [] : [values.data_use]}
            onChange={(selected) => form.update({ data_use: selected[0] ?? '' })}
            error={shown('data_use')}
          />
          <TextField
            label="Reason given (optional)"
            value={values.withdrawal_reason}
            onChange={(withdrawal_reason) => form.update({ withdrawal_reason })}
          />
          <FormActions busy={submit.busy} correction={form} onCancel={() => setOpen(false)}>
            Record withdrawal
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}

/**
 * A withdrawal from the intervention (peer support) only: its own record, shown and written only for roles
 * that know the allocation (its existence reveals the arm). The participant stays in follow-up.
 */
function InterventionWithdrawalPanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const path = `/api/participants/${p.id}/intervention-withdrawal`;
  const record = useApi<{ intervention_withdrawal: WithdrawalRecord | null }>(path);
  const stored = record.data === undefined ? undefined : record.data.intervention_withdrawal;
  const form = useEntryOrCorrection(`intervention-withdrawal.${p.id}`, {
    withdrawal_date: '',
    initiated_by: '',
    withdrawal_reason: '',
  });
  const values = form.values;
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setOpen(false);
    setTried(false);
    record.reload();
  });
  const errors: Record<string, string | undefined> = {
    withdrawal_date: dateError(values.withdrawal_date, 'withdrawal date'),
    initiated_by: values.initiated_by === '' ? 'Choose who' : undefined,
  };
  const shown = (key: string) => (tried ? errors[key] : undefined);
  const reload = () => {
    form.stop();
    submit.reset();
    setOpen(false);
    record.reload();
  };
  const formShown =
    props.canWrite &&
    stored !== undefined &&
    ((stored === null && open) || (stored !== null && form.correcting));
  return (
    <Panel title="Withdrawal from the intervention" id="intervention-withdrawal">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      <SavedNotice result={submit.result} what="withdrawal from the intervention" />
      {stored === null || stored === undefined ? null : (
        <>
          <Facts
            items={[
              ['Stopped peer support', formatDate(stored.withdrawal_date)],
              ['Initiated by', humanise(stored.initiated_by)],
              ...(stored.withdrawal_reason === null
                ? []
                : ([['Reason given', stored.withdrawal_reason]] as [string, string][])),
              versionFact(stored),
            ]}
          />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(stored.version, {
                withdrawal_date: stored.withdrawal_date,
                initiated_by: stored.initiated_by,
                withdrawal_reason: stored.withdrawal_reason ?? '',
              });
            }}
          />
        </>
      )}
      {stored === null && props.canWrite && !open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Record a withdrawal from the intervention
        </button>
      ) : null}
      {stored === null && !props.canWrite ? (
        <p className="muted">No withdrawal from the intervention recorded.</p>
      ) : null}
      {formShown ? (
        <form
          noValidate
          aria-label={
            form.correcting
              ? 'Correct the withdrawal from the intervention'
              : 'Record a withdrawal from the intervention'
          }
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (
              Object.values(errors).some((message) => message !== undefined) ||
              form.reasonError !== undefined
            )
              return;
            void submit.run(
              () =>
                api('PUT', path, {
                  withdrawal_date: values.withdrawal_date,
                  initiated_by: values.initiated_by,
                  ...(values.withdrawal_reason.trim() === ''
                    ? {}
                    : { withdrawal_reason: values.withdrawal_reason.trim() }),
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <p className="muted">
            The participant stops peer support and stays in follow-up; all their data may still be used.
          </p>
          <TextField
            label="Date peer support stopped"
            type="date"
            value={values.withdrawal_date}
            onChange={(withdrawal_date) => form.update({ withdrawal_date })}
            error={shown('withdrawal_date')}
          />
          <SelectField
            label="Initiated by"
            value={values.initiated_by}
            onChange={(initiated_by) => form.update({ initiated_by })}
            options={WITHDRAWAL_INITIATORS}
            error={shown('initiated_by')}
          />
          <TextField
            label="Reason given (optional)"
            value={values.withdrawal_reason}
            onChange={(withdrawal_reason) => form.update({ withdrawal_reason })}
          />
          <FormActions busy={submit.busy} correction={form} onCancel={() => setOpen(false)}>
            Record withdrawal from the intervention
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}

interface DeathRecord extends Versioned {
  readonly date_of_death: string;
  readonly cause?: string;
}

/** The death of a participant: recorded once (GET 404 until then), corrected with version and reason. */
function DeathPanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<DeathRecord>(`/api/participants/${p.id}/death`);
  const stored = record.data;
  const form = useEntryOrCorrection(`death.${p.id}`, { date_of_death: '', cause: '' });
  const values = form.values;
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    form.done();
    setOpen(false);
    setTried(false);
    record.reload();
  });
  const error = dateError(values.date_of_death, 'date of death');
  const reload = () => {
    form.stop();
    submit.reset();
    setOpen(false);
    record.reload();
  };
  const formShown =
    props.canWrite &&
    stored !== undefined &&
    ((stored === null && open) || (stored !== null && form.correcting));
  return (
    <Panel title="Death" id="death">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      <SavedNotice result={submit.result} what="death record" />
      {stored === null || stored === undefined ? null : (
        <>
          <Facts
            items={[
              ['Date of death', formatDate(stored.date_of_death)],
              ['Cause', stored.cause ?? '—'],
              versionFact(stored),
            ]}
          />
          <CorrectButton
            shown={props.canWrite && !form.correcting}
            onClick={() => {
              submit.reset();
              setTried(false);
              form.start(stored.version, { date_of_death: stored.date_of_death, cause: stored.cause ?? '' });
            }}
          />
        </>
      )}
      {stored === null && props.canWrite && !open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Record a death
        </button>
      ) : null}
      {stored === null && !props.canWrite ? <p className="muted">No death recorded.</p> : null}
      {formShown ? (
        <form
          noValidate
          aria-label={form.correcting ? 'Correct the death record' : 'Record a death'}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (error !== undefined || form.reasonError !== undefined) return;
            void submit.run(
              () =>
                api('PUT', `/api/participants/${p.id}/death`, {
                  date_of_death: values.date_of_death,
                  ...(values.cause.trim() === '' ? {} : { cause: values.cause.trim() }),
                  ...form.versioned(),
                }),
              form.correcting,
            );
          }}
        >
          <Refusal error={submit.error} onReload={reload} />
          <CorrectionReason correction={form} tried={tried} />
          <p className="muted">
            A death takes the participant out of the follow-up interviews due. Report it as a serious adverse
            event too (category death) if it happened during the trial.
          </p>
          <TextField
            label="Date of death"
            type="date"
            value={values.date_of_death}
            onChange={(date_of_death) => form.update({ date_of_death })}
            error={tried || values.date_of_death !== '' ? error : undefined}
          />
          <TextField
            label="Cause of death (optional)"
            value={values.cause}
            onChange={(cause) => form.update({ cause })}
          />
          <FormActions busy={submit.busy} correction={form} onCancel={() => setOpen(false)}>
            Record death
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}
