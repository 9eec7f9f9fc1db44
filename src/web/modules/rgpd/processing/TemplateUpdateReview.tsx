import { useState } from 'react';
import { Button, EmptyState, Form, QueryView } from '../../../ui/index.js';
import { type Processing, useDecideTemplateUpdate, useTemplateUpdate } from '../api.js';
import { Checkbox } from '../components.js';
import { fieldLabel, formatFieldValue } from '../labels.js';
import type { RegistryScope } from '../scope.js';

export function TemplateUpdateReview({
  scope,
  processing,
  canEdit,
  onDone,
}: {
  scope: RegistryScope;
  processing: Processing;
  canEdit: boolean;
  onDone: (message: string) => void;
}) {
  const update = useTemplateUpdate(scope.memberId, processing.id, !!processing.templateId);
  const decide = useDecideTemplateUpdate(scope.memberId, processing.id);
  const [accepted, setAccepted] = useState<string[]>([]);
  return (
    <>
      <h2>Mise à jour du modèle</h2>
      <QueryView query={update} loadingLabel="Comparaison avec le modèle…">
        {(u) =>
          !u.available || u.differences.length === 0 ? (
            <EmptyState>
              Cette fiche est à jour : elle suit la version {u.toVersion} du modèle « {u.templateName} ».
            </EmptyState>
          ) : (
            <Form
              id="mise-a-jour"
              error={decide.error}
              aria-label="Mise à jour du modèle"
              onSubmit={() =>
                decide.mutate(
                  { accept: accepted },
                  {
                    onSuccess: () =>
                      onDone(
                        `${accepted.length} champ${accepted.length > 1 ? 's' : ''} repris du modèle « ${u.templateName} ».`,
                      ),
                  },
                )
              }
            >
              <p>
                Le modèle « {u.templateName} » est passé de la version {u.fromVersion ?? '?'} à la version{' '}
                {u.toVersion}. Cochez les champs dont vous acceptez la nouvelle valeur ; les autres gardent
                votre valeur locale.
              </p>
              <div className="table-wrap">
                <table className="table">
                  <caption>Différences entre votre fiche et le modèle</caption>
                  <thead>
                    <tr>
                      <th scope="col">Champ</th>
                      <th scope="col">Votre valeur</th>
                      <th scope="col">Nouvelle valeur du modèle</th>
                      <th scope="col">Accepter</th>
                    </tr>
                  </thead>
                  <tbody>
                    {u.differences.map((d) => (
                      <tr key={d.field}>
                        <th scope="row">{fieldLabel(d.field)}</th>
                        <td className="diff-before">{formatFieldValue(d.field, d.current)}</td>
                        <td className="diff-after">{formatFieldValue(d.field, d.proposed)}</td>
                        <td>
                          <Checkbox
                            label={<span className="sr-only">Accepter : {fieldLabel(d.field)}</span>}
                            checked={accepted.includes(d.field)}
                            disabled={!canEdit}
                            onChange={(checked) =>
                              setAccepted((a) => (checked ? [...a, d.field] : a.filter((f) => f !== d.field)))
                            }
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {canEdit && (
                <div className="form-actions">
                  <Button variant="secondary" onClick={() => setAccepted(u.differences.map((d) => d.field))}>
                    Tout cocher
                  </Button>
                  <Button type="submit" pending={decide.isPending} disabled={accepted.length === 0}>
                    Accepter les champs cochés
                  </Button>
                  <Button
                    variant="tertiary"
                    pending={decide.isPending}
                    onClick={() =>
                      decide.mutate(
                        { accept: [], dismiss: true },
                        {
                          onSuccess: () =>
                            onDone('Mise à jour du modèle écartée : votre fiche reste inchangée.'),
                        },
                      )
                    }
                  >
                    Écarter la mise à jour
                  </Button>
                </div>
              )}
            </Form>
          )
        }
      </QueryView>
    </>
  );
}
