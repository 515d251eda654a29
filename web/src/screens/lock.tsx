import { type FormEvent, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { TextField } from '../components/fields.tsx';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { formatDate } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

/** Lock the database: typed confirmation, a reason, then no change is accepted. */
export function LockScreen(_props: { user: SessionUser }) {
  const { trial, reloadTrial } = useTrial();
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const confirmed = confirmation.trim() === trial.id;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!confirmed || reason.trim() === '') return;
    setBusy(true);
    try {
      await api('POST', `/api/trials/${trial.id}/lock`, { reason: reason.trim() });
      setError(undefined);
      reloadTrial();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  if (trial.locked_at !== null) {
    return (
      <Page title="Database lock">
        <Notice kind="success" title="Locked">
          <p>
            The database of {trial.id} was locked on {formatDate(trial.locked_at)}. No change is accepted; the
            statistician can download the unblinded analysis dataset.
          </p>
        </Notice>
      </Page>
    );
  }
  return (
    <Page
      title="Database lock"
      lead="Lock the database when data collection and cleaning are complete. This cannot be undone."
    >
      <Panel title={`Lock ${trial.id}`}>
        <Notice kind="warning">
          <p>
            After the lock nobody can enter or change data, and allocations become visible to the
            statistician.
          </p>
        </Notice>
        {error === undefined ? null : <ErrorNotice error={error} title="Not locked" />}
        <form onSubmit={submit} noValidate aria-label="Lock the database">
          <TextField
            label="Reason"
            hint="e.g. final data cleaning complete; signed off by the trial steering committee"
            value={reason}
            onChange={setReason}
            error={submitted && reason.trim() === '' ? 'Give the reason for the lock' : undefined}
          />
          <TextField
            label={`Type the trial id (${trial.id}) to confirm`}
            value={confirmation}
            onChange={setConfirmation}
            error={submitted && !confirmed ? `Type ${trial.id} exactly` : undefined}
          />
          <button type="submit" className="button danger" disabled={busy}>
            {busy ? 'Locking…' : 'Lock the database'}
          </button>
        </form>
      </Panel>
    </Page>
  );
}
