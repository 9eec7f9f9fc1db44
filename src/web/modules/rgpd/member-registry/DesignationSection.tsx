import { useState } from 'react';
import { Button, Form, TextField } from '../../../ui/index.js';
import { useDesignation, useSaveDesignation } from '../api.js';
import { formatParisDate } from '../format.js';

export function DesignationSection({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const designation = useDesignation(memberId);
  const save = useSaveDesignation(memberId);
  const [editing, setEditing] = useState(false);
  const d = designation.data;
  return (
    <section aria-labelledby="designation-titre">
      <h2 id="designation-titre">Désignation du délégué à la protection des données</h2>
      {editing ? (
        <Form
          id="designation"
          error={save.error}
          onSubmit={(data) => {
            const get = (k: string) => String(data.get(k) ?? '').trim() || null;
            save.mutate(
              { cnilNumber: get('cnilNumber'), designatedOn: get('designatedOn'), dpoName: get('dpoName') },
              { onSuccess: () => setEditing(false) },
            );
          }}
        >
          <TextField name="dpoName" label="DPO désigné" defaultValue={d?.dpoName ?? ''} />
          <TextField
            name="cnilNumber"
            label="Numéro de désignation CNIL"
            defaultValue={d?.cnilNumber ?? ''}
          />
          <TextField
            name="designatedOn"
            type="date"
            label="Date de désignation"
            defaultValue={d?.designatedOn ?? ''}
          />
          <div className="form-actions">
            <Button type="submit" pending={save.isPending}>
              Enregistrer la désignation
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              Annuler
            </Button>
          </div>
        </Form>
      ) : (
        <>
          {d ? (
            <dl className="dl">
              <dt>DPO désigné</dt>
              <dd>{d.dpoName ?? '—'}</dd>
              <dt>Numéro CNIL</dt>
              <dd>{d.cnilNumber ?? '—'}</dd>
              <dt>Date de désignation</dt>
              <dd>{formatParisDate(d.designatedOn)}</dd>
            </dl>
          ) : designation.isError ? (
            <p className="muted">Aucune désignation enregistrée.</p>
          ) : null}
          {canEdit && (
            <p className="form-actions">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Modifier la désignation
              </Button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
