import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type SessionUser, signIn } from './api.ts';
import { TextField } from './components/fields.tsx';
import { ErrorNotice } from './components/notice.tsx';

/** The sign-in form (a page on its own, or inside the "session ended" dialog). */
export function SignInForm(props: {
  onSignedIn: (user: SessionUser) => void;
  username?: string;
  compact?: boolean;
}) {
  const [username, setUsername] = useState(props.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (username.trim() === '' || password === '') return;
    setBusy(true);
    try {
      const user = await signIn(username.trim(), password);
      setError(undefined);
      props.onSignedIn(user);
    } catch (reason) {
      setError(reason);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="sign-in-form" aria-label="Sign in">
      {error === undefined ? null : <ErrorNotice error={error} title="Not signed in" />}
      <TextField
        label="Username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
        required
        error={tried && username.trim() === '' ? 'Enter your username' : undefined}
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
        error={tried && password === '' ? 'Enter your password' : undefined}
      />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** The page shown to a signed-out visitor. */
export function SignInPage(props: { onSignedIn: (user: SessionUser) => void; message?: string }) {
  return (
    <main id="main" className="sign-in-page">
      <div className="sign-in-card">
        <p className="brand-mark" aria-hidden="true">
          e
        </p>
        <h1>Sign in to enrich</h1>
        <p className="muted">Peer support trial: screening, randomisation, follow-up and analysis.</p>
        {props.message === undefined ? null : <p className="notice notice-info">{props.message}</p>}
        <SignInForm onSignedIn={props.onSignedIn} />
        <p className="muted small">
          Trying the demo (<code>npx enrich serve --demo</code>)? Its accounts and passwords are printed in
          the terminal, e.g. <code>researcher</code> / <code>demo-researcher</code>.
        </p>
      </div>
    </main>
  );
}

/** The session ended mid-task: sign in again over the current screen, which stays as it was. */
export function SessionExpiredDialog(props: {
  user: SessionUser;
  onSignedIn: (user: SessionUser) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="session-expired-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="session-expired-title">Your session has ended</h2>
      <p>Sign in again to carry on. Nothing you typed has been lost; send it again after signing in.</p>
      <SignInForm onSignedIn={props.onSignedIn} username={props.user.username} compact />
      <button type="button" className="button link" onClick={props.onCancel}>
        Sign out instead
      </button>
    </dialog>
  );
}
