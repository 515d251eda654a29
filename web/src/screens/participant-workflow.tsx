import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { ChoiceGroup, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { formatDate, humanise, today } from '../labels.ts';
import {
  NOT_COMPLETED_REASONS,
  SAE_CATEGORIES,
  SAE_EXPECTEDNESS,
  SAE_OUTCOMES,
  SAE_RELATEDNESS,
  SAE_SERIOUSNESS,
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

/** Submits a form: keeps the entry on refusal, clears the draft on success. */
function useSubmit(onDone: () => void) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    setSaved(false);
    try {
      await send();
      setError(undefined);
      setSaved(true);
      onDone();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, saved, run };
}

function Refusal(props: { error: unknown }) {
  return props.error === undefined ? null : <ErrorNotice error={props.error} />;
}

function SubmitButton(props: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="button primary" disabled={props.busy}>
      {props.busy ? 'Saving…' : props.children}
    </button>
  );
}

/** The research workflow of one randomised participant, panel by panel. */
export function ParticipantWorkflow(props: { participant: Participant; canWrite: boolean }) {
  const { trial } = useTrial();
  const instruments = useApi<InstrumentSet>(`/api/trials/${trial.id}/instruments`);
  if (instruments.error !== undefined)
    return <ErrorNotice error={instruments.error} title="The questionnaires could not be loaded" />;
  if (instruments.data === undefined) return <Loading what="the questionnaires" />;
  const set = instruments.data;
  return (
    <>
      <BaselinePanel participant={props.participant} set={set} canWrite={props.canWrite} />
      <DischargePanel participant={props.participant} canWrite={props.canWrite} />
      {set.visits.map((visit) =>
        visit.kind === 'interview' ? (
          <InterviewPanel
            key={visit.id}
            participant={props.participant}
            visit={visit}
            set={set}
            canWrite={props.canWrite}
          />
        ) : (
          <ServiceUsePanel
            key={visit.id}
            participant={props.participant}
            visit={visit}
            canWrite={props.canWrite}
          />
        ),
      )}
      <SaePanel participant={props.participant} canWrite={props.canWrite} />
      <WithdrawalPanel participant={props.participant} canWrite={props.canWrite} />
    </>
  );
}

interface BaselineDraft {
  assessment_date: string;
  index_admission_date: string;
  responses: Responses;
}

function BaselinePanel(props: { participant: Participant; set: InstrumentSet; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<{ scores: Record<string, Score>; assessment_date: string }>(
    `/api/participants/${p.id}/baseline`,
  );
  const [values, update, clear] = useDraft<BaselineDraft>(`baseline.${p.id}`, {
    assessment_date: today(),
    index_admission_date: '',
    responses: {},
  });
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
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
    if (errors.assessment_date !== undefined || errors.index_admission_date !== undefined) return;
    void submit.run(() =>
      api('PUT', `/api/participants/${p.id}/baseline`, {
        assessment_date: values.assessment_date,
        index_admission_date: values.index_admission_date,
        age: p.age,
        gender: p.gender,
        ethnicity: p.ethnicity,
        first_language: p.first_language,
        admissions_prior_2y: p.admissions_prior_2y,
        detained_at_index: p.detained_at_index,
        responses: values.responses,
      }),
    );
  };
  return (
    <Panel title="Baseline assessment" id="baseline">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      {record.data === undefined && record.error === undefined ? <Loading what="the baseline" /> : null}
      {record.data === null || record.data === undefined ? null : (
        <>
          {submit.saved ? (
            <Notice kind="success">Baseline saved; the scores below were computed by the server.</Notice>
          ) : null}
          <p>Assessed {formatDate(record.data.assessment_date)}.</p>
          <ScoreTable instruments={props.set.instruments} scores={record.data.scores} />
        </>
      )}
      {record.data === null && props.canWrite ? (
        <form onSubmit={onSubmit} noValidate aria-label="Baseline assessment">
          <Refusal error={submit.error} />
          <div className="inline-controls">
            <TextField
              label="Assessment date"
              type="date"
              value={values.assessment_date}
              onChange={(value) => update({ assessment_date: value })}
              error={tried || values.assessment_date !== '' ? errors.assessment_date : undefined}
            />
            <TextField
              label="Date of this admission"
              type="date"
              value={values.index_admission_date}
              onChange={(value) => update({ index_admission_date: value })}
              error={tried || values.index_admission_date !== '' ? errors.index_admission_date : undefined}
            />
          </div>
          <Questionnaire
            instruments={instruments}
            responses={values.responses}
            onChange={(responses) => update({ responses })}
          />
          <SubmitButton busy={submit.busy}>Save baseline</SubmitButton>
        </form>
      ) : null}
      {record.data === null && !props.canWrite ? <p className="muted">Not entered yet.</p> : null}
    </Panel>
  );
}

function DischargePanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<{ discharge_date: string; windows: Record<string, Window> }>(
    `/api/participants/${p.id}/discharge`,
  );
  const [values, update, clear] = useDraft(`discharge.${p.id}`, { discharge_date: '' });
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
    record.reload();
  });
  const error = dateError(values.discharge_date, 'discharge date');
  return (
    <Panel title="Discharge" id="discharge">
      {record.data === undefined && record.error === undefined ? <Loading what="the discharge" /> : null}
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      {record.data === null || record.data === undefined ? null : (
        <Facts
          items={[
            ['Discharged', formatDate(record.data.discharge_date)],
            ...Object.entries(record.data.windows).map(
              ([visit, window]) =>
                [
                  `${humanise(visit)} window`,
                  `${formatDate(window.earliest)} – ${formatDate(window.latest)}`,
                ] as [string, string],
            ),
          ]}
        />
      )}
      {record.data === null && props.canWrite ? (
        <form
          noValidate
          aria-label="Record the discharge date"
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (error !== undefined) return;
            void submit.run(() =>
              api('PUT', `/api/participants/${p.id}/discharge`, { discharge_date: values.discharge_date }),
            );
          }}
        >
          <Refusal error={submit.error} />
          <TextField
            label="Discharge date"
            type="date"
            hint="Day 0 of the follow-up schedule"
            value={values.discharge_date}
            onChange={(value) => update({ discharge_date: value })}
            error={tried || values.discharge_date !== '' ? error : undefined}
          />
          <SubmitButton busy={submit.busy}>Save discharge date</SubmitButton>
        </form>
      ) : null}
      {record.data === null && !props.canWrite ? <p className="muted">Not discharged yet.</p> : null}
    </Panel>
  );
}

interface InterviewRecord {
  visit_id: string;
  status: string;
  interview_date?: string;
  not_completed_reason?: string;
  scores: Record<string, Score>;
  window: Window & { within?: boolean };
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
  const [values, update, clear] = useDraft(`interview.${props.visit.id}.${p.id}`, {
    status: 'completed',
    interview_date: '',
    not_completed_reason: '',
    responses: {} as Responses,
  });
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
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
  return (
    <Panel title={props.visit.label} id={props.visit.id}>
      {list.error !== undefined ? <ErrorNotice error={list.error} /> : null}
      {existing === undefined ? null : (
        <>
          <Facts
            items={[
              ['Status', humanise(existing.status)],
              ['Interviewed', formatDate(existing.interview_date)],
              ['Window', `${formatDate(existing.window.earliest)} – ${formatDate(existing.window.latest)}`],
              ...(existing.not_completed_reason === undefined
                ? []
                : ([['Reason', humanise(existing.not_completed_reason)]] as [string, string][])),
            ]}
          />
          {Object.keys(existing.scores).length > 0 ? (
            <ScoreTable instruments={props.set.instruments} scores={existing.scores} />
          ) : null}
        </>
      )}
      {list.data !== undefined && existing === undefined && props.canWrite ? (
        <form
          noValidate
          aria-label={props.visit.label}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (errors.interview_date !== undefined || errors.not_completed_reason !== undefined) return;
            void submit.run(() =>
              api('PUT', `/api/participants/${p.id}/interviews/${props.visit.id}`, {
                status: values.status,
                ...(values.status === 'completed'
                  ? { interview_date: values.interview_date, responses: values.responses }
                  : { not_completed_reason: values.not_completed_reason }),
              }),
            );
          }}
        >
          <Refusal error={submit.error} />
          <ChoiceGroup
            legend="Was the interview done?"
            type="radio"
            inline
            options={[
              { value: 'completed', label: 'Completed' },
              { value: 'not_completed', label: 'Not completed' },
            ]}
            selected={[values.status]}
            onChange={(selected) => update({ status: selected[0] ?? 'completed' })}
          />
          {values.status === 'completed' ? (
            <>
              <TextField
                label="Interview date"
                type="date"
                value={values.interview_date}
                onChange={(value) => update({ interview_date: value })}
                error={tried || values.interview_date !== '' ? errors.interview_date : undefined}
              />
              <Questionnaire
                instruments={instruments}
                responses={values.responses}
                onChange={(responses) => update({ responses })}
              />
            </>
          ) : (
            <SelectField
              label="Why not"
              value={values.not_completed_reason}
              onChange={(value) => update({ not_completed_reason: value })}
              options={NOT_COMPLETED_REASONS}
              error={tried ? errors.not_completed_reason : undefined}
            />
          )}
          <SubmitButton busy={submit.busy}>Save {props.visit.label.toLowerCase()}</SubmitButton>
        </form>
      ) : null}
    </Panel>
  );
}

