import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { ACT_NATURE_LABELS } from '../../../contracts/acts.js';
import { countOfTotal } from '../../../contracts/french.js';
import { EmptyState, formatDate, PageTitle, Pagination, QueryView, useCursorPages } from '../../ui/index.js';
import {
  PUBLIC_ACTS_PAGE_SIZE,
  type PublicAct,
  publicActDocumentUrl,
  publicCsvUrl,
  publicFeedUrl,
  usePublicActs,
  usePublicMember,
} from './api.js';
import { Sha256 } from './components.js';
import { ActFilters, type ActUrlSearch, toApiSearch } from './filters.js';

type PortalSearch = ActUrlSearch & { embed?: string };

/**
 * A member's published acts, without login: searchable by words of the subject (accents and case
 * ignored), nature, matière and dates, each with its PDF, publication date, prefecture identifier and
 * SHA-256. With `?embed=1` the page has no header nor footer, for an iframe on the member's website.
 */
export function PublicActsPage() {
  const { memberId } = useParams({ from: '/adherents/$memberId/actes' });
  const search = useSearch({ from: '/adherents/$memberId/actes' }) as PortalSearch;
  const embed = search.embed === '1';
  const navigate = useNavigate();
  const member = usePublicMember(memberId);
  const apiSearch = toApiSearch(search, false);
  const pages = useCursorPages(JSON.stringify(apiSearch));
  const acts = usePublicActs(memberId, apiSearch, pages.cursor);
  const name = member.data?.name;
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const portalUrl = `${origin}/adherents/${memberId}/actes`;
  return (
    <div className={embed ? 'acts-embed' : undefined}>
      <PageTitle title={name ? `Actes publiés : ${name}` : 'Actes publiés'} />
      {!embed && (
        <p className="lead">
          Délibérations, arrêtés et autres actes publiés sous forme électronique par la structure. Chaque PDF
          porte sa mention de publication ; son empreinte SHA-256 permet de vérifier qu'il n'a pas été
          modifié.
        </p>
      )}
      <ActFilters
        search={search}
        withStatus={false}
        label="Rechercher dans les actes publiés"
        onSearch={(next) =>
          navigate({
            to: '/adherents/$memberId/actes',
            params: { memberId },
            search: embed ? { ...next, embed: '1' } : next,
          })
        }
      />
      <section aria-labelledby="resultats-titre">
        <h2 id="resultats-titre">Actes publiés</h2>
        <QueryView query={acts} loadingLabel="Chargement des actes publiés…">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>Aucun acte publié ne correspond à ces critères.</EmptyState>
            ) : (
              <>
                <p role="status">
                  <strong>{countOfTotal(page, 'acte publié', 'actes publiés')}</strong>
                </p>
                <ol className="acts-results">
                  {page.items.map((act) => (
                    <PublicActItem key={act.id} act={act} />
                  ))}
                </ol>
                <Pagination
                  label="Pagination des actes publiés"
                  pageIndex={pages.pageIndex}
                  pageSize={PUBLIC_ACTS_PAGE_SIZE}
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
      </section>
      {embed ? (
        <p>
          <a href={portalUrl} target="_blank" rel="noopener">
            Tous les actes publiés de {name ?? 'la structure'}
            <span className="sr-only"> (nouvelle fenêtre)</span>
          </a>
        </p>
      ) : (
        <Reuse memberId={memberId} name={name} portalUrl={portalUrl} search={apiSearch} />
      )}
    </div>
  );
}

function PublicActItem({ act }: { act: PublicAct }) {
  const titleId = `acte-${act.id}`;
  return (
    <li>
      <article className="acts-result" aria-labelledby={titleId}>
        <h3 id={titleId}>{act.subject}</h3>
        <dl className="dl">
          <dt>Nature</dt>
          <dd>
            {ACT_NATURE_LABELS[act.nature]} n° {act.number}
          </dd>
          <dt>Matière</dt>
          <dd>
            {act.classification}
            {act.classificationLabel && ` — ${act.classificationLabel}`}
          </dd>
          <dt>Décidé le</dt>
          <dd>{formatDate(act.decidedOn)}</dd>
          <dt>Publié le</dt>
          <dd>{formatDate(act.publishedAt)}</dd>
          {act.prefectureId && (
            <>
              <dt>Identifiant préfecture</dt>
              <dd>
                <code className="acts-hash">{act.prefectureId}</code>
              </dd>
            </>
          )}
          {act.executoryOn && (
            <>
              <dt>Exécutoire depuis le</dt>
              <dd>{formatDate(act.executoryOn)}</dd>
            </>
          )}
          <dt>Empreinte SHA-256</dt>
          <dd>
            <Sha256 value={act.sha256} />
          </dd>
          {act.correctedByActId && (
            <>
              <dt>Rectification</dt>
              <dd>
                Cet acte a été rectifié par un acte publié depuis :{' '}
                <a href={publicActDocumentUrl(act.memberId, act.correctedByActId)} type="application/pdf">
                  l'acte rectificatif (PDF)
                </a>
              </dd>
            </>
          )}
          {act.correctsActId && (
            <>
              <dt>Rectification</dt>
              <dd>
                Cet acte rectifie un acte publié auparavant :{' '}
                <a href={publicActDocumentUrl(act.memberId, act.correctsActId)} type="application/pdf">
                  l'acte rectifié (PDF)
                </a>
              </dd>
            </>
          )}
        </dl>
        <p className="acts-result__download">
          <a href={act.documentUrl} type="application/pdf">
            Télécharger l'acte n° {act.number} (PDF)
          </a>
        </p>
      </article>
    </li>
  );
}

/** Open data and reuse on the member's own website: the SCDL CSV, the JSON feed, the iframe. */
function Reuse({
  memberId,
  name,
  portalUrl,
  search,
}: {
  memberId: string;
  name: string | undefined;
  portalUrl: string;
  search: ReturnType<typeof toApiSearch>;
}) {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const iframe = `<iframe src="${portalUrl}?embed=1" title="Actes publiés${name ? ` : ${name}` : ''}" width="100%" height="800" style="border:0"></iframe>`;
  return (
    <section aria-labelledby="reutiliser-titre">
      <h2 id="reutiliser-titre">Réutiliser ces données</h2>
      <ul>
        <li>
          <a href={publicCsvUrl(memberId)} download>
            Délibérations publiées au format CSV (schéma SCDL « Délibérations »)
          </a>
        </li>
        <li>
          Flux JSON (les mêmes critères de recherche : <code>q</code>, <code>nature</code>,{' '}
          <code>classification</code>, <code>from</code>, <code>to</code>, <code>limit</code>,{' '}
          <code>cursor</code>) :{' '}
          <a href={publicFeedUrl(memberId, search)}>
            <code className="acts-hash">{`${origin}${publicFeedUrl(memberId)}`}</code>
          </a>
        </li>
      </ul>
      <h3>Intégrer la liste au site de la structure</h3>
      <p>
        Copiez ce code dans une page du site : la liste s'affiche sans l'en-tête ni le pied de page de Socle.
      </p>
      <pre>
        <code className="acts-snippet">{iframe}</code>
      </pre>
    </section>
  );
}
