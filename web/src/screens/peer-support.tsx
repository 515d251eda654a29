import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ChoiceGroup, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { formatDate, today } from '../labels.ts';
import { CONTACT_ACTIVITIES, CONTACT_MODES, CONTACT_SETTINGS } from '../options.ts';
import { Link, navigate } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';
import type { Participant } from './types.ts';

/** One participant on a caseload, with contacts against the expected schedule. */
export interface CaseloadRow {
  readonly id: string;
  readonly participant_id: string;
  readonly site_id: string;
  readonly peer_worker_ids: readonly string[];
  readonly discharge_date: string | null;
  readonly contacts: number;
  readonly contacts_before_discharge: number;
  readonly contacts_after_discharge: number;
  readonly last_contact_date: string | null;
  readonly next_contact_due: string | null;
  readonly due_reason: string | null;
  readonly days_overdue: number | null;
}

/** A peer worker as GET /api/trials/:trialId/peer-workers lists them. */
interface PeerWorker {
  readonly id: string;
  readonly username: string;
}

/** Usernames of the peer workers the caller may see, by user id (filled by {@link usePeerWorkers}). */
const peerWorkerNames = new Map<string, string>();

/** The peer workers the caller may assign (coordinator: at their sites), remembered for labels. */
function usePeerWorkers() {
  const { trial } = useTrial();
  const result = useApi<{ peer_workers: PeerWorker[] }>(`/api/trials/${trial.id}/peer-workers`);
  for (const worker of result.data?.peer_workers ?? []) peerWorkerNames.set(worker.id, worker.username);
  return result;
}

/** A peer worker's username; one the caller cannot list gets a short, stable label from the user id. */
function peerWorkerLabel(id: string, known: readonly string[]): string {
  const name = peerWorkerNames.get(id);
  if (name !== undefined) return name;
  const index = known.indexOf(id);
  return `Peer worker ${index < 0 ? '' : `${index + 1} `}(${id.slice(0, 8)})`;
}

function dueCell(row: CaseloadRow) {
  if (row.next_contact_due === null) return <span className="muted">Nothing due</span>;
  if (row.days_overdue !== null && row.days_overdue > 0) {
    return (
      <span className="badge badge-danger">
        Overdue {row.days_overdue} {row.days_overdue === 1 ? 'day' : 'days'}
      </span>
    );
  }
  return <span className="badge badge-waiting">Due {formatDate(row.next_contact_due)}</span>;
}

function caseloadColumns(
  known: readonly string[],
  withPeerWorker: boolean,
  action?: (row: CaseloadRow) => ReactNode,
): Column<CaseloadRow>[] {
  const columns: Column<CaseloadRow>[] = [
    {
      key: 'participant',
      label: 'Participant',
      value: (row) => row.participant_id,
      render: (row) => <Link href={`/participants/${row.id}`}>{row.participant_id}</Link>,
    },
  ];
  if (withPeerWorker) {
    columns.push({
      key: 'pw',
      label: 'Peer worker',
      value: (row) => row.peer_worker_ids.map((id) => peerWorkerLabel(id, known)).join(', '),
    });
  }
  columns.push(
    {
      key: 'discharge',
      label: 'Discharged',
      value: (row) => row.discharge_date,
      render: (row) => (row.discharge_date === null ? 'On the ward' : formatDate(row.discharge_date)),
    },
    {
      key: 'before',
      label: 'Contacts before discharge',
      value: (row) => row.contacts_before_discharge,
      numeric: true,
    },
    {
      key: 'after',
      label: 'Contacts after discharge',
      value: (row) => row.contacts_after_discharge,
      numeric: true,
    },
    {
      key: 'last',
      label: 'Last contact',
      value: (row) => row.last_contact_date,
      render: (row) => formatDate(row.last_contact_date),
    },
    { key: 'due', label: 'Next contact', value: (row) => (row.days_overdue ?? -1) * -1, render: dueCell },
  );
  if (action !== undefined)
    columns.push({ key: 'action', label: 'Action', value: () => null, render: action });
  return columns;
}

function useCaseload(peerWorker?: string) {
  const { trial } = useTrial();
  const query = peerWorker === undefined ? '' : `?peer_worker_id=${encodeURIComponent(peerWorker)}`;
  return useApi<{ on: string; participants: CaseloadRow[] }>(`/api/trials/${trial.id}/caseload${query}`);
}

