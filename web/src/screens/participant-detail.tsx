import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate, humanise } from '../labels.ts';
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
          canWrite={
            trial.locked_at === null && ['researcher', 'trial_manager', 'admin'].includes(props.user.role)
          }
        />
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
