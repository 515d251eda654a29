import type { ReactNode } from 'react';
import { ApiError, type ApiIssue, describeError } from '../api.ts';

/** A message box: `error` and `success` are announced to screen readers. */
export function Notice(props: {
  kind: 'error' | 'success' | 'info' | 'warning';
  children: ReactNode;
  title?: string;
}) {
  const role = props.kind === 'error' ? 'alert' : props.kind === 'success' ? 'status' : undefined;
  return (
    <div className={`notice notice-${props.kind}`} role={role}>
      {props.title === undefined ? null : <strong className="notice-title">{props.title}</strong>}
      <div>{props.children}</div>
    </div>
  );
}

/** A refused request explained: the friendly sentence, the server's words, and every issue listed. */
export function ErrorNotice(props: { error: unknown; title?: string }) {
  const error = props.error;
  const issues: readonly ApiIssue[] = error instanceof ApiError ? error.issues : [];
  const serverWords = error instanceof ApiError ? error.message : undefined;
  const friendly = describeError(error);
  return (
    <Notice kind="error" title={props.title ?? 'Not saved'}>
      <p>{friendly}</p>
      {issues.length > 0 ? (
        <ul className="issue-list">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.code ?? ''}:${issue.message}`}>
              {issue.path === '' ? '' : <code>{issue.path}</code>} {issue.message}
            </li>
          ))}
        </ul>
      ) : serverWords !== undefined && serverWords !== friendly && !friendly.includes(serverWords) ? (
        <p className="muted small">Server: {serverWords}</p>
      ) : null}
    </Notice>
  );
}

/** A loading line that screen readers hear once. */
export function Loading(props: { what?: string }) {
  return (
    <p className="muted" role="status">
      Loading {props.what ?? ''}…
    </p>
  );
}
