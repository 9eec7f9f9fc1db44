import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
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

/*
 * Confirmations: one polite live region for the whole app (rendered once by the layout, present before
 * any message so that screen readers announce what appears in it). Mutations say what they confirm
 * with `meta: { success }` (app/App.tsx announces it when they succeed); anything else calls announce().
 */
/**
 * What a mutation confirms when it succeeds (`meta: { success }`): a sentence, or one made from its
 * answer and input (null: nothing to confirm). Parameters are `never` so that a function reading its
 * mutation's own types fits.
 */
export type Confirmation = string | ((data: never, variables: never) => string | null);

/** « Contact ajouté. » for a create (no `id` in the input), « Contact enregistré. » for an update. */
export const createdOrSaved =
  (created: string, saved: string) =>
  (_data: unknown, variables: { id?: string }): string =>
    variables.id ? saved : created;

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

/** Shows and announces a confirmation (« Structure créée. »). */
export function announce(message: string) {
  for (const listener of listeners) listener(message);
}

/** How long a confirmation stays on screen. */
const SHOWN_MS = 8_000;

export function Announcements() {
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (text) => {
      clearTimeout(timer);
      // A new key re-renders the text even when the same confirmation comes twice in a row.
      setMessage((previous) => ({ text, key: (previous?.key ?? 0) + 1 }));
      timer = setTimeout(() => setMessage(null), SHOWN_MS);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      clearTimeout(timer);
    };
  }, []);
  return (
    <div className="announcer" role="status" aria-live="polite" aria-atomic="true">
      {message && (
        <p key={message.key} className="announcer__message">
          <span aria-hidden="true">✓ </span>
          {message.text}
        </p>
      )}
    </div>
  );
}
