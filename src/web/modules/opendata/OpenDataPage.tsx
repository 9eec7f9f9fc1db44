import { Card, formatDate, PageTitle, QueryView, Table } from '../../ui/index.js';
import { useOpenCatalogue } from './api.js';

/** The public list of datasets: what each holds, its fields, its licence and its files. */
export function OpenDataPage() {
  const catalogue = useOpenCatalogue();
  return (
    <>
      <PageTitle title="Données ouvertes" />
      <QueryView query={catalogue} loadingLabel="Chargement des jeux de données…">
        {(c) => (
          <>
            <p className="lead">
              {c.description} Elles sont publiées sous la <a href={c.license.url}>{c.license.title}</a> : vous
              pouvez les réutiliser librement en citant leur source. Le{' '}
              <a href="/api/v1/open-data">catalogue au format DCAT (JSON)</a> permet à data.gouv.fr de les
              moissonner.
            </p>
            {c.datasets.map((dataset) => (
              <Card key={dataset.identifier} title={dataset.title}>
                <p>{dataset.description}</p>
                <p>
                  Dernière mise à jour :{' '}
                  {dataset.modified ? formatDate(dataset.modified) : 'aucune donnée pour l’instant'}
                  {dataset.conformsTo && (
                    <>
                      {' '}
                      — conforme au{' '}
                      <a href={dataset.conformsTo}>schéma national publié sur schema.data.gouv.fr</a>
                    </>
                  )}
                </p>
                <ul>
                  {dataset.distributions.map((d) => (
                    <li key={d.format}>
                      <a href={d.downloadURL} download>
                        Télécharger « {dataset.title} » au format {d.format}
                      </a>
                    </li>
                  ))}
                </ul>
                <details>
                  <summary>Description des {dataset.fields.length} champs</summary>
                  <Table
                    caption={`Champs du jeu « ${dataset.title} »`}
                    captionHidden
                    rows={dataset.fields}
                    rowKey={(f) => f.name}
                    columns={[
                      { key: 'name', header: 'Champ', rowHeader: true, render: (f) => <code>{f.name}</code> },
                      { key: 'title', header: 'Intitulé', render: (f) => f.title },
                      { key: 'type', header: 'Type', render: (f) => f.type },
                      { key: 'description', header: 'Description', render: (f) => f.description },
                    ]}
                  />
                </details>
              </Card>
            ))}
          </>
        )}
      </QueryView>
    </>
  );
}
