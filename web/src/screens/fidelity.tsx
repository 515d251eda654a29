import { useState } from 'react';
import type { FidelityIndexDefinition, FidelityInformant, FidelityItem } from '../../../src/trial/index.ts';
import { api, type SessionUser } from '../api.ts';
import { ChoiceGroup, Field, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';
import { EMPLOYER_OPTIONS, employerLabel } from './sites.tsx';

/** GET .../fidelity/index: the trial's index (the template until one is saved). */
interface FidelityIndex {
  readonly index: FidelityIndexDefinition;
  readonly template: boolean;
  readonly version: number;
  readonly rated_items: string[];
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
  const items = definition.items.filter((item) => (item.informants as readonly string[]).includes(informant));
  const complete = items.length > 0 && items.every((item) => scores[item.id] !== undefined);
  // The employer type belongs to the site: asked here only for a site that has none set.
  const siteEmployer = sites.find((entry) => entry.id === site)?.employer_type ?? null;
  const ready =
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(interviewId) &&
    site &&
    (siteEmployer !== null || employer) &&
    timepoint &&
    complete;
  const submit = async () => {
    setError(undefined);
    try {
      await api('PUT', `${base}/interviews/${encodeURIComponent(interviewId)}/my-rating`, {
        site,
        ...(siteEmployer === null ? { employer_type: employer } : {}),
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
          {siteEmployer !== null ? (
            <Field label="Employer of the site's peer workers" hint="Set on the site (Sites screen)">
              {({ id, describedBy }) => (
                <output id={id} aria-describedby={describedBy} className="readonly-value">
                  {employerLabel(siteEmployer)}
                </output>
              )}
            </Field>
          ) : (
            <SelectField
              label="Employer of the site's peer workers"
              value={employer}
              onChange={setEmployer}
              options={EMPLOYER_OPTIONS}
              {...(site === ''
                ? {}
                : { hint: 'Not set on this site: the trial manager can set it on the Sites screen' })}
            />
          )}
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
  const scale = index.data?.index.scale ?? { minimum: 1, maximum: 5, anchors: [] };
  // Kept here: the saved form re-renders with the new consensus version (a new key).
  const [savedFor, setSavedFor] = useState<string | null>(null);
  return (
    <Page
      title="Fidelity consensus"
      lead="Items the two raters scored apart, for a consensus score."
      actions={
        <>
          <a className="button subtle" href={`${base}/report.html`} target="_blank" rel="noreferrer">
            Open the fidelity report
          </a>
          <a className="button subtle" href={`${base}/ratings.csv`} download>
            Download the ratings file (CSV)
          </a>
          <a className="button subtle" href={`${base}/index.json`} download>
            Download the index (JSON)
          </a>
        </>
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
        The fidelity report shows scores per site and timepoint, set-up and delivery, NHS and voluntary sector
        sites, inter-rater reliability and internal consistency from the ratings entered here. The same
        analysis from the downloaded files:{' '}
        <code>
          enrich fidelity {trial.id}-fidelity-ratings.csv --index {trial.id}-fidelity-index.json --html
          fidelity.html
        </code>
        .
      </p>
    </Page>
  );
}

const PARTS = [
  { value: 'setup', label: 'Set-up' },
  { value: 'delivery', label: 'Delivery' },
];

/** The editable fields of one item; its id only while it is new (not in the saved index). */
function ItemEditor(props: {
  item: FidelityItem;
  position: number;
  isNew: boolean;
  rated: boolean;
  domains: readonly { id: string; label: string }[];
  onChange: (item: FidelityItem) => void;
  onRemove: () => void;
}) {
  const { item } = props;
  return (
    <li>
      <fieldset className="item" aria-label={`Item ${item.id}`}>
        <legend>
          Item {props.position + 1}: <code>{item.id}</code>
          {props.rated ? ' (has ratings)' : ''}
          {item.placeholder === true ? ' (placeholder)' : ''}
        </legend>
        {props.isNew ? (
          <TextField
            label="Item id"
            hint="Letters, digits and _ (e.g. d_reciprocity_3)"
            value={item.id}
            onChange={(id) => props.onChange({ ...item, id })}
          />
        ) : null}
        <Field label="Item wording">
          {({ id, describedBy }) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={2}
              value={item.text}
              onChange={(event) => {
                // Reworded: no longer the template's placeholder.
                const { placeholder: _placeholder, ...rest } = item;
                props.onChange({ ...rest, text: event.target.value });
              }}
            />
          )}
        </Field>
        <div className="grid-2">
          <SelectField
            label="Domain"
            value={item.domain}
            onChange={(domain) => props.onChange({ ...item, domain })}
            options={props.domains.map((domain) => ({ value: domain.id, label: domain.label }))}
          />
          <SelectField
            label="Part"
            value={item.part}
            onChange={(part) => props.onChange({ ...item, part: part as FidelityItem['part'] })}
            options={PARTS}
          />
        </div>
        <ChoiceGroup
          legend="Rated from interviews with"
          type="checkbox"
          inline
          options={INFORMANTS}
          selected={item.informants}
          onChange={(selected) => props.onChange({ ...item, informants: selected as FidelityInformant[] })}
        />
        <button type="button" className="button subtle" onClick={props.onRemove}>
          Remove item {item.id}
        </button>
      </fieldset>
    </li>
  );
}

/** The editor of a loaded index; re-created (by key) after each save. */
function IndexEditor(props: { base: string; loaded: FidelityIndex; onSaved: (version: number) => void }) {
  const { loaded } = props;
  const [draft, setDraft] = useState<FidelityIndexDefinition>(() => structuredClone(loaded.index));
  // The items with a stable key each (ids of new items are edited) and whether they are new.
  const [rows, setRows] = useState(() =>
    loaded.index.items.map((item, key) => ({ key, isNew: false, item: structuredClone(item) })),
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const rated = new Set(loaded.rated_items);
  const change = loaded.version > 0;
  const setItem = (key: number, item: FidelityItem) =>
    setRows(rows.map((row) => (row.key === key ? { ...row, item } : row)));
  const setRange = (minimum: number, maximum: number) => {
    if (
      !Number.isInteger(minimum) ||
      !Number.isInteger(maximum) ||
      minimum >= maximum ||
      maximum - minimum > 10
    ) {
      return;
    }
    const labels = new Map(draft.scale.anchors.map((anchor) => [anchor.value, anchor.label]));
    const anchors = Array.from({ length: maximum - minimum + 1 }, (_, index) => ({
      value: minimum + index,
      label: labels.get(minimum + index) ?? '',
    }));
    setDraft({ ...draft, scale: { minimum, maximum, anchors } });
  };
  const addItem = () => {
    let number = rows.length + 1;
    while (rows.some((row) => row.item.id === `item_${number}`)) number++;
    const key = Math.max(-1, ...rows.map((row) => row.key)) + 1;
    setRows([
      ...rows,
      {
        key,
        isNew: true,
        item: {
          id: `item_${number}`,
          domain: draft.domains[0]?.id ?? '',
          part: 'delivery',
          informants: ['peer_worker'],
          text: '',
        },
      },
    ]);
  };
  const save = async () => {
    setError(undefined);
    try {
      const { note, ...rest } = { ...draft, items: rows.map((row) => row.item) };
      const index = note === undefined || note.trim() === '' ? rest : { ...rest, note };
      const saved = await api<{ version: number }>('PUT', `${props.base}/index`, {
        index,
        ...(change ? { version: loaded.version, reason: reason.trim() } : {}),
      });
      props.onSaved(saved.version);
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <>
      <Panel title="The index">
        <div className="grid-2">
          <TextField label="Name" value={draft.name} onChange={(name) => setDraft({ ...draft, name })} />
          <TextField
            label="Version"
            value={draft.version}
            onChange={(version) => setDraft({ ...draft, version })}
          />
        </div>
        <TextField
          label="Note"
          hint="What this index is (e.g. the published index, version and date)"
          value={draft.note ?? ''}
          onChange={(note) => setDraft({ ...draft, note })}
        />
      </Panel>
      <Panel title="Response scale">
        <div className="grid-2">
          <TextField
            label="Lowest point"
            type="number"
            value={String(draft.scale.minimum)}
            onChange={(value) => setRange(Number(value), draft.scale.maximum)}
          />
          <TextField
            label="Highest point"
            type="number"
            value={String(draft.scale.maximum)}
            onChange={(value) => setRange(draft.scale.minimum, Number(value))}
          />
        </div>
        {draft.scale.anchors.map((anchor, position) => (
          <TextField
            key={anchor.value}
            label={`Anchor ${anchor.value}`}
            value={anchor.label}
            onChange={(label) =>
              setDraft({
                ...draft,
                scale: {
                  ...draft.scale,
                  anchors: draft.scale.anchors.map((entry, index) =>
                    index === position ? { ...entry, label } : entry,
                  ),
                },
              })
            }
          />
        ))}
      </Panel>
      <Panel title="Domains (principles)">
        {draft.domains.map((domain, position) => (
          <TextField
            key={domain.id}
            label={`Domain ${domain.id}`}
            value={domain.label}
            onChange={(label) =>
              setDraft({
                ...draft,
                domains: draft.domains.map((entry, index) =>
                  index === position ? { ...entry, label } : entry,
                ),
              })
            }
          />
        ))}
      </Panel>
      <Panel title={`Items (${rows.length})`}>
        <ol className="items">
          {rows.map((row, position) => (
            <ItemEditor
              key={row.key}
              item={row.item}
              position={position}
              isNew={row.isNew}
              rated={rated.has(row.item.id)}
              domains={draft.domains}
              onChange={(next) => setItem(row.key, next)}
              onRemove={() => setRows(rows.filter((entry) => entry.key !== row.key))}
            />
          ))}
        </ol>
        <button type="button" className="button subtle" onClick={addItem}>
          Add an item
        </button>
      </Panel>
      <Panel title="Save">
        {change ? (
          <TextField label="Reason for the change" value={reason} onChange={setReason} />
        ) : (
          <p className="muted">The first save makes this the trial's own index (no reason needed).</p>
        )}
        {error === undefined ? null : <ErrorNotice error={error} title="The index was not saved" />}
        <button
          type="button"
          className="button primary"
          disabled={change && reason.trim() === ''}
          onClick={save}
        >
          Save the index
        </button>
      </Panel>
    </>
  );
}

/** The fidelity lead's page (trial manager, admin): edit the trial's index, starting from the template. */
export function FidelityIndexScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const base = `/api/trials/${encodeURIComponent(trial.id)}/fidelity`;
  const index = useApi<FidelityIndex>(`${base}/index`);
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <Page
      title="Fidelity index"
      lead="The items raters score: wording, anchors, domains and which interviews each item is rated from."
      actions={
        <a className="button subtle" href={`${base}/index.json`} download>
          Download the index (JSON)
        </a>
      }
    >
      {saved === null ? null : <Notice kind="success">Fidelity index saved (version {saved}).</Notice>}
      {index.error !== undefined ? <ErrorNotice error={index.error} title="Not loaded" /> : null}
      {index.data === undefined ? (
        <Loading what="the fidelity index" />
      ) : (
        <>
          {index.data.template ? (
            <Notice kind="warning" title="Template">
              This trial rates against the shipped template: its items are placeholders, a starting point to
              replace with the published index's items. Saving makes the edited index the trial's own.
            </Notice>
          ) : index.data.index.items.some((item) => item.placeholder === true) ? (
            <Notice kind="warning" title="Placeholder items">
              Some of this trial's items are still the template's placeholders (
              {index.data.index.items
                .filter((item) => item.placeholder === true)
                .map((item) => item.id)
                .join(', ')}
              ): replace their wording with the published index's items.
            </Notice>
          ) : null}
          <Notice kind="info">
            Once an item has ratings it stays: it cannot be removed, moved to another part or domain, or lose
            an informant it was rated from, and the scale's range cannot change. Its wording, the anchor
            labels, new items, the name and the note can.
            {index.data.rated_items.length > 0
              ? ` Items with ratings: ${index.data.rated_items.join(', ')}.`
              : ''}
          </Notice>
          <IndexEditor
            key={index.data.version}
            base={base}
            loaded={index.data}
            onSaved={(version) => {
              setSaved(version);
              index.reload();
            }}
          />
        </>
      )}
    </Page>
  );
}
