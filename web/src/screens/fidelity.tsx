import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

interface FidelityIndex {
  readonly index: {
    readonly name: string;
    readonly note?: string;
    readonly scale: { minimum: number; maximum: number; anchors: { value: number; label: string }[] };
    readonly domains: { id: string; label: string }[];
    readonly items: { id: string; domain: string; part: string; informants: string[]; text: string }[];
  };
}

interface InterviewSummary {
  readonly interview_id: string;
  readonly site: string | null;
  readonly timepoint: number | null;
  readonly informant: string | null;
  readonly ratings: number;
  readonly rated_by_me: boolean;
  readonly consensus: boolean;
}

interface InterviewDetail extends InterviewSummary {
  readonly ratings_visible: boolean;
  readonly independent: { rater_id: string; scores: Record<string, number> }[];
  readonly disagreements: { item: string; scores: number[] }[];
}

interface Disagreements {
  readonly threshold: number;
  readonly interviews: (InterviewSummary & {
    raters: string[];
    items: { item: string; text: string; scores: number[]; consensus_score: number | null }[];
    consensus_version: number | null;
  })[];
}

const INFORMANTS = [
  { value: 'peer_worker', label: 'Peer worker' },
  { value: 'supervisor', label: 'Supervisor' },
  { value: 'person_supported', label: 'Person supported' },
];

/** One item's scale as radio buttons (arrow keys move within it). */
function ScaleItem(props: {
  name: string;
  text: string;
  minimum: number;
  maximum: number;
  value: number | undefined;
  onChange: (value: number) => void;
}) {
  const values = Array.from(
    { length: props.maximum - props.minimum + 1 },
    (_, index) => props.minimum + index,
  );
  return (
    <li>
      <fieldset className="item">
        <legend>{props.text}</legend>
        <div className="scale">
          {values.map((value) => (
            <label key={value} className="scale-point">
              <input
                type="radio"
                name={props.name}
                value={value}
                checked={props.value === value}
                onChange={() => props.onChange(value)}
              />
              <span>{value}</span>
            </label>
          ))}
        </div>
      </fieldset>
    </li>
  );
}

