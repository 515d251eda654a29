import { useState } from 'react';
import { type Column, DataTable } from '../components/data-table.tsx';
import { TextField } from '../components/fields.tsx';
import { CumulativeChart } from '../components/line-chart.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';
import type { Participant } from './types.ts';

interface SiteRow {
  site: string;
  screened: number;
  eligible: number;
  consented: number;
  randomised: number;
  awaiting: number;
}

/** Recruitment against target over time by site, from the participant list (no allocation involved). */
export function RecruitmentScreen() {
  const { trial, sites, siteName } = useTrial();
  const { data, error } = useApi<{ participants: Participant[] }>(`/api/trials/${trial.id}/participants`);
  const [target, setTarget] = useDraft(`recruitment-target.${trial.id}`, { total: '', end: '' });
  const [showScreened, setShowScreened] = useState(false);
  if (error !== undefined) return <ErrorNotice error={error} title="Recruitment could not be loaded" />;
  if (data === undefined) return <Loading what="recruitment" />;
  const participants = data.participants;
  const siteIds = [...new Set([...sites.map((site) => site.id), ...participants.map((row) => row.site_id)])];
  const series = siteIds.map((site) => ({
    label: siteName(site),
    dates: participants
      .filter((row) => row.site_id === site)
      .flatMap((row) =>
        showScreened
          ? [row.screened_date]
          : row.randomised_at === null
            ? []
            : [row.randomised_at.slice(0, 10)],
      ),
  }));
  series.unshift({ label: 'All sites', dates: series.flatMap((item) => item.dates) });
  const allDates = participants.map((row) => row.screened_date).sort();
  const total = Number(target.total);
  const targetLine =
    Number.isInteger(total) &&
    total > 0 &&
    /^\d{4}-\d{2}-\d{2}$/.test(target.end) &&
    allDates[0] !== undefined
      ? { total, start: allDates[0], end: target.end }
      : undefined;
  const rows: SiteRow[] = siteIds.map((site) => {
    const here = participants.filter((row) => row.site_id === site);
    return {
      site: siteName(site),
      screened: here.length,
      eligible: here.filter((row) => row.status === 'eligible' || row.status === 'randomised').length,
      consented: here.filter((row) => row.consent_given).length,
      randomised: here.filter((row) => row.status === 'randomised').length,
      awaiting: here.filter((row) => row.status === 'eligible').length,
    };
  });
  const columns: Column<SiteRow>[] = [
    { key: 'site', label: 'Site', value: (row) => row.site },
    { key: 'screened', label: 'Screened', value: (row) => row.screened, numeric: true },
    { key: 'eligible', label: 'Eligible', value: (row) => row.eligible, numeric: true },
    { key: 'consented', label: 'Consented', value: (row) => row.consented, numeric: true },
    { key: 'randomised', label: 'Randomised', value: (row) => row.randomised, numeric: true },
    { key: 'awaiting', label: 'Awaiting randomisation', value: (row) => row.awaiting, numeric: true },
  ];
  const randomisedTotal = rows.reduce((sum, row) => sum + row.randomised, 0);
  return (
    <Page
      title="Recruitment"
      lead={`${randomisedTotal} randomised of ${participants.length} screened across ${siteIds.length} sites.`}
    >
      <Panel title={showScreened ? 'Screened over time by site' : 'Randomised over time by site'}>
        <div className="inline-controls">
          <label className="choice single">
            <input
              type="checkbox"
              checked={showScreened}
              onChange={(event) => setShowScreened(event.target.checked)}
            />
            <span>Show people screened instead of randomised</span>
          </label>
          <TextField
            label="Target (total randomised)"
            inputMode="numeric"
            value={target.total}
            onChange={(value) => setTarget({ total: value })}
            error={
              target.total !== '' && !(Number.isInteger(total) && total > 0)
                ? 'Enter a whole number above 0'
                : undefined
            }
          />
          <TextField
            label="Target date"
            type="date"
            value={target.end}
            onChange={(value) => setTarget({ end: value })}
          />
        </div>
        <CumulativeChart
          title={showScreened ? 'Cumulative screened by site' : 'Cumulative randomised by site'}
          series={series}
          target={targetLine}
        />
      </Panel>
      <Panel title="By site">
        <DataTable caption="Recruitment by site" columns={columns} rows={rows} rowKey={(row) => row.site} />
      </Panel>
    </Page>
  );
}
