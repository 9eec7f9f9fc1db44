import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, EmptyState, PageTitle, QueryView, TextField } from '../../ui/index.js';
import { useArticles } from './api.js';

/** The knowledge base: articles the visitor may read (members-only ones once signed in), searchable. */
export function HelpPage() {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const articles = useArticles(q);
  return (
    <>
      <PageTitle title="Aide : base de connaissances" />
      <form
        className="filters"
        aria-label="Recherche dans la base de connaissances"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(draft.trim());
        }}
      >
        <TextField label="Rechercher un article" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <div className="actions">
          <Button type="submit">Rechercher</Button>
        </div>
      </form>
      <QueryView query={articles} loadingLabel="Chargement des articles…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun article ne correspond.</EmptyState>
          ) : (
            <ul className="support-articles">
              {page.items.map((a) => (
                <li key={a.id}>
                  <Link to="/aide/$articleId" params={{ articleId: a.id }}>
                    {a.title}
                  </Link>
                  {a.serviceName && <> — {a.serviceName}</>}
                  <br />
                  {a.excerpt}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </>
  );
}
