import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { countOf, countOfTotal } from '../../../contracts/french.js';
import { errorMessage } from '../../app/api.js';
import { useAuth } from '../../app/auth.js';
import {
  Alert,
  Button,
  ButtonLink,
  type Column,
  EmptyState,
  formatDate,
  PageTitle,
  Pagination,
  QueryView,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import {
  ACTS_PAGE_SIZE,
  type Act,
  type ActBulkTransmitReport,
  deliberationsListUrl,
  useActs,
  useTransmitActs,
} from './api.js';
import { ActStatusBadge, ActsNav, natureLabel, PublishedBadge, useCanWriteActs } from './components.js';
import { ActFilters, type ActUrlSearch, toApiSearch } from './filters.js';

const columns: Column<Act>[] = [
  {
    key: 'number',
    header: 'Numéro',
    rowHeader: true,
    render: (a) => (
      <Link to="/espace/actes/$actId" params={{ actId: a.id }}>
        {a.number}
      </Link>
    ),
  },
  { key: 'subject', header: 'Objet', render: (a) => <span className="acts-subject">{a.subject}</span> },
  { key: 'nature', header: 'Nature', render: (a) => natureLabel(a.nature) },
  {
    key: 'classification',
    header: 'Matière',
    render: (a) =>
      a.classificationLabel ? `${a.classification} — ${a.classificationLabel}` : a.classification,
  },
  { key: 'decidedOn', header: 'Décidé le', render: (a) => formatDate(a.decidedOn) },
  { key: 'status', header: 'Transmission', render: (a) => <ActStatusBadge status={a.status} /> },
  { key: 'published', header: 'Publication', render: (a) => <PublishedBadge publishedAt={a.publishedAt} /> },
];

/** The first column when the person may transmit: a labelled checkbox on each ready act. */
function selectionColumn(selected: ReadonlySet<string>, toggle: (act: Act) => void): Column<Act> {
  return {
    key: 'select',
    header: 'Sélection',
    render: (a) =>
      a.status === 'ready' ? (
        <input
          type="checkbox"
          className="acts-select"
          checked={selected.has(a.id)}
          onChange={() => toggle(a)}
          aria-label={`Sélectionner l'acte ${a.number} pour le transmettre`}
        />
      ) : null,
  };
}

/** What became of each act of « Transmettre la sélection ». */
function BulkReport({ report }: { report: ActBulkTransmitReport }) {
  const title = `${countOf(report.queued, 'acte part', 'actes partent')} vers la préfecture, ${countOf(report.refused, 'acte refusé', 'actes refusés')}.`;
  return (
    <Alert type={report.refused > 0 ? 'warning' : 'success'} title={title} live>
      <ul aria-label="Résultat acte par acte">
        {report.items.map((item) => (
          <li key={item.actId}>
            {item.outcome === 'queued' ? `Acte ${item.number} : transmission demandée.` : item.reason}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** The member's act register: every act, filtered, newest decision first, page by page. */
export function ActsRegisterPage() {
  const auth = useAuth();
  const memberId = auth.current?.id ?? '';
  const canWrite = useCanWriteActs();
  const search = useSearch({ from: '/espace/actes' }) as ActUrlSearch;
  const navigate = useNavigate();
  const apiSearch = toApiSearch(search, true);
  const pages = useCursorPages(JSON.stringify(apiSearch));
  const acts = useActs(memberId, apiSearch, pages.cursor);
  const transmit = useTransmitActs(memberId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [report, setReport] = useState<ActBulkTransmitReport | null>(null);
  const [nothingChosen, setNothingChosen] = useState(false);
  const toggle = (act: Act) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(act.id)) next.add(act.id);
      return next;
    });
  const transmitSelection = () => {
    setReport(null);
    setNothingChosen(selected.size === 0);
    if (selected.size === 0) return;
    transmit.mutate([...selected], {
      onSuccess: (answer) => {
        setReport(answer);
        setSelected(new Set());
      },
    });
  };
  const tableColumns = canWrite ? [selectionColumn(selected, toggle), ...columns] : columns;
  return (
    <>
      <PageTitle title="Actes">Actes : {auth.current?.name}</PageTitle>
      <ActsNav memberId={memberId} canWrite={canWrite} />
      <div className="page-header">
        <p className="lead">
          Délibérations, arrêtés et autres actes de la structure : transmission au contrôle de légalité et
          publication électronique.
          {!canWrite && ' Votre rôle vous permet de les consulter.'}
        </p>
        {canWrite && <ButtonLink to="/espace/actes/nouveau">Créer un acte</ButtonLink>}
      </div>
      <ActFilters
        search={search}
        withStatus
        label="Filtres du registre des actes"
        onSearch={(next) => navigate({ to: '/espace/actes', search: next })}
      />
      <QueryView query={acts} loadingLabel="Chargement du registre…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun acte ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p role="status">
                <strong>{countOfTotal(page, 'acte trouvé', 'actes trouvés')}</strong>
              </p>
              {canWrite && (page.items.some((a) => a.status === 'ready') || selected.size > 0) && (
                <div className="acts-actions">
                  <Button onClick={transmitSelection} pending={transmit.isPending}>
                    Transmettre la sélection
                  </Button>
                  <span>{countOf(selected.size, 'acte prêt sélectionné', 'actes prêts sélectionnés')}</span>
                </div>
              )}
              {nothingChosen && (
                <Alert type="error" live>
                  <p>Cochez au moins un acte prêt à transmettre.</p>
                </Alert>
              )}
              {transmit.isError && (
                <Alert type="error" title="Transmission impossible" live>
                  <p>{errorMessage(transmit.error)}</p>
                </Alert>
              )}
              {report && <BulkReport report={report} />}
              <Table
                caption="Registre des actes"
                columns={tableColumns}
                rows={page.items}
                rowKey={(a) => a.id}
              />
              <Pagination
                label="Pagination du registre"
                pageIndex={pages.pageIndex}
                pageSize={ACTS_PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                totalIsExact={page.totalIsExact}
                totalIsEstimate={page.totalIsEstimate}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
      <SessionList memberId={memberId} />
    </>
  );
}

/** The list of a council session's deliberations, generated by Socle, to publish within the week. */
function SessionList({ memberId }: { memberId: string }) {
  const id = useId();
  const [sessionOn, setSessionOn] = useState('');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(sessionOn);
  return (
    <section aria-labelledby={`${id}-titre`}>
      <h2 id={`${id}-titre`}>Liste des délibérations d'une séance</h2>
      <p>
        La liste des délibérations examinées en séance est publiée dans la semaine qui suit. Socle l'établit à
        partir des actes rattachés à la date de la séance.
      </p>
      <div className="filters">
        <TextField
          id={`${id}-date`}
          type="date"
          label="Date de la séance"
          value={sessionOn}
          onChange={(e) => setSessionOn(e.target.value)}
        />
        <div className="actions row">
          {valid ? (
            <a className="btn btn--secondary" href={deliberationsListUrl(memberId, sessionOn)}>
              Télécharger la liste du {formatDate(sessionOn)} (PDF)
            </a>
          ) : (
            <span className="muted">Choisissez une date pour obtenir la liste.</span>
          )}
        </div>
      </div>
    </section>
  );
}
