import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
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
    completed: boolean;
    answers: Record<string, number | null> | null;
    version: number | null;
  }[];
}

interface Summary {
  readonly minimum_group_size: number;
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
  }[];
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
                {entry.completed ? (
                  <span className="badge">Completed</span>
                ) : (
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

/** Coordinators and managers: aggregates only, suppressed under 5 people. */
export function WellbeingSummaryScreen(_props: { user: SessionUser }) {
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
      <Panel title="Questionnaires completed">
        <p>
          {data.participants
            .map(
              (entry) =>
                `T${entry.timepoint}: ${entry.n === null ? `withheld (${entry.suppressed})` : entry.n}`,
            )
            .join(' · ')}
        </p>
      </Panel>
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
            </tr>
          </thead>
          <tbody>
            {data.scores.flatMap((score) =>
              score.timepoints.map((entry) => (
                <tr key={`${score.measure}.${score.subscale ?? ''}.${entry.timepoint}`}>
                  <th scope="row">{score.label}</th>
                  <td>T{entry.timepoint}</td>
                  {entry.suppressed !== null ? (
                    <td colSpan={3}>withheld ({entry.suppressed})</td>
                  ) : (
                    <>
                      <td className="numeric">{format(entry.n)}</td>
                      <td className="numeric">
                        {format(entry.mean)} ({format(entry.sd)})
                      </td>
                      <td className="numeric">
                        {format(entry.minimum)}–{format(entry.maximum)}
                      </td>
                    </>
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </Panel>
    </Page>
  );
}
