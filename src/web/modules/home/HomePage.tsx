import { Link } from '@tanstack/react-router';
import { useAuth } from '../../app/auth.js';
import { ButtonLink, Card, formatNumber, PageTitle, QueryView } from '../../ui/index.js';
import { useMemberStats } from '../members/api.js';
import { kindLabel } from '../members/components.js';

const PROMISES = [
  ['Aucune redondance', 'un service construit une fois profite à toutes les structures adhérentes.'],
  ['Des économies d’échelle', 'les achats et l’hébergement mutualisés coûtent moins cher à chacun.'],
  ['Des choix techniques harmonisés', 'les mêmes outils, les mêmes formats, un accompagnement commun.'],
  [
    'La continuité du service',
    'des équipes et des infrastructures qui ne dépendent pas d’une seule personne.',
  ],
  ['La souveraineté numérique locale', 'des données hébergées et gouvernées par les élus du territoire.'],
  ['L’égalité d’accès', 'chaque territoire, quelle que soit sa taille, accède aux mêmes services.'],
] as const;

export function HomePage() {
  const stats = useMemberStats();
  const auth = useAuth();
  return (
    <>
      <div className="hero">
        <PageTitle title="Accueil">La mutualisation numérique au service des collectivités</PageTitle>
        <p className="lead">
          Opérateur public de services numériques, le syndicat mixte réunit les communes, intercommunalités,
          CCAS et établissements publics des cinq départements des Pays de la Loire pour partager outils,
          expertise et infrastructures. Il est gouverné par les élus de ses adhérents réunis en comité
          syndical.
        </p>
        <div className="row">
          <ButtonLink to="/adherents">Consulter la liste des adhérents</ButtonLink>
          <ButtonLink to="/carte" variant="secondary">
            Voir la carte par département
          </ButtonLink>
          {!auth.me && (
            <ButtonLink to="/connexion" variant="tertiary">
              Accéder à mon espace
            </ButtonLink>
          )}
        </div>
      </div>

      <h2>Nos engagements</h2>
      <ul className="promises">
        {PROMISES.map(([title, text]) => (
          <li key={title}>
            <strong>{title}</strong> : {text}
          </li>
        ))}
      </ul>

      <h2>Chiffres clés</h2>
      <QueryView query={stats} loadingLabel="Chargement des chiffres clés…">
        {(data) => {
          const total = data.byKind.reduce((sum, k) => sum + k.count, 0);
          const communes = data.byKind.find((k) => k.kind === 'commune')?.count ?? 0;
          const epci = data.byKind.find((k) => k.kind === 'epci')?.count ?? 0;
          return (
            <>
              <div className="grid">
                <Card headingLevel={3} title="Structures adhérentes">
                  <span className="stat">{formatNumber(total)}</span>
                  <span className="stat-label">
                    dont {formatNumber(communes)} communes et {formatNumber(epci)} EPCI
                  </span>
                </Card>
                <Card headingLevel={3} title="Habitants couverts">
                  <span className="stat">{formatNumber(data.populationCovered)}</span>
                  <span className="stat-label">population des communes couvertes (données officielles)</span>
                </Card>
                <Card headingLevel={3} title="Départements">
                  <span className="stat">{formatNumber(data.byDepartement.length)}</span>
                  <span className="stat-label">{data.byDepartement.map((d) => d.name).join(', ')}</span>
                </Card>
              </div>
              <h3>Répartition par type de structure</h3>
              <ul>
                {data.byKind
                  .filter((k) => k.count > 0)
                  .map((k) => (
                    <li key={k.kind}>
                      {kindLabel(k.kind)} : {formatNumber(k.count)}
                    </li>
                  ))}
              </ul>
              <p>
                <Link to="/carte">Voir la répartition par département sur la carte</Link>
              </p>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
