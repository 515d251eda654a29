import { type FormEvent, useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { TextField } from '../components/fields.tsx';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { useDraft } from '../draft.ts';
import { type Site, useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** The trial's recruiting sites, and a form to add one (admin, trial manager; before the lock). */
export function SitesScreen(_props: { user: SessionUser }) {
  const { trial, sites, reloadSites } = useTrial();
  const [values, update, clear] = useDraft(`site.${trial.id}`, { code: '', name: '' });
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
      await api('POST', `/api/trials/${trial.id}/sites`, { code: values.code, name: values.name.trim() });
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
  ];
  return (
    <Page title="Sites" lead="The recruiting sites; a site's code is a level of the site stratum.">
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
            <button type="submit" className="button primary">
              Add site
            </button>
          </form>
        </Panel>
      </div>
    </Page>
  );
}
