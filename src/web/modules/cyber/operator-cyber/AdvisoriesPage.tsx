import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { SEVERITIES, SEVERITY_LABELS } from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import {
  Button,
  ButtonLink,
  EmptyState,
  Form,
  formatDate,
  formatNumber,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { ADVISORIES_PAGE_SIZE, type AdvisorySummary, useAdvisories } from '../api.js';
import { OperatorCyberNav, SeverityBadge } from '../components.js';

interface UrlSearch {
  q?: string;
  gravite?: string;
}

const columns = [
  {
    key: 'title',
    header: 'Avis',
    rowHeader: true,
    render: (a: AdvisorySummary) => (
      <Link to="/operateur/cyber/avis/$advisoryId" params={{ advisoryId: a.id }}>
        {a.reference} — {a.title}
      </Link>
    ),
  },
  {
    key: 'severity',
    header: 'Gravité',
    render: (a: AdvisorySummary) => <SeverityBadge severity={a.severity} />,
  },
  {
    key: 'imported',
    header: 'Importé le',
    render: (a: AdvisorySummary) => formatDate(a.importedAt),
  },
  {
    key: 'affected',
    header: 'Structures concernées',
    numeric: true,
    render: (a: AdvisorySummary) => formatNumber(a.affectedMembers),
  },
  {
    key: 'remediated',
    header: 'Traité',
    numeric: true,
    render: (a: AdvisorySummary) => formatNumber(a.remediatedMembers),
  },
  {
    key: 'overdue',
    header: 'En retard',
    numeric: true,
    render: (a: AdvisorySummary) => formatNumber(a.overdueMembers),
  },
];

/** Every advisory the cyber team imported or wrote, with how many members it affects. */
export function AdvisoriesPage() {
  const search = useSearch({ from: '/operateur/cyber/avis' }) as UrlSearch;
  const navigate = useNavigate();
  const apiSearch = { q: search.q, severity: search.gravite };
  const pages = useCursorPages(JSON.stringify(apiSearch));
  const advisories = useAdvisories(apiSearch, pages.cursor);
  return (
    <>
      <PageTitle title="Avis de sécurité" />
      <OperatorCyberNav />
      <div className="page-header">
        <p className="lead">
          Chaque avis est rapproché de l’inventaire de toutes les structures : seules celles qui utilisent un
          produit concerné sont prévenues.
        </p>
        <ButtonLink to="/operateur/cyber/avis/importer">Importer un avis CSAF</ButtonLink>
      </div>
      <Form
        id="filtres-avis"
        aria-label="Filtres des avis"
        className="filters"
        onSubmit={(data) => {
          const q = String(data.get('q') ?? '').trim();
          const gravite = String(data.get('gravite') ?? '');
          navigate({
            to: '/operateur/cyber/avis',
            search: { q: q || undefined, gravite: gravite || undefined },
          });
        }}
      >
        <TextField name="q" label="Référence, titre ou CVE" defaultValue={search.q ?? ''} />
        <SelectField
          name="gravite"
          label="Gravité"
          placeholder="Toutes"
          options={optionsOf(SEVERITY_LABELS, SEVERITIES)}
          defaultValue={search.gravite ?? ''}
        />
        <div className="actions">
          <Button type="submit" variant="secondary">
            Filtrer
          </Button>
        </div>
      </Form>
      <QueryView query={advisories} loadingLabel="Chargement des avis…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun avis ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p role="status">{countOf(page.total, 'avis', 'avis')}</p>
              <Table
                caption="Avis de sécurité importés"
                columns={columns}
                rows={page.items}
                rowKey={(a) => a.id}
              />
              <Pagination
                label="Pagination des avis"
                pageIndex={pages.pageIndex}
                pageSize={ADVISORIES_PAGE_SIZE}
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
