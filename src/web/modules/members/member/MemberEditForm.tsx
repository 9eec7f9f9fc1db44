import { MEMBER_SELF_EDITABLE_FIELDS, type MemberDetail } from '../../../../contracts/members.js';
import { Button, Form, SelectField, TextField } from '../../../ui/index.js';
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
  'chorusServiceCode',
  'chorusServiceCodeRequired',
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
  chorusServiceCode: 'Code service Chorus Pro',
  chorusServiceCodeRequired: 'Code service exigé par Chorus Pro',
  population: 'Population',
};

/** Chorus Pro's directory says whether a structure requires a service code on its invoices. */
const REQUIRED_OPTIONS = [
  { value: 'false', label: 'Non' },
  { value: 'true', label: 'Oui : les factures sans code service sont rejetées' },
];

/**
 * The operator edits everything; a member admin only its address, SIRET, Chorus Pro service code and
 * entered population.
 */
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
    chorusServiceCode: member.private?.chorusServiceCode ?? '',
    chorusServiceCodeRequired: String(member.private?.chorusServiceCodeRequired ?? false),
    population: member.population == null ? '' : String(member.population),
  };
  return (
    <Form
      id="modifier-structure"
      error={patch.error}
      onSubmit={(data) => {
        const values = valuesOf(data, fields);
        const changed: Record<string, string | boolean | null> = Object.fromEntries(
          Object.entries(values).filter(([k, v]) => (v ?? '') !== current[k]),
        );
        if ('chorusServiceCodeRequired' in changed) {
          changed.chorusServiceCodeRequired = changed.chorusServiceCodeRequired === 'true';
        }
        if (Object.keys(changed).length === 0) return onDone();
        patch.mutate(changed, { onSuccess: onDone });
      }}
    >
      {fields.map((f) =>
        f === 'chorusServiceCodeRequired' ? (
          <SelectField
            key={f}
            name={f}
            label={FIELD_LABELS[f]}
            options={REQUIRED_OPTIONS}
            defaultValue={current[f]}
            hint="Indiqué par l’annuaire des structures de Chorus Pro"
          />
        ) : (
          <TextField
            key={f}
            name={f}
            label={FIELD_LABELS[f]}
            defaultValue={current[f]}
            inputMode={
              f === 'population' || f === 'siren' || f === 'siret' || f === 'postalCode'
                ? 'numeric'
                : undefined
            }
            hint={
              f === 'siret'
                ? '14 chiffres, espaces acceptés'
                : f === 'siren'
                  ? '9 chiffres, espaces acceptés'
                  : f === 'chorusServiceCode'
                    ? 'Le service destinataire des factures dans Chorus Pro, s’il y en a un'
                    : undefined
            }
          />
        ),
      )}
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