/** Coordinator: new peer support allocations awaiting a peer worker, and assigning one. */
export function AwaitingAssignmentScreen(_props: { user: SessionUser }) {
  const { trial, siteName } = useTrial();
  const participants = useApi<{ participants: Participant[] }>(`/api/trials/${trial.id}/participants`);
  const caseload = useCaseload();
  const peerWorkers = usePeerWorkers();
  const assigned = new Set((caseload.data?.participants ?? []).map((row) => row.id));
  const waiting = (participants.data?.participants ?? []).filter(
    (row) => row.status === 'randomised' && row.arm === 'peer_support' && !assigned.has(row.id),
  );
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [values, update, clear] = useDraft(`assign.${trial.id}`, { peer_worker_id: '', start_date: today() });
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [tried, setTried] = useState(false);
  const selected = waiting.find((row) => row.id === choice);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (selected === undefined || values.peer_worker_id.trim() === '' || values.start_date === '') return;
    try {
      await api('POST', `/api/participants/${selected.id}/assignments`, {
        peer_worker_id: values.peer_worker_id.trim(),
        start_date: values.start_date,
      });
      setDone(selected.participant_id ?? selected.id);
      setError(undefined);
      setChoice(undefined);
      setTried(false);
      clear();
      participants.reload();
      caseload.reload();
    } catch (reason) {
      setError(reason);
    }
  };
  const loading = participants.data === undefined || caseload.data === undefined;
  const columns: Column<Participant>[] = [
    { key: 'participant', label: 'Participant', value: (row) => row.participant_id },
    { key: 'site', label: 'Site', value: (row) => siteName(row.site_id) },
    {
      key: 'randomised',
      label: 'Randomised',
      value: (row) => row.randomised_at,
      render: (row) => formatDate(row.randomised_at),
    },
    {
      key: 'action',
      label: 'Action',
      value: () => null,
      render: (row) => (
        <button
          type="button"
          className="button"
          onClick={() => setChoice(row.id)}
          aria-pressed={choice === row.id}
        >
          Assign<span className="visually-hidden"> a peer worker to {row.participant_id}</span>
        </button>
      ),
    },
  ];
  return (
    <Page
      title="Awaiting a peer worker"
      lead="Participants allocated to peer support who have no peer worker yet. Assign one soon: the first contact should be on the ward, before discharge."
    >
      {participants.error !== undefined ? <ErrorNotice error={participants.error} /> : null}
      {caseload.error !== undefined ? <ErrorNotice error={caseload.error} /> : null}
      {done === undefined ? null : <Notice kind="success">Peer worker assigned to {done}.</Notice>}
      {loading ? <Loading what="allocations" /> : null}
      {loading ? null : (
        <div className="two-column">
          <DataTable
            caption="Awaiting a peer worker"
            columns={columns}
            rows={waiting}
            rowKey={(row) => row.id}
            empty="Everyone allocated to peer support has a peer worker."
          />
          <Panel title="Assign a peer worker">
            {selected === undefined ? (
              <p className="muted">Choose “Assign” on a row.</p>
            ) : (
              <form onSubmit={submit} noValidate aria-label="Assign a peer worker">
                <p>
                  Participant <strong>{selected.participant_id}</strong>, {siteName(selected.site_id)}
                </p>
                {error === undefined ? null : <ErrorNotice error={error} title="Not assigned" />}
                {(peerWorkers.data?.peer_workers.length ?? 0) > 0 ? (
                  <SelectField
                    label="Peer worker"
                    value={
                      peerWorkers.data?.peer_workers.some((worker) => worker.id === values.peer_worker_id)
                        ? values.peer_worker_id
                        : ''
                    }
                    onChange={(peer_worker_id) => update({ peer_worker_id })}
                    options={(peerWorkers.data?.peer_workers ?? []).map((worker) => ({
                      value: worker.id,
                      label: worker.username,
                    }))}
                    hint="The peer workers at your sites"
                    error={tried && values.peer_worker_id === '' ? 'Choose a peer worker' : undefined}
                  />
                ) : (
                  <>
                    {peerWorkers.error === undefined ? (
                      <p className="muted">
                        {peerWorkers.data === undefined
                          ? 'Loading peer workers…'
                          : 'No peer worker works at your sites yet.'}
                      </p>
                    ) : (
                      <ErrorNotice error={peerWorkers.error} title="The peer workers could not be loaded" />
                    )}
                    <TextField
                      label="The peer worker's user id"
                      value={values.peer_worker_id}
                      onChange={(peer_worker_id) => update({ peer_worker_id })}
                      error={tried && values.peer_worker_id === '' ? 'Enter a user id' : undefined}
                    />
                  </>
                )}
                <TextField
                  label="Start date"
                  type="date"
                  value={values.start_date}
                  onChange={(start_date) => update({ start_date })}
                />
                <button type="submit" className="button primary">
                  Assign
                </button>
              </form>
            )}
          </Panel>
        </div>
      )}
    </Page>
  );
}

