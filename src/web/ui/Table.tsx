import type { ReactNode } from 'react';

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  key: string;
  direction: SortDirection;
}

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** Plain-text header name, used to label the sort button. */
  headerText?: string;
  render: (row: T) => ReactNode;
  /** The API sort key when the column is sortable. */
  sortKey?: string;
  numeric?: boolean;
  /** The cell names the row (rendered as <th scope="row">). */
  rowHeader?: boolean;
}

export interface TableProps<T> {
  caption: ReactNode;
  /** Hide the caption visually but keep it for screen readers. */
  captionHidden?: boolean;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
}

export function Table<T>({ caption, captionHidden, columns, rows, rowKey, sort, onSort }: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className={captionHidden ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const { sortKey } = c;
              const active = sort && sortKey && sort.key === sortKey;
              const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} className={c.numeric ? 'num' : undefined}>
                  {sortKey && onSort ? (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        onSort({
                          key: sortKey,
                          direction: active && sort.direction === 'asc' ? 'desc' : 'asc',
                        })
                      }
                    >
                      {c.header}
                      <span className="sort-button__icon" aria-hidden="true">
                        {active ? (sort.direction === 'asc' ? '▲' : '▼') : '⇅'}
                      </span>
                      <span className="sr-only">
                        {active
                          ? sort.direction === 'asc'
                            ? ' (trié par ordre croissant, activer pour trier par ordre décroissant)'
                            : ' (trié par ordre décroissant, activer pour trier par ordre croissant)'
                          : ' (activer pour trier)'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.key} scope="row" className={c.numeric ? 'num' : undefined}>
                    {c.render(row)}
                  </th>
                ) : (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {c.render(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `name` ↔ {key: 'name', asc}, `-name` ↔ {key: 'name', desc}: the API's sort parameter. */
export function parseSort(value: string | undefined, fallback: SortState): SortState {
  if (!value) return fallback;
  return value.startsWith('-')
    ? { key: value.slice(1), direction: 'desc' }
    : { key: value, direction: 'asc' };
}

export function formatSort(sort: SortState): string {
  return sort.direction === 'desc' ? `-${sort.key}` : sort.key;
}
