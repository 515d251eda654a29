import { type FormEvent, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ChoiceGroup, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { formatDate, humanise, today } from '../labels.ts';
import { Link } from '../router.tsx';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';
import { StatusBadge } from './participants.tsx';

interface Entry {
  readonly id: string;
  readonly site_id: string;
  readonly screened_date: string;
  readonly status: string;
  readonly outcome: string;
  readonly outcome_detail: string | null;
  readonly ineligibility_reasons: readonly string[];
  readonly participant_id: string | null;
  readonly consent_given: boolean;
}

const REASONS = [
  { value: 'age_18_or_over', label: 'Under 18' },
  { value: 'admission_in_previous_2_years', label: 'No psychiatric admission in the previous 2 years' },
  { value: 'no_organic_mental_disorder', label: 'Organic mental disorder' },
  { value: 'primary_diagnosis_not_excluded', label: 'Excluded primary diagnosis' },
  { value: 'consent_recorded', label: 'No capacity to consent' },
];
const reasonLabel = (code: string) =>
  REASONS.find((reason) => reason.value === code)?.label ?? humanise(code);

/** The screening log: everyone assessed at your sites with the outcome and the reasons; log someone not eligible or declining. */
export function ScreeningLogScreen(_props: { user: SessionUser }) {
  const { trial, sites, siteName } = useTrial();
  const { data, error, reload } = useApi<{ entries: Entry[] }>(`/api/trials/${trial.id}/screening-log`);
  const [values, update, clear] = useDraft(`screening-log.${trial.id}`, {
    site_id: '',
    screened_date: today(),
    outcome: '',
    reasons: [] as string[],
    outcome_detail: '',
  });
  const [tried, setTried] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const errors: Record<string, string | undefined> = {
    site_id: values.site_id === '' ? 'Choose the site' : undefined,
    outcome: values.outcome === '' ? 'Choose the outcome' : undefined,
    reasons:
      values.outcome === 'not_eligible' && values.reasons.length === 0
        ? 'Tick the criteria not met'
        : undefined,
    outcome_detail:
      values.outcome === 'declined' && values.outcome_detail.trim() === ''
        ? 'Note what the person said'
        : undefined,
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setSaved(false);
    if (Object.values(errors).some((message) => message !== undefined)) return;
    try {
      await api('POST', `/api/trials/${trial.id}/screening-log`, {
        site_id: values.site_id,
        screened_date: values.screened_date,
        outcome: values.outcome,
        ...(values.outcome === 'not_eligible' ? { ineligibility_reasons: values.reasons } : {}),
        ...(values.outcome_detail.trim() === '' ? {} : { outcome_detail: values.outcome_detail.trim() }),
      });
      setSaveError(undefined);
      setSaved(true);
      setTried(false);
      clear();
      reload();
    } catch (reason) {
      setSaveError(reason);
    }
  };
  const columns: Column<Entry>[] = [
    {
      key: 'date',
      label: 'Screened',
      value: (row) => row.screened_date,
      render: (row) => formatDate(row.screened_date),
    },
    {
      key: 'id',
      label: 'Screening id',
      value: (row) => row.id,
      render: (row) =>
        row.status === 'eligible' || row.status === 'randomised' ? (
          <Link href={`/participants/${row.id}`}>{row.id}</Link>
        ) : (
          row.id
        ),
    },
    { key: 'site', label: 'Site', value: (row) => siteName(row.site_id) },
    {
      key: 'outcome',
      label: 'Outcome',
      value: (row) => row.status,
      render: (row) => <StatusBadge status={row.status} />,
    },
    {
      key: 'reasons',
      label: 'Reasons',
      value: (row) => [...row.ineligibility_reasons.map(reasonLabel), row.outcome_detail ?? ''].join('; '),
    },
    { key: 'participant', label: 'Participant', value: (row) => row.participant_id },
  ];
  return (
    <Page
      title="Screening log"
      lead="Everyone assessed for eligibility at your sites, with the outcome and the reasons (the top of the CONSORT flow)."
    >
      <div className="two-column">
        <div>
          {error !== undefined ? (
            <ErrorNotice error={error} title="The screening log could not be loaded" />
          ) : null}
          {data === undefined && error === undefined ? <Loading what="the screening log" /> : null}
          {data === undefined ? null : (
            <DataTable
              caption="Screening log"
              columns={columns}
              rows={data.entries}
              rowKey={(row) => row.id}
              initialSort={{ key: 'date', direction: 'descending' }}
            />
          )}
        </div>
        <Panel title="Log someone not enrolled">
          <p className="muted small">
            For eligible people who consent, use <Link href="/screen">Screen and consent</Link>.
          </p>
          {saved ? <Notice kind="success">Added to the screening log.</Notice> : null}
          {saveError === undefined ? null : <ErrorNotice error={saveError} />}
          <form onSubmit={submit} noValidate aria-label="Log someone not enrolled">
            <SelectField
              label="Site"
              value={values.site_id}
              onChange={(site_id) => update({ site_id })}
              options={sites.map((site) => ({ value: site.id, label: site.name }))}
              error={tried ? errors.site_id : undefined}
            />
            <TextField
              label="Date screened"
              type="date"
              value={values.screened_date}
              onChange={(screened_date) => update({ screened_date })}
            />
            <ChoiceGroup
              legend="Outcome"
              type="radio"
              options={[
                { value: 'not_eligible', label: 'Not eligible' },
                { value: 'declined', label: 'Eligible, declined' },
                { value: 'not_randomised_other', label: 'Other reason' },
              ]}
              selected={values.outcome === '' ? [] : [values.outcome]}
              onChange={(selected) => update({ outcome: selected[0] ?? '' })}
              error={tried ? errors.outcome : undefined}
            />
            {values.outcome === 'not_eligible' ? (
              <ChoiceGroup
                legend="Criteria not met"
                type="checkbox"
                options={REASONS}
                selected={values.reasons}
                onChange={(reasons) => update({ reasons })}
                error={tried ? errors.reasons : undefined}
              />
            ) : null}
            <TextField
              label="Details (no names)"
              value={values.outcome_detail}
              onChange={(outcome_detail) => update({ outcome_detail })}
              error={tried ? errors.outcome_detail : undefined}
            />
            <button type="submit" className="button primary">
              Add to the log
            </button>
          </form>
        </Panel>
      </div>
    </Page>
  );
}
