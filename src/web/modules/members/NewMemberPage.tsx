import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { memberInputSchema } from '../../../contracts/members.js';
import { fieldErrorsOf } from '../../../contracts/validation.js';
import { Button, Form, PageTitle, SearchComboBox, SelectField, TextField } from '../../ui/index.js';
import { searchCommunes, searchEpcis } from '../territory/api.js';
import { useCreateMember } from './api.js';
import { KIND_OPTIONS, STATUS_OPTIONS, useDepartementOptions } from './components.js';

const TEXT_FIELDS = [
  'name',
  'siren',
  'siret',
  'communeCode',
  'epciCode',
  'departementCode',
  'address',
  'postalCode',
  'city',
  'population',
  'status',
];

export function NewMemberPage() {
  const [kind, setKind] = useState('commune');
  // Choosing a commune fills its SIREN from the official data (still editable).
  const [siren, setSiren] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useCreateMember();
  const navigate = useNavigate();
  const departements = useDepartementOptions();
  const official = kind === 'commune' || kind === 'epci';
  const submit = (data: FormData) => {
    const body: Record<string, unknown> = { kind };
    for (const key of TEXT_FIELDS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) body[key] = value;
    }
    // The same contract as the server's: every missing or invalid field is told at once, before sending.
    const checked = memberInputSchema.safeParse(body);
    if (!checked.success) {
      create.reset();
      setClientErrors(fieldErrorsOf(checked.error));
      return;
    }
    setClientErrors({});
    create.mutate(body, {
      onSuccess: (member) =>
        navigate({ to: '/operateur/adherents/$memberId', params: { memberId: member.id } }),
    });
  };
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/adherents">Adhérents</Link>
          </li>
          <li aria-current="page">Nouvelle structure</li>
        </ol>
      </nav>
      <PageTitle title="Nouvelle structure" />
      <p>Les champs marqués d'un astérisque (*) sont obligatoires.</p>
      <Form id="nouvelle-structure" error={create.error} clientErrors={clientErrors} onSubmit={submit}>
        <SelectField
          name="kind"
          label="Type de structure"
          options={KIND_OPTIONS}
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          required
        />
        {kind === 'commune' && (
          <SearchComboBox
            name="communeCode"
            label="Commune"
            hint="Tapez le nom, le code INSEE ou le code postal puis choisissez dans la liste. Nom, département et population viennent des données officielles."
            search={searchCommunes}
            queryKey="communes"
            onSelect={(item) => {
              const known = item?.meta?.siren;
              if (known) setSiren(known);
            }}
            required
          />
        )}
        {kind === 'epci' && (
          <SearchComboBox
            name="epciCode"
            label="EPCI"
            hint="Tapez le nom ou le SIREN puis choisissez dans la liste."
            search={searchEpcis}
            queryKey="epci"
            required
          />
        )}
        <TextField
          name="name"
          label="Nom"
          hint={official ? 'Facultatif : le nom officiel est utilisé par défaut.' : undefined}
          required={!official}
        />
        <TextField
          name="siren"
          label="SIREN"
          hint={
            kind === 'commune'
              ? '9 chiffres ; rempli avec le SIREN officiel quand vous choisissez la commune'
              : '9 chiffres, espaces acceptés'
          }
          inputMode="numeric"
          value={siren}
          onChange={(e) => setSiren(e.target.value)}
          required
        />
        <TextField name="siret" label="SIRET" hint="14 chiffres, facultatif" inputMode="numeric" />
        {!official && (
          <SelectField
            name="departementCode"
            label="Département"
            placeholder="Choisir un département"
            options={departements}
          />
        )}
        <TextField name="address" label="Adresse" autoComplete="street-address" />
        <TextField name="postalCode" label="Code postal" inputMode="numeric" autoComplete="postal-code" />
        <TextField name="city" label="Commune (adresse)" autoComplete="address-level2" />
        {!official && (
          <TextField
            name="population"
            label="Population"
            hint="Nombre d'habitants ou de personnes concernées"
            inputMode="numeric"
          />
        )}
        <SelectField
          name="status"
          label="Statut d'adhésion initial"
          options={STATUS_OPTIONS}
          defaultValue="prospect"
        />
        <div className="form-actions">
          <Button type="submit" pending={create.isPending}>
            Créer la structure
          </Button>
          <Link to="/operateur/adherents">Annuler</Link>
        </div>
      </Form>
    </>
  );
}
