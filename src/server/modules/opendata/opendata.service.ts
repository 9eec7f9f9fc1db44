import { OPEN_LICENCE, type OpenCatalogue } from '../../../contracts/opendata.js';
import { DATASETS, type LoadContext } from './opendata.datasets.js';

/** JSON-LD names of the catalogue's keys: DCAT and Dublin Core terms. */
const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  title: 'dct:title',
  description: 'dct:description',
  publisher: 'dct:publisher',
  license: 'dct:license',
  modified: 'dct:modified',
  identifier: 'dct:identifier',
  keywords: 'dcat:keyword',
  accrualPeriodicity: 'dct:accrualPeriodicity',
  conformsTo: 'dct:conformsTo',
  datasets: 'dcat:dataset',
  distributions: 'dcat:distribution',
  downloadURL: 'dcat:downloadURL',
  mediaType: 'dcat:mediaType',
  format: 'dct:format',
  homepage: 'foaf:homepage',
  foaf: 'http://xmlns.com/foaf/0.1/',
};

/**
 * The catalogue of datasets (DCAT-style JSON-LD): each dataset's description, fields, licence, last
 * change (one small query per dataset) and its two files at their stable addresses.
 */
export async function openCatalogue(context: LoadContext, operatorName: string): Promise<OpenCatalogue> {
  const base = `${context.publicUrl}/api/v1/open-data`;
  const datasets = [];
  for (const dataset of DATASETS) {
    const modified = await dataset.modified(context);
    datasets.push({
      identifier: dataset.id,
      title: dataset.title,
      description: dataset.description,
      keywords: dataset.keywords,
      license: OPEN_LICENCE.url,
      modified,
      accrualPeriodicity: dataset.accrualPeriodicity,
      conformsTo: dataset.conformsTo,
      fields: dataset.fields,
      distributions: [
        { format: 'CSV' as const, mediaType: 'text/csv', downloadURL: `${base}/${dataset.id}.csv` },
        { format: 'JSON' as const, mediaType: 'application/json', downloadURL: `${base}/${dataset.id}.json` },
      ],
    });
  }
  return {
    '@context': CONTEXT,
    '@type': 'dcat:Catalog',
    title: `Données ouvertes — ${operatorName}`,
    description:
      "Jeux de données publiés par l'opérateur public de mutualisation numérique : ses adhérents, son catalogue et ses tarifs, ses règles de répartition des coûts, les délibérations publiées par ses adhérents.",
    publisher: { name: operatorName },
    homepage: `${context.publicUrl}/donnees-ouvertes`,
    license: { ...OPEN_LICENCE },
    datasets,
  };
}
