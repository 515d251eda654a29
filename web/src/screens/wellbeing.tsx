import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { CLOSE_WELLBEING_COLLECTION_ROLES, roleIn, WELLBEING_NORMS_ROLES } from '../permissions.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

interface Questionnaire {
  readonly timepoints: { timepoint: number; label: string }[];
  readonly measures: {
    id: string;
    name: string;
    note: string | null;
    minimum: number;
    maximum: number;
    items: { id: string; text: string }[];
  }[];
}

interface Mine {
  readonly timepoints: {
    timepoint: number;
    label: string;
    /** Closed by the trial manager (or the trial is locked): no new questionnaire or change. */
    closed: boolean;
    completed: boolean;
    answers: Record<string, number | null> | null;
    version: number | null;
  }[];
}

interface Collection {
  timepoint: number;
  label: string;
  completed: number;
  closed: boolean;
  closed_at: string | null;
}

interface Summary {
  readonly minimum_group_size: number;
  readonly collection: Collection[];
  readonly participants: { timepoint: number; n: number | null; suppressed: string | null }[];
  readonly scores: {
    measure: string;
    subscale: string | null;
    label: string;
    timepoints: {
      timepoint: number;
      n: number | null;
      mean: number | null;
      sd: number | null;
      minimum: number | null;
      maximum: number | null;
      suppressed: string | null;
    }[];
    change: {
      timepoint: number;
      n: number | null;
      mean_change: number | null;
      ci_lower: number | null;
      ci_upper: number | null;
      p_value: number | null;
      effect_size_dz: number | null;
      suppressed: string | null;
    }[];
    norm: {
      mean: number;
      sd: number;
      source: string;
      comparisons: {
        timepoint: number;
        n: number | null;
        difference: number | null;
        ci_lower: number | null;
        ci_upper: number | null;
        p_value: number | null;
        standardised_difference: number | null;
        suppressed: string | null;
      }[];
    } | null;
  }[];
}

interface Norm {
  measure: string;
  subscale: string | null;
  mean: number;
  sd: number;
  source: string;
}

interface Norms {
  readonly norms: Norm[];
  readonly scores: { measure: string; subscale: string | null; label: string }[];
  readonly version: number | null;
  readonly updated_at: string | null;
}

const format = (value: number | null) =>
  value === null ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(2);