function ServiceUsePanel(props: { participant: Participant; visit: Visit; canWrite: boolean }) {
  const p = props.participant;
  const record = useApi<{
    reviews: { visit_id: string; review_date: string; records_available: boolean }[];
    totals: Record<string, number>;
  }>(`/api/participants/${p.id}/service-use`);
  const review = record.data?.reviews.find((item) => item.visit_id === props.visit.id);
  const [values, update, clear] = useDraft(`service-use.${props.visit.id}.${p.id}`, {
    review_date: '',
    records_available: '',
  });
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
    record.reload();
  });
  const error = dateError(values.review_date, 'review date');
  return (
    <Panel title={props.visit.label} id={props.visit.id}>
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      {review === undefined ? null : (
        <Facts
          items={[
            ['Reviewed', formatDate(review.review_date)],
            ['Records available', review.records_available ? 'Yes' : 'No (service use missing)'],
            ...Object.entries(record.data?.totals ?? {}).map(
              ([kind, count]) => [humanise(kind), count] as [string, number],
            ),
          ]}
        />
      )}
      {record.data !== undefined && review === undefined && props.canWrite ? (
        <form
          noValidate
          aria-label={props.visit.label}
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (error !== undefined || values.records_available === '') return;
            void submit.run(() =>
              api('PUT', `/api/participants/${p.id}/service-use/${props.visit.id}`, {
                review_date: values.review_date,
                records_available: values.records_available === 'yes',
              }),
            );
          }}
        >
          <Refusal error={submit.error} />
          <TextField
            label="Date the records were reviewed"
            type="date"
            value={values.review_date}
            onChange={(value) => update({ review_date: value })}
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
            onChange={(selected) => update({ records_available: selected[0] ?? '' })}
            error={tried && values.records_available === '' ? 'Answer yes or no' : undefined}
          />
          <SubmitButton busy={submit.busy}>Save service use review</SubmitButton>
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

function WithdrawalPanel(props: { participant: Participant; canWrite: boolean }) {
  const p = props.participant;
  const record = useRecord<{
    withdrawal_date: string;
    scope: string;
    data_use: string;
    initiated_by: string;
  }>(`/api/participants/${p.id}/withdrawal`);
  const [values, update, clear] = useDraft(`withdrawal.${p.id}`, {
    withdrawal_date: '',
    initiated_by: '',
    scope: '',
    data_use: '',
    withdrawal_reason: '',
  });
  const [open, setOpen] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = useSubmit(() => {
    clear();
    record.reload();
  });
  const errors: Record<string, string | undefined> = {
    withdrawal_date: dateError(values.withdrawal_date, 'withdrawal date'),
    initiated_by: values.initiated_by === '' ? 'Choose who' : undefined,
    scope: values.scope === '' ? 'Choose from what' : undefined,
    data_use: values.data_use === '' ? 'Choose what data may be used' : undefined,
  };
  const shown = (key: string) => (tried ? errors[key] : undefined);
  return (
    <Panel title="Withdrawal" id="withdrawal">
      {record.error !== undefined ? <ErrorNotice error={record.error} /> : null}
      {record.data === null || record.data === undefined ? null : (
        <Facts
          items={[
            ['Withdrawn', formatDate(record.data.withdrawal_date)],
            ['From', humanise(record.data.scope)],
            ['Data use', humanise(record.data.data_use)],
            ['Initiated by', humanise(record.data.initiated_by)],
          ]}
        />
      )}
      {record.data === null && props.canWrite && !open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Record a withdrawal
        </button>
      ) : null}
      {record.data === null && props.canWrite && open ? (
        <form
          noValidate
          aria-label="Record a withdrawal"
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (Object.values(errors).some((message) => message !== undefined)) return;
            void submit.run(() =>
              api('PUT', `/api/participants/${p.id}/withdrawal`, {
                withdrawal_date: values.withdrawal_date,
                initiated_by: values.initiated_by,
                scope: values.scope,
                data_use: values.data_use,
                ...(values.withdrawal_reason.trim() === ''
                  ? {}
                  : { withdrawal_reason: values.withdrawal_reason.trim() }),
              }),
            );
          }}
        >
          <Refusal error={submit.error} />
          <TextField
            label="Withdrawal date"
            type="date"
            value={values.withdrawal_date}
            onChange={(withdrawal_date) => update({ withdrawal_date })}
            error={shown('withdrawal_date')}
          />
          <SelectField
            label="Initiated by"
            value={values.initiated_by}
            onChange={(initiated_by) => update({ initiated_by })}
            options={WITHDRAWAL_INITIATORS}
            error={shown('initiated_by')}
          />
          <ChoiceGroup
            legend="Withdrawn from"
            type="radio"
            options={WITHDRAWAL_SCOPES}
            selected={values.scope === '' ? [] : [values.scope]}
            onChange={(selected) => update({ scope: selected[0] ?? '' })}
            error={shown('scope')}
          />
          <ChoiceGroup
            legend="Use of data"
            type="radio"
            options={WITHDRAWAL_DATA_USE}
            selected={values.data_use === '' ? [] : [values.data_use]}
            onChange={(selected) => update({ data_use: selected[0] ?? '' })}
            error={shown('data_use')}
          />
          <TextField
            label="Reason given (optional)"
            value={values.withdrawal_reason}
            onChange={(withdrawal_reason) => update({ withdrawal_reason })}
          />
          <div className="form-actions">
            <SubmitButton busy={submit.busy}>Record withdrawal</SubmitButton>
            <button type="button" className="button subtle" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </Panel>
  );
}
