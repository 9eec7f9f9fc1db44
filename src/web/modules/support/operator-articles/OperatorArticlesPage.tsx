import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ARTICLE_VISIBILITY_LABELS } from '../../../../contracts/support.js';
import {
  Button,
  ButtonLink,
  EmptyState,
  Form,
  formatDate,
  PageTitle,
  Pagination,
  QueryView,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { useArticles } from '../api.js';
import { SupportTeamNav } from '../operator-nav.js';
import '../support.css';

const PAGE_SIZE = 50;

/** The knowledge base for the support team: every article (members-only ones too), to edit. */
export function OperatorArticlesPage() {
  const [q, setQ] = useState('');
  const pages = useCursorPages(q);
  const articles = useArticles(q, pages.cursor, PAGE_SIZE);
  return (
    <>
      <PageTitle title="Base de connaissances : articles" />
      <SupportTeamNav />
      <p className="form-actions">
        <ButtonLink to="/operateur/assistance/articles/nouveau">Écrire un article</ButtonLink>
      </p>
      <Form
        id="recherche-articles"
        aria-label="Rechercher un article"
        onSubmit={(data) => setQ(String(data.get('q') ?? '').trim())}
      >
        <div className="filters">
          <TextField name="q" type="search" label="Rechercher dans les articles" defaultValue={q} />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="secondary">
            Rechercher
          </Button>
        </div>
      </Form>
      <QueryView query={articles} loadingLabel="Chargement des articles…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun article.</EmptyState>
          ) : (
            <>
              <Table
                caption="Articles de la base de connaissances"
                rows={page.items}
                rowKey={(a) => a.id}
                columns={[
                  {
                    key: 'title',
                    header: 'Titre',
                    rowHeader: true,
                    render: (a) => (
                      <Link to="/operateur/assistance/articles/$articleId" params={{ articleId: a.id }}>
                        {a.title}
                      </Link>
                    ),
                  },
                  { key: 'service', header: 'Service', render: (a) => a.serviceName ?? 'Général' },
                  {
                    key: 'visibility',
                    header: 'Visibilité',
                    render: (a) => ARTICLE_VISIBILITY_LABELS[a.visibility],
                  },
                  {
                    key: 'helpful',
                    header: 'Utile : oui / non',
                    render: (a) => `${a.helpfulYes} / ${a.helpfulNo}`,
                  },
                  { key: 'updated', header: 'Modifié le', render: (a) => formatDate(a.updatedAt) },
                ]}
              />
              <Pagination
                label="Pagination des articles"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}
