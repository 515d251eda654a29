import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useTrial } from '../trial-context.tsx';

/** An instrument as `GET /api/trials/:id/instruments` describes it. */
export interface Instrument {
  readonly id: string;
  readonly name: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly minimum_answered?: number;
  readonly note?: string;
  readonly items: readonly {
    id: string;
    text: string;
    minimum?: number;
    maximum?: number;
    reverse?: boolean;
  }[];
  readonly subscales?: readonly { id: string; label: string; items: readonly string[] }[];
}

/** A computed score. */
export interface Score {
  readonly total: number | null;
  readonly subscales: Readonly<Record<string, number | null>>;
  readonly answered: number;
  readonly items?: number;
  readonly prorated: boolean;
}

export type Responses = Record<string, Record<string, number>>;

function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/0+$/, '');
}

/** The score of one instrument, recomputed by the server as answers change (never stored until saved). */
function ScorePreview(props: { instrument: Instrument; answers: Record<string, number> }) {
  const { trial } = useTrial();
  const [score, setScore] = useState<Score | undefined>(undefined);
  const key = JSON.stringify(props.answers);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key is the answers' content
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api<Score>('POST', `/api/trials/${trial.id}/instruments/${props.instrument.id}/score`, {
        responses: props.answers,
      }).then(
        (value) => live && setScore(value),
        () => live && setScore(undefined),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, trial.id, props.instrument.id]);
  const needed = props.instrument.minimum_answered ?? props.instrument.items.length;
  return (
    <p className="score-line" aria-live="polite">
      <span>
        Answered {Object.keys(props.answers).length} of {props.instrument.items.length}
      </span>
      <strong>
        Score: {formatScore(score?.total)}
        {score?.prorated === true ? ' (prorated)' : ''}
      </strong>
      {Object.entries(score?.subscales ?? {}).map(([id, value]) => (
        <span key={id}>
          {props.instrument.subscales?.find((subscale) => subscale.id === id)?.label ?? id}:{' '}
          {formatScore(value)}
        </span>
      ))}
      {score !== undefined && score.total === null ? (
        <span className="muted">Needs at least {needed} answers for a score</span>
      ) : null}
    </p>
  );
}

/** Every instrument of a visit, item by item (radio buttons: arrow keys move within an item). */
export function Questionnaire(props: {
  instruments: readonly Instrument[];
  responses: Responses;
  onChange: (responses: Responses) => void;
}) {
  return (
    <div className="questionnaire">
      {props.instruments.map((instrument) => {
        const answers = props.responses[instrument.id] ?? {};
        return (
          <fieldset key={instrument.id} className="instrument">
            <legend>{instrument.name}</legend>
            {instrument.note === undefined ? null : <p className="hint">{instrument.note}</p>}
            <ol className="items">
              {instrument.items.map((item) => {
                const minimum = item.minimum ?? instrument.minimum;
                const maximum = item.maximum ?? instrument.maximum;
                const values = Array.from({ length: maximum - minimum + 1 }, (_, index) => minimum + index);
                const name = `${instrument.id}.${item.id}`;
                return (
                  <li key={item.id}>
                    <fieldset className="item">
                      <legend>
                        {item.text === `Item ${item.id.replace(/\D/g, '')}` ? `${item.text}` : item.text}
                        <span className="visually-hidden"> ({instrument.name})</span>
                      </legend>
                      <div className="scale">
                        {values.map((value) => (
                          <label key={value} className="scale-point">
                            <input
                              type="radio"
                              name={name}
                              value={value}
                              checked={answers[item.id] === value}
                              onChange={() =>
                                props.onChange({
                                  ...props.responses,
                                  [instrument.id]: { ...answers, [item.id]: value },
                                })
                              }
                            />
                            <span>{value}</span>
                          </label>
                        ))}
                        {answers[item.id] === undefined ? null : (
                          <button
                            type="button"
                            className="button link small"
                            onClick={() => {
                              const { [item.id]: _removed, ...rest } = answers;
                              props.onChange({ ...props.responses, [instrument.id]: rest });
                            }}
                          >
                            Clear<span className="visually-hidden"> {item.text}</span>
                          </button>
                        )}
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ol>
            <ScorePreview instrument={instrument} answers={answers} />
          </fieldset>
        );
      })}
    </div>
  );
}

/** Saved scores as a small table. */
export function ScoreTable(props: {
  instruments: readonly Instrument[];
  scores: Readonly<Record<string, Score>>;
}) {
  return (
    <table className="score-table">
      <caption className="visually-hidden">Scores</caption>
      <thead>
        <tr>
          <th scope="col">Instrument</th>
          <th scope="col" className="numeric">
            Score
          </th>
          <th scope="col">Subscales</th>
          <th scope="col" className="numeric">
            Answered
          </th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(props.scores).map(([id, score]) => (
          <tr key={id}>
            <th scope="row">{props.instruments.find((instrument) => instrument.id === id)?.name ?? id}</th>
            <td className="numeric">
              {formatScore(score.total)}
              {score.prorated ? ' (prorated)' : ''}
            </td>
            <td>
              {Object.entries(score.subscales)
                .map(([subscale, value]) => `${subscale}: ${formatScore(value)}`)
                .join('; ') || '—'}
            </td>
            <td className="numeric">
              {score.answered}/{score.items ?? '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
