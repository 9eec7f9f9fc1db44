import { useState } from 'react';
import { INCIDENT_STATUS_LABELS, INCIDENT_STATUSES } from '../../../../contracts/cyber.js';
import { Button, Form, optionsOf, SelectField, TextField } from '../../../ui/index.js';
import { toParisLocalInput } from '../../rgpd/format.js';
import { type Incident, usePatchIncident } from '../api.js';
import { readIncidentDatesForm } from '../form-data.js';

const STEP_LABELS = {
  earlyWarningSentAt: 'Alerte précoce transmise à l’ANSSI le (heure de Paris)',
  notificationSentAt: 'Notification d’incident transmise le (heure de Paris)',
  finalReportSentAt: 'Rapport final transmis le (heure de Paris)',
  policeComplaintAt: 'Plainte déposée le (heure de Paris)',
  insurerDeclaredAt: 'Déclaration à l’assureur le (heure de Paris)',
} as const;

/** The incident's status and the dates of its declarations (regulator, police, insurer). */
export function IncidentStepsForm({ memberId, incident }: { memberId: string; incident: Incident }) {
  const patch = usePatchIncident(memberId, incident.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fields = incident.nis2
    ? ([
        'earlyWarningSentAt',
        'notificationSentAt',
        'finalReportSentAt',
        'policeComplaintAt',
        'insurerDeclaredAt',
      ] as const)
    : (['policeComplaintAt', 'insurerDeclaredAt'] as const);
  return (
    <Form
      id="etapes-incident"
      aria-labelledby="etapes-titre"
      error={patch.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const read = readIncidentDatesForm(data);
        setClientErrors(read.errors);
        if (read.body) patch.mutate(read.body);
      }}
    >
      <h2 id="etapes-titre">Statut et déclarations</h2>
      <SelectField
        name="status"
        label="Statut de l’incident"
        options={optionsOf(INCIDENT_STATUS_LABELS, INCIDENT_STATUSES)}
        defaultValue={incident.status}
      />
      {fields.map((field) => (
        <TextField
          key={field}
          name={field}
          type="datetime-local"
          label={STEP_LABELS[field]}
          defaultValue={toParisLocalInput(incident[field])}
        />
      ))}
      <div className="form-actions">
        <Button type="submit" pending={patch.isPending}>
          Enregistrer
        </Button>
      </div>
    </Form>
  );
}
