import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { AuditEvent } from '../../../contracts/audit.js';
import {
  Button,
  EmptyState,
  formatDateTime,
  PageTitle,
  Pagination,
  QueryView,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import { PAGE_SIZE, useAuditEvents } from './api.js';

function details(event: AuditEvent): string {
  const entries = Object.entries(event.details ?? {});
  return entries.length
    ? entries.map(([k, v]) => `${k} : ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')
    : '—';
}

export function AuditPage() {
  const { action } = useSearch({ from: '/operateur/journal' });
  const navigate = useNavigate();
  const pages = useCursorPages(action ?? '');
  const events = useAuditEvents(action, pages.cursor);
  return (
    <>
      <PageTitle title="Journal des événements" />
      <p className="lead">
        Les événements de sécurité et d'adhésion : qui a fait quoi, quand et depuis quelle adresse. Les
        données personnelles n'y figurent pas.
      </p>
      <search aria-label="Filtres du journal">
        <form
          className="filters"
          key={action}
          onSubmit={(event) => {
            event.preventDefault();
            const value = String(new FormData(event.currentTarget).get('action') ?? '').trim();
            navigate({ to: '/operateur/journal', search: value ? { action: value } : {} });
          }}
        >
          <TextField
            id="journal-action"
            name="action"
            label="Action"
            hint="Exacte ou préfixe, par exemple auth.login ou membership"
            defaultValue={action ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Filtrer</Button>
          </div>
        </form>
      </search>
      <QueryView query={events} loadingLabel="Chargement du journal…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun événement.</EmptyState>
          ) : (
            <>
              <Table
                caption="Événements, du plus récent au plus ancien"
                rows={page.items}
                rowKey={(e) => e.id}
                columns={[
                  {
                    key: 'date',
                    header: 'Date',
                    rowHeader: true,
                    render: (e) => formatDateTime(e.occurredAt),
                  },
                  { key: 'action', header: 'Action', render: (e) => <code>{e.action}</code> },
                  {
                    key: 'actor',
                    header: 'Auteur',
                    render: (e) =>
                      e.actor
                        ? (e.actor.displayName ?? e.actor.id)
                        : e.token
                          ? `Jeton d'API « ${e.token.name} »`
                          : 'Anonyme',
                  },
                  {
                    key: 'member',
                    header: 'Structure',
                    render: (e) =>
                      e.member ? (
                        <Link to="/operateur/adherents/$memberId" params={{ memberId: e.member.id }}>
                          {e.member.name ?? e.member.id}
                        </Link>
                      ) : (
                        '—'
                      ),
                  },
                  { key: 'ip', header: 'Adresse IP', render: (e) => e.ipAddress ?? '—' },
                  { key: 'details', header: 'Détails', render: details },
                ]}
              />
              <Pagination
                label="Pagination du journal"
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