/** A rater's page: rated interviews and the form to score one item by item, blind to the other rater. */
export function FidelityRatingScreen(_props: { user: SessionUser }) {
  const { trial, sites } = useTrial();
  const base = `/api/trials/${encodeURIComponent(trial.id)}/fidelity`;
  const index = useApi<FidelityIndex>(`${base}/index`);
  const interviews = useApi<{ interviews: InterviewSummary[] }>(`${base}/interviews`);
  const [interviewId, setInterviewId] = useState('');
  const [site, setSite] = useState('');
  const [employer, setEmployer] = useState('');
  const [timepoint, setTimepoint] = useState('');
  const [informant, setInformant] = useState('');
  const [scores, setScores] = useState<Record<string, number>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<InterviewDetail | undefined>(undefined);
  if (index.error !== undefined)
    return <ErrorNotice error={index.error} title="The fidelity index could not be loaded" />;
  if (index.data === undefined) return <Loading what="the fidelity index" />;
  const definition = index.data.index;
  const items = definition.items.filter((item) => item.informants.includes(informant));
  const complete = items.length > 0 && items.every((item) => scores[item.id] !== undefined);
  const ready =
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(interviewId) && site && employer && timepoint && complete;
  const submit = async () => {
    setError(undefined);
    try {
      await api('PUT', `${base}/interviews/${encodeURIComponent(interviewId)}/my-rating`, {
        site,
        employer_type: employer,
        timepoint: Number(timepoint),
        informant,
        scores,
      });
      setSaved(await api<InterviewDetail>('GET', `${base}/interviews/${encodeURIComponent(interviewId)}`));
      setScores({});
      interviews.reload();
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Page
      title="Fidelity ratings"
      lead="Score an interview item by item. You see the other rater's scores only after submitting your own."
    >
      {definition.note === undefined ? null : <Notice kind="warning">{definition.note}</Notice>}
      {saved === undefined ? null : (
        <Notice kind="success" title={`Rating of ${saved.interview_id} submitted`}>
          {saved.independent.length < 2 ? (
            <p>Waiting for the second rater.</p>
          ) : saved.disagreements.length === 0 ? (
            <p>Both ratings are in and agree on every item.</p>
          ) : (
            <p>
              Both ratings are in: {saved.disagreements.length} item(s) disagree (
              {saved.disagreements.map((entry) => `${entry.item}: ${entry.scores.join(' vs ')}`).join('; ')})
              and go to a consensus score.
            </p>
          )}
        </Notice>
      )}
      <Panel title="Rate an interview" id="rate">
        <div className="grid-2">
          <TextField
            label="Interview id"
            value={interviewId}
            onChange={setInterviewId}
            hint="e.g. s1-t1-pw-01"
          />
          <SelectField
            label="Site"
            value={site}
            onChange={setSite}
            options={sites.map((entry) => ({ value: entry.id, label: entry.name }))}
          />
          <SelectField
            label="Employer of the site's peer workers"
            value={employer}
            onChange={setEmployer}
            options={[
              { value: 'nhs', label: 'NHS' },
              { value: 'voluntary', label: 'Voluntary sector' },
            ]}
          />
          <SelectField
            label="Timepoint"
            value={timepoint}
            onChange={setTimepoint}
            options={[1, 2, 3].map((value) => ({ value: String(value), label: `Timepoint ${value}` }))}
          />
          <SelectField
            label="Informant"
            value={informant}
            onChange={(value) => {
              setInformant(value);
              setScores({});
            }}
            options={INFORMANTS}
          />
        </div>
        {informant === '' ? (
          <p className="muted">Choose the informant to see the items asked of their interviews.</p>
        ) : (
          <div className="questionnaire">
            <p className="hint">
              {definition.scale.anchors.map((anchor) => `${anchor.value} ${anchor.label}`).join(' · ')}
            </p>
            {definition.domains.map((domain) => {
              const domainItems = items.filter((item) => item.domain === domain.id);
              if (domainItems.length === 0) return null;
              return (
                <fieldset key={domain.id} className="instrument">
                  <legend>{domain.label}</legend>
                  <ol className="items">
                    {domainItems.map((item) => (
                      <ScaleItem
                        key={item.id}
                        name={`fidelity.${item.id}`}
                        text={`${item.part === 'setup' ? 'Set-up' : 'Delivery'}: ${item.text}`}
                        minimum={definition.scale.minimum}
                        maximum={definition.scale.maximum}
                        value={scores[item.id]}
                        onChange={(value) => setScores({ ...scores, [item.id]: value })}
                      />
                    ))}
                  </ol>
                </fieldset>
              );
            })}
            <p className="score-line">
              Scored {Object.keys(scores).length} of {items.length}
            </p>
          </div>
        )}
        {error === undefined ? null : <ErrorNotice error={error} />}
        <p>
          <button type="button" className="button primary" disabled={!ready} onClick={submit}>
            Submit my rating
          </button>
        </p>
      </Panel>
      <Panel title="Interviews">
        {interviews.data === undefined ? (
          <Loading what="interviews" />
        ) : interviews.data.interviews.length === 0 ? (
          <p className="muted">No interview rated yet.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Interview</th>
                <th scope="col">Site</th>
                <th scope="col">Timepoint</th>
                <th scope="col">Informant</th>
                <th scope="col">Ratings</th>
                <th scope="col">Rated by you</th>
                <th scope="col">Consensus</th>
              </tr>
            </thead>
            <tbody>
              {interviews.data.interviews.map((row) => (
                <tr key={row.interview_id}>
                  <th scope="row">{row.interview_id}</th>
                  <td>{row.site}</td>
                  <td>{row.timepoint}</td>
                  <td>{row.informant}</td>
                  <td>{row.ratings} of 2</td>
                  <td>{row.rated_by_me ? 'yes' : 'no'}</td>
                  <td>{row.consensus ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </Page>
  );
}

/** One interview's consensus form: a score for every disagreement. */
function ConsensusForm(props: {
  base: string;
  interview: Disagreements['interviews'][number];
  scale: { minimum: number; maximum: number };
  onSaved: (interviewId: string) => void;
}) {
  const { interview } = props;
  const [scores, setScores] = useState<Record<string, number>>(
    () =>
      Object.fromEntries(
        interview.items
          .filter((item) => item.consensus_score !== null)
          .map((item) => [item.item, item.consensus_score]),
      ) as Record<string, number>,
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const change = interview.consensus_version !== null;
  const complete = interview.items.every((item) => scores[item.item] !== undefined);
  const save = async () => {
    setError(undefined);
    try {
      await api('PUT', `${props.base}/interviews/${encodeURIComponent(interview.interview_id)}/consensus`, {
        scores,
        ...(change ? { version: interview.consensus_version, reason } : {}),
      });
      props.onSaved(interview.interview_id);
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Panel title={`Interview ${interview.interview_id}`} id={`consensus-${interview.interview_id}`}>
      <p className="muted">
        Site {interview.site}, timepoint {interview.timepoint}, {interview.informant}; raters{' '}
        {interview.raters.join(' and ')}.
      </p>
      <ol className="items">
        {interview.items.map((item) => (
          <ScaleItem
            key={item.item}
            name={`consensus.${interview.interview_id}.${item.item}`}
            text={`${item.text} (rated ${item.scores.join(' and ')})`}
            minimum={props.scale.minimum}
            maximum={props.scale.maximum}
            value={scores[item.item]}
            onChange={(value) => setScores({ ...scores, [item.item]: value })}
          />
        ))}
      </ol>
      {change ? <TextField label="Reason for the change" value={reason} onChange={setReason} /> : null}
      {error === undefined ? null : <ErrorNotice error={error} />}
      <button
        type="button"
        className="button primary"
        disabled={!complete || (change && reason.trim() === '')}
        onClick={save}
      >
        Save the consensus
      </button>
    </Panel>
  );
}

/** The trial manager's page: disagreements between the two raters, a consensus score each, the export. */
export function FidelityConsensusScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const base = `/api/trials/${encodeURIComponent(trial.id)}/fidelity`;
  const disagreements = useApi<Disagreements>(`${base}/disagreements`);
  const index = useApi<FidelityIndex>(`${base}/index`);
  const scale = index.data?.index.scale ?? { minimum: 1, maximum: 5 };
  // Kept here: the saved form re-renders with the new consensus version (a new key).
  const [savedFor, setSavedFor] = useState<string | null>(null);
  return (
    <Page
      title="Fidelity consensus"
      lead="Items the two raters scored apart, for a consensus score."
      actions={
        <a className="button subtle" href={`${base}/ratings.csv`} download>
          Download the ratings file (CSV)
        </a>
      }
    >
      {savedFor === null ? null : <Notice kind="success">Consensus saved for interview {savedFor}.</Notice>}
      {disagreements.error !== undefined ? (
        <ErrorNotice error={disagreements.error} title="Not loaded" />
      ) : null}
      {disagreements.data === undefined ? (
        <Loading what="disagreements" />
      ) : disagreements.data.interviews.length === 0 ? (
        <p className="muted">No disagreement to resolve.</p>
      ) : (
        disagreements.data.interviews.map((interview) => (
          <ConsensusForm
            key={`${interview.interview_id}:${interview.consensus_version ?? 0}`}
            base={base}
            interview={interview}
            scale={scale}
            onSaved={(interviewId) => {
              setSavedFor(interviewId);
              disagreements.reload();
            }}
          />
        ))
      )}
      <p className="muted small">
        Analyse the downloaded file with{' '}
        <code>enrich fidelity {trial.id}-fidelity-ratings.csv --html fidelity.html</code>.
      </p>
    </Page>
  );
}
