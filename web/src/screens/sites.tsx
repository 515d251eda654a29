import { type FormEvent, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { useDraft } from '../draft.ts';
import { type Site, useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** The employer of a site's peer workers, as the app names it. */
export const EMPLOYER_OPTIONS = [
  { value: 'nhs', label: 'NHS' },
  { value: 'voluntary', label: 'Voluntary sector' },
] as const;

export function employerLabel(value: string | null): string {
  return EMPLOYER_OPTIONS.find((option) => option.value === value)?.label ?? 'Not set';
}

/** Change one site's name or employer type (a reason is required and audited). */
function ChangeSite(props: { trialId: string; sites: readonly Site[]; onSaved: () => void }) {
  const [siteId, setSiteId] = useState('');
  const [name, setName] = useState('');
  const [employer, setEmployer] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const site = props.sites.find((entry) => entry.id === siteId);
  const choose = (id: string) => {
    const chosen = props.sites.find((entry) => entry.id === id);
    setSiteId(id);
    setName(chosen?.name ?? '');
    setEmployer(chosen?.employer_type ?? '');
    setSaved(undefined);
  };
  const changed =
    site !== undefined &&
    ((name.trim() !== '' && name.trim() !== site.name) ||
      (employer !== '' && employer !== site.employer_type));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (site === undefined || !changed || reason.trim() === '') return;
    setError(undefined);
    try {
      await api('PATCH', `/api/trials/${props.trialId}/sites/${encodeURIComponent(site.id)}`, {
        ...(name.trim() !== site.name ? { name: name.trim() } : {}),
        ...(employer !== '' && employer !== site.employer_type ? { employer_type: employer } : {}),
        reason: reason.trim(),
      });
      setSaved(name.trim());
      setReason('');
      props.onSaved();
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Panel title="Change a site">
      {saved === undefined ? null : <Notice kind="success">Site “{saved}” changed.</Notice>}
      {error === undefined ? null : <ErrorNotice error={error} title="Site not changed" />}
      <form onSubmit={submit} noValidate aria-label="Change a site">
        <SelectField
          label="Site to change"
          value={siteId}
          onChange={choose}
          options={props.sites.map((entry) => ({ value: entry.id, label: `${entry.name} (${entry.code})` }))}
        />
        {site === undefined ? null : (
          <>
            <TextField label="Site name" value={name} onChange={setName} />
            <SelectField
              label="Peer workers' employer"
              value={employer}
              onChange={setEmployer}
              options={EMPLOYER_OPTIONS}
              hint="Fidelity ratings take it from the site, including ratings already entered."
            />
            <TextField label="Reason for the change" value={reason} onChange={setReason} />
          </>
        )}
        <button type="submit" className="button primary" disabled={!changed || reason.trim() === ''}>
          Save the change
        </button>
      </form>
    </Panel>
  );
}

/** The trial's recruiting sites, a form to add one and one to change one (admin, trial manager; before the lock). */
export function SitesScreen(_props: { user: SessionUser }) {
  const { trial, sites, reloadSites } = useTrial();
  const [values, update, clear] = useDraft(`site.${trial.id}`, { code: '', name: '', employer: '' });
  const [error, setError] = useState<unknown>(undefined);
  const [added, setAdded] = useState<string | undefined>(undefined);
  const [submitted, setSubmitted] = useState(false);
  const errors: Record<string, string> = {};
  if (values.code !== '' && !CODE.test(values.code)) errors.code = 'Letters, digits, _ and - only';
  if (submitted && values.code === '') errors.code = 'Enter a code';
  if (submitted && values.name.trim() === '') errors.name = 'Enter the site name';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (values.code === '' || values.name.trim() === '' || !CODE.test(values.code)) return;
    try {
      await api('POST', `/api/trials/${trial.id}/sites`, {
        code: values.code,
        name: values.name.trim(),
        ...(values.employer === '' ? {} : { employer_type: values.employer }),
      });
      setAdded(values.name.trim());
      setError(undefined);
      setSubmitted(false);
      clear();
      reloadSites();
    } catch (reason) {
      setError(reason);
    }
  };
  const columns: Column<Site>[] = [
    { key: 'code', label: 'Code', value: (row) => row.code },
    { key: 'name', label: 'Name', value: (row) => row.name },
    { key: 'employer', label: "Peer workers' employer", value: (row) => employerLabel(row.employer_type) },
  ];
  return (
    <Page
      title="Sites"
      lead="The recruiting sites; a site's code is a level of the site stratum. Its employer type (NHS or voluntary sector) is what the fidelity analysis compares."
    >
      <div className="grid-2">
        <Panel title="Recruiting sites">
          <DataTable
            caption="Sites"
            columns={columns}
            rows={sites}
            rowKey={(row) => row.id}
            empty="No sites yet."
          />
        </Panel>
        <Panel title="Add a site">
          {added === undefined ? null : <Notice kind="success">Site “{added}” added.</Notice>}
          {error === undefined ? null : <ErrorNotice error={error} title="Site not added" />}
          <form onSubmit={submit} noValidate aria-label="Add a site">
            <TextField
              label="Code"
              hint="e.g. site_4"
              value={values.code}
              onChange={(code) => update({ code })}
              error={errors.code}
            />
            <TextField
              label="Name"
              value={values.name}
              onChange={(name) => update({ name })}
              error={errors.name}
            />
            <SelectField
              label="Employer of the peer workers"
              value={values.employer}
              onChange={(employer) => update({ employer })}
              options={EMPLOYER_OPTIONS}
              placeholder="Not known yet"
            />
            <button type="submit" className="button primary">
              Add site
            </button>
          </form>
        </Panel>
      </div>
      <ChangeSite trialId={trial.id} sites={sites} onSaved={reloadSites} />
    </Page>
  );
}
