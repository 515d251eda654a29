import type { SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate, humanise } from '../labels.ts';
import { Link } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Page } from './page.tsx';

interface DueVisit {
  readonly id: string;
  readonly participant_id: string;
  readonly site_id: string;
  readonly visit_id: string;
  readonly visit_kind: string;
  readonly discharge_date: string;
  readonly state: string;
  readonly window: { target: string; earliest: string; latest: string };
  readonly days_to_close: number | null;
}

/** A follow-up done outside its window (GET .../reports/protocol-deviations). */
interface Deviation {
  readonly id: string;
  readonly participant_id: string;
  readonly site_id: string;
  readonly visit_id: string;
  readonly visit_kind: string;
  readonly deviation: 'visit_early' | 'visit_late';
  readonly window_earliest: string;
  readonly window_latest: string;
  readonly visit_date: string;
  readonly days_outside_window: number;
}

const STATE_LABELS: Record<string, string> = {
  overdue: 'Overdue',
  open: 'Window open',
  upcoming: 'Upcoming',
  closing: 'Window closing',
};

/** Follow-ups due: 4-month interviews and 12-month record reviews with their windows; overdue ones first and marked. */
export function FollowUpsScreen(_props: { user: SessionUser }) {
  const { trial, siteName } = useTrial();
  const { data, error } = useApi<{ on: string; awaiting_discharge: number; due: DueVisit[] }>(
    `/api/trials/${trial.id}/follow-ups/due`,
  );
  const deviations = useApi<{ deviations: Deviation[] }>(
    `/api/trials/${trial.id}/reports/protocol-deviations`,
  );
  const deviationColumns: Column<Deviation>[] = [
    {
      key: 'participant',
      label: 'Participant',
      value: (row) => row.participant_id,
      render: (row) => <Link href={`/participants/${row.id}#${row.visit_id}`}>{row.participant_id}</Link>,
    },
    {
      key: 'visit',
      label: 'Follow-up',
      value: (row) => (row.visit_kind === 'interview' ? '4-month interview' : '12-month records'),
    },
    { key: 'site', label: 'Site', value: (row) => siteName(row.site_id) },
    {
      key: 'date',
      label: 'Done on',
      value: (row) => row.visit_date,
      render: (row) => formatDate(row.visit_date),
    },
    {
      key: 'window',
      label: 'Window',
      value: (row) => row.window_earliest,
      render: (row) => `${formatDate(row.window_earliest)} – ${formatDate(row.window_latest)}`,
    },
    {
      key: 'outside',
      label: 'Outside the window',
      numeric: true,
      value: (row) => row.days_outside_window,
      render: (row) =>
        row.deviation === 'visit_early'
          ? `${-row.days_outside_window} days early`
          : `${row.days_outside_window} days late`,
    },
  ];
  const rank = (row: DueVisit) => (row.state === 'overdue' ? 0 : row.state === 'open' ? 1 : 2);
  const columns: Column<DueVisit>[] = [
    {
      key: 'state',
      label: 'State',
      value: (row) => rank(row),
      render: (row) => (
        <span
          className={`badge badge-${row.state === 'overdue' ? 'danger' : row.state === 'open' ? 'waiting' : 'muted'}`}
        >
          {STATE_LABELS[row.state] ?? humanise(row.state)}
        </span>
      ),
    },
    {
      key: 'participant',
      label: 'Participant',
      value: (row) => row.participant_id,
      render: (row) => <Link href={`/participants/${row.id}#${row.visit_id}`}>{row.participant_id}</Link>,
    },
    {
      key: 'visit',
      label: 'Follow-up',
      value: (row) => (row.visit_kind === 'interview' ? '4-month interview' : '12-month records'),
    },
    { key: 'site', label: 'Site', value: (row) => siteName(row.site_id) },
    {
      key: 'target',
      label: 'Target date',
      value: (row) => row.window.target,
      render: (row) => formatDate(row.window.target),
    },
    {
      key: 'window',
      label: 'Window',
      value: (row) => row.window.earliest,
      render: (row) => `${formatDate(row.window.earliest)} – ${formatDate(row.window.latest)}`,
    },
    {
      key: 'close',
      label: 'Days until the window closes',
      numeric: true,
      value: (row) => row.days_to_close,
      render: (row) =>
        row.days_to_close === null
          ? '—'
          : row.days_to_close < 0
            ? `closed ${-row.days_to_close} days ago`
            : row.days_to_close,
    },
  ];
  return (
    <Page
      title="Follow-ups due"
      lead={
        data === undefined
          ? undefined
          : `As of ${formatDate(data.on)}. Overdue follow-ups are marked in red and listed first.`
      }
    >
      {error !== undefined ? <ErrorNotice error={error} title="Follow-ups could not be loaded" /> : null}
      {data === undefined && error === undefined ? <Loading what="follow-ups" /> : null}
      {data === undefined ? null : (
        <>
          <DataTable
            caption="Follow-ups due"
            columns={columns}
            rows={data.due}
            rowKey={(row) => `${row.id}.${row.visit_id}`}
            rowClass={(row) =>
              row.state === 'overdue' ? 'row-overdue' : row.state === 'open' ? 'row-due' : undefined
            }
            initialSort={{ key: 'state', direction: 'ascending' }}
            empty="No follow-up is due."
          />
          <p className="muted">
            {data.awaiting_discharge} randomised participants are not discharged yet (their windows start at
            discharge).
          </p>
        </>
      )}
      <h2>Done outside the window</h2>
      <p className="muted small">
        Protocol deviations: interviews and records reviews dated outside their visit window.{' '}
        <a href={`/api/trials/${trial.id}/reports/protocol-deviations.csv`} download>
          Download the listing (CSV)
        </a>
      </p>
      {deviations.error !== undefined ? (
        <ErrorNotice error={deviations.error} title="Protocol deviations could not be loaded" />
      ) : null}
      {deviations.data === undefined ? null : (
        <DataTable
          caption="Follow-ups done outside their window"
          columns={deviationColumns}
          rows={deviations.data.deviations}
          rowKey={(row) => `${row.id}.${row.visit_id}`}
          empty="No follow-up was done outside its window."
        />
      )}
    </Page>
  );
}
