import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ACT_STATUS_LABELS, ACT_STATUSES, type ActStatus } from '../../../contracts/acts.js';
import { countOfTotal } from '../../../contracts/french.js';
import { errorMessage } from '../../app/api.js';
import {
  Alert,
  Button,
  Card,
  type Column,
  EmptyState,
  formatDate,
  formatDateTime,
  formatNumber,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SearchComboBox,
  SelectField,
  Table,
  useCursorPages,
} from '../../ui/index.js';
import { searchMembers } from '../members/api.js';
import {
  TRANSMISSIONS_PAGE_SIZE,
  type TransmissionItem,
  type TransmissionVolumes,
  useRetryTransmission,
  useTransmissions,
  useTransmissionVolumes,
} from './api.js';
import { ActStatusBadge, natureLabel, useIsDemat } from './components.js';

type OperatorSearch = Partial<Record<'statut' | 'structure', string>>;

const MONTHS = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric' });
const monthLabel = (month: string) => MONTHS.format(new Date(`${month}-15T12:00:00`));

/** Every member's transmissions for the operator's support (`demat` scope): errors, volumes, retries. */
export function TransmissionsPage() {
  const isDemat = useIsDemat();
  if (!isDemat) {
    return (
      <>
        <PageTitle title="Accès refusé" />
        <Alert type="warning" title="Réservé à l'équipe dématérialisation">
          <p>
            Cette page est accessible aux agents de l'opérateur qui ont le périmètre « Dématérialisation des
            actes » et aux administrateurs.
          </p>
        </Alert>
      </>
    );
  }
  return <Transmissions />;
}

