import { useState } from 'react';
import { SEAT_KIND_LABELS } from '../../../../contracts/governance.js';
import { useFieldBinding } from '../../../ui/Form.js';
import { Button, Form, optionsOf, SearchComboBox, SelectField, TextField, today } from '../../../ui/index.js';
import { searchMembers } from '../../members/api.js';
import { type AssemblyDetail, useAddSeat } from '../api.js';
import { readSeatForm } from '../seat-form-data.js';

function Checkbox({ name, label, hint }: { name: string; label: string; hint?: string }) {
  const binding = useFieldBinding(name, label);
  const id = binding.id ?? name;
  return (
    <div className="checkbox">
      <input type="checkbox" id={id} name={name} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

/**
 * A seat added by those who manage the assembly: the person, titular or substitute (of whom), the
 * college, the designating member (the operator's assemblies), the term, paper or e-mail convocation.
 */
export function AddSeatForm({ assembly }: { assembly: AssemblyDetail }) {
  const add = useAddSeat(assembly.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [kind, setKind] = useState<string>('titular');
  const [formKey, setFormKey] = useState(0);
  const titulars = assembly.seats.filter((s) => s.kind === 'titular' && s.inOffice);
  const operatorAssembly = assembly.kind === 'comite_syndical' || assembly.kind === 'bureau';
  return (
    <section aria-labelledby="ajout-siege-titre">
      <h2 id="ajout-siege-titre">Ajouter un siège</h2>
      <Form
        key={formKey}
        id="ajout-siege"
        error={add.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const { body, errors } = readSeatForm(data);
          setClientErrors(errors);
          if (body) {
            add.mutate(body, {
              onSuccess: () => {
                setKind('titular');
                setFormKey((k) => k + 1);
              },
            });
          }
        }}
      >
        <fieldset className="gov-fieldset">
          <legend>L'élu</legend>
          <TextField name="fullName" label="Nom et prénom" required maxLength={200} autoComplete="off" />
          <TextField
            name="email"
            type="email"
            label="Adresse électronique"
            hint="La convocation y est envoyée avec un lien personnel."
            autoComplete="off"
          />
          <Checkbox
            name="paperConvocation"
            label="Convocation sur papier"
            hint="Imprimée depuis la page de la séance."
          />
        </fieldset>
        <fieldset className="gov-fieldset">
          <legend>Le siège</legend>
          <SelectField
            name="kind"
            label="Type de siège"
            required
            options={optionsOf(SEAT_KIND_LABELS)}
            value={kind}
            onChange={(e) => setKind(e.target.value)}
          />
          {kind === 'substitute' && (
            <SelectField
              name="substituteForSeatId"
              label="Suppléant de"
              placeholder="Choisir un titulaire…"
              hint="Convoqué quand ce titulaire indique qu'il ne peut pas siéger."
              options={titulars.map((s) => ({ value: s.id, label: s.fullName }))}
            />
          )}
          {assembly.colleges.length > 0 && (
            <SelectField
              name="collegeId"
              label="Collège"
              placeholder="Aucun"
              options={assembly.colleges.map((c) => ({ value: c.id, label: c.name }))}
            />
          )}
          {operatorAssembly && (
            <SearchComboBox
              name="designatedById"
              label="Désigné par (structure adhérente)"
              hint="Nom de la structure : au moins deux lettres."
              queryKey="governance-designating-member"
              search={searchMembers}
            />
          )}
          <TextField name="termStart" type="date" label="Début du mandat" required defaultValue={today()} />
          <TextField
            name="termEnd"
            type="date"
            label="Fin du mandat"
            hint="Laissez vide si elle n'est pas connue."
          />
          <Checkbox
            name="isChair"
            label="Préside l'assemblée"
            hint="Sa voix l'emporte en cas de partage, sauf au scrutin secret."
          />
        </fieldset>
        <div className="form-actions">
          <Button type="submit" pending={add.isPending}>
            Ajouter le siège
          </Button>
        </div>
      </Form>
    </section>
  );
}
