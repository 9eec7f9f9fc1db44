import { type ReactNode, useEffect, useRef } from 'react';
import {
  DPIA_CRITERIA,
  DPIA_CRITERION_LABELS,
  DPIA_REQUIRED_THRESHOLD,
  DPIA_STATUS_LABELS,
  DPIA_STATUSES,
  type DpiaCriterion,
  FINAL_FATE_LABELS,
  FINAL_FATES,
  LEGAL_BASES,
  LEGAL_BASIS_LABELS,
  type LegalBasis,
  PROCESSING_STATUS_LABELS,
  PROCESSING_STATUSES,
  type ProcessingInput,
  RECIPIENT_TYPE_LABELS,
  RECIPIENT_TYPES,
  SECURITY_MEASURE_KEYS,
  SECURITY_MEASURE_LABELS,
  type TemplateFields,
} from '../../../contracts/rgpd.js';
import { Button, optionsOf, SelectField, TextAreaField, TextField } from '../../ui/index.js';
import { Checkbox } from './components.js';

/** What the editor holds: a template's fields, plus the member's own part for a processing. */
export type EditorValue = TemplateFields & Partial<Omit<ProcessingInput, keyof TemplateFields>>;
type Update = (patch: Partial<EditorValue>) => void;

const digits = (value: string) => value.replace(/\D/g, '');

/** Blank lines of the textareas and rows left empty are dropped before sending. */
export function cleanValue<T extends EditorValue>(value: T): T {
  return {
    ...value,
    dataCategories: value.dataCategories.map((c) => c.trim()).filter(Boolean),
    dataSubjects: value.dataSubjects.filter((s) => s.category.trim() || s.estimatedCount != null),
    recipients: value.recipients.filter((r) => r.name.trim()),
    transfers: value.transfers.filter((t) => t.country.trim() || t.safeguard.trim()),
    retention: value.retention.filter((r) => r.dataCategory.trim() || r.duration.trim()),
    sensitiveException: value.sensitiveData ? value.sensitiveException : null,
  };
}

