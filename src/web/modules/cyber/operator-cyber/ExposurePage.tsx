import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { EXPOSURE_STATE_LABELS, EXPOSURE_STATES } from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import {
  Button,
  Card,
  EmptyState,
  Form,
  formatDate,
  formatDateTime,
  formatNumber,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  useCursorPages,
} from '../../../ui/index.js';
import { type AdvisoryDetail, EXPOSURE_PAGE_SIZE, useAdvisory, useExposure } from '../api.js';
import { ExposureBadge, Figure, OperatorCyberNav, SeverityBadge } from '../components.js';

/** One advisory seen by the cyber team: what it concerns, and which members are exposed, filterable. */
export function ExposurePage() {
  const { advisoryId } = useParams({ from: '/operateur/cyber/avis/$advisoryId' });
  const advisory = useAdvisory(advisoryId);
  return (
    <QueryView query={advisory} loadingLabel="Chargement de l’avis…">
      {(a) => (
        <>
          <PageTitle title={`Avis ${a.reference}`}>
            Avis {a.reference} : {a.title}
          </PageTitle>
          <OperatorCyberNav />
          <AdvisoryFacts advisory={a} />
          <Exposure advisoryId={advisoryId} />
        </>
      )}
    </QueryView>
  );
}

function AdvisoryFacts({ advisory: a }: { advisory: AdvisoryDetail }) {
  return (
    <section aria-labelledby="avis-faits">
      <h2 id="avis-faits">L’avis</h2>
      <dl className="dl">
        <dt>Gravité</dt>
        <dd>
          <SeverityBadge severity={a.severity} />
        </dd>
        <dt>Éditeur de l’avis</dt>
        <dd>{a.publisher ?? '—'}</dd>
        <dt>Publié le</dt>
        <dd>{formatDate(a.publishedAt)}</dd>
        <dt>Importé le</dt>
        <dd>{formatDateTime(a.importedAt)}</dd>
        <dt>Échéance de traitement</dt>
        <dd>{formatDate(a.dueOn)}</dd>
        <dt>Vulnérabilités (CVE)</dt>
        <dd>{a.cves.length ? a.cves.join(', ') : '—'}</dd>
        {a.url && (
          <>
            <dt>Source</dt>
            <dd>
              <a href={a.url} rel="noreferrer" target="_blank">
                {a.url} (nouvelle fenêtre)
              </a>
            </dd>
          </>
        )}
      </dl>
      {a.summary && <p>{a.summary}</p>}
      <Table
        caption="Produits concernés"
        rows={a.products}
        rowKey={(p) => `${p.vendor}|${p.product}|${p.version}|${p.versionRange}|${p.cpe}`}
        columns={[
          { key: 'vendor', header: 'Éditeur', render: (p) => p.vendor },
          { key: 'product', header: 'Produit', rowHeader: true, render: (p) => p.product },
          {
            key: 'versions',
            header: 'Versions',
            render: (p) => <code>{p.version ?? p.versionRange ?? '—'}</code>,
          },
          { key: 'cpe', header: 'Nom CPE', render: (p) => (p.cpe ? <code>{p.cpe}</code> : '—') },
        ]}
      />
    </section>
  );
}

interface UrlSearch {
  etat?: string;
}

function Exposure({ advisoryId }: { advisoryId: string }) {
  const search = useSearch({ from: '/operateur/cyber/avis/$advisoryId' }) as UrlSearch;
  const navigate = useNavigate();
  const pages = useCursorPages(search.etat ?? '');
  const exposure = useExposure(advisoryId, search.etat, pages.cursor);
  return (
    <section aria-labelledby="exposition-titre">
      <h2 id="exposition-titre">Exposition des structures</h2>
      {exposure.data && (
        <div className="grid">
          <Card title="Concernées" headingLevel={3}>
            <Figure
              value={formatNumber(exposure.data.counts.affected)}
              label="structures utilisant un produit visé"
            />
          </Card>
          <Card title="Traitées" headingLevel={3}>
            <Figure
              value={formatNumber(exposure.data.counts.remediated)}
              label="tous leurs équipements traités"
            />
          </Card>
          <Card title="En retard" headingLevel={3}>
            <Figure
              value={formatNumber(exposure.data.counts.overdue)}
              label="échéance passée, non traitées"
            />
          </Card>
        </div>
      )}
      <Form
        id="filtre-exposition"
        aria-label="Filtrer les structures"
        className="filters"
        onSubmit={(data) => {
          const etat = String(data.get('etat') ?? '');
          navigate({
            to: '/operateur/cyber/avis/$advisoryId',
            params: { advisoryId },
            search: { etat: etat || undefined },
          });
        }}
      >
        <SelectField
          name="etat"
          label="État"
          placeholder="Tous"
          options={optionsOf(EXPOSURE_STATE_LABELS, EXPOSURE_STATES)}
          defaultValue={search.etat ?? ''}
        />
        <div className="actions">
          <Button type="submit" variant="secondary">
            Filtrer
          </Button>
        </div>
      </Form>
      <QueryView query={exposure} loadingLabel="Chargement de l’exposition…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune structure dans cet état.</EmptyState>
          ) : (
            <>
              <p role="status">{countOf(page.total, 'structure', 'structures')}</p>
              <Table
                caption="Structures exposées à l’avis"
                rows={page.items}
                rowKey={(e) => e.memberId}
                columns={[
                  {
                    key: 'member',
                    header: 'Structure',
                    rowHeader: true,
                    render: (e) => (
                      <Link
                        to="/operateur/cyber/adherents/$memberId/avis/$advisoryId"
                        params={{ memberId: e.memberId, advisoryId }}
                      >
                        {e.memberName}
                      </Link>
                    ),
                  },
                  { key: 'state', header: 'État', render: (e) => <ExposureBadge state={e.state} /> },
                  {
                    key: 'assets',
                    header: 'Équipements traités',
                    numeric: true,
                    render: (e) => `${formatNumber(e.remediatedAssets)} sur ${formatNumber(e.assets)}`,
                  },
                  {
                    key: 'due',
                    header: 'Échéance',
                    render: (e) =>
                      e.state === 'overdue' ? (
                        <span className="cyber-overdue">{formatDate(e.dueOn)} (dépassée)</span>
                      ) : (
                        formatDate(e.dueOn)
                      ),
                  },
                  {
                    key: 'notified',
                    header: 'Prévenue le',
                    render: (e) => (e.notifiedAt ? formatDateTime(e.notifiedAt) : 'Pas encore'),
                  },
                ]}
              />
              <Pagination
                label="Pagination des structures exposées"
                pageIndex={pages.pageIndex}
                pageSize={EXPOSURE_PAGE_SIZE}
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
    </section>
  );
}
