import { useId, useState } from 'react';
import { ACT_NATURE_LABELS, ACT_NATURES, ACT_SUBJECT_MAX, type ActInput } from '../../../contracts/acts.js';
import { errorMessage } from '../../app/api.js';
import { useFieldBinding } from '../../ui/Form.js';
import {
  Button,
  Form,
  formatDate,
  formatDateTime,
  optionsOf,
  SearchComboBox,
  SelectField,
  TextAreaField,
  TextField,
} from '../../ui/index.js';
import { readActForm, VOTES, type VoteKey } from './act-form-data.js';
import { type Act, searchActs, useClassification, useRefreshClassification } from './api.js';

/**
 * The classification as the prefecture's file gives it, grouped by matière; a code typed by hand when
 * Socle never fetched the file (checked at transmission).
 */
function ClassificationField({
  memberId,
  defaultValue,
  canRefresh,
}: {
  memberId: string;
  defaultValue?: string;
  canRefresh: boolean;
}) {
  const classification = useClassification(memberId);
  const refresh = useRefreshClassification(memberId);
  const entries = classification.data?.entries ?? [];
  const groups = entries.filter((e) => e.level === 1);
  const label = 'Matière (classification)';
  const binding = useFieldBinding('classification', label);
  const hintId = `${binding.id}-hint`;
  const errorId = `${binding.id}-error`;
  const date = classification.data?.classificationDate;
  return (
    <div className={binding.error ? 'field field--error' : 'field'}>
      <label htmlFor={binding.id} className="required">
        {label}
      </label>
      <span className="field__hint" id={hintId}>
        {date
          ? `Classification de la préfecture du ${formatDate(date)} (mise à jour le ${formatDateTime(classification.data?.fetchedAt)}).`
          : 'La classification de la préfecture n’a pas encore été récupérée : saisissez le code (ex. 7.1).'}
      </span>
      {entries.length > 0 ? (
        <select
          id={binding.id}
          name="classification"
          className="select"
          required
          defaultValue={defaultValue ?? ''}
          aria-invalid={binding.error ? true : undefined}
          aria-describedby={[hintId, binding.error ? errorId : null].filter(Boolean).join(' ')}
          key={entries.length}
        >
          <option value="">Choisir une matière…</option>
          {groups.map((g) => (
            <optgroup key={g.code} label={`${g.code} — ${g.label}`}>
              {entries
                .filter((e) => e.code === g.code || e.code.startsWith(`${g.code}.`))
                .map((e) => (
                  <option key={e.code} value={e.code}>
                    {`${'\u00a0\u00a0'.repeat(Math.max(0, e.level - 1))}${e.code} — ${e.label}`}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      ) : (
        <input
          id={binding.id}
          name="classification"
          className="input"
          required
          defaultValue={defaultValue ?? ''}
          inputMode="decimal"
          aria-invalid={binding.error ? true : undefined}
          aria-describedby={[hintId, binding.error ? errorId : null].filter(Boolean).join(' ')}
        />
      )}
      {binding.error && (
        <span className="field__error" id={errorId}>
          {binding.error}
        </span>
      )}
      {canRefresh && (
        <p className="row">
          <Button variant="tertiary" small pending={refresh.isPending} onClick={() => refresh.mutate()}>
            Mettre à jour la classification
          </Button>
          {refresh.isSuccess && <span role="status">Classification mise à jour.</span>}
          {refresh.isError && (
            <span role="alert" className="field__error">
              {errorMessage(refresh.error)}
            </span>
          )}
        </p>
      )}
    </div>
  );
}

function TransmissionRequiredBox({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  const label = 'Acte soumis au contrôle de légalité (à transmettre à la préfecture)';
  const binding = useFieldBinding('transmissionRequired', label);
  const id = binding.id ?? 'transmissionRequired';
  return (
    <div className="checkbox">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
      />
      <label htmlFor={id}>{label}</label>
      <span className="field__hint" id={`${id}-hint`}>
        Décochez pour un acte qui devient exécutoire dès sa publication ou sa notification, sans transmission.
      </span>
    </div>
  );
}

/** Every field of an act; shared by the creation page and the edit form of a draft. */
export function ActForm({
  id,
  memberId,
  act,
  error,
  pending,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  id: string;
  memberId: string;
  act?: Act;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  onSubmit: (body: ActInput) => void;
  onCancel?: () => void;
}) {
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [transmissionRequired, setTransmissionRequired] = useState(act?.transmissionRequired ?? true);
  const votesId = useId();
  return (
    <Form
      id={id}
      error={error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const { body, errors } = readActForm(data, transmissionRequired);
        setClientErrors(errors);
        if (body) onSubmit(body);
      }}
    >
      <fieldset className="acts-fieldset">
        <legend>L'acte</legend>
        <SelectField
          name="nature"
          label="Nature"
          required
          options={optionsOf(ACT_NATURE_LABELS, ACT_NATURES)}
          defaultValue={act?.nature ?? 'DE'}
        />
        <ClassificationField memberId={memberId} defaultValue={act?.classification} canRefresh />
        <TextField
          name="number"
          label="Numéro interne"
          required
          maxLength={15}
          autoCapitalize="characters"
          hint="Unique dans la structure ; 15 caractères au plus : majuscules, chiffres et « _ » (ex. DEL2026_042)."
          defaultValue={act?.number ?? ''}
        />
        <TextField
          name="decidedOn"
          type="date"
          label="Date de la décision"
          required
          hint="Ni dans le futur : un acte se transmet une fois décidé."
          defaultValue={act?.decidedOn ?? ''}
        />
        <TextAreaField
          name="subject"
          label="Objet"
          required
          maxLength={ACT_SUBJECT_MAX}
          rows={3}
          hint={`${ACT_SUBJECT_MAX} caractères au plus. Les mots de l'objet servent à retrouver l'acte sur le portail public.`}
          defaultValue={act?.subject ?? ''}
        />
        <TransmissionRequiredBox checked={transmissionRequired} onChange={setTransmissionRequired} />
      </fieldset>
      <fieldset className="acts-fieldset">
        <legend>Signature, séance et notification</legend>
        <TextField
          name="signatoryName"
          label="Signataire"
          maxLength={200}
          autoComplete="off"
          hint="Nom et qualité (ex. Luc Bouard, maire)"
          defaultValue={act?.signatoryName ?? ''}
        />
        <TextField
          name="signedOn"
          type="date"
          label="Date de signature"
          hint="Un acte individuel se transmet dans les 15 jours qui suivent."
          defaultValue={act?.signedOn ?? ''}
        />
        <TextField
          name="sessionOn"
          type="date"
          label="Date de la séance du conseil"
          hint="Pour les délibérations : la liste des délibérations de la séance en découle."
          defaultValue={act?.sessionOn ?? ''}
        />
        <TextField
          name="notifiedOn"
          type="date"
          label="Date de notification"
          hint="Actes individuels : le jour où la personne concernée a été informée."
          defaultValue={act?.notifiedOn ?? ''}
        />
        {!act && (
          <SearchComboBox
            name="correctsActId"
            label="Acte rectifié"
            hint="Si cet acte en corrige un autre déjà publié : numéro ou mots de son objet."
            queryKey={`acts-${memberId}`}
            search={searchActs(memberId)}
          />
        )}
      </fieldset>
      <fieldset className="acts-fieldset" aria-describedby={`${votesId}-hint`}>
        <legend>Votes (délibérations)</legend>
        <p className="field__hint" id={`${votesId}-hint`}>
          Facultatifs ; repris dans les données ouvertes (schéma SCDL « Délibérations »).
        </p>
        <div className="acts-votes">
          {VOTES.map(([key, label]) => (
            <TextField
              key={key}
              name={key}
              label={label}
              type="number"
              min={0}
              inputMode="numeric"
              defaultValue={act?.[key as VoteKey] ?? ''}
            />
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Annuler
          </Button>
        )}
      </div>
    </Form>
  );
}
