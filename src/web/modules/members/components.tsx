import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId } from 'react';
import {
  MEMBER_KIND_LABELS,
  MEMBER_KINDS,
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_STATUSES,
  type MemberSummary,
  type MembershipStatus,
} from '../../../contracts/members.js';
import {
  Badge,
  type BadgeTone,
  Button,
  type Column,
  formatNumber,
  optionsOf,
  SelectField,
  TextField,
} from '../../ui/index.js';
import { type MemberSearch, useMemberStats } from './api.js';

const STATUS_TONES: Record<MembershipStatus, BadgeTone> = {
  prospect: 'default',
  requested: 'new',
  accepted: 'info',
  member: 'success',
  withdrawal_requested: 'warning',
  withdrawn: 'error',
};

export function StatusBadge({ status }: { status: MembershipStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{MEMBERSHIP_STATUS_LABELS[status]}</Badge>;
}

export const kindLabel = (kind: string, epciType?: string | null) =>
  kind === 'epci' && epciType
    ? `EPCI (${epciType})`
    : (MEMBER_KIND_LABELS[kind as keyof typeof MEMBER_KIND_LABELS] ?? kind);

export const KIND_OPTIONS = optionsOf(MEMBER_KIND_LABELS, MEMBER_KINDS);
export const STATUS_OPTIONS = optionsOf(MEMBERSHIP_STATUS_LABELS, MEMBERSHIP_STATUSES);

/** The départements of the operator's territory, from the public statistics. */
export function useDepartementOptions() {
  const stats = useMemberStats();
  return (stats.data?.byDepartement ?? []).map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` }));
}

/**
 * Filters live in the URL (shareable, back button works). Submitting replaces them; the sort is kept.
 */
export function MemberFiltersForm({
  search,
  to,
}: {
  search: MemberSearch;
  to: '/adherents' | '/operateur/adherents';
}) {
  const navigate = useNavigate();
  const departements = useDepartementOptions();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: MemberSearch = { sort: search.sort };
    for (const key of ['q', 'kind', 'departement', 'status'] as const) {
      const value = String(data.get(key) ?? '').trim();
      if (value) next[key] = value;
    }
    navigate({ to, search: next });
  };
  const hasFilters = !!(search.q || search.kind || search.departement || search.status);
  return (
    <search aria-label="Filtres des adhérents">
      <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
        <TextField
          id={`${id}-q`}
          name="q"
          label="Rechercher"
          hint="Nom, SIREN ou code INSEE"
          defaultValue={search.q ?? ''}
          type="search"
        />
        <SelectField
          id={`${id}-kind`}
          name="kind"
          label="Type de structure"
          placeholder="Tous les types"
          options={KIND_OPTIONS}
          defaultValue={search.kind ?? ''}
        />
        <SelectField
          id={`${id}-departement`}
          name="departement"
          label="Département"
          placeholder="Tous les départements"
          options={departements}
          defaultValue={search.departement ?? ''}
          key={departements.length}
        />
        <SelectField
          id={`${id}-status`}
          name="status"
          label="Statut d'adhésion"
          placeholder="Tous les statuts"
          options={STATUS_OPTIONS}
          defaultValue={search.status ?? ''}
        />
        <div className="actions row">
          <Button type="submit">Filtrer</Button>
          {hasFilters && (
            <Button variant="tertiary" onClick={() => navigate({ to, search: { sort: search.sort } })}>
              Effacer les filtres
            </Button>
          )}
        </div>
      </form>
    </search>
  );
}

export function memberColumns(linkToOperatorPage: boolean): Column<MemberSummary>[] {
  return [
    {
      key: 'name',
      header: 'Nom',
      sortKey: 'name',
      rowHeader: true,
      render: (m) =>
        linkToOperatorPage ? (
          <Link to="/operateur/adherents/$memberId" params={{ memberId: m.id }}>
            {m.name}
          </Link>
        ) : (
          m.name
        ),
    },
    { key: 'kind', header: 'Type', render: (m) => kindLabel(m.kind, m.epciType) },
    { key: 'departement', header: 'Département', render: (m) => m.departementCode ?? '—' },
    { key: 'siren', header: 'SIREN', render: (m) => m.siren },
    {
      key: 'population',
      header: 'Population',
      sortKey: 'population',
      numeric: true,
      render: (m) => formatNumber(m.population),
    },
    { key: 'status', header: 'Statut', sortKey: 'status', render: (m) => <StatusBadge status={m.status} /> },
  ];
}
