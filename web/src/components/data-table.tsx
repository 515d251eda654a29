import { type ReactNode, useId, useMemo, useState } from 'react';

/** One column: what it shows, how it sorts and what the filter searches. */
export interface Column<Row> {
  readonly key: string;
  readonly label: string;
  readonly value: (row: Row) => string | number | null;
  readonly render?: (row: Row) => ReactNode;
  readonly numeric?: boolean;
}

/**
 * A table that sorts (click or Enter/Space on a column header; aria-sort says how) and filters (one
 * search box over every column's text). Wide tables scroll sideways inside their own box on a phone.
 */
export function DataTable<Row>(props: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClass?: (row: Row) => string | undefined;
  empty?: string;
  initialSort?: { key: string; direction: 'ascending' | 'descending' };
  filterLabel?: string;
  toolbar?: ReactNode;
}) {
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState(props.initialSort);
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const filtered =
      needle === ''
        ? [...props.rows]
        : props.rows.filter((row) =>
            props.columns.some((column) =>
              String(column.value(row) ?? '')
                .toLowerCase()
                .includes(needle),
            ),
          );
    const column = props.columns.find((item) => item.key === sort?.key);
    if (column !== undefined && sort !== undefined) {
      const sign = sort.direction === 'ascending' ? 1 : -1;
      filtered.sort((left, right) => {
        const a = column.value(left);
        const b = column.value(right);
        if (a === b) return 0;
        if (a === null) return 1;
        if (b === null) return -1;
        return (
          (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))) * sign
        );
      });
    }
    return filtered;
  }, [props.rows, props.columns, filter, sort]);
  const toggle = (key: string) =>
    setSort((current) =>
      current?.key === key && current.direction === 'ascending'
        ? { key, direction: 'descending' }
        : { key, direction: 'ascending' },
    );
  return (
    <div className="table-block">
      <div className="table-toolbar">
        <label htmlFor={filterId} className="filter-label">
          {props.filterLabel ?? 'Filter'}
        </label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="Type to filter rows"
          autoComplete="off"
        />
        <span className="muted small" aria-live="polite">
          {visible.length} of {props.rows.length} shown
        </span>
        {props.toolbar}
      </div>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => {
                const direction = sort?.key === column.key ? sort.direction : undefined;
                return (
                  <th
                    key={column.key}
                    scope="col"
                    aria-sort={direction ?? 'none'}
                    className={column.numeric === true ? 'numeric' : undefined}
                  >
                    <button type="button" className="sort-button" onClick={() => toggle(column.key)}>
                      {column.label}
                      <span aria-hidden="true" className="sort-mark">
                        {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.length === 0 ? (
              <tr>
                <td colSpan={props.columns.length} className="muted">
                  {props.rows.length === 0 ? (props.empty ?? 'Nothing yet.') : 'No rows match the filter.'}
                </td>
              </tr>
            ) : (
              visible.map((row) => (
                <tr key={props.rowKey(row)} className={props.rowClass?.(row)}>
                  {props.columns.map((column) => (
                    <td key={column.key} className={column.numeric === true ? 'numeric' : undefined}>
                      {column.render === undefined ? (column.value(row) ?? '—') : column.render(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