/** Coordinator: caseloads per peer worker, contacts against the schedule, and who has had no contact yet. */
export function CaseloadsScreen(_props: { user: SessionUser }) {
  const caseload = useCaseload();
  usePeerWorkers();
  if (caseload.error !== undefined)
    return <ErrorNotice error={caseload.error} title="Caseloads could not be loaded" />;
  if (caseload.data === undefined) return <Loading what="caseloads" />;
  const rows = caseload.data.participants;
  const known = [...new Set(rows.flatMap((row) => row.peer_worker_ids))];
  const noContact = rows.filter((row) => row.contacts === 0);
  const overdue = rows.filter((row) => (row.days_overdue ?? 0) > 0);
  return (
    <Page
      title="Caseloads"
      lead={`As of ${formatDate(caseload.data.on)}: a first contact on the ward before discharge, then weekly for 4 months.`}
    >
      <div className="stat-row">
        {known.map((id) => (
          <div key={id} className="stat">
            <span className="stat-value">
              {rows.filter((row) => row.peer_worker_ids.includes(id)).length}
            </span>
            <span className="stat-label">{peerWorkerLabel(id, known)}</span>
          </div>
        ))}
        <div className="stat">
          <span className="stat-value">{overdue.length}</span>
          <span className="stat-label">Contact overdue</span>
        </div>
        <div className="stat">
          <span className="stat-value">{noContact.length}</span>
          <span className="stat-label">No contact yet</span>
        </div>
      </div>
      <Panel title="No contact yet">
        {noContact.length === 0 ? (
          <p className="muted">Everyone assigned has had at least one contact.</p>
        ) : (
          <ul className="plain-list">
            {noContact.map((row) => (
              <li key={row.id}>
                <Link href={`/participants/${row.id}`}>{row.participant_id}</Link> —{' '}
                {row.peer_worker_ids.map((id) => peerWorkerLabel(id, known)).join(', ')}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <DataTable
        caption="Caseloads"
        columns={caseloadColumns(known, true)}
        rows={rows}
        rowKey={(row) => row.id}
        rowClass={(row) => ((row.days_overdue ?? 0) > 0 ? 'row-overdue' : undefined)}
        initialSort={{ key: 'due', direction: 'descending' }}
      />
    </Page>
  );
}

/** Peer worker: own caseload, who is due a session, one tap to log a contact. */
export function MyCaseloadScreen(props: { user: SessionUser }) {
  const caseload = useCaseload(props.user.id);
  if (caseload.error !== undefined)
    return <ErrorNotice error={caseload.error} title="Your caseload could not be loaded" />;
  if (caseload.data === undefined) return <Loading what="your caseload" />;
  const rows = [...caseload.data.participants].sort(
    (left, right) => (right.days_overdue ?? -1e9) - (left.days_overdue ?? -1e9),
  );
  const on = caseload.data.on;
  const due = rows.filter((row) => row.next_contact_due !== null && row.next_contact_due <= on);
  return (
    <Page title="My caseload" lead={`${rows.length} people; ${due.length} due a session today or overdue.`}>
      {new URLSearchParams(window.location.search).get('logged') === '1' ? (
        <Notice kind="success">Contact saved.</Notice>
      ) : null}
      <ul className="card-list" aria-label="My caseload">
        {rows.map((row) => (
          <li key={row.id} className={`card${(row.days_overdue ?? 0) > 0 ? ' card-overdue' : ''}`}>
            <div className="card-main">
              <strong className="card-title">{row.participant_id}</strong>
              <span>{dueCell(row)}</span>
              <span className="muted small">
                {row.contacts} contacts · last {formatDate(row.last_contact_date)} ·{' '}
                {row.discharge_date === null ? 'on the ward' : `discharged ${formatDate(row.discharge_date)}`}
              </span>
            </div>
            <Link className="button primary" href={`/contact/${row.id}`}>
              Log contact<span className="visually-hidden"> with {row.participant_id}</span>
            </Link>
          </li>
        ))}
      </ul>
      {rows.length === 0 ? <p className="muted">Nobody is on your caseload yet.</p> : null}
    </Page>
  );
}

interface ContactDraft {
  contact_date: string;
  setting: string;
  mode: string;
  minutes: string;
  activities: string[];
}

/** Log a contact in a few taps: date (today), where, how, how long, what was done. */
export function LogContactScreen(props: { user: SessionUser; id: string }) {
  const caseload = useCaseload(props.user.role === 'peer_worker' ? props.user.id : undefined);
  const row = caseload.data?.participants.find((item) => item.id === props.id);
  const [values, update, clear] = useDraft<ContactDraft>(`contact.${props.id}`, {
    contact_date: today(),
    setting: '',
    mode: '',
    minutes: '',
    activities: [],
  });
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const minutes = Number(values.minutes);
  const errors: Record<string, string | undefined> = {
    contact_date:
      values.contact_date === ''
        ? 'Enter the date'
        : values.contact_date > today()
          ? 'Not in the future'
          : undefined,
    setting: values.setting === '' ? 'Choose where' : undefined,
    mode: values.mode === '' ? 'Choose how' : undefined,
    minutes:
      !/^\d+$/.test(values.minutes) || minutes < 1 || minutes > 600 ? 'Enter minutes (1 to 600)' : undefined,
    activities: values.activities.length === 0 ? 'Tick at least one' : undefined,
  };
  const shown = (key: string) =>
    tried || (key === 'minutes' && values.minutes !== '') ? errors[key] : undefined;
  const phase =
    row?.discharge_date !== null &&
    row?.discharge_date !== undefined &&
    values.contact_date > row.discharge_date
      ? 'after_discharge'
      : 'before_discharge';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.values(errors).some((message) => message !== undefined)) return;
    setBusy(true);
    try {
      await api('POST', `/api/participants/${props.id}/contacts`, {
        contact_date: values.contact_date,
        phase,
        setting: values.setting,
        mode: values.mode,
        minutes,
        activities: values.activities,
      });
      clear();
      navigate(props.user.role === 'peer_worker' ? '/caseload?logged=1' : '/caseloads');
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={`Log a contact${row === undefined ? '' : ` with ${row.participant_id}`}`}>
      {caseload.error !== undefined ? <ErrorNotice error={caseload.error} /> : null}
      {error === undefined ? null : <ErrorNotice error={error} title="Contact not saved" />}
      <form onSubmit={submit} noValidate aria-label="Log a contact" className="contact-form">
        <TextField
          label="Date"
          type="date"
          value={values.contact_date}
          onChange={(contact_date) => update({ contact_date })}
          error={shown('contact_date')}
        />
        <p className="muted small">{phase === 'before_discharge' ? 'Before discharge' : 'After discharge'}</p>
        <ChoiceGroup
          legend="Where"
          type="radio"
          inline
          options={CONTACT_SETTINGS}
          selected={values.setting === '' ? [] : [values.setting]}
          onChange={(selected) => update({ setting: selected[0] ?? '' })}
          error={shown('setting')}
        />
        <ChoiceGroup
          legend="How"
          type="radio"
          inline
          options={CONTACT_MODES}
          selected={values.mode === '' ? [] : [values.mode]}
          onChange={(selected) => update({ mode: selected[0] ?? '' })}
          error={shown('mode')}
        />
        <ChoiceGroup
          legend="Minutes"
          type="radio"
          inline
          options={['15', '30', '45', '60', '90'].map((value) => ({ value, label: value }))}
          selected={[values.minutes]}
          onChange={(selected) => update({ minutes: selected[0] ?? '' })}
        />
        <TextField
          label="Or type the minutes"
          inputMode="numeric"
          value={values.minutes}
          onChange={(value) => update({ minutes: value })}
          error={shown('minutes')}
        />
        <ChoiceGroup
          legend="What you did"
          type="checkbox"
          options={CONTACT_ACTIVITIES}
          selected={values.activities}
          onChange={(activities) => update({ activities })}
          error={shown('activities')}
        />
        <div className="form-actions sticky-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Saving…' : 'Save contact'}
          </button>
        </div>
      </form>
    </Page>
  );
}

/** Contacts due (coordinator view of every peer worker at their sites). */
export function ContactsDueScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const { data, error } = useApi<{ on: string; due: CaseloadRow[] }>(`/api/trials/${trial.id}/contacts/due`);
  usePeerWorkers();
  if (error !== undefined) return <ErrorNotice error={error} title="Contacts due could not be loaded" />;
  if (data === undefined) return <Loading what="contacts due" />;
  const known = [...new Set(data.due.flatMap((row) => row.peer_worker_ids))];
  return (
    <Page title="Contacts due" lead={`Sessions due on or before ${formatDate(data.on)}.`}>
      <DataTable
        caption="Contacts due"
        columns={caseloadColumns(known, true)}
        rows={data.due}
        rowKey={(row) => row.id}
        rowClass={(row) => ((row.days_overdue ?? 0) > 0 ? 'row-overdue' : undefined)}
        initialSort={{ key: 'due', direction: 'descending' }}
        empty="No contact is due."
      />
    </Page>
  );
}
