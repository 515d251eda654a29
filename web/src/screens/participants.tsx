import type { SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate, humanise, STATUS_LABELS } from '../labels.ts';
import { Link } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Page } from './page.tsx';
import type { Participant } from './types.ts';

/** Everyone the caller may read (researchers and coordinators: their own sites), sortable and filterable. */
export function ParticipantsScreen(props: { user: SessionUser }) {
  const { trial, siteName } = useTrial();
  const { data, error } = useApi<{ participants: Participant[] }>(`/api/trials/${trial.id}/participants`);
  const rows = data?.participants ?? [];
  const showArm = rows.some((row) => 'arm' in row);
  const columns: Column<Participant>[] = [
    {
      key: 'id',
      label: 'Screening id',
      value: (row) => row.id,
      render: (row) => <Link href={`/participants/${row.id}`}>{row.id}</Link>,
    },
    { key: 'participant_id', label: 'Participant', value: (row) => row.participant_id },
    { key: 'site', label: 'Site', value: (row) => siteName(row.site_id) },
    {
      key: 'screened',
      label: 'Screened',
      value: (row) => row.screened_date,
      render: (row) => formatDate(row.screened_date),
    },
    {
      key: 'status',
      label: 'Status',
      value: (row) => STATUS_LABELS[row.status] ?? humanise(row.status),
      render: (row) => <StatusBadge status={row.status} />,
    },
    {
      key: 'consent',
      label: 'Consent',
      value: (row) => (row.consent_given ? formatDate(row.consent_date) : 'No'),
    },
    { key: 'diagnosis', label: 'Diagnosis group', value: (row) => humanise(row.diagnosis_group) },
  ];
  if (showArm) columns.push({ key: 'arm', label: 'Allocation', value: (row) => humanise(row.arm ?? null) });
  return (
    <Page
      title="Participants"
      lead={
        props.user.role === 'researcher'
          ? 'Everyone screened at your sites. Open a row to enter baseline data, randomise and record follow-up.'
          : 'Everyone screened that your role may see.'
      }
      actions={
        props.user.role === 'researcher' || props.user.role === 'trial_manager' ? (
          <Link className="button primary" href="/screen">
            Screen someone
          </Link>
        ) : undefined
      }
    >
      {error !== undefined ? <ErrorNotice error={error} title="Participants could not be loaded" /> : null}
      {data === undefined && error === undefined ? <Loading what="participants" /> : null}
      {data === undefined ? null : (
        <DataTable
          caption="Participants"
          columns={columns}
          rows={rows}
          rowKey={(row) => row.id}
          initialSort={{ key: 'screened', direction: 'descending' }}
          empty="Nobody has been screened yet."
        />
      )}
    </Page>
  );
}

/** A status as a coloured label with words (never colour alone). */
export function StatusBadge(props: { status: string }) {
  const tone =
    props.status === 'randomised'
      ? 'ok'
      : props.status === 'eligible' || props.status === 'pending'
        ? 'waiting'
        : 'muted';
  return (
    <span className={`badge badge-${tone}`}>{STATUS_LABELS[props.status] ?? humanise(props.status)}</span>
  );
}
