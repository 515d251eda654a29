import { type FormEvent, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { Field } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate, humanise } from '../labels.ts';
import {
  EMERGENCY_UNBLIND_ROLES,
  roleIn,
  WITHDRAW_FROM_INTERVENTION_ROLES,
  WRITE_PARTICIPANT_ROLES,
} from '../permissions.ts';
import { Link } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Facts, Page, Panel } from './page.tsx';
import { ParticipantWorkflow } from './participant-workflow.tsx';
import { StatusBadge } from './participants.tsx';
import type { Participant } from './types.ts';

/**
 * One participant: screening and consent, randomisation (a blinded user sees that it happened and the
 * sequence number, never the arm: the server leaves the key out), and the workflow panels.
 */
export function ParticipantScreen(props: { user: SessionUser; id: string }) {
  const { siteName, trial } = useTrial();
  const { data, error, reload } = useApi<Participant>(`/api/participants/${encodeURIComponent(props.id)}`);
  const [randomiseError, setRandomiseError] = useState<unknown>(undefined);
  const [randomised, setRandomised] = useState<{ sequence_number: number } | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (error !== undefined) {
    return (
      <Page title={`Participant ${props.id}`}>
        <ErrorNotice error={error} title="Participant not available" />
        <Link href="/participants">Back to participants</Link>
      </Page>
    );
  }
  if (data === undefined) return <Loading what="the participant" />;
  const canRandomise =
    data.status === 'eligible' &&
    trial.locked_at === null &&
    ['researcher', 'trial_manager', 'admin'].includes(props.user.role);
  const randomise = async () => {
    setBusy(true);
    try {
      const answer = await api<{ sequence_number: number }>(
        'POST',
        `/api/participants/${encodeURIComponent(data.id)}/randomise`,
      );
      // Only the fact and the sequence number are kept; an arm in the answer is never shown here.
      setRandomised({ sequence_number: answer.sequence_number });
      setRandomiseError(undefined);
      setConfirming(false);
      reload();
    } catch (reason) {
      setRandomiseError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page
      title={
        data.participant_id === null ? `Screened person ${data.id}` : `Participant ${data.participant_id}`
      }
      lead={
        <>
          <StatusBadge status={data.status} /> {siteName(data.site_id)} · screened{' '}
          {formatDate(data.screened_date)}
        </>
      }
      actions={<Link href="/participants">All participants</Link>}
    >
      <div className="grid-2">
        <Panel title="Randomisation" id="randomisation">
          {randomised === undefined ? null : (
            <Notice kind="success" title="Randomised">
              <p>
                Randomisation is recorded (sequence number {randomised.sequence_number}). The allocation is
                concealed from you; the peer worker coordinator is told.
              </p>
            </Notice>
          )}
          {randomiseError === undefined ? null : (
            <ErrorNotice error={randomiseError} title="Not randomised" />
          )}
          {data.status === 'randomised' ? (
            <Facts
              items={[
                ['Participant id', data.participant_id ?? '—'],
                ['Randomised', formatDate(data.randomised_at)],
                ['Sequence number', data.sequence_number ?? '—'],
                ...('arm' in data
                  ? ([['Allocation', humanise(data.arm ?? null)]] as [string, string][])
                  : []),
              ]}
            />
          ) : canRandomise ? (
            confirming ? (
              <div className="confirm-box">
                <p>
                  Randomise <strong>{data.id}</strong> now? This happens once and cannot be undone.
                </p>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button primary"
                    onClick={() => void randomise()}
                    disabled={busy}
                  >
                    {busy ? 'Randomising…' : 'Yes, randomise'}
                  </button>
                  <button type="button" className="button subtle" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <>
                <p>Eligible and consented: ready to randomise.</p>
                <button type="button" className="button primary" onClick={() => setConfirming(true)}>
                  Request randomisation
                </button>
              </>
            )
          ) : (
            <p className="muted">
              {data.status === 'eligible' ? 'Awaiting randomisation.' : 'Not for randomisation.'}
            </p>
          )}
        </Panel>
        <Panel title="Screening and consent">
          <Facts
            items={[
              ['Screening id', data.id],
              ['Age', data.age ?? '—'],
              ['Gender', humanise(data.gender)],
              ['Ethnic group', data.ethnicity ?? '—'],
              ['First language', data.first_language ?? '—'],
              ['Diagnosis group', humanise(data.diagnosis_group)],
              ['Admissions (2 years)', data.admissions_prior_2y ?? '—'],
              [
                'Detained at admission',
                data.detained_at_index === null ? '—' : data.detained_at_index ? 'Yes' : 'No',
              ],
              ['Consent', data.consent_given ? `Given ${formatDate(data.consent_date)}` : 'Not recorded'],
            ]}
          />
        </Panel>
      </div>
      {data.status === 'randomised' &&
      ['researcher', 'trial_manager', 'admin', 'pw_coordinator'].includes(props.user.role) ? (
        <ParticipantWorkflow
          participant={data}
          canWrite={trial.locked_at === null && roleIn(WRITE_PARTICIPANT_ROLES, props.user.role)}
          interventionWithdrawal={
            roleIn(WITHDRAW_FROM_INTERVENTION_ROLES, props.user.role)
              ? trial.locked_at === null
                ? 'write'
                : 'read'
              : 'hidden'
          }
        />
      ) : null}
      {data.status === 'randomised' &&
      trial.locked_at === null &&
      roleIn(EMERGENCY_UNBLIND_ROLES, props.user.role) ? (
        <EmergencyUnblinding participant={data} />
      ) : null}
      {data.status === 'randomised' && ['peer_worker', 'pw_coordinator'].includes(props.user.role) ? (
        <p>
          <Link className="button primary" href={`/contact/${data.id}`}>
            Log a contact
          </Link>
        </p>
      ) : null}
    </Page>
  );
}

/** The server's answer to an emergency unblinding. */
interface Unblinding {
  readonly participant_id: string;
  readonly arm: string;
  readonly unblinded_at: string;
}

/** The shortest reason the server accepts (src/server/routes/safety.ts). */
const MIN_REASON = 10;

/**
 * Emergency unblinding, set apart from the rest of the page: a deliberate two-step control (open, then
 * confirm with a reason that names why) for the roles `can()` allows (web/src/permissions.ts). The arm
 * the server answers is kept in this component's state only: shown to the requester on this page, never
 * written to a draft or the address, and gone when they leave the page. The audit trail keeps who, when
 * and why.
 */
function EmergencyUnblinding(props: { participant: Participant }) {
  const p = props.participant;
  const label = p.participant_id ?? p.id;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [revealed, setRevealed] = useState<Unblinding | undefined>(undefined);
  const reasonError =
    reason.trim().length < MIN_REASON
      ? `Give the clinical reason for unblinding (at least ${MIN_REASON} characters)`
      : undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (reasonError !== undefined) return;
    setBusy(true);
    try {
      const answer = await api<Unblinding>('POST', `/api/participants/${encodeURIComponent(p.id)}/unblind`, {
        reason: reason.trim(),
      });
      setRevealed(answer);
      setError(undefined);
      setOpen(false);
      setReason('');
      setTried(false);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel danger-zone" aria-labelledby="unblinding-title" id="unblinding">
      <div className="panel-head">
        <h2 id="unblinding-title">Emergency unblinding</h2>
      </div>
      {revealed === undefined ? null : (
        <div className="notice notice-warning" role="status">
          <strong className="notice-title">
            Allocation of {revealed.participant_id}: {humanise(revealed.arm)}
          </strong>
          <div>
            <p>
              Unblinded at {revealed.unblinded_at.replace('T', ' ').slice(0, 16)} UTC; the audit trail records
              your name and reason. This is shown to you on this page only: it is gone when you leave the
              page.
            </p>
            <button type="button" className="button subtle" onClick={() => setRevealed(undefined)}>
              Hide the allocation
            </button>
          </div>
        </div>
      )}
      {error === undefined ? null : <ErrorNotice error={error} title="Not unblinded" />}
      {revealed !== undefined ? null : open ? (
        <form className="confirm-box" noValidate aria-label="Confirm emergency unblinding" onSubmit={submit}>
          <p>
            <strong>Reveal the allocation of {label} to you?</strong>
          </p>
          <ul>
            <li>You will learn this participant&rsquo;s arm and can no longer assess them blind.</li>
            <li>
              It is recorded in the audit trail with your name, the time and your reason, and cannot be
              undone.
            </li>
            <li>Use it only when knowing the allocation is needed for the participant&rsquo;s safety.</li>
          </ul>
          <Field label="Reason for unblinding" error={tried ? reasonError : undefined}>
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                rows={3}
                value={reason}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(event) => setReason(event.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button danger" disabled={busy}>
              {busy ? 'Unblinding…' : 'Reveal the allocation'}
            </button>
            <button
              type="button"
              className="button subtle"
              onClick={() => {
                setOpen(false);
                setTried(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="muted">
            Only for a clinical emergency in which the allocation must be known. It reveals this
            participant&rsquo;s arm to you and is audited.
          </p>
          <button type="button" className="button danger" onClick={() => setOpen(true)}>
            Emergency unblinding…
          </button>
        </>
      )}
    </section>
  );
}
