import { useState } from 'react';
import {
  TRAINING_AUDIENCE_LABELS,
  TRAINING_AUDIENCES,
  type TrainingSession,
  type TrainingSessionInput,
  type TrainingSessionUpdate,
} from '../../../../contracts/support.js';
import { Button, Form, optionsOf, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { fromParisLocalInput, toParisLocalInput } from '../../rgpd/format.js';
import { CatalogueServiceField } from '../components.js';
import { DEPARTEMENTS } from '../TrainingCalendarPage.js';

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const whole = (value: string) => (/^\d+$/.test(value) ? Number(value) : Number.NaN);

/**
 * Reads the form: dates typed in Paris time become instants; what cannot be read is named. The body
 * always carries serviceId (null: no service), which an edit's PUT requires.
 */
export function readSessionForm(data: FormData): {
  body?: TrainingSessionUpdate;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const instant = (name: string, label: string, required: boolean) => {
    const value = text(data, name);
    if (!value) {
      if (required) errors[name] = `${label} est obligatoire`;
      return undefined;
    }
    const iso = fromParisLocalInput(value);
    if (!iso) errors[name] = `${label} : date et heure attendues`;
    return iso ?? undefined;
  };
  const startsAt = instant('startsAt', 'Le début', true);
  const endsAt = instant('endsAt', 'La fin', true);
  const registrationDeadline = instant('registrationDeadline', "La date limite d'inscription", false);
  const capacity = whole(text(data, 'capacity'));
  if (Number.isNaN(capacity)) errors.capacity = 'La capacité est un nombre entier de places';
  const capText = text(data, 'perMemberCap');
  const perMemberCap = capText ? whole(capText) : null;
  if (Number.isNaN(perMemberCap)) errors.perMemberCap = 'Le maximum par structure est un nombre entier';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    body: {
      title: text(data, 'title'),
      description: text(data, 'description') || undefined,
      audience: text(data, 'audience') as TrainingSessionInput['audience'],
      startsAt: startsAt ?? '',
      endsAt: endsAt ?? '',
      registrationDeadline,
      place: text(data, 'place'),
      departementCode: text(data, 'departementCode') || null,
      remote: data.get('remote') === 'on',
      trainer: text(data, 'trainer') || undefined,
      capacity,
      perMemberCap,
      serviceId: text(data, 'serviceId') || null,
    },
  };
}

/** Creates or edits a session; the same fields either way. */
export function SessionForm({
  session,
  error,
  pending,
  submitLabel,
  onSubmit,
}: {
  session?: TrainingSession;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  onSubmit: (body: TrainingSessionUpdate) => void;
}) {
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id="session-formation"
      error={error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const read = readSessionForm(data);
        setClientErrors(read.errors);
        if (read.body) onSubmit(read.body);
      }}
    >
      <TextField name="title" label="Titre" required defaultValue={session?.title} />
      <TextAreaField
        name="description"
        label="Description"
        rows={4}
        defaultValue={session?.description ?? ''}
      />
      <SelectField
        name="audience"
        label="Public"
        options={optionsOf(TRAINING_AUDIENCE_LABELS, TRAINING_AUDIENCES)}
        defaultValue={session?.audience ?? 'tous'}
      />
      <CatalogueServiceField defaultValue={session?.serviceId} />
      <TextField
        name="startsAt"
        type="datetime-local"
        label="Début"
        hint="Heure de Paris."
        required
        defaultValue={toParisLocalInput(session?.startsAt)}
      />
      <TextField
        name="endsAt"
        type="datetime-local"
        label="Fin"
        hint="Heure de Paris."
        required
        defaultValue={toParisLocalInput(session?.endsAt)}
      />
      <TextField name="place" label="Lieu" required defaultValue={session?.place} />
      <SelectField
        name="departementCode"
        label="Département"
        placeholder="Aucun (à distance)"
        options={DEPARTEMENTS}
        defaultValue={session?.departementCode ?? ''}
      />
      <div className="checkbox">
        <input type="checkbox" id="session-remote" name="remote" defaultChecked={session?.remote ?? false} />
        <label htmlFor="session-remote">À distance (classe virtuelle)</label>
      </div>
      <TextField name="trainer" label="Formateur ou formatrice" defaultValue={session?.trainer ?? ''} />
      <TextField
        name="capacity"
        type="number"
        inputMode="numeric"
        min={1}
        label="Places"
        required
        defaultValue={session?.capacity ?? 12}
      />
      <TextField
        name="perMemberCap"
        type="number"
        inputMode="numeric"
        min={1}
        label="Places au plus par structure"
        hint="Laisser vide : pas de limite."
        defaultValue={session?.perMemberCap ?? ''}
      />
      <TextField
        name="registrationDeadline"
        type="datetime-local"
        label="Date limite d’inscription et d’annulation"
        hint="Heure de Paris. Laisser vide : le début de la session."
        defaultValue={toParisLocalInput(session?.registrationDeadline)}
      />
      <div className="form-actions">
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
