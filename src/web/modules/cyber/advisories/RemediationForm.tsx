import { useState } from 'react';
import {
  ASSET_KIND_LABELS,
  REMEDIATION_STATE_LABELS,
  REMEDIATION_STATES,
} from '../../../../contracts/cyber.js';
import {
  announce,
  Button,
  Form,
  formatDate,
  formatDateTime,
  optionsOf,
  SelectField,
  TextAreaField,
  today,
} from '../../../ui/index.js';
import { type Remediation, useUpdateRemediation } from '../api.js';
import { dueText } from '../clocks.js';
import { RemediationBadge } from '../components.js';
import { readRemediationForm } from '../form-data.js';

const assetLabel = (r: Remediation) =>
  [r.asset.vendor, r.asset.product, r.asset.version].filter(Boolean).join(' ') || r.asset.name;

/** One asset an advisory concerns: what matched, its state, and the form to change it. */
export function RemediationItem({
  memberId,
  remediation: r,
  canEdit,
}: {
  memberId: string;
  remediation: Remediation;
  canEdit: boolean;
}) {
  const update = useUpdateRemediation(memberId);
  const [state, setState] = useState<string>(r.state);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const headingId = `remediation-${r.id}`;
  const closed = r.state !== 'to_do';
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {r.asset.name} <span className="muted">({ASSET_KIND_LABELS[r.asset.kind]})</span>
      </h3>
      <dl className="dl">
        <dt>Produit</dt>
        <dd>{assetLabel(r)}</dd>
        <dt>Rapproché de l’avis par</dt>
        <dd>
          <code>{r.matchedOn}</code>
        </dd>
        <dt>État</dt>
        <dd>
          <RemediationBadge state={r.state} />
          {r.reason && <span> — {r.reason}</span>}
        </dd>
        <dt>Échéance</dt>
        <dd className={r.overdue ? 'cyber-overdue' : undefined}>
          {formatDate(r.dueOn)}
          {!closed && ` (${dueText(r.dueOn, today())})`}
          {r.overdue && ' — échéance dépassée'}
        </dd>
        <dt>Dernière mise à jour</dt>
        <dd>
          {formatDateTime(r.updatedAt)}
          {r.updatedBy ? ` par ${r.updatedBy}` : ''}
        </dd>
      </dl>
      {canEdit && (
        <Form
          id={`traitement-${r.id}`}
          aria-label={`Traitement de « ${r.asset.name} »`}
          error={update.error}
          clientErrors={clientErrors}
          onSubmit={(data) => {
            const read = readRemediationForm(data);
            setClientErrors(read.errors);
            if (!read.body) return;
            update.mutate(
              { id: r.id, body: read.body },
              {
                onSuccess: (saved) =>
                  announce(`« ${r.asset.name} » : ${REMEDIATION_STATE_LABELS[saved.state].toLowerCase()}.`),
              },
            );
          }}
        >
          <SelectField
            name="state"
            label="Nouvel état"
            options={optionsOf(REMEDIATION_STATE_LABELS, REMEDIATION_STATES)}
            value={state}
            onChange={(e) => setState(e.target.value)}
          />
          <TextAreaField
            name="reason"
            label="Justification"
            hint={
              state === 'risk_accepted'
                ? 'Obligatoire : pourquoi le risque est accepté, et jusqu’à quand.'
                : 'Facultative : ce qui a été fait (version installée, contournement appliqué…).'
            }
            required={state === 'risk_accepted'}
            defaultValue={r.reason ?? ''}
            rows={2}
          />
          <div className="form-actions">
            <Button type="submit" small pending={update.isPending}>
              Enregistrer l’état
              <span className="sr-only"> de « {r.asset.name} »</span>
            </Button>
          </div>
        </Form>
      )}
    </article>
  );
}
