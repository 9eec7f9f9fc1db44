import { MEMBER_SELF_EDITABLE_FIELDS, type MemberDetail } from '../../../../contracts/members.js';
import { Button, Form, TextField } from '../../../ui/index.js';
import { usePatchMember } from '../api.js';
import { valuesOf } from './form-data.js';

const ALL_EDITABLE = [
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
] as const;

const FIELD_LABELS: Record<(typeof ALL_EDITABLE)[number], string> = {
  name: 'Nom',
  siren: 'SIREN',
  siret: 'SIRET',
  communeCode: 'Code INSEE de la commune',
  epciCode: "Code de l'EPCI (SIREN)",
  departementCode: 'Département (code)',
  address: 'Adresse',
  postalCode: 'Code postal',
  city: 'Commune (adresse)',
  population: 'Population',
};

/** The operator edits everything; a member admin only its address, SIRET and entered population. */
export function MemberEditForm({
  member,
  full,
  onDone,
}: {
  member: MemberDetail;
  full: boolean;
  onDone: () => void;
}) {
  const patch = usePatchMember(member.id);
  const officialPopulation = member.kind === 'commune' || member.kind === 'epci';
  const fields = (full ? ALL_EDITABLE : MEMBER_SELF_EDITABLE_FIELDS).filter(
    (f) =>
      !(f === 'population' && officialPopulation) &&
      !(f === 'communeCode' && member.kind !== 'commune') &&
      !(f === 'epciCode' && member.kind !== 'epci'),
  );
  const current: Record<string, string> = {
    name: member.name,
    siren: member.siren,
    siret: member.private?.siret ?? '',
    communeCode: member.communeCode ?? '',
    epciCode: member.epciCode ?? '',
    departementCode: member.departementCode ?? '',
    address: member.private?.address ?? '',
    postalCode: member.private?.postalCode ?? '',
    city: member.private?.city ?? '',
    population: member.population == null ? '' : String(member.population),
  };
  return (
    <Form
      id="modifier-structure"
      error={patch.error}
      onSubmit={(data) => {
        const values = valuesOf(data, fields);
        const changed = Object.fromEntries(
          Object.entries(values).filter(([k, v]) => (v ?? '') !== current[k]),
        );
        if (Object.keys(changed).length === 0) return onDone();
        patch.mutate(changed, { onSuccess: onDone });
      }}
    >
      {fields.map((f) => (
        <TextField
          key={f}
          name={f}
          label={FIELD_LABELS[f]}
          defaultValue={current[f]}
          inputMode={
            f === 'population' || f === 'siren' || f === 'siret' || f === 'postalCode' ? 'numeric' : undefined
          }
          hint={
            f === 'siret'
              ? '14 chiffres, espaces acceptés'
              : f === 'siren'
                ? '9 chiffres, espaces acceptés'
                : undefined
          }
        />
      ))}
      <div className="form-actions">
        <Button type="submit" pending={patch.isPending}>
          Enregistrer
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Annuler
        </Button>
      </div>
    </Form>
  );
}
