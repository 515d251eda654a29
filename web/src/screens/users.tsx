import { type FormEvent, useState } from 'react';
import { api, type Role, type SessionUser } from '../api.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ChoiceGroup, SelectField, TextField } from '../components/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../components/notice.tsx';
import { useApi } from '../components/use-api.ts';
import { useDraft } from '../draft.ts';
import { ROLE_LABELS } from '../labels.ts';
import { useTrial } from '../trial-context.tsx';
import { Page, Panel } from './page.tsx';

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const SITE_ROLES: readonly Role[] = ['researcher', 'pw_coordinator', 'peer_worker'];

/** A user as GET /api/users lists them. */
interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly site_ids: readonly string[];
}

/** Create users with a role and sites (administrators). */
export function UsersScreen(_props: { user: SessionUser }) {
  const { sites, siteName } = useTrial();
  const users = useApi<{ users: UserRow[] }>('/api/users');
  const userColumns: Column<UserRow>[] = [
    { key: 'username', label: 'Username', value: (row) => row.username },
    { key: 'role', label: 'Role', value: (row) => ROLE_LABELS[row.role] ?? row.role },
    {
      key: 'sites',
      label: 'Sites',
      value: (row) =>
        row.site_ids.length === 0 ? 'All (no site restriction)' : row.site_ids.map(siteName).join(', '),
    },
  ];
  const [values, update, clear] = useDraft('new-user', { username: '', role: '', site_ids: [] as string[] });
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const errors: Record<string, string> = {};
  if (values.username !== '' && !USERNAME.test(values.username))
    errors.username = 'Letters, digits and _ . @ - only';
  if (submitted && values.username === '') errors.username = 'Enter a username';
  if (password !== '' && password.length < 8) errors.password = 'At least 8 characters';
  if (submitted && password === '') errors.password = 'Enter a password';
  if (submitted && values.role === '') errors.role = 'Choose a role';
  if (submitted && SITE_ROLES.includes(values.role as Role) && values.site_ids.length === 0)
    errors.site_ids = 'Choose at least one site for this role';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || values.username === '' || password.length < 8 || values.role === '')
      return;
    try {
      await api('POST', '/api/users', {
        username: values.username,
        password,
        role: values.role,
        site_ids: values.site_ids,
      });
      setCreated(values.username);
      users.reload();
      setError(undefined);
      setSubmitted(false);
      setPassword('');
      clear();
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Page
      title="Users"
      lead="Every account with its role and sites; create accounts with a role and, for site staff, the sites they work at."
    >
      <Panel title="New user">
        {created === undefined ? null : (
          <Notice kind="success">User “{created}” created. Give them their password in person.</Notice>
        )}
        {error === undefined ? null : <ErrorNotice error={error} title="User not created" />}
        <form onSubmit={submit} noValidate aria-label="New user" className="narrow-form">
          <TextField
            label="Username"
            value={values.username}
            onChange={(username) => update({ username })}
            error={errors.username}
          />
          <TextField
            label="Initial password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters"
            value={password}
            onChange={setPassword}
            error={errors.password}
          />
          <SelectField
            label="Role"
            value={values.role}
            onChange={(role) => update({ role })}
            options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            error={errors.role}
          />
          <ChoiceGroup
            legend="Sites"
            type="checkbox"
            options={sites.map((site) => ({ value: site.id, label: site.name }))}
            selected={values.site_ids}
            onChange={(site_ids) => update({ site_ids })}
            error={errors.site_ids}
          />
          <button type="submit" className="button primary">
            Create user
          </button>
        </form>
      </Panel>
      {users.error === undefined ? null : (
        <ErrorNotice error={users.error} title="The users could not be loaded" />
      )}
      {users.data === undefined && users.error === undefined ? <Loading what="users" /> : null}
      {users.data === undefined ? null : (
        <DataTable
          caption="Users"
          columns={userColumns}
          rows={users.data.users}
          rowKey={(row) => row.id}
          initialSort={{ key: 'username', direction: 'ascending' }}
          filterLabel="Filter users"
        />
      )}
    </Page>
  );
}
