import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { forgetSession, onSessionLost, rememberedUser, type SessionUser, signOut } from './api.ts';
import { clearAllDrafts, setDraftOwner } from './draft.ts';
import { ROLE_LABELS } from './labels.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { matchScreen, screensFor } from './screens/index.tsx';
import { SessionExpiredDialog, SignInPage } from './sign-in.tsx';
import { TrialProvider, useOptionalTrial } from './trial-context.tsx';

/** The whole app: signed out -> the sign-in page; signed in -> the role's screens. */
export function App() {
  const [user, setUser] = useState<SessionUser | null>(() => rememberedUser());
  const [expired, setExpired] = useState(false);
  const [signedOutMessage, setSignedOutMessage] = useState<string | undefined>(undefined);
  if (user !== null) setDraftOwner(user.username);

  useEffect(
    () =>
      onSessionLost(() => {
        // Keep the screen (and its typed entries) mounted; ask for the password over it.
        setExpired(true);
      }),
    [],
  );

  const signedIn = useCallback(
    (next: SessionUser) => {
      // Another person at this browser never sees the previous user's drafts.
      if (user !== null && user.username !== next.username) clearAllDrafts();
      setDraftOwner(next.username);
      setUser(next);
      setExpired(false);
      setSignedOutMessage(undefined);
    },
    [user],
  );

  const leave = useCallback(async (message?: string) => {
    await signOut();
    clearAllDrafts();
    setUser(null);
    setExpired(false);
    setSignedOutMessage(message);
    navigate('/', { replace: true });
  }, []);

  if (user === null)
    return (
      <SignInPage
        onSignedIn={signedIn}
        {...(signedOutMessage === undefined ? {} : { message: signedOutMessage })}
      />
    );
  return (
    <TrialProvider trialId={null}>
      <Shell user={user} onSignOut={() => void leave('You have signed out.')}>
        {expired ? (
          <SessionExpiredDialog
            user={user}
            onSignedIn={signedIn}
            onCancel={() => {
              forgetSession();
              void leave('You have signed out.');
            }}
          />
        ) : null}
      </Shell>
    </TrialProvider>
  );
}

function Shell(props: { user: SessionUser; onSignOut: () => void; children: ReactNode }) {
  const { path } = useLocation();
  const trial = useOptionalTrial();
  const screens = screensFor(props.user.role);
  const [menuOpen, setMenuOpen] = useState(false);
  const home = screens[0]?.path ?? '/';
  useEffect(() => {
    if (path === '/' && home !== '/') navigate(home, { replace: true });
  }, [path, home]);
  const matched = matchScreen(props.user.role, path);
  // Each page announces itself: its heading takes focus after navigation (not on first load).
  const [lastPath, setLastPath] = useState(path);
  useEffect(() => {
    if (path === lastPath) return;
    setLastPath(path);
    setMenuOpen(false);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  }, [path, lastPath]);
  useEffect(() => {
    document.title = `${matched?.screen.label ?? 'enrich'} · enrich`;
  }, [matched]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <div className="brand">
          <span className="brand-mark small" aria-hidden="true">
            e
          </span>
          <span className="brand-name">enrich</span>
          {trial === null ? null : (
            <span className="trial-name">
              {trial.trial.id}
              {trial.trial.locked_at === null ? null : <span className="badge badge-locked">Locked</span>}
            </span>
          )}
        </div>
        <button
          type="button"
          className="button menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <div className="who">
          <span className="who-name">{props.user.username}</span>
          <span className="who-role">{ROLE_LABELS[props.user.role]}</span>
          <button type="button" className="button subtle" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="main-nav" aria-label="Main" className={`side-nav${menuOpen ? ' open' : ''}`}>
          <ul>
            {screens
              .filter((screen) => screen.nav !== false)
              .map((screen) => {
                const current = matched?.screen.path === screen.path;
                return (
                  <li key={screen.path}>
                    <Link href={screen.path} aria-current={current ? 'page' : undefined}>
                      {screen.label}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {trial === null ? null : matched === undefined ? (
            <NotAvailable />
          ) : (
            matched.screen.render({ user: props.user, params: matched.params })
          )}
        </main>
      </div>
      {props.children}
    </div>
  );
}

function NotAvailable() {
  return (
    <div className="page">
      <h1 tabIndex={-1}>Not available</h1>
      <p>This page does not exist, or your role does not use it. Choose a page from the menu.</p>
    </div>
  );
}
