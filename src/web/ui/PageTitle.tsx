import { type ReactNode, useEffect, useRef } from 'react';
import { focusPageTitle } from '../app/focus.js';

export const APP_NAME = 'Socle';

/** The page's single h1 and its distinct document title ("<Page> — Socle"). */
export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ${APP_NAME}`;
    focusPageTitle(ref.current);
  }, [title]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children ?? title}
    </h1>
  );
}