const nullIfEmpty = (v: string) => (v.trim() === '' ? null : v);

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="rgpd-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Rows of a repeatable group, each in its own fieldset; a new row receives focus. */
function Repeat<T>({
  name,
  itemLabel,
  addLabel,
  items,
  onChange,
  make,
  render,
  disabled,
}: {
  name: string;
  itemLabel: string;
  addLabel: string;
  items: T[];
  onChange: (items: T[]) => void;
  make: () => T;
  render: (item: T, index: number, set: (patch: Partial<T>) => void) => ReactNode;
  disabled?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const added = useRef(false);
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    const fieldsets = container.current?.querySelectorAll('fieldset');
    fieldsets?.[fieldsets.length - 1]?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  });
  return (
    <div ref={container} id={`repeat-${name}`}>
      {items.length === 0 && <p className="muted">Aucun élément pour l'instant.</p>}
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
        <fieldset key={index} className="rgpd-repeat">
          <legend>
            {itemLabel} {index + 1}
          </legend>
          <div className="rgpd-repeat__fields">
            {render(item, index, (patch) =>
              onChange(items.map((it, i) => (i === index ? { ...it, ...patch } : it))),
            )}
            {!disabled && (
              <Button
                variant="tertiary"
                small
                onClick={() => onChange(items.filter((_, i) => i !== index))}
                aria-label={`Retirer : ${itemLabel.toLowerCase()} ${index + 1}`}
              >
                Retirer
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      {!disabled && (
        <Button
          variant="secondary"
          small
          onClick={() => {
            added.current = true;
            onChange([...items, make()]);
          }}
        >
          {addLabel}
        </Button>
      )}
    </div>
  );
}

export interface ProcessorOption {
  id: string;
  name: string;
}

/**
 * Every Art. 30 field in sections. `local` adds the member's own part (status, reviews, DPIA progress,
 * processors, publication); templates leave it out.
 */
export function FieldsEditor({
  value,
  onChange,
  local,
  processors,
  readOnly,
}: {
  value: EditorValue;
  onChange: Update;
  local: boolean;
  processors?: ProcessorOption[];
  readOnly?: boolean;
}) {
  const v = value;
  const set = onChange;
  const criteriaCount = v.dpiaCriteria.length;
  const dpiaRequired = criteriaCount >= DPIA_REQUIRED_THRESHOLD;
  const ro = readOnly;
  return (
    <fieldset disabled={ro} className="rgpd-fields">
      <legend className="sr-only">Fiche du traitement</legend>
      <Section id="section-identification" title="Identification">
        <TextField
          name="name"
          label="Nom du traitement"
          required
          value={v.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
        />
        <TextField
          name="department"
          label="Service responsable"
          hint="Le service de la structure qui met en œuvre le traitement"
          value={v.department ?? ''}
          onChange={(e) => set({ department: nullIfEmpty(e.currentTarget.value) })}
        />
        <TextField
          name="software"
          label="Logiciel utilisé"
          value={v.software ?? ''}
          onChange={(e) => set({ software: nullIfEmpty(e.currentTarget.value) })}
        />
      </Section>

      <Section id="section-finalites" title="Finalités et base légale">
        <TextAreaField
          name="purposes"
          label="Finalités"
          required
          hint="Pourquoi les données sont traitées"
          value={v.purposes}
          onChange={(e) => set({ purposes: e.currentTarget.value })}
        />
        <SelectField
          name="legalBasis"
          label="Base légale (article 6 du RGPD)"
          required
          placeholder="Choisir…"
          options={optionsOf(LEGAL_BASIS_LABELS, LEGAL_BASES)}
          value={v.legalBasis ?? ''}
          onChange={(e) => set({ legalBasis: (e.currentTarget.value || null) as LegalBasis | null })}
        />
        <TextAreaField
          name="legalBasisJustification"
          label="Justification de la base légale"
          hint="Texte de loi, délibération, contrat…"
          value={v.legalBasisJustification ?? ''}
          onChange={(e) => set({ legalBasisJustification: nullIfEmpty(e.currentTarget.value) })}
        />
      </Section>

      <Section id="section-sensibles" title="Données sensibles (article 9)">
        <Checkbox
          name="sensitiveData"
          label="Le traitement porte sur des données sensibles"
          hint="Santé, opinions, origine, orientation sexuelle, données biométriques ou génétiques…"
          checked={v.sensitiveData}
          onChange={(checked) => set({ sensitiveData: checked })}
        />
        {v.sensitiveData && (
          <TextAreaField
            name="sensitiveException"
            label="Exception invoquée (article 9.2)"
            required
            value={v.sensitiveException ?? ''}
            onChange={(e) => set({ sensitiveException: nullIfEmpty(e.currentTarget.value) })}
          />
        )}
      </Section>

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

      <Section id="section-donnees" title="Données traitées et sources">
        <TextAreaField
          name="dataCategories"
          label="Catégories de données"
          required
          hint="Une catégorie par ligne (état civil, coordonnées, situation familiale…)"
          value={v.dataCategories.join('\n')}
          onChange={(e) => set({ dataCategories: e.currentTarget.value.split('\n') })}
        />
        <TextAreaField
          name="sources"
          label="Sources des données"
          value={v.sources ?? ''}
          onChange={(e) => set({ sources: nullIfEmpty(e.currentTarget.value) })}
        />
        <TextAreaField
          name="collectionMethod"
          label="Mode de collecte"
          hint="Formulaire papier, téléservice, transmission par un organisme…"
          value={v.collectionMethod ?? ''}
          onChange={(e) => set({ collectionMethod: nullIfEmpty(e.currentTarget.value) })}
        />
      </Section>

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

      <Section id="section-securite" title="Mesures de sécurité">
        {SECURITY_MEASURE_KEYS.map((key) => (
          <TextAreaField
            key={key}
            name={`securityMeasures.${key}`}
            label={SECURITY_MEASURE_LABELS[key]}
            rows={2}
            value={v.securityMeasures[key] ?? ''}
            onChange={(e) =>
              set({ securityMeasures: { ...v.securityMeasures, [key]: nullIfEmpty(e.currentTarget.value) } })
            }
          />
        ))}
      </Section>

      {local && (
        <Section id="section-sous-traitants" title="Sous-traitants">
          {processors && processors.length > 0 ? (
            <fieldset>
              <legend>Sous-traitants intervenant dans le traitement</legend>
              <div className="rgpd-checklist">
                {processors.map((p) => (
                  <Checkbox
                    key={p.id}
                    label={p.name}
                    checked={(v.processorIds ?? []).includes(p.id)}
                    onChange={(checked) =>
                      set({
                        processorIds: checked
                          ? [...(v.processorIds ?? []), p.id]
                          : (v.processorIds ?? []).filter((id) => id !== p.id),
                      })
                    }
                  />
                ))}
              </div>
            </fieldset>
          ) : (
            <p className="muted">Aucun sous-traitant dans l'annuaire.</p>
          )}
        </Section>
      )}

      <Section id="section-aipd" title="Analyse d'impact (AIPD)">
        <fieldset>
          <legend>Critères du CEPD présents dans le traitement</legend>
          <p className="field__hint">
            Une analyse d'impact est requise dès que {DPIA_REQUIRED_THRESHOLD} critères sur 9 sont réunis.
          </p>
          <div className="rgpd-checklist">
            {DPIA_CRITERIA.map((c) => (
              <Checkbox
                key={c}
                label={DPIA_CRITERION_LABELS[c]}
                checked={v.dpiaCriteria.includes(c)}
                onChange={(checked) =>
                  set({
                    dpiaCriteria: checked
                      ? [...v.dpiaCriteria, c]
                      : v.dpiaCriteria.filter((x): x is DpiaCriterion => x !== c),
                  })
                }
              />
            ))}
          </div>
        </fieldset>
        <p
          className={dpiaRequired ? 'dpia-result dpia-result--required' : 'dpia-result'}
          aria-live="polite"
          id="dpia-result"
        >
          {dpiaRequired
            ? `AIPD requise : ${criteriaCount} critères sur 9 réunis.`
            : `AIPD non requise par les critères : ${criteriaCount} critère${criteriaCount > 1 ? 's' : ''} sur 9.`}
        </p>
        {local && (
          <>
            <SelectField
              name="dpiaStatus"
              label="État de l'analyse d'impact"
              options={optionsOf(DPIA_STATUS_LABELS, DPIA_STATUSES)}
              value={v.dpiaStatus ?? 'not_started'}
              onChange={(e) => set({ dpiaStatus: e.currentTarget.value as (typeof DPIA_STATUSES)[number] })}
            />
            {v.dpiaStatus === 'not_required' && (
              <TextAreaField
                name="dpiaNotRequiredReason"
                label="Motif pour lequel l'AIPD n'est pas requise"
                required
                value={v.dpiaNotRequiredReason ?? ''}
                onChange={(e) => set({ dpiaNotRequiredReason: nullIfEmpty(e.currentTarget.value) })}
              />
            )}
          </>
        )}
      </Section>

      {local && (
        <Section id="section-suivi" title="Suivi et publication">
          <SelectField
            name="status"
            label="Statut de la fiche"
            options={optionsOf(PROCESSING_STATUS_LABELS, PROCESSING_STATUSES)}
            value={v.status ?? 'draft'}
            onChange={(e) => set({ status: e.currentTarget.value as (typeof PROCESSING_STATUSES)[number] })}
          />
          <TextField
            name="lastReviewOn"
            type="date"
            label="Date de la dernière revue"
            value={v.lastReviewOn ?? ''}
            onChange={(e) => set({ lastReviewOn: e.currentTarget.value || null })}
          />
          <TextField
            name="nextReviewOn"
            type="date"
            label="Date de la prochaine revue"
            value={v.nextReviewOn ?? ''}
            onChange={(e) => set({ nextReviewOn: e.currentTarget.value || null })}
          />
          <Checkbox
            name="isPublic"
            label="Publier ce traitement sur la page publique du registre"
            hint="Sans aucune donnée personnelle des agents."
            checked={!!v.isPublic}
            onChange={(checked) => set({ isPublic: checked })}
          />
        </Section>
      )}
    </fieldset>
  );
}
