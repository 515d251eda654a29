import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { TextField } from '../components/fields.tsx';
import { CumulativeChart } from '../components/line-chart.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { formatDate } from '../labels.ts';
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

/** The trial's stored recruitment target (GET/PUT .../recruitment/target). */
interface StoredTarget {
  readonly target: {
    readonly total: number;
    readonly start_date: string;
    readonly end_date: string;
    readonly sites: readonly { site_id: string; total: number; start_date: string | null }[];
  } | null;
  readonly version: number | null;
  readonly updated_at: string | null;
}

/** Progress against a target, as the recruitment summary computes it. */
interface Progress {
  readonly total: number;
  readonly start_date: string;
  readonly end_date: string;
  readonly expected_by_today: number;
  readonly percent_of_target: number | null;
  readonly percent_of_expected: number | null;
}

interface RecruitmentSummary {
  readonly on: string;
  readonly sites: readonly { site_id: string; name: string; randomised: number; target: Progress | null }[];
  readonly total: { randomised: number; target: Progress | null };
}

interface ProgressRow {
  readonly key: string;
  readonly site: string;
  readonly randomised: number;
  readonly target: Progress | null;
}

const percentText = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${value}%`;

/** The editable copy of the target: text as typed, per-site totals and start dates by site id. */
interface TargetDraft {
  total: string;
  start: string;
  end: string;
  sites: Record<string, { total: string; start: string }>;
  reason: string;
}

/** Recruitment against the trial's target over time by site (no allocation involved). */
export function RecruitmentScreen({ user }: { user: SessionUser }) {
  const { trial, sites, siteName } = useTrial();
  const { data, error } = useApi<{ participants: Participant[] }>(`/api/trials/${trial.id}/participants`);
  const targetUrl = `/api/trials/${encodeURIComponent(trial.id)}/recruitment/target`;
  const stored = useApi<StoredTarget>(targetUrl);
  const summary = useApi<RecruitmentSummary>(
    `/api/trials/${encodeURIComponent(trial.id)}/reports/recruitment`,
  );
  const [showScreened, setShowScreened] = useState(false);
  const [draft, setDraft] = useState<TargetDraft | null>(null);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
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
  const target = stored.data?.target ?? null;
  const targetLine =
    target === null ? undefined : { total: target.total, start: target.start_date, end: target.end_date };
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
  const canEdit = (user.role === 'trial_manager' || user.role === 'admin') && trial.locked_at === null;

  const progressRows: ProgressRow[] =
    summary.data === undefined
      ? []
      : [
          {
            key: 'all',
            site: 'All sites',
            randomised: summary.data.total.randomised,
            target: summary.data.total.target,
          },
          ...summary.data.sites.map((site) => ({
            key: site.site_id,
            site: site.name,
            randomised: site.randomised,
            target: site.target,
          })),
        ];
  const progressColumns: Column<ProgressRow>[] = [
    { key: 'site', label: 'Site', value: (row) => row.site },
    { key: 'randomised', label: 'Randomised', value: (row) => row.randomised, numeric: true },
    { key: 'target', label: 'Target', value: (row) => row.target?.total ?? null, numeric: true },
    {
      key: 'expected',
      label: 'Expected by today',
      value: (row) => row.target?.expected_by_today ?? null,
      numeric: true,
    },
    {
      key: 'percent',
      label: '% of target',
      value: (row) => row.target?.percent_of_target ?? null,
      render: (row) => percentText(row.target?.percent_of_target),
      numeric: true,
    },
    {
      key: 'percentExpected',
      label: '% of expected',
      value: (row) => row.target?.percent_of_expected ?? null,
      render: (row) => percentText(row.target?.percent_of_expected),
      numeric: true,
    },
  ];

  const startEditing = () => {
    setSaved(false);
    setSaveError(undefined);
    const firstScreened = participants.map((row) => row.screened_date).sort()[0] ?? '';
    setDraft({
      total: target === null ? '' : String(target.total),
      start: target?.start_date ?? firstScreened,
      end: target?.end_date ?? '',
      sites: Object.fromEntries(
        siteIds.map((site) => {
          const own = target?.sites.find((item) => item.site_id === site);
          return [site, { total: own === undefined ? '' : String(own.total), start: own?.start_date ?? '' }];
        }),
      ),
      reason: '',
    });
  };
  const save = async () => {
    if (draft === null) return;
    setSaveError(undefined);
    const version = stored.data?.version ?? null;
    try {
      await api('PUT', targetUrl, {
        total: Number(draft.total),
        start_date: draft.start,
        end_date: draft.end,
        sites: siteIds.flatMap((site) => {
          const own = draft.sites[site];
          if (own === undefined || own.total.trim() === '') return [];
          return [
            {
              site_id: site,
              total: Number(own.total),
              ...(own.start.trim() === '' ? {} : { start_date: own.start }),
            },
          ];
        }),
        ...(version === null ? {} : { version, reason: draft.reason }),
      });
      setDraft(null);
      setSaved(true);
      stored.reload();
      summary.reload();
    } catch (reason) {
      setSaveError(reason);
    }
  };
  const setSite = (site: string, field: 'total' | 'start', value: string) =>
    setDraft((current) =>
      current === null
        ? current
        : {
            ...current,
            sites: {
              ...current.sites,
              [site]: { ...(current.sites[site] ?? { total: '', start: '' }), [field]: value },
            },
          },
    );
  const wholeNumberError = (text: string) =>
    text.trim() !== '' && !(Number.isInteger(Number(text)) && Number(text) > 0)
      ? 'Enter a whole number above 0'
      : undefined;

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
        </div>
        <CumulativeChart
          title={showScreened ? 'Cumulative screened by site' : 'Cumulative randomised by site'}
          series={series}
          target={targetLine}
        />
      </Panel>
      <Panel title="Recruitment target">
        {saved ? (
          <Notice kind="success" title="Target saved">
            <p>The target is stored with the trial and recorded in the audit trail.</p>
          </Notice>
        ) : null}
        {stored.error !== undefined ? <ErrorNotice error={stored.error} title="Target not loaded" /> : null}
        {target === null ? (
          <p className="muted">
            No recruitment target is set yet.
            {canEdit
              ? ' Set the total, the start and end of recruitment and, if you wish, each site’s share.'
              : ''}
          </p>
        ) : (
          <p>
            {target.total} to randomise from {formatDate(target.start_date)} to {formatDate(target.end_date)}
            {stored.data?.version === null || stored.data?.version === undefined
              ? ''
              : ` (version ${stored.data.version})`}
            .
          </p>
        )}
        {summary.error !== undefined ? (
          <ErrorNotice error={summary.error} title="Progress not loaded" />
        ) : null}
        {target === null || summary.data === undefined ? null : (
          <DataTable
            caption={`Recruitment against target on ${formatDate(summary.data.on)}`}
            columns={progressColumns}
            rows={progressRows}
            rowKey={(row) => row.key}
          />
        )}
        {canEdit && draft === null ? (
          <p>
            <button type="button" className="button subtle" onClick={startEditing}>
              {target === null ? 'Set the target' : 'Change the target'}
            </button>
          </p>
        ) : null}
        {draft === null ? null : (
          <form
            aria-label="Recruitment target"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <div className="inline-controls">
              <TextField
                label="Target (total randomised)"
                inputMode="numeric"
                value={draft.total}
                onChange={(value) => setDraft({ ...draft, total: value })}
                error={wholeNumberError(draft.total)}
              />
              <TextField
                label="Recruitment starts"
                type="date"
                value={draft.start}
                onChange={(value) => setDraft({ ...draft, start: value })}
              />
              <TextField
                label="Target date"
                type="date"
                value={draft.end}
                onChange={(value) => setDraft({ ...draft, end: value })}
              />
            </div>
            <p className="muted small">
              Per site (optional): leave a site empty for no site target; a start date only for a site that
              opened later.
            </p>
            {siteIds.map((site) => (
              <div className="inline-controls" key={site}>
                <TextField
                  label={`${siteName(site)}: target`}
                  inputMode="numeric"
                  value={draft.sites[site]?.total ?? ''}
                  onChange={(value) => setSite(site, 'total', value)}
                  error={wholeNumberError(draft.sites[site]?.total ?? '')}
                />
                <TextField
                  label={`${siteName(site)}: starts`}
                  type="date"
                  value={draft.sites[site]?.start ?? ''}
                  onChange={(value) => setSite(site, 'start', value)}
                />
              </div>
            ))}
            {stored.data?.version === null || stored.data?.version === undefined ? null : (
              <TextField
                label="Reason for the change"
                value={draft.reason}
                onChange={(value) => setDraft({ ...draft, reason: value })}
              />
            )}
            {saveError === undefined ? null : <ErrorNotice error={saveError} title="Target not saved" />}
            <p>
              <button type="submit" className="button primary">
                Save the target
              </button>{' '}
              <button type="button" className="button subtle" onClick={() => setDraft(null)}>
                Cancel
              </button>
            </p>
          </form>
        )}
      </Panel>
      <Panel title="By site">
        <DataTable caption="Recruitment by site" columns={columns} rows={rows} rowKey={(row) => row.site} />
      </Panel>
    </Page>
  );
}
