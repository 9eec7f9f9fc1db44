import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../app/api.js';

export type AlertType = 'error' | 'success' | 'info' | 'warning';

export function Alert({
  type = 'info',
  title,
  children,
  live,
}: {
  type?: AlertType;
  title?: ReactNode;
  children?: ReactNode;
  /** Announce the alert when it appears (role="alert" for errors, role="status" otherwise). */
  live?: boolean;
}) {
  const role = live ? (type === 'error' ? 'alert' : 'status') : undefined;
  return (
    <div className={`alert alert--${type}`} role={role}>
      {title && <p className="alert__title">{title}</p>}
      {children}
    </div>
  );
}

export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}

export type BadgeTone = 'default' | 'info' | 'success' | 'warning' | 'error' | 'new';

export function Badge({ tone = 'default', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={tone === 'default' ? 'badge' : `badge badge--${tone}`}>{children}</span>;
}

export function Card({
  title,
  children,
  headingLevel = 2,
}: {
  title?: ReactNode;
  children: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="card">
      {title && <Heading>{title}</Heading>}
      {children}
    </section>
  );
}

/** Renders a query's loading and error states, then its data. */
export function QueryView<T>({
  query,
  loadingLabel,
  children,
}: {
  query: UseQueryResult<T>;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError)
    return (
      <Alert type="error" title="Chargement impossible" live>
        <p>{errorMessage(query.error)}</p>
      </Alert>
    );
  return <>{children(query.data)}</>;
}
