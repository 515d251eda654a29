import { useMemo, useState } from 'react';
import type { SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { humanise } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';
import type { AuditEntry } from './types.ts';

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The audit trail with filters (action, record type, user, dates, free text); redacted for blinded viewers. */
export function AuditScreen(props: { user: SessionUser }) {
  const { trial } = useTrial();
  const [scope, setScope] = useState<'trial' | 'system'>('trial');
  const path = scope === 'trial' ? `/api/trials/${trial.id}/audit` : '/api/audit';
  const { data, error } = useApi<{ entries: AuditEntry[] }>(path);
  const [action, setAction] = useState('');
  const [entity, setEntity] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const entries = data?.entries ?? [];
  const actions = useMemo(() => [...new Set(entries.map((entry) => entry.action))].sort(), [entries]);
  const entities = useMemo(() => [...new Set(entries.map((entry) => entry.entity))].sort(), [entries]);
  const actorName = (entry: AuditEntry) => entry.actor_username ?? entry.actor_id;
  const actors = useMemo(
    () =>
      [
        ...new Map(
          entries.map((entry) => [entry.actor_id, entry.actor_username ?? entry.actor_id]),
        ).entries(),
      ].sort((left, right) => left[1].localeCompare(right[1])),
    [entries],
  );
  const rows = entries.filter(
    (entry) =>
      (action === '' || entry.action === action) &&
      (entity === '' || entry.entity === entity) &&
      (actor === '' || entry.actor_id === actor) &&
      (from === '' || entry.at.slice(0, 10) >= from) &&
      (to === '' || entry.at.slice(0, 10) <= to),
  );
  const columns: Column<AuditEntry>[] = [
    { key: 'seq', label: '#', value: (row) => row.seq, numeric: true },
    { key: 'at', label: 'When (UTC)', value: (row) => row.at.replace('T', ' ').slice(0, 19) },
    { key: 'actor', label: 'User', value: actorName },
    { key: 'action', label: 'Action', value: (row) => humanise(row.action) },
    { key: 'entity', label: 'Record', value: (row) => row.entity },
    { key: 'record', label: 'Record id', value: (row) => row.record_id },
    { key: 'field', label: 'Field', value: (row) => row.field },
    {
      key: 'change',
      label: 'Change',
      value: (row) => (row.redacted ? 'concealed' : `${show(row.old_value)} → ${show(row.new_value)}`),
      render: (row) =>
        row.redacted ? (
          <span className="muted">concealed</span>
        ) : (
          <span className="change">
            {show(row.old_value) === '' ? null : <del>{show(row.old_value)}</del>}{' '}
            <ins>{show(row.new_value)}</ins>
          </span>
        ),
    },
    { key: 'reason', label: 'Reason', value: (row) => row.reason },
  ];
  return (
    <Page
      title="Audit trail"
      lead="Every change, who made it, when and why. Allocation values are concealed from blinded roles."
    >
      <Panel title="Filters">
        <div className="filters">
          {props.user.role === 'admin' ? (
            <SelectField
              label="Scope"
              value={scope}
              onChange={(value) => setScope(value === 'system' ? 'system' : 'trial')}
              options={[
                { value: 'trial', label: `This trial (${trial.id})` },
                { value: 'system', label: 'Everything (users, sign-ins, lockouts)' },
              ]}
              placeholder="This trial"
            />
          ) : null}
          <SelectField
            label="Action"
            value={action}
            onChange={setAction}
            options={actions.map((value) => ({ value, label: humanise(value) }))}
            placeholder="Any action"
          />
          <SelectField
            label="Record type"
            value={entity}
            onChange={setEntity}
            options={entities.map((value) => ({ value, label: value }))}
            placeholder="Any record"
          />
          <SelectField
            label="User"
            value={actor}
            onChange={setActor}
            options={actors.map(([value, label]) => ({ value, label }))}
            placeholder="Anyone"
          />
          <TextField label="From" type="date" value={from} onChange={setFrom} />
          <TextField label="To" type="date" value={to} onChange={setTo} />
        </div>
      </Panel>
      {error !== undefined ? <ErrorNotice error={error} title="The audit trail could not be loaded" /> : null}
      {data === undefined && error === undefined ? <Loading what="the audit trail" /> : null}
      {data === undefined ? null : (
        <DataTable
          caption="Audit trail"
          columns={columns}
          rows={rows}
          rowKey={(row) => String(row.seq)}
          initialSort={{ key: 'seq', direction: 'descending' }}
          filterLabel="Search"
        />
      )}
    </Page>
  );
}
