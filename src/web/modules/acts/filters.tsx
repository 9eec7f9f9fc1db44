import { type FormEvent, useId } from 'react';
import { ACT_NATURE_LABELS, ACT_NATURES, ACT_STATUS_LABELS, ACT_STATUSES } from '../../../contracts/acts.js';
import { Button, optionsOf, SelectField, TextField } from '../../ui/index.js';
import type { ActSearch } from './api.js';
import { MATIERES } from './components.js';

/** The filters as the page's address carries them (French, shareable): ?q=…&nature=DE&matiere=7&du=…&au=… */
export type ActUrlSearch = Partial<Record<'q' | 'statut' | 'nature' | 'matiere' | 'du' | 'au', string>>;
export const ACT_URL_KEYS = ['q', 'statut', 'nature', 'matiere', 'du', 'au'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The address's filters as the API names them; values the API would refuse are dropped. */
export function toApiSearch(search: ActUrlSearch, withStatus: boolean): ActSearch {
  const out: ActSearch = {};
  if (search.q?.trim()) out.q = search.q.trim().slice(0, 200);
  if (withStatus && search.statut && (ACT_STATUSES as readonly string[]).includes(search.statut))
    out.status = search.statut;
  if (search.nature && (ACT_NATURES as readonly string[]).includes(search.nature)) out.nature = search.nature;
  if (search.matiere && /^[1-9](\.\d{1,2}){0,4}$/.test(search.matiere)) out.classification = search.matiere;
  if (search.du && DATE.test(search.du)) out.from = search.du;
  if (search.au && DATE.test(search.au)) out.to = search.au;
  return out;
}

export const hasFilters = (search: ActUrlSearch) => ACT_URL_KEYS.some((k) => !!search[k]);

/**
 * Filters of the register and of the public portal: words of the subject (accents and case ignored
 * by the server), nature, matière, decision dates, and the status for the register.
 */
export function ActFilters({
  search,
  withStatus,
  label,
  onSearch,
}: {
  search: ActUrlSearch;
  withStatus: boolean;
  label: string;
  onSearch: (next: ActUrlSearch) => void;
}) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: ActUrlSearch = {};
    for (const key of ACT_URL_KEYS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) next[key] = value;
    }
    onSearch(next);
  };
  return (
    <search aria-label={label}>
      <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
        <TextField
          id={`${id}-q`}
          name="q"
          type="search"
          label="Mots de l'objet"
          hint="Accents et majuscules ignorés"
          defaultValue={search.q ?? ''}
        />
        <SelectField
          id={`${id}-nature`}
          name="nature"
          label="Nature"
          placeholder="Toutes les natures"
          options={optionsOf(ACT_NATURE_LABELS, ACT_NATURES)}
          defaultValue={search.nature ?? ''}
        />
        <SelectField
          id={`${id}-matiere`}
          name="matiere"
          label="Matière"
          placeholder="Toutes les matières"
          options={MATIERES}
          defaultValue={search.matiere ?? ''}
        />
        {withStatus && (
          <SelectField
            id={`${id}-statut`}
            name="statut"
            label="Statut"
            placeholder="Tous les statuts"
            options={optionsOf(ACT_STATUS_LABELS, ACT_STATUSES)}
            defaultValue={search.statut ?? ''}
          />
        )}
        <TextField
          id={`${id}-du`}
          name="du"
          type="date"
          label="Décidé à partir du"
          defaultValue={search.du ?? ''}
        />
        <TextField id={`${id}-au`} name="au" type="date" label="Jusqu'au" defaultValue={search.au ?? ''} />
        <div className="actions row">
          <Button type="submit">Rechercher</Button>
          {hasFilters(search) && (
            <Button variant="tertiary" onClick={() => onSearch({})}>
              Effacer les filtres
            </Button>
          )}
        </div>
      </form>
    </search>
  );
}
