import type { ReactNode } from 'react';

/** A page: its heading (focused after navigation), an optional lead sentence and actions. */
export function Page(props: { title: string; lead?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 tabIndex={-1}>{props.title}</h1>
          {props.lead === undefined ? null : <p className="lead">{props.lead}</p>}
        </div>
        {props.actions === undefined ? null : <div className="page-actions">{props.actions}</div>}
      </div>
      {props.children}
    </div>
  );
}

/** A titled panel. */
export function Panel(props: { title: string; children: ReactNode; id?: string; actions?: ReactNode }) {
  const headingId = props.id === undefined ? undefined : `${props.id}-title`;
  return (
    <section className="panel" aria-labelledby={headingId} id={props.id}>
      <div className="panel-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** Label/value pairs. */
export function Facts(props: { items: readonly [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {props.items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
