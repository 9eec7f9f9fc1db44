import { useState } from 'react';
import {
  TRAINING_AUDIENCE_LABELS,
  TRAINING_AUDIENCES,
  type TrainingSession,
  type TrainingSessionUpdate,
} from '../../../../contracts/support.js';
import { Button, Form, optionsOf, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { toParisLocalInput } from '../../rgpd/format.js';
import { CatalogueServiceField } from '../components.js';
import { DEPARTEMENTS } from '../TrainingCalendarPage.js';
import { readSessionForm } from './session-form-data.js';

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
