import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../app/api.js';
import { Alert, Button } from '../../../ui/index.js';
import { useAdoptTemplate, useRegistrySuggestions } from '../api.js';
import { ProcessingLink, type RegistryScope } from '../scope.js';

/** Templates the member's subscribed services imply, offered until the registry holds them. */
export function Suggestions({ scope, canEdit }: { scope: RegistryScope; canEdit: boolean }) {
  const suggestions = useRegistrySuggestions(scope.memberId);
  const adopt = useAdoptTemplate(scope.memberId);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The button pressed leaves with its suggestion: the focus goes to the section's title.
  useEffect(() => {
    if (added) heading.current?.focus();
  }, [added]);
  const items = suggestions.data?.items ?? [];
  if (items.length === 0 && !added) return null;
  const member = scope.area === 'member';
  return (
    <section aria-labelledby="suggestions-titre" className="card">
      <h2 id="suggestions-titre" tabIndex={-1} ref={heading}>
        {member ? 'Traitements proposés par vos services' : 'Traitements proposés par les services souscrits'}
      </h2>
      {added && (
        <Alert type="success">
          <p>
            « {added.name} » ajouté au registre, en brouillon :{' '}
            <ProcessingLink scope={scope} processingId={added.id}>
              compléter la fiche
            </ProcessingLink>
            .
          </p>
        </Alert>
      )}
      {items.length > 0 && (
        <>
          <p>
            Les services auxquels la structure a souscrit impliquent ces traitements, absents du registre. Une
            fiche ajoutée reprend le modèle, en brouillon, avec les sous-traitants du service.
          </p>
          <ul>
            {items.map((s) => (
              <li key={s.template.id} className="row">
                <span>
                  <strong>{s.template.name}</strong>{' '}
                  <span className="muted">
                    ({s.services.length > 1 ? 'services' : 'service'} :{' '}
                    {s.services.map((x) => x.name).join(', ')}
                    {s.processors.length > 0
                      ? ` ; sous-traitant${s.processors.length > 1 ? 's' : ''} : ${s.processors.map((p) => p.name).join(', ')}`
                      : ''}
                    )
                  </span>
                </span>
                {canEdit && (
                  <Button
                    variant="secondary"
                    small
                    pending={adopt.isPending && adopt.variables === s.template.id}
                    onClick={() =>
                      !adopt.isPending &&
                      adopt.mutate(s.template.id, { onSuccess: (p) => setAdded({ id: p.id, name: p.name }) })
                    }
                    aria-label={`Ajouter au registre : ${s.template.name}`}
                  >
                    Ajouter au registre
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {adopt.isError && (
        <p className="field__error" role="alert">
          {errorMessage(adopt.error)}
        </p>
      )}
    </section>
  );
}
