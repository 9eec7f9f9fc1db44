import { useNavigate } from '@tanstack/react-router';
import { countOfTotal } from '../../../contracts/french.js';
import {
  EmptyState,
  formatSort,
  Pagination,
  parseSort,
  QueryView,
  Table,
  useCursorPages,
} from '../../ui/index.js';
import { type MemberSearch, PAGE_SIZE, useMembers } from './api.js';
import { MemberFiltersForm, memberColumns } from './components.js';

/** The filtered, sorted, paginated list of members, shared by the public and operator pages. */
export function MembersList({
  search,
  to,
}: {
  search: MemberSearch;
  to: '/adherents' | '/operateur/adherents';
}) {
  const navigate = useNavigate();
  const filterKey = JSON.stringify(search);
  const pages = useCursorPages(filterKey);
  const query = useMembers(search, pages.cursor);
  const sort = parseSort(search.sort, { key: 'name', direction: 'asc' });
  return (
    <>
      <MemberFiltersForm search={search} to={to} />
      <QueryView query={query} loadingLabel="Chargement des adhérents…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune structure ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p aria-live="polite">
                <strong>{countOfTotal(page, 'structure trouvée', 'structures trouvées')}</strong>
              </p>
              <Table
                caption="Liste des structures"
                columns={memberColumns(to === '/operateur/adherents')}
                rows={page.items}
                rowKey={(m) => m.id}
                sort={sort}
                onSort={(next) => navigate({ to, search: { ...search, sort: formatSort(next) } })}
              />
              <Pagination
                label="Pagination des adhérents"
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
    </>
  );
}
