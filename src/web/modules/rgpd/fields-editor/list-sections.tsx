import {
  FINAL_FATE_LABELS,
  FINAL_FATES,
  RECIPIENT_TYPE_LABELS,
  RECIPIENT_TYPES,
} from '../../../../contracts/rgpd.js';
import { optionsOf, SelectField, TextField } from '../../../ui/index.js';
import { Repeat, Section } from './layout.js';
import { digits, type SectionProps } from './value.js';

/** The categories of people concerned, with an estimated count each. */
export function DataSubjectsSection({ v, set, ro }: SectionProps) {
  return (
    <Section id="section-personnes" title="Personnes concernées">
      <Repeat
        name="dataSubjects"
        itemLabel="Catégorie de personnes"
        addLabel="Ajouter une catégorie de personnes"
        items={v.dataSubjects}
        onChange={(dataSubjects) => set({ dataSubjects })}
        make={() => ({ category: '', estimatedCount: null })}
        disabled={ro}
        render={(item, i, update) => (
          <>
            <TextField
              name={`dataSubjects.${i}.category`}
              label="Catégorie"
              required
              value={item.category}
              onChange={(e) => update({ category: e.currentTarget.value })}
            />
            <TextField
              name={`dataSubjects.${i}.estimatedCount`}
              label="Nombre estimé"
              inputMode="numeric"
              value={item.estimatedCount == null ? '' : String(item.estimatedCount)}
              onChange={(e) => {
                const d = digits(e.currentTarget.value);
                update({ estimatedCount: d === '' ? null : Number(d) });
              }}
            />
          </>
        )}
      />
    </Section>
  );
}

/** Who receives the data. */
export function RecipientsSection({ v, set, ro }: SectionProps) {
  return (
    <Section id="section-destinataires" title="Destinataires">
      <Repeat
        name="recipients"
        itemLabel="Destinataire"
        addLabel="Ajouter un destinataire"
        items={v.recipients}
        onChange={(recipients) => set({ recipients })}
        make={() => ({ name: '', type: 'internal' as const })}
        disabled={ro}
        render={(item, i, update) => (
          <>
            <TextField
              name={`recipients.${i}.name`}
              label="Destinataire"
              required
              value={item.name}
              onChange={(e) => update({ name: e.currentTarget.value })}
            />
            <SelectField
              name={`recipients.${i}.type`}
              label="Type"
              options={optionsOf(RECIPIENT_TYPE_LABELS, RECIPIENT_TYPES)}
              value={item.type}
              onChange={(e) => update({ type: e.currentTarget.value as (typeof RECIPIENT_TYPES)[number] })}
            />
          </>
        )}
      />
    </Section>
  );
}

/** Transfers outside the European Union and their safeguards. */
export function TransfersSection({ v, set, ro }: SectionProps) {
  return (
    <Section id="section-transferts" title="Transferts hors de l'Union européenne">
      <Repeat
        name="transfers"
        itemLabel="Transfert"
        addLabel="Ajouter un transfert"
        items={v.transfers}
        onChange={(transfers) => set({ transfers })}
        make={() => ({ country: '', safeguard: '' })}
        disabled={ro}
        render={(item, i, update) => (
          <>
            <TextField
              name={`transfers.${i}.country`}
              label="Pays"
              required
              value={item.country}
              onChange={(e) => update({ country: e.currentTarget.value })}
            />
            <TextField
              name={`transfers.${i}.safeguard`}
              label="Garantie (clauses types, décision d'adéquation…)"
              value={item.safeguard}
              onChange={(e) => update({ safeguard: e.currentTarget.value })}
            />
          </>
        )}
      />
    </Section>
  );
}

/** How long each category of data is kept, and what becomes of it. */
export function RetentionSection({ v, set, ro }: SectionProps) {
  return (
    <Section id="section-conservation" title="Durées de conservation">
      <Repeat
        name="retention"
        itemLabel="Durée de conservation"
        addLabel="Ajouter une durée de conservation"
        items={v.retention}
        onChange={(retention) => set({ retention })}
        make={() => ({ dataCategory: '', duration: '', finalFate: 'destruction' as const })}
        disabled={ro}
        render={(item, i, update) => (
          <>
            <TextField
              name={`retention.${i}.dataCategory`}
              label="Catégorie de données"
              required
              value={item.dataCategory}
              onChange={(e) => update({ dataCategory: e.currentTarget.value })}
            />
            <TextField
              name={`retention.${i}.duration`}
              label="Durée"
              required
              hint="Ex. : 5 ans après la clôture du dossier"
              value={item.duration}
              onChange={(e) => update({ duration: e.currentTarget.value })}
            />
            <SelectField
              name={`retention.${i}.finalFate`}
              label="Sort final"
              options={optionsOf(FINAL_FATE_LABELS, FINAL_FATES)}
              value={item.finalFate}
              onChange={(e) => update({ finalFate: e.currentTarget.value as (typeof FINAL_FATES)[number] })}
            />
          </>
        )}
      />
    </Section>
  );
}
