import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useId } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { countOfTotal } from '../../../contracts/french.js';
import { EPCI_TYPE_LABELS } from '../../../contracts/members.js';
import {
  Button,
  EmptyState,
  formatNumber,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import { PAGE_SIZE, type TerritorySearch, useCommunes, useDepartements, useEpcis } from './api.js';

type View = 'communes' | 'epci';

function TerritoryFilters({ search, view }: { search: TerritorySearch; view: View }) {
  const navigate = useNavigate();
  const departements = useDepartements();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const q = String(data.get('q') ?? '').trim();
    const departement = String(data.get('departement') ?? '');
    navigate({
      to: '/operateur/territoire',
      search: { vue: view, ...(q ? { q } : {}), ...(departement ? { departement } : {}) },
    });
  };
  const options = (departements.data?.items ?? []).map((d) => ({
    value: d.code,
    label: `${d.code} — ${d.name}`,
  }));
  return (
    <search aria-label="Filtres du territoire">
      <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
        <TextField
          id={`${id}-q`}
          name="q"
          type="search"
          label="Rechercher"
          hint={
            view === 'communes'
              ? 'Nom (accents et tirets facultatifs), code INSEE ou code postal'
              : 'Nom ou SIREN'
          }
          defaultValue={search.q ?? ''}
        />
        <SelectField
          id={`${id}-departement`}
          name="departement"
          label="Département"
          placeholder="Tous les départements"
          options={options}
          defaultValue={search.departement ?? ''}
          key={options.length}
        />
        <div className="actions">
          <Button type="submit">Rechercher</Button>
        </div>
      </form>
    </search>
  );
}

function CommunesTable({ search }: { search: TerritorySearch }) {
  const pages = useCursorPages(JSON.stringify(search));
  const communes = useCommunes(search, pages.cursor);
  return (
    <QueryView query={communes} loadingLabel="Recherche des communes…">
      {(page) =>
        page.items.length === 0 ? (
          <EmptyState>Aucune commune ne correspond à cette recherche.</EmptyState>
        ) : (
          <>
            <Table
              caption={`Communes (${countOfTotal(page, 'résultat', 'résultats')})`}
              rows={page.items}
              rowKey={(c) => c.code}
              columns={[
                { key: 'name', header: 'Commune', rowHeader: true, render: (c) => c.name },
                { key: 'code', header: 'Code INSEE', render: (c) => c.code },
                { key: 'cp', header: 'Codes postaux', render: (c) => c.postalCodes.join(', ') || '—' },
                { key: 'dep', header: 'Département', render: (c) => c.departementCode },
                {
                  key: 'pop',
                  header: 'Population',
                  numeric: true,
                  render: (c) => formatNumber(c.population),
                },
                {
                  key: 'epci',
                  header: 'EPCI',
                  render: (c) =>
                    c.epciCode ? (
                      <Link to="/operateur/territoire/epci/$code" params={{ code: c.epciCode }}>
                        {c.epciName ?? c.epciCode}
                      </Link>
                    ) : (
                      'Aucun'
                    ),
                },
              ]}
            />
            <Pagination
              label="Pagination des communes"
              pageIndex={pages.pageIndex}
              pageSize={PAGE_SIZE}
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
  );
}

function EpciTable({ search }: { search: TerritorySearch }) {
  const pages = useCursorPages(JSON.stringify(search));
  const epcis = useEpcis(search, pages.cursor);
  return (
    <QueryView query={epcis} loadingLabel="Recherche des EPCI…">
      {(page) =>
        page.items.length === 0 ? (
          <EmptyState>Aucun EPCI ne correspond à cette recherche.</EmptyState>
        ) : (
          <>
            <Table
              caption={`EPCI (${formatNumber(page.total)} résultats)`}
              rows={page.items}
              rowKey={(e) => e.code}
              columns={[
                {
                  key: 'name',
                  header: 'EPCI',
                  rowHeader: true,
                  render: (e) => (
                    <Link to="/operateur/territoire/epci/$code" params={{ code: e.code }}>
                      {e.name}
                    </Link>
                  ),
                },
                { key: 'code', header: 'SIREN', render: (e) => e.code },
                { key: 'type', header: 'Type', render: (e) => EPCI_TYPE_LABELS[e.type] ?? e.type },
                { key: 'deps', header: 'Départements', render: (e) => e.departementCodes.join(', ') },
                {
                  key: 'members',
                  header: 'Communes membres',
                  numeric: true,
                  render: (e) => formatNumber(e.memberCount),
                },
                {
                  key: 'pop',
                  header: 'Population',
                  numeric: true,
                  render: (e) => formatNumber(e.population),
                },
              ]}
            />
            <Pagination
              label="Pagination des EPCI"
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
  );
}

export function TerritoryPage() {
  const { q, departement, vue } = useSearch({ from: '/operateur/territoire' });
  const navigate = useNavigate();
  const view: View = vue === 'epci' ? 'epci' : 'communes';
  const search: TerritorySearch = { ...(q ? { q } : {}), ...(departement ? { departement } : {}) };
  return (
    <>
      <PageTitle title="Territoire" />
      <p className="lead">
        Communes et intercommunalités issues des données officielles (découpage administratif de l'INSEE,
        Etalab).
      </p>
      <Tabs
        className="tabs"
        selectedKey={view}
        onSelectionChange={(key) =>
          navigate({ to: '/operateur/territoire', search: { ...search, vue: String(key) } })
        }
      >
        <TabList aria-label="Type de territoire">
          <Tab id="communes">Communes</Tab>
          <Tab id="epci">EPCI</Tab>
        </TabList>
        <TabPanel id="communes">
          <TerritoryFilters search={search} view="communes" />
          <CommunesTable search={search} />
        </TabPanel>
        <TabPanel id="epci">
          <TerritoryFilters search={search} view="epci" />
          <EpciTable search={search} />
        </TabPanel>
      </Tabs>
    </>
  );
}
