import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { MATURITY_LEVEL_LABELS, MATURITY_LEVELS } from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import {
  Button,
  EmptyState,
  Form,
  formatDate,
  formatNumber,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { CYBER_MEMBERS_PAGE_SIZE, useCyberMembers } from '../api.js';
import { maturityName, OperatorCyberNav } from '../components.js';

interface UrlSearch {
  q?: string;
  maturite?: string;
}

const MATURITY_OPTIONS = [
  ...MATURITY_LEVELS.map((level) => ({ value: level, label: MATURITY_LEVEL_LABELS[level] })),
  { value: 'none', label: maturityName('none') },
];

/** Every member for the cyber team: maturity, exposure and incidents, filterable by maturity. */
export function CyberMembersPage() {
  const search = useSearch({ from: '/operateur/cyber/adherents' }) as UrlSearch;
  const navigate = useNavigate();
  const apiSearch = { q: search.q, maturity: search.maturite };
  const pages = useCursorPages(JSON.stringify(apiSearch));
  const members = useCyberMembers(apiSearch, pages.cursor);
  return (
    <>
      <PageTitle title="Cybersécurité des structures" />
      <OperatorCyberNav />
      <Form
        id="filtres-structures-cyber"
        aria-label="Filtres des structures"
        className="filters"
        onSubmit={(data) => {
          const q = String(data.get('q') ?? '').trim();
          const maturite = String(data.get('maturite') ?? '');
          navigate({
            to: '/operateur/cyber/adherents',
            search: { q: q || undefined, maturite: maturite || undefined },
          });
        }}
      >
        <TextField name="q" label="Nom de la structure" defaultValue={search.q ?? ''} />
        <SelectField
          name="maturite"
          label="Maturité"
          placeholder="Toutes"
          options={MATURITY_OPTIONS}
          defaultValue={search.maturite ?? ''}
        />
        <div className="actions">
          <Button type="submit" variant="secondary">
            Filtrer
          </Button>
        </div>
      </Form>
      <QueryView query={members} loadingLabel="Chargement des structures…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune structure ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p role="status">{countOf(page.total, 'structure', 'structures')}</p>
              <Table
                caption="Structures : maturité, avis et incidents"
                rows={page.items}
                rowKey={(m) => m.memberId}
                columns={[
                  {
                    key: 'name',
                    header: 'Structure',
                    rowHeader: true,
                    render: (m) => (
                      <Link to="/operateur/cyber/adherents/$memberId" params={{ memberId: m.memberId }}>
                        {m.memberName}
                      </Link>
                    ),
                  },
                  { key: 'nis2', header: 'NIS 2', render: (m) => (m.nis2InScope ? 'Oui' : 'Non') },
                  {
                    key: 'maturity',
                    header: 'Maturité',
                    render: (m) =>
                      m.overallScore === null
                        ? maturityName(null)
                        : `${maturityName(m.maturity)} (${m.overallScore} / 100)`,
                  },
                  {
                    key: 'diagnostic',
                    header: 'Dernier diagnostic',
                    render: (m) => formatDate(m.lastDiagnosticAt),
                  },
                  {
                    key: 'assets',
                    header: 'Inventaire',
                    numeric: true,
                    render: (m) => formatNumber(m.assets),
                  },
                  {
                    key: 'open',
                    header: 'Avis à traiter',
                    numeric: true,
                    render: (m) => formatNumber(m.openAdvisories),
                  },
                  {
                    key: 'overdue',
                    header: 'Avis en retard',
                    numeric: true,
                    render: (m) =>
                      m.overdueAdvisories > 0 ? (
                        <span className="cyber-overdue">{formatNumber(m.overdueAdvisories)}</span>
                      ) : (
                        '0'
                      ),
                  },
                  {
                    key: 'incidents',
                    header: 'Incidents en cours',
                    numeric: true,
                    render: (m) => formatNumber(m.openIncidents),
                  },
                ]}
              />
              <Pagination
                label="Pagination des structures"
                pageIndex={pages.pageIndex}
                pageSize={CYBER_MEMBERS_PAGE_SIZE}
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
