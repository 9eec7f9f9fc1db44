import { useNavigate, useSearch } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import { useAuth } from '../../app/auth.js';
import { Button, EmptyState, PageTitle, QueryView, TextField } from '../../ui/index.js';
import { useGlobalSearch } from './api.js';
import { HitLink } from './links.js';

/** The results of the global search (header box, `/` or Ctrl+K), grouped by kind. */
export function SearchPage() {
  const search = useSearch({ from: '/recherche' });
  const navigate = useNavigate();
  const auth = useAuth();
  const q = search.q ?? '';
  const results = useGlobalSearch(q);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    navigate({ to: '/recherche', search: value ? { q: value } : {} });
  };
  return (
    <>
      <PageTitle title={q ? `Recherche : ${q}` : 'Recherche'} />
      <search aria-label="Recherche dans la plateforme">
        <form className="filters" onSubmit={submit} key={q}>
          <TextField
            name="q"
            type="search"
            label="Rechercher"
            hint="Nom ou SIREN d’une structure, code INSEE d’une commune, numéro de facture, traitement RGPD, numéro ou objet d’un acte, numéro d’une demande d’assistance (T-000123)"
            defaultValue={q}
          />
          <div className="actions row">
            <Button type="submit">Rechercher</Button>
          </div>
        </form>
      </search>
      {q.trim().length < 2 ? (
        <p>Saisissez au moins 2 caractères.</p>
      ) : (
        <QueryView query={results} loadingLabel="Recherche en cours…">
          {(data) =>
            data.groups.length === 0 ? (
              <EmptyState>
                Aucun résultat pour « {data.q} » parmi ce que vous pouvez consulter. Vérifiez l’orthographe,
                ou cherchez un numéro (SIREN à 9 chiffres, code INSEE à 5 caractères, numéro de facture).
              </EmptyState>
            ) : (
              <div aria-live="polite">
                {data.groups.map((group) => (
                  <section key={group.kind} aria-labelledby={`resultats-${group.kind}`}>
                    <h2 id={`resultats-${group.kind}`}>
                      {group.label} ({group.hits.length})
                    </h2>
                    <ul className="search-results">
                      {group.hits.map((hit) => (
                        <li key={`${hit.kind}-${hit.id}`}>
                          <HitLink hit={hit} auth={auth} />
                          {hit.detail && <span className="muted"> — {hit.detail}</span>}
                        </li>
                      ))}
                    </ul>
                  </section>
                ))}
              </div>
            )
          }
        </QueryView>
      )}
    </>
  );
}
