import type { ReactNode } from 'react';
import type { SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate, humanise } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

interface Consort {
  on: string;
  assessed_for_eligibility: number;
  excluded: {
    total: number;
    not_meeting_inclusion_criteria: number;
    reasons: Record<string, number>;
    declined: number;
    other_reasons: number;
  };
  awaiting_randomisation: number;
  randomised: number;
  follow_up: {
    allocated: number;
    interview_visit: string;
    interviewed: number;
    lost_to_follow_up: Record<string, number>;
    follow_up_pending: number;
    withdrawn: number;
    analysed_primary_outcome: number;
  };
}

function Box(props: { title: string; count: number; children?: ReactNode; aside?: boolean }) {
  return (
    <div className={`flow-box${props.aside === true ? ' flow-aside' : ''}`}>
      <strong>
        {props.title} (n = {props.count})
      </strong>
      {props.children}
    </div>
  );
}

/** The CONSORT flow so far (pooled over arms: blinded roles see no split). */
export function ConsortScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const { data, error } = useApi<Consort>(`/api/trials/${trial.id}/reports/consort`);
  if (error !== undefined) return <ErrorNotice error={error} title="The CONSORT flow could not be loaded" />;
  if (data === undefined) return <Loading what="the CONSORT flow" />;
  const lost = Object.entries(data.follow_up.lost_to_follow_up);
  return (
    <Page title="CONSORT flow so far" lead={`As of ${formatDate(data.on)}, both arms together.`}>
      <section className="flow" aria-label="CONSORT flow">
        <Box title="Assessed for eligibility" count={data.assessed_for_eligibility} />
        <div className="flow-row">
          <span className="flow-arrow" aria-hidden="true">
            ↓
          </span>
          <Box title="Excluded" count={data.excluded.total} aside>
            <ul>
              <li>Not meeting inclusion criteria: {data.excluded.not_meeting_inclusion_criteria}</li>
              {Object.entries(data.excluded.reasons).map(([reason, count]) => (
                <li key={reason} className="sub">
                  {humanise(reason)}: {count}
                </li>
              ))}
              <li>Declined to participate: {data.excluded.declined}</li>
              <li>Other reasons: {data.excluded.other_reasons}</li>
            </ul>
          </Box>
        </div>
        <Box title="Awaiting randomisation" count={data.awaiting_randomisation} aside />
        <span className="flow-arrow" aria-hidden="true">
          ↓
        </span>
        <Box title="Randomised" count={data.randomised} />
        <span className="flow-arrow" aria-hidden="true">
          ↓
        </span>
        <Box
          title={`Follow-up (${humanise(data.follow_up.interview_visit)})`}
          count={data.follow_up.allocated}
        >
          <ul>
            <li>Interviewed: {data.follow_up.interviewed}</li>
            <li>Follow-up not yet due or pending: {data.follow_up.follow_up_pending}</li>
            {lost.map(([reason, count]) => (
              <li key={reason}>
                Lost to follow-up ({humanise(reason).toLowerCase()}): {count}
              </li>
            ))}
            <li>Withdrawn: {data.follow_up.withdrawn}</li>
          </ul>
        </Box>
        <span className="flow-arrow" aria-hidden="true">
          ↓
        </span>
        <Box title="Analysed (primary outcome)" count={data.follow_up.analysed_primary_outcome} />
      </section>
    </Page>
  );
}

interface SiteCompleteness {
  site_id: string;
  name: string;
  randomised: number;
  baseline_complete: number;
  discharge_recorded: number;
  withdrawn: number;
  died: number;
  visits: {
    visit_id: string;
    due: number;
    done: number;
    completed: number;
    completed_in_window: number;
    overdue: number;
    completion_rate: number | null;
  }[];
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((100 * part) / whole)}%`;
}

/** Data completeness and follow-up rates by site. */
export function CompletenessScreen(_props: { user: SessionUser }) {
  const { trial } = useTrial();
  const { data, error } = useApi<{ on: string; sites: SiteCompleteness[] }>(
    `/api/trials/${trial.id}/reports/completeness`,
  );
  if (error !== undefined) return <ErrorNotice error={error} title="Completeness could not be loaded" />;
  if (data === undefined) return <Loading what="completeness" />;
  const visitIds = [...new Set(data.sites.flatMap((site) => site.visits.map((visit) => visit.visit_id)))];
  const columns: Column<SiteCompleteness>[] = [
    { key: 'site', label: 'Site', value: (row) => row.name },
    { key: 'randomised', label: 'Randomised', value: (row) => row.randomised, numeric: true },
    {
      key: 'baseline',
      label: 'Baseline complete',
      value: (row) => row.baseline_complete / Math.max(1, row.randomised),
      numeric: true,
      render: (row) => `${row.baseline_complete} (${percent(row.baseline_complete, row.randomised)})`,
    },
    { key: 'discharge', label: 'Discharge recorded', value: (row) => row.discharge_recorded, numeric: true },
    ...visitIds.map(
      (visitId): Column<SiteCompleteness> => ({
        key: visitId,
        label: `${humanise(visitId)}: done / due`,
        numeric: true,
        value: (row) => row.visits.find((visit) => visit.visit_id === visitId)?.completion_rate ?? null,
        render: (row) => {
          const visit = row.visits.find((item) => item.visit_id === visitId);
          if (visit === undefined || visit.due === 0) return '—';
          return (
            <>
              {visit.completed}/{visit.due} ({percent(visit.completed, visit.due)})
              {visit.overdue > 0 ? (
                <span className="badge badge-danger"> {visit.overdue} overdue</span>
              ) : null}
            </>
          );
        },
      }),
    ),
    { key: 'withdrawn', label: 'Withdrawn', value: (row) => row.withdrawn, numeric: true },
    { key: 'died', label: 'Died', value: (row) => row.died, numeric: true },
  ];
  return (
    <Page title="Completeness and follow-up" lead={`As of ${formatDate(data.on)}.`}>
      <Panel title="By site">
        <DataTable
          caption="Completeness by site"
          columns={columns}
          rows={data.sites}
          rowKey={(row) => row.site_id}
        />
      </Panel>
    </Page>
  );
}
