import { useState } from 'react';
import { api, type SessionUser } from '../api.ts';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { Page, Panel } from './page.tsx';

/** Create an API token for scripts (shown once; the server keeps only its hash). */
export function TokensScreen(_props: { user: SessionUser }) {
  const [token, setToken] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const create = async () => {
    try {
      const answer = await api<{ token: string }>('POST', '/api/auth/tokens');
      setToken(answer.token);
      setError(undefined);
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Page
      title="API tokens"
      lead="Tokens let scripts (R, a REDCap bridge) call the API as you: send Authorization: Bearer <token>."
    >
      <Panel title="New token">
        {error === undefined ? null : <ErrorNotice error={error} title="No token" />}
        {token === undefined ? null : (
          <Notice kind="success" title="Token created">
            <p>Copy it now: it is shown only once.</p>
            <label htmlFor="new-token">Your new API token</label>
            <input
              id="new-token"
              className="token"
              readOnly
              value={token}
              onFocus={(event) => event.target.select()}
            />
          </Notice>
        )}
        <button type="button" className="button primary" onClick={() => void create()}>
          Create an API token
        </button>
        <p className="muted small">Revoke a token by calling POST /api/auth/logout with it.</p>
      </Panel>
    </Page>
  );
}
