import { Link } from '@tanstack/react-router';
import { euros } from '../../../../contracts/french.js';
import { MEMBER_KIND_LABELS, type MemberKind } from '../../../../contracts/members.js';
import { formatDate, formatNumber, PageTitle, QueryView } from '../../../ui/index.js';
import { type OperatorOverview, useOperatorOverview } from '../api.js';

const kindLabel = (kind: string) => MEMBER_KIND_LABELS[kind as MemberKind] ?? kind;

/** Members by département (rows) and kind (columns), with totals. */
function MembersTable({ overview }: { overview: OperatorOverview }) {
  const kinds = [...new Set(overview.membersByDepartement.map((r) => r.kind))].sort((a, b) =>
    kindLabel(a).localeCompare(kindLabel(b), 'fr'),
  );
  const departements = [...new Set(overview.membersByDepartement.map((r) => r.departement ?? ''))].sort();
  const count = (d: string, k: string) =>
    overview.membersByDepartement.find((r) => (r.departement ?? '') === d && r.kind === k)?.count ?? 0;
  const rowTotal = (d: string) => kinds.reduce((sum, k) => sum + count(d, k), 0);
  return (
    // Wider than a phone: the region scrolls and takes the focus, so a keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-wrap" tabIndex={0} aria-label="Adhérents par département et par type">
      <table className="table">
        <caption>Adhérents par département et par type</caption>
        <thead>
          <tr>
            <th scope="col">Département</th>
            {kinds.map((k) => (
              <th key={k} scope="col" className="num">
                {kindLabel(k)}
              </th>
            ))}
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {departements.map((d) => (
            <tr key={d || 'none'}>
              <th scope="row">{d || 'Sans département'}</th>
              {kinds.map((k) => (
                <td key={k} className="num">
                  {formatNumber(count(d, k))}
                </td>
              ))}
              <td className="num">{formatNumber(rowTotal(d))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The operator on one page for the comité's officials: members by département and kind, services and
 * their subscribers, the year's budget and what pooling saves members. Readable on a phone.
 */
export function OperatorOverviewPage() {
  const overview = useOperatorOverview();
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/espace/elu">Espace élu</Link>
          </li>
          <li aria-current="page">Le syndicat en une page</li>
        </ol>
      </nav>
      <PageTitle title="Le syndicat en une page" />
      <QueryView query={overview} loadingLabel="Chargement des chiffres du syndicat…">
        {(o) => (
          <>
            <ul className="gov-figures" aria-label={`Chiffres clés ${o.year}`}>
              <li>
                <span className="stat">{formatNumber(o.membersTotal)}</span>
                <span className="stat-label">adhérents</span>
              </li>
              <li>
                <span className="stat">{formatNumber(o.services.length)}</span>
                <span className="stat-label">services au catalogue</span>
              </li>
              <li>
                <span className="stat">{euros(o.budgetCents)}</span>
                <span className="stat-label">budget des services {o.year}</span>
              </li>
              {o.savingsCents !== null && (
                <li>
                  <span className="stat">{euros(o.savingsCents)}</span>
                  <span className="stat-label">économisés par les adhérents en {o.year}</span>
                </li>
              )}
            </ul>
            <p>
              {o.pricingAdoptedOn
                ? `Tarifs ${o.year} adoptés par le comité syndical le ${formatDate(o.pricingAdoptedOn)}.`
                : `Les tarifs ${o.year} n'ont pas encore été adoptés par le comité syndical.`}{' '}
              <Link to="/tarifs" search={{ annee: String(o.year) }}>
                Grille tarifaire et répartition des coûts {o.year}
              </Link>
            </p>
            <section aria-labelledby="adherents-titre">
              <h2 id="adherents-titre">Adhérents</h2>
              <MembersTable overview={o} />
            </section>
            <section aria-labelledby="services-titre">
              <h2 id="services-titre">Services et abonnés</h2>
              <div className="table-wrap">
                <table className="table">
                  <caption>Nombre de structures abonnées à chaque service</caption>
                  <thead>
                    <tr>
                      <th scope="col">Service</th>
                      <th scope="col" className="num">
                        Abonnés
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.services.map((s) => (
                      <tr key={s.id}>
                        <th scope="row">
                          <Link to="/catalogue/$serviceId" params={{ serviceId: s.id }}>
                            {s.name}
                          </Link>
                        </th>
                        <td className="num">{formatNumber(s.subscribers)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
