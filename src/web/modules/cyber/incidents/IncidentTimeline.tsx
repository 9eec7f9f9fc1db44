import { useState } from 'react';
import { Button, Form, formatDateTime, TextAreaField, TextField } from '../../../ui/index.js';
import { fromParisLocalInput, toParisLocalInput } from '../../rgpd/format.js';
import { type Incident, useAddTimelineEntry } from '../api.js';

/** What was done and when, oldest first; anyone who manages the incident adds to it. */
export function IncidentTimeline({
  memberId,
  incident,
  canEdit,
}: {
  memberId: string;
  incident: Incident;
  canEdit: boolean;
}) {
  const add = useAddTimelineEntry(memberId, incident.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [formKey, setFormKey] = useState(0);
  const entries = [...incident.timeline].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section aria-labelledby="chronologie-titre">
      <h2 id="chronologie-titre">Chronologie des actions</h2>
      {entries.length === 0 ? (
        <p>Aucune action inscrite pour l’instant.</p>
      ) : (
        <ol className="timeline">
          {entries.map((e) => (
            <li key={e.id} className="timeline__item">
              <p className="timeline__meta">
                <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                {e.by ? ` — ${e.by}` : ''}
              </p>
              <p>{e.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canEdit && (
        <Form
          key={formKey}
          id="action-incident"
          aria-label="Ajouter une action à la chronologie"
          error={add.error}
          clientErrors={clientErrors}
          onSubmit={(data) => {
            const atText = String(data.get('at') ?? '');
            const at = fromParisLocalInput(atText);
            const text = String(data.get('text') ?? '').trim();
            const errors: Record<string, string> = {};
            if (!at) errors.at = 'Indiquez la date et l’heure de l’action';
            if (!text) errors.text = 'Décrivez l’action';
            setClientErrors(errors);
            if (!at || !text) return;
            add.mutate({ at, text }, { onSuccess: () => setFormKey((k) => k + 1) });
          }}
        >
          <TextField
            name="at"
            type="datetime-local"
            label="Date et heure de l’action (heure de Paris)"
            defaultValue={toParisLocalInput(new Date().toISOString())}
          />
          <TextAreaField
            name="text"
            label="Action"
            hint="« Postes isolés du réseau », « Sauvegarde du 3 restaurée »…"
            rows={2}
          />
          <Button type="submit" variant="secondary" pending={add.isPending}>
            Ajouter à la chronologie
          </Button>
        </Form>
      )}
    </section>
  );
}
