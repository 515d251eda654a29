/**
 * The app's only way to the server: JSON over HTTP on the same origin. The session cookie travels by
 * itself (HttpOnly, Path=/api); the CSRF token from the login body goes in `x-csrf-token` on every change.
 * A 401 tells the app the session is gone (`onSessionLost`), so it can ask the user to sign in again
 * without losing what is on the screen.
 */
import type { Role } from '../../src/trial/index.ts';

export type { Role };

/** The signed-in user as the login answers it. */
export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

/** One problem with a request, as the server lists it. */
export interface ApiIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

/** A refused or failed request: the server's status, code, message and issues. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly ApiIssue[];
  constructor(status: number, code: string, message: string, issues: readonly ApiIssue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

const CSRF_KEY = 'enrich.csrf';
const USER_KEY = 'enrich.user';

let csrfToken: string | null = sessionStorage.getItem(CSRF_KEY);
const sessionListeners = new Set<(error: ApiError) => void>();

/** The user remembered for this tab (the cookie may have expired; the first request will tell). */
export function rememberedUser(): SessionUser | null {
  const stored = sessionStorage.getItem(USER_KEY);
  if (stored === null || csrfToken === null) return null;
  try {
    return JSON.parse(stored) as SessionUser;
  } catch {
    return null;
  }
}

/** Called with the 401 whenever a request finds no valid session. */
export function onSessionLost(listener: (error: ApiError) => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: string; message?: string; issues?: ApiIssue[] } } | undefined)
    ?.error;
  return new ApiError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? `The server answered ${response.status} ${response.statusText}`,
    error?.issues ?? [],
  );
}

/** Sends one request; resolves to the parsed JSON body (undefined for 204), rejects with {@link ApiError}. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server could not be reached. Check the connection and try again.',
    );
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !path.startsWith('/api/auth/login')) {
      for (const listener of sessionListeners) listener(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** Signs in: remembers the CSRF token and the user for this tab. */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const answer = await api<{ user: SessionUser; csrf_token: string }>('POST', '/api/auth/login', {
    username,
    password,
  });
  csrfToken = answer.csrf_token;
  sessionStorage.setItem(CSRF_KEY, answer.csrf_token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(answer.user));
  return answer.user;
}

/** Signs out (ending the session on the server when it is still there) and forgets this tab's session. */
export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/api/auth/logout');
  } catch {
    // Already gone: nothing to end.
  } finally {
    forgetSession();
  }
}

/** Forgets the session of this tab (not the drafts: a user who signs in again gets them back). */
export function forgetSession(): void {
  csrfToken = null;
  sessionStorage.removeItem(CSRF_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** A friendly sentence for an error, by code (the server's message stays available to show too). */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'forbidden':
    case 'store_forbidden':
      return `Not allowed for your role: ${error.message}`;
    case 'not_found':
    case 'store_not_found':
      return 'Not found, or not at one of your sites.';
    case 'session_expired':
    case 'authentication_required':
      return 'Your session has ended. Sign in again to continue; what you typed is kept.';
    case 'store_trial_locked':
      return 'The database is locked: no changes can be made.';
    case 'store_version_conflict':
      return 'Someone else changed this record while you were editing. Reload it, then make your change again.';
    case 'store_already_randomised':
      return 'This participant has already been randomised.';
    case 'participant_ineligible':
      return 'Not eligible: the rules not met are listed below.';
    case 'fidelity_index_invalid':
      return 'The fidelity index has problems, each listed below.';
    case 'fidelity_index_in_use':
      return 'Items that already have ratings cannot be removed, moved or rescaled (listed below); their wording can change.';
    case 'request_invalid':
      return 'Some answers were not accepted: see the fields marked below.';
    case 'login_rate_limited':
      return 'Too many failed sign-ins. Wait 15 minutes, then try again.';
    case 'login_failed':
      return 'That username and password do not match.';
    default:
      return error.message;
  }
}
