import {
  DPIA_CRITERIA,
  DPIA_CRITERION_LABELS,
  DPIA_REQUIRED_THRESHOLD,
  DPIA_STATUS_LABELS,
  DPIA_STATUSES,
  type DpiaCriterion,
  LEGAL_BASES,
  LEGAL_BASIS_LABELS,
  type LegalBasis,
  PROCESSING_STATUS_LABELS,
  PROCESSING_STATUSES,
  SECURITY_MEASURE_KEYS,
  SECURITY_MEASURE_LABELS,
} from '../../../../contracts/rgpd.js';
import { optionsOf, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { Checkbox } from '../components.js';
import { Section } from './layout.js';
import {
  DataSubjectsSection,
  RecipientsSection,
  RetentionSection,
  TransfersSection,
} from './list-sections.js';
import { type EditorValue, nullIfEmpty, type Update } from './value.js';

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

      <DataSubjectsSection v={v} set={set} ro={ro} />

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

      <RecipientsSection v={v} set={set} ro={ro} />

      <TransfersSection v={v} set={set} ro={ro} />

      <RetentionSection v={v} set={set} ro={ro} />

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