/** A peer worker's own questionnaires (T1, T2, T3): confidential, nobody else sees the answers. */
export function WellbeingScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const base = `/api/trials/${encodeURIComponent(trial.id)}/wellbeing`;
  const questionnaire = useApi<Questionnaire>(`${base}/questionnaire`);
  const mine = useApi<Mine>(`${base}/mine`);
  const [timepoint, setTimepoint] = useState<number | null>(null);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<number | null>(null);
  if (questionnaire.error !== undefined)
    return <ErrorNotice error={questionnaire.error} title="Not loaded" />;
  if (questionnaire.data === undefined || mine.data === undefined)
    return <Loading what="your questionnaires" />;
  const measures = questionnaire.data.measures;
  const total = measures.reduce((sum, measure) => sum + measure.items.length, 0);
  const answered = Object.keys(answers).length;
  const submit = async () => {
    if (timepoint === null) return;
    setError(undefined);
    try {
      await api('PUT', `${base}/mine/${timepoint}`, { answers });
      setSaved(timepoint);
      setTimepoint(null);
      setAnswers({});
      mine.reload();
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Page
      title="My wellbeing questionnaires"
      lead="Confidential: only you see your answers. Coordinators and managers see group averages of 5 or more people only."
    >
      {saved === null ? null : (
        <Notice kind="success" title="Thank you">
          <p>Your questionnaire for timepoint {saved} is saved.</p>
        </Notice>
      )}
      {timepoint === null ? (
        <Panel title="Questionnaires">
          <ul className="plain-list">
            {mine.data.timepoints.map((entry) => (
              <li key={entry.timepoint}>
                <strong>{entry.label}</strong>{' '}
                {entry.completed ? <span className="badge">Completed</span> : null}
                {entry.closed ? (
                  <span className="badge">{entry.completed ? 'Closed' : 'Closed: no longer collected'}</span>
                ) : entry.completed ? null : (
                  <button
                    type="button"
                    className="button primary"
                    onClick={() => {
                      setSaved(null);
                      setTimepoint(entry.timepoint);
                    }}
                  >
                    Start {entry.label.split(':')[0]}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </Panel>
      ) : (
        <Panel
          title={questionnaire.data.timepoints.find((entry) => entry.timepoint === timepoint)?.label ?? ''}
        >
          <div className="questionnaire">
            {measures.map((measure) => (
              <fieldset key={measure.id} className="instrument">
                <legend>{measure.name}</legend>
                {measure.note === null ? null : <p className="hint">{measure.note}</p>}
                <ol className="items">
                  {measure.items.map((item) => {
                    const values = Array.from(
                      { length: measure.maximum - measure.minimum + 1 },
                      (_, index) => measure.minimum + index,
                    );
                    return (
                      <li key={item.id}>
                        <fieldset className="item">
                          <legend>
                            {item.text}
                            <span className="visually-hidden"> ({measure.name})</span>
                          </legend>
                          <div className="scale">
                            {values.map((value) => (
                              <label key={value} className="scale-point">
                                <input
                                  type="radio"
                                  name={`${measure.id}.${item.id}`}
                                  value={value}
                                  checked={answers[item.id] === value}
                                  onChange={() => setAnswers({ ...answers, [item.id]: value })}
                                />
                                <span>{value}</span>
                              </label>
                            ))}
                          </div>
                        </fieldset>
                      </li>
                    );
                  })}
                </ol>
              </fieldset>
            ))}
          </div>
          <p className="score-line">
            Answered {answered} of {total}
          </p>
          {error === undefined ? null : <ErrorNotice error={error} />}
          <p>
            <button type="button" className="button primary" disabled={answered === 0} onClick={submit}>
              Submit questionnaire
            </button>{' '}
            <button type="button" className="button subtle" onClick={() => setTimepoint(null)}>
              Cancel
            </button>
          </p>
        </Panel>
      )}
    </Page>
  );
}

const pText = (value: number | null) => (value === null ? '—' : value < 0.001 ? '<0.001' : value.toFixed(3));

/** The norm comparison of one score at one timepoint: difference (95% CI), p (one-sample t-test). */
function normCell(score: Summary['scores'][number], timepoint: number): string {
  if (score.norm === null) return 'no norm set';
  const comparison = score.norm.comparisons.find((entry) => entry.timepoint === timepoint);
  if (comparison === undefined) return '—';
  if (comparison.suppressed !== null) return `withheld (${comparison.suppressed})`;
  return `${format(comparison.difference)} (${format(comparison.ci_lower)} to ${format(comparison.ci_upper)}), p ${pText(comparison.p_value)}`;
}

/** The change from T1 of one score at a later timepoint: mean change (95% CI), p (paired t-test). */
function changeCell(score: Summary['scores'][number], timepoint: number): string {
  const change = score.change.find((entry) => entry.timepoint === timepoint);
  if (change === undefined) return '—';
  if (change.suppressed !== null) return `withheld (${change.suppressed})`;
  return `${format(change.mean_change)} (${format(change.ci_lower)} to ${format(change.ci_upper)}), n ${change.n}, p ${pText(change.p_value)}`;
}

/**
 * Per timepoint: how many completed, whether the collection is open or closed; the trial manager closes a
 * collection deliberately (a confirmation saying it is final). Aggregates of a timepoint are shown only once
 * it is closed, so that nobody can compare the summary before and after one person's questionnaire.
 */
function CollectionPanel({
  user,
  collection,
  onClosed,
}: {
  user: SessionUser;
  collection: readonly Collection[];
  onClosed: () => void;
}) {
  const { trial } = useTrial();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const canClose = roleIn(CLOSE_WELLBEING_COLLECTION_ROLES, user.role) && trial.locked_at === null;
  const close = async (timepoint: number) => {
    setError(undefined);
    try {
      await api(
        'POST',
        `/api/trials/${encodeURIComponent(trial.id)}/wellbeing/collections/${timepoint}/close`,
      );
      setConfirming(null);
      onClosed();
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Panel title="Questionnaire collection">
      <p className="muted small">
        A timepoint's group results are shown once its collection is closed: while questionnaires still
        arrive, comparing the results before and after one more would reveal that person's answers.
      </p>
      <ul className="plain-list" aria-label="Collection by timepoint">
        {collection.map((entry) => (
          <li key={entry.timepoint}>
            <strong>{entry.label}</strong>: {entry.completed} completed, collection{' '}
            {entry.closed ? 'closed' : 'open'}
            {canClose && !entry.closed && confirming !== entry.timepoint ? (
              <>
                {' '}
                <button
                  type="button"
                  className="button subtle"
                  onClick={() => {
                    setError(undefined);
                    setConfirming(entry.timepoint);
                  }}
                >
                  Close T{entry.timepoint} collection
                </button>
              </>
            ) : null}
            {confirming === entry.timepoint ? (
              <div
                className="confirm-box"
                role="alertdialog"
                aria-label={`Close T${entry.timepoint} collection`}
              >
                <p>
                  Closing T{entry.timepoint} is final: no peer worker can complete or change a T
                  {entry.timepoint} questionnaire afterwards ({entry.completed} completed now), and T
                  {entry.timepoint}'s group results are shown from then on.
                </p>
                <p>
                  <button type="button" className="button danger" onClick={() => void close(entry.timepoint)}>
                    Yes, close T{entry.timepoint} collection
                  </button>{' '}
                  <button type="button" className="button subtle" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </p>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {error === undefined ? null : <ErrorNotice error={error} title="Collection not closed" />}
    </Panel>
  );
}

const scoreKey = (measure: string, subscale: string | null) => `${measure}.${subscale ?? ''}`;

/** The trial's population norms: read by everyone who sees the summary, edited by the trial manager. */
function NormsPanel({ user, onSaved }: { user: SessionUser; onSaved: () => void }) {
  const { trial } = useTrial();
  const url = `/api/trials/${encodeURIComponent(trial.id)}/wellbeing/norms`;
  const norms = useApi<Norms>(url);
  const [editing, setEditing] = useState<Record<string, { mean: string; sd: string; source: string }> | null>(
    null,
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  if (norms.error !== undefined) return <ErrorNotice error={norms.error} title="Norms not loaded" />;
  if (norms.data === undefined) return <Loading what="the norms" />;
  const data = norms.data;
  const canEdit = roleIn(WELLBEING_NORMS_ROLES, user.role) && trial.locked_at === null;
  const normOf = (measure: string, subscale: string | null) =>
    data.norms.find((norm) => norm.measure === measure && norm.subscale === subscale);
  const startEditing = () => {
    setSaved(false);
    setError(undefined);
    setReason('');
    setEditing(
      Object.fromEntries(
        data.scores.map((score) => {
          const norm = normOf(score.measure, score.subscale);
          return [
            scoreKey(score.measure, score.subscale),
            {
              mean: norm === undefined ? '' : String(norm.mean),
              sd: norm === undefined ? '' : String(norm.sd),
              source: norm?.source ?? '',
            },
          ];
        }),
      ),
    );
  };
  const save = async () => {
    if (editing === null) return;
    setError(undefined);
    const rows = data.scores.flatMap((score) => {
      const row = editing[scoreKey(score.measure, score.subscale)];
      if (row === undefined || (row.mean.trim() === '' && row.sd.trim() === '' && row.source.trim() === ''))
        return [];
      return [
        {
          measure: score.measure,
          subscale: score.subscale,
          mean: Number(row.mean),
          sd: Number(row.sd),
          source: row.source.trim(),
        },
      ];
    });
    try {
      await api('PUT', url, {
        norms: rows,
        ...(data.version === null ? {} : { version: data.version, reason }),
      });
      setEditing(null);
      setSaved(true);
      norms.reload();
      onSaved();
    } catch (reasonError) {
      setError(reasonError);
    }
  };
  const update = (key: string, field: 'mean' | 'sd' | 'source', value: string) =>
    setEditing((current) =>
      current === null
        ? current
        : { ...current, [key]: { ...(current[key] ?? { mean: '', sd: '', source: '' }), [field]: value } },
    );
  return (
    <Panel title="Population norms">
      {saved ? (
        <Notice kind="success" title="Norms saved">
          <p>The comparison below uses the new norms.</p>
        </Notice>
      ) : null}
      <p className="muted small">
        Each timepoint's mean is compared with the norm by a one-sample t-test. Norms are trial data: changes
        are recorded in the audit trail.
      </p>
      <table className="data-table" aria-label="Population norms">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="numeric">
              Mean
            </th>
            <th scope="col" className="numeric">
              SD
            </th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {data.scores.map((score) => {
            const key = scoreKey(score.measure, score.subscale);
            const norm = normOf(score.measure, score.subscale);
            const row = editing?.[key];
            return (
              <tr key={key}>
                <th scope="row">{score.label}</th>
                {row === undefined ? (
                  <>
                    <td className="numeric">{norm === undefined ? '—' : norm.mean}</td>
                    <td className="numeric">{norm === undefined ? '—' : norm.sd}</td>
                    <td>{norm?.source ?? 'no norm set'}</td>
                  </>
                ) : (
                  <>
                    <td className="numeric">
                      <input
                        aria-label={`${score.label}: norm mean`}
                        inputMode="decimal"
                        size={7}
                        value={row.mean}
                        onChange={(event) => update(key, 'mean', event.target.value)}
                      />
                    </td>
                    <td className="numeric">
                      <input
                        aria-label={`${score.label}: norm SD`}
                        inputMode="decimal"
                        size={7}
                        value={row.sd}
                        onChange={(event) => update(key, 'sd', event.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`${score.label}: norm source`}
                        value={row.source}
                        onChange={(event) => update(key, 'source', event.target.value)}
                      />
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {error === undefined ? null : <ErrorNotice error={error} title="Norms not saved" />}
      {canEdit && editing === null ? (
        <p>
          <button type="button" className="button subtle" onClick={startEditing}>
            Edit norms
          </button>
        </p>
      ) : null}
      {editing === null ? null : (
        <>
          <p className="muted small">Leave a row empty for no norm.</p>
          {data.version === null ? null : (
            <p>
              <label htmlFor="norms-reason">Reason for the change</label>{' '}
              <input id="norms-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            </p>
          )}
          <p>
            <button type="button" className="button primary" onClick={() => void save()}>
              Save norms
            </button>{' '}
            <button type="button" className="button subtle" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </p>
        </>
      )}
    </Panel>
  );
}

/**
 * Coordinators and managers: aggregates only, suppressed under 5 people, of closed collections only (a change
 * row also when differencing it against another published group would describe fewer than 5 people); the
 * collection per timepoint, the norms and the comparison.
 */
export function WellbeingSummaryScreen({ user }: { user: SessionUser }) {
  const { trial } = useTrial();
  const summary = useApi<Summary>(`/api/trials/${encodeURIComponent(trial.id)}/wellbeing/summary`);
  if (summary.error !== undefined) return <ErrorNotice error={summary.error} title="Not loaded" />;
  if (summary.data === undefined) return <Loading what="the wellbeing summary" />;
  const data = summary.data;
  return (
    <Page
      title="Peer worker wellbeing"
      lead={`Group results only. Any figure over fewer than ${data.minimum_group_size} people is withheld; no one's answers are ever shown.`}
    >
      <CollectionPanel user={user} collection={data.collection} onClosed={summary.reload} />
      <Panel title="Scores by timepoint">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Timepoint</th>
              <th scope="col" className="numeric">
                n
              </th>
              <th scope="col" className="numeric">
                Mean (SD)
              </th>
              <th scope="col" className="numeric">
                Range
              </th>
              <th scope="col" className="numeric">
                Change from T1 (95% CI), p
              </th>
              <th scope="col" className="numeric">
                Difference from norm (95% CI), p
              </th>
            </tr>
          </thead>
          <tbody>
            {data.scores.flatMap((score) =>
              score.timepoints.map((entry) => (
                <tr key={`${score.measure}.${score.subscale ?? ''}.${entry.timepoint}`}>
                  <th scope="row">{score.label}</th>
                  <td>T{entry.timepoint}</td>
                  {entry.suppressed !== null ? (
                    <td colSpan={5}>withheld ({entry.suppressed})</td>
                  ) : (
                    <>
                      <td className="numeric">{format(entry.n)}</td>
                      <td className="numeric">
                        {format(entry.mean)} ({format(entry.sd)})
                      </td>
                      <td className="numeric">
                        {format(entry.minimum)}–{format(entry.maximum)}
                      </td>
                      <td className="numeric">
                        {entry.timepoint === 1 ? '—' : changeCell(score, entry.timepoint)}
                      </td>
                      <td className="numeric">{normCell(score, entry.timepoint)}</td>
                    </>
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </Panel>
      <NormsPanel user={user} onSaved={summary.reload} />
    </Page>
  );
}
