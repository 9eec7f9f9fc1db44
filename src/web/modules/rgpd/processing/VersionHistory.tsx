import { EmptyState, QueryView } from '../../../ui/index.js';
import { type ProcessingVersion, useVersions } from '../api.js';
import { formatParisDateTime } from '../format.js';
import { fieldLabel, formatFieldValue } from '../labels.js';
import type { RegistryScope } from '../scope.js';

export function VersionHistory({ scope, processingId }: { scope: RegistryScope; processingId: string }) {
  const versions = useVersions(scope.memberId, processingId);
  return (
    <>
      <h2>Historique des versions</h2>
      <QueryView query={versions} loadingLabel="Chargement de l'historique…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune version enregistrée.</EmptyState>
          ) : (
            <ol className="timeline">
              {[...page.items]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <VersionItem key={v.version} version={v} />
                ))}
            </ol>
          )
        }
      </QueryView>
    </>
  );
}

function VersionItem({ version: v }: { version: ProcessingVersion }) {
  const who = v.actorName ?? 'opération automatique';
  return (
    <li className="timeline__item">
      <h3>Version {v.version}</h3>
      <p className="timeline__meta">
        Le {formatParisDateTime(v.at)}, par {who}
      </p>
      {v.changes.length === 0 ? (
        <p>{v.version === 1 ? 'Création du traitement.' : 'Aucun champ modifié.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Modifications de la version {v.version}</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Avant</th>
                <th scope="col">Après</th>
              </tr>
            </thead>
            <tbody>
              {v.changes.map((c) => (
                <tr key={c.field}>
                  <th scope="row">{fieldLabel(c.field)}</th>
                  <td className="diff-before">
                    <del>
                      <span className="sr-only">Avant : </span>
                      {formatFieldValue(c.field, c.before)}
                    </del>
                  </td>
                  <td className="diff-after">
                    <ins>
                      <span className="sr-only">Après : </span>
                      {formatFieldValue(c.field, c.after)}
                    </ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}
