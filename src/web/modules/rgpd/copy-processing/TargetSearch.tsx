import { useEffect, useState } from 'react';
import { MEMBERSHIP_STATUS_LABELS } from '../../../../contracts/members.js';
import { Button, Form, formatNumber, SelectField, TextField } from '../../../ui/index.js';
import { KIND_OPTIONS, useDepartementOptions } from '../../members/components.js';
import { type CopyTargetSearch, useCopyTargets } from '../api.js';
import { Checkbox } from '../components.js';
import { plural, type Target, targetLabel } from './targets.js';

const SEARCH_FORM = 'recherche-structures';

export function TargetSearch({
  sourceId,
  chosen,
  onChoose,
  onUnchoose,
  focusOnMount,
}: {
  sourceId: string;
  chosen: Target[];
  onChoose: (targets: Target[]) => void;
  onUnchoose: (id: string) => void;
  focusOnMount: boolean;
}) {
  const departements = useDepartementOptions();
  const [search, setSearch] = useState<CopyTargetSearch | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const results = useCopyTargets(search);
  useEffect(() => {
    if (focusOnMount) document.getElementById(`${SEARCH_FORM}-q`)?.focus();
  }, [focusOnMount]);
  const items = search ? (results.data?.items ?? []) : [];
  const total = results.data?.total ?? 0;
  const selectable = items.filter((m) => m.id !== sourceId && !chosen.some((c) => c.id === m.id));
  let status = '';
  if (search && results.isFetching) status = 'Recherche en cours…';
  else if (search && results.isError) status = 'La recherche a échoué : réessayez.';
  else if (search && results.data) {
    status =
      total === 0
        ? 'Aucune structure ne correspond à cette recherche.'
        : `${plural(total, 'structure trouvée', 'structures trouvées')}${
            total > items.length
              ? ` : les ${formatNumber(items.length)} premières sont affichées, précisez la recherche pour voir les autres.`
              : '.'
          }`;
  }
  return (
    <section aria-labelledby="recherche-titre">
      <h2 id="recherche-titre">Rechercher des structures</h2>
      <search aria-label="Recherche de structures">
        <Form
          id={SEARCH_FORM}
          clientErrors={clientErrors}
          onSubmit={(data) => {
            const next: CopyTargetSearch = {};
            for (const key of ['q', 'departement', 'kind'] as const) {
              const value = String(data.get(key) ?? '').trim();
              if (value) next[key] = value;
            }
            if (!next.q && !next.departement && !next.kind) {
              setClientErrors({ q: 'Indiquez un nom, un département ou un type de structure.' });
              return;
            }
            setClientErrors({});
            setSearch(next);
          }}
        >
          <div className="filters">
            <TextField name="q" type="search" label="Nom de la structure" autoComplete="off" />
            <SelectField
              name="departement"
              label="Département"
              placeholder="Tous les départements"
              options={departements}
              key={departements.length}
            />
            <SelectField
              name="kind"
              label="Type de structure"
              placeholder="Tous les types"
              options={KIND_OPTIONS}
            />
            <div className="actions row">
              <Button type="submit">Rechercher</Button>
            </div>
          </div>
        </Form>
      </search>
      <p role="status" className={status ? undefined : 'sr-only'}>
        {status}
      </p>
      {items.length > 0 && (
        <fieldset className="field">
          <legend className="label">Résultats de la recherche : cochez les structures à choisir</legend>
          <div className="rgpd-checklist">
            {items.map((m) => {
              const isSource = m.id === sourceId;
              return (
                <Checkbox
                  key={m.id}
                  label={targetLabel(m)}
                  checked={chosen.some((c) => c.id === m.id)}
                  disabled={isSource}
                  hint={
                    isSource
                      ? 'Structure d’origine du traitement'
                      : m.status !== 'member'
                        ? `Statut : ${MEMBERSHIP_STATUS_LABELS[m.status]}`
                        : undefined
                  }
                  onChange={(checked) => (checked ? onChoose([m]) : onUnchoose(m.id))}
                />
              );
            })}
          </div>
          {selectable.length > 1 && (
            <Button variant="secondary" small onClick={() => onChoose(selectable)}>
              Cocher les {formatNumber(selectable.length)} structures affichées
            </Button>
          )}
        </fieldset>
      )}
    </section>
  );
}