function Transmissions() {
  const search = useSearch({ from: '/operateur/teletransmission' }) as OperatorSearch;
  const navigate = useNavigate();
  const status = (ACT_STATUSES as readonly string[]).includes(search.statut ?? '')
    ? search.statut
    : undefined;
  const apiSearch = { status, memberId: search.structure };
  const pages = useCursorPages(JSON.stringify(apiSearch));
  const transmissions = useTransmissions(apiSearch, pages.cursor);
  const volumes = useTransmissionVolumes();
  const retry = useRetryTransmission();
  const [retried, setRetried] = useState<{ number: string; error?: unknown } | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (retried) outcome.current?.focus();
  }, [retried]);

  const columns: Column<TransmissionItem>[] = [
    { key: 'member', header: 'Structure', rowHeader: true, render: (t) => t.memberName },
    {
      key: 'act',
      header: 'Acte',
      render: (t) => (
        <>
          <strong>{t.number}</strong> — {natureLabel(t.nature)}
          <br />
          <span className="acts-subject">{t.subject}</span>
        </>
      ),
    },
    { key: 'decided', header: 'Décidé le', render: (t) => formatDate(t.decidedOn) },
    { key: 'status', header: 'Statut', render: (t) => <ActStatusBadge status={t.status} /> },
    {
      key: 'transmitted',
      header: 'Transmission',
      render: (t) => (
        <>
          {t.transmittedAt ? `Transmis le ${formatDateTime(t.transmittedAt)}` : '—'}
          {t.acknowledgedAt && (
            <>
              <br />
              Accusé le {formatDateTime(t.acknowledgedAt)}
            </>
          )}
          {t.prefectureId && (
            <>
              <br />
              <code className="acts-hash">{t.prefectureId}</code>
            </>
          )}
        </>
      ),
    },
    {
      key: 'error',
      header: "Motif de l'erreur",
      render: (t) => (t.status === 'error' ? (t.errorMessage ?? 'Motif non communiqué') : '—'),
    },
    {
      key: 'actions',
      header: 'Actions',
      render: (t) =>
        t.status === 'error' ? (
          <Button
            small
            variant="secondary"
            pending={retry.isPending && retry.variables?.actId === t.id}
            aria-label={`Relancer la transmission de l'acte ${t.number} (${t.memberName})`}
            onClick={() =>
              retry.mutate(
                { memberId: t.memberId, actId: t.id },
                {
                  onSuccess: () => setRetried({ number: t.number }),
                  onError: (error) => setRetried({ number: t.number, error }),
                },
              )
            }
          >
            Relancer
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageTitle title="Télétransmission des actes" />
      <p className="lead">
        Les transmissions au contrôle de légalité de toutes les structures : suivez les erreurs, relancez une
        transmission en échec, mesurez les volumes.
      </p>
      <QueryView query={volumes} loadingLabel="Chargement des volumes…">
        {(v) => <Volumes volumes={v} />}
      </QueryView>
      <h2>Transmissions</h2>
      <Filters
        search={search}
        onSearch={(next) => navigate({ to: '/operateur/teletransmission', search: next })}
      />
      <div ref={outcome} tabIndex={-1}>
        {retried && !retried.error && (
          <Alert type="success" live>
            <p>Transmission de l'acte {retried.number} relancée.</p>
          </Alert>
        )}
        {retried?.error !== undefined && (
          <Alert type="error" title="Relance impossible" live>
            <p>{errorMessage(retried.error)}</p>
          </Alert>
        )}
      </div>
      <QueryView query={transmissions} loadingLabel="Chargement des transmissions…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune transmission ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p role="status">
                <strong>{countOfTotal(page, 'acte', 'actes')}</strong>
              </p>
              <Table
                caption="Transmissions des structures"
                columns={columns}
                rows={page.items}
                rowKey={(t) => t.id}
              />
              <Pagination
                label="Pagination des transmissions"
                pageIndex={pages.pageIndex}
                pageSize={TRANSMISSIONS_PAGE_SIZE}
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
    </>
  );
}

function Filters({ search, onSearch }: { search: OperatorSearch; onSearch: (next: OperatorSearch) => void }) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: OperatorSearch = {};
    const statut = String(data.get('statut') ?? '');
    const structure = String(data.get('structure') ?? '');
    if (statut) next.statut = statut;
    if (structure) next.structure = structure;
    else if (search.structure) next.structure = search.structure;
    onSearch(next);
  };
  return (
    <search aria-label="Filtres des transmissions">
      <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
        <SelectField
          id={`${id}-statut`}
          name="statut"
          label="Statut"
          placeholder="Tous les statuts"
          options={optionsOf(ACT_STATUS_LABELS, ACT_STATUSES)}
          defaultValue={search.statut ?? ''}
        />
        <SearchComboBox
          name="structure"
          label="Structure"
          hint={
            search.structure
              ? 'Une structure est choisie ; « Effacer les filtres » la retire.'
              : 'Toutes les structures'
          }
          queryKey="acts-transmissions-members"
          search={searchMembers}
        />
        <div className="actions row">
          <Button type="submit">Filtrer</Button>
          {(search.statut || search.structure) && (
            <Button variant="tertiary" onClick={() => onSearch({})}>
              Effacer les filtres
            </Button>
          )}
        </div>
      </form>
    </search>
  );
}

const STATUS_ORDER: ActStatus[] = ['transmitting', 'error', 'acknowledged', 'ready', 'draft', 'cancelled'];

function Volumes({ volumes }: { volumes: TransmissionVolumes }) {
  const max = Math.max(1, ...volumes.byMonth.map((m) => m.count));
  return (
    <div className="grid grid--2">
      <Card title="Actes par statut">
        <table className="table">
          <caption className="sr-only">Nombre d'actes par statut</caption>
          <thead>
            <tr>
              <th scope="col">Statut</th>
              <th scope="col" className="num">
                Actes
              </th>
            </tr>
          </thead>
          <tbody>
            {STATUS_ORDER.map((s) => (
              <tr key={s}>
                <th scope="row">
                  <Link to="/operateur/teletransmission" search={{ statut: s }}>
                    {ACT_STATUS_LABELS[s]}
                  </Link>
                </th>
                <td className="num">{formatNumber(volumes.byStatus[s] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Transmissions par mois">
        {volumes.byMonth.length === 0 ? (
          <p>Aucune transmission sur les douze derniers mois.</p>
        ) : (
          <ul className="acts-bars">
            {volumes.byMonth.map((m) => (
              <li key={m.month}>
                <span>{monthLabel(m.month)}</span>
                <span className="acts-bars__track" aria-hidden="true">
                  <span className="acts-bars__fill" style={{ width: `${(m.count / max) * 100}%` }} />
                </span>
                <span className="num">{formatNumber(m.count)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
