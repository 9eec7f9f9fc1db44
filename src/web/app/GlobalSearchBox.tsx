import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useId, useRef } from 'react';
import { useAuth } from './auth.js';

/** Whether a key press happens while the person types somewhere (then `/` is a character, not a shortcut). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The header's search box, on every page for signed-in people: `/` or Ctrl+K (⌘K) focuses it, Entrée
 * opens the results page (`/recherche?q=`).
 */
export function GlobalSearchBox() {
  const auth = useAuth();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const signedIn = !!auth.me;
  useEffect(() => {
    if (!signedIn) return;
    const onKey = (event: KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash =
        event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
      if (ctrlK || slash) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [signedIn]);
  if (!signedIn) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    if (q) navigate({ to: '/recherche', search: { q } });
  };
  return (
    <search aria-label="Recherche globale" className="global-search">
      <form className="row" onSubmit={submit}>
        <label htmlFor={id} className="sr-only">
          Recherche globale : structure, SIREN, code INSEE, facture, traitement (raccourci : / ou Ctrl+K)
        </label>
        <input
          ref={input}
          id={id}
          name="q"
          type="search"
          className="input"
          placeholder="Structure, facture… ( / )"
          aria-keyshortcuts="/ Control+K"
          autoComplete="off"
          minLength={2}
        />
        <button type="submit" className="btn btn--secondary btn--small">
          Chercher
        </button>
      </form>
    </search>
  );
}
