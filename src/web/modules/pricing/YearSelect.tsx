import { type FormEvent, useId } from 'react';
import { Button, SelectField } from '../../ui/index.js';
import { currentYear } from './money.js';

/** Choose the year shown (kept in the URL as `annee` by the caller). */
export function YearSelect({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const id = useId();
  const now = currentYear();
  const years = [now + 1, now, now - 1, now - 2].map((y) => ({ value: String(y), label: String(y) }));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onChange(Number(new FormData(event.currentTarget).get('annee')));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Choix de l'année" key={year}>
      <SelectField
        id={`${id}-annee`}
        name="annee"
        label="Année"
        options={years}
        defaultValue={String(year)}
      />
      <div className="actions row">
        <Button type="submit" variant="secondary">
          Afficher
        </Button>
      </div>
    </form>
  );
}
