import { useState } from 'react';
import {
  BOUND_DECISION_LABELS,
  type BoundDecisionKind,
  PLATFORM_DECISION_KINDS,
  type SessionInput,
} from '../../../../contracts/governance.js';
import { useFieldBinding } from '../../../ui/Form.js';
import {
  Button,
  Form,
  formatDate,
  formatDateTime,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { usePendingMembers } from '../api.js';
import { convocationDueByPreview, readSessionForm } from '../session-form-data.js';

/** A checkbox whose label follows it (the design system's `.checkbox`), bound to the form's errors. */
function CheckboxField({
  name,
  label,
  hint,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  checked?: boolean;
  onChange?: (value: boolean) => void;
}) {
  const binding = useFieldBinding(name, label);
  const id = binding.id ?? name;
  return (
    <div className="checkbox">
      <input
        type="checkbox"
        id={id}
        name={name}
        checked={checked}
        onChange={onChange ? (e) => onChange(e.target.checked) : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

interface ItemRow {
  key: number;
  decisionKind: string;
}

/** An earlier closed session of the assembly whose procès-verbal awaits adoption. */
export interface MinutesToAdopt {
  sessionId: string;
  startsAt: string;
}

/**
 * The decisions an item may be bound to: the platform's (only on the operator's comité syndical) and
 * adopting the procès-verbal of an earlier closed session of the assembly.
 */
function DecisionFields({
  index,
  row,
  onKind,
  platformDecisions,
  minutesToAdopt,
}: {
  index: number;
  row: ItemRow;
  onKind: (kind: string) => void;
  platformDecisions: boolean;
  minutesToAdopt: MinutesToAdopt[];
}) {
  const kinds = (Object.keys(BOUND_DECISION_LABELS) as BoundDecisionKind[]).filter((kind) =>
    kind === 'adopt_minutes'
      ? minutesToAdopt.length > 0
      : platformDecisions && PLATFORM_DECISION_KINDS.includes(kind),
  );
  const prefix = `agenda.${index}`;
  const status =
    row.decisionKind === 'accept_membership'
      ? 'requested'
      : row.decisionKind === 'member_withdrawal'
        ? 'withdrawal_requested'
        : null;
  const members = usePendingMembers(status);
  return (
    <>
      <SelectField
        name={`${prefix}.decisionKind`}
        label="Décision liée"
        hint="Exécutée par la plateforme une seule fois, quand le point est adopté ; jamais s'il est rejeté."
        placeholder="Aucune"
        options={kinds.map((kind) => ({ value: kind, label: BOUND_DECISION_LABELS[kind] }))}
        value={row.decisionKind}
        onChange={(e) => onKind(e.target.value)}
      />
      {row.decisionKind === 'adopt_minutes' && (
        <SelectField
          name={`${prefix}.minutesSessionId`}
          label="Séance dont le procès-verbal est adopté"
          required
          placeholder="Choisir une séance…"
          hint="Les séances closes de l'assemblée dont le procès-verbal n'est pas encore adopté."
          options={minutesToAdopt.map((m) => ({
            value: m.sessionId,
            label: `Séance du ${formatDateTime(m.startsAt)}`,
          }))}
        />
      )}
      {status && (
        <SelectField
          name={`${prefix}.memberId`}
          label="Structure concernée"
          required
          placeholder={members.isPending ? 'Chargement des demandes…' : 'Choisir une structure…'}
          hint={
            status === 'requested'
              ? "Les structures dont la demande d'adhésion attend le comité syndical."
              : 'Les adhérents dont le retrait attend le comité syndical.'
          }
          options={(members.data ?? []).map((m) => ({ value: m.id, label: m.label }))}
        />
      )}
      {row.decisionKind === 'adopt_pricing' && (
        <TextField
          name={`${prefix}.year`}
          label="Année des tarifs"
          required
          type="number"
          inputMode="numeric"
          defaultValue={String(new Date().getFullYear() + 1)}
        />
      )}
    </>
  );
}

/**
 * A session: date and time (Paris), place or remote, ordinary or urgent (with its reason), agenda items
 * with their explanatory note. The last day to send convocations is shown as the date is typed.
 */
export function SessionForm({
  convocationDays,
  platformDecisions,
  minutesToAdopt,
  error,
  pending,
  onSubmit,
}: {
  /** Jours francs of an ordinary convocation for the assembly (5 or 3). */
  convocationDays: number;
  /** The operator's comité syndical: items may carry a platform decision. */
  platformDecisions: boolean;
  /** The assembly's closed sessions whose procès-verbal an item may adopt. */
  minutesToAdopt: MinutesToAdopt[];
  error: unknown;
  pending: boolean;
  onSubmit: (body: SessionInput) => void;
}) {
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [startsAt, setStartsAt] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [rows, setRows] = useState<ItemRow[]>([{ key: 0, decisionKind: '' }]);
  const dueBy = convocationDueByPreview(startsAt, convocationDays, urgent);
  const setKind = (key: number, decisionKind: string) =>
    setRows((previous) => previous.map((r) => (r.key === key ? { ...r, decisionKind } : r)));
  return (
    <Form
      id="nouvelle-seance"
      error={error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const { body, errors } = readSessionForm(data, rows.length);
        setClientErrors(errors);
        if (body) onSubmit(body);
      }}
    >
      <fieldset className="gov-fieldset">
        <legend>La séance</legend>
        <TextField
          name="startsAt"
          type="datetime-local"
          label="Date et heure"
          required
          hint="Heure de Paris."
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
        />
        <p className="gov-due" aria-live="polite">
          {dueBy
            ? `À convoquer au plus tard le ${formatDate(dueBy)} (${urgent ? '1 jour franc, urgence' : `${convocationDays} jours francs`} : ni le jour de l'envoi ni celui de la séance ne comptent).`
            : ''}
        </p>
        <TextField
          name="place"
          label="Lieu"
          required
          maxLength={300}
          hint="Adresse de la salle, ou « Visioconférence »."
        />
        <CheckboxField name="remote" label="Séance à distance (visioconférence)" />
        <CheckboxField
          name="urgent"
          label="Séance urgente"
          hint="Le délai de convocation est alors d'un jour franc ; le motif est porté sur la convocation."
          checked={urgent}
          onChange={setUrgent}
        />
        {urgent && (
          <TextAreaField name="urgencyReason" label="Motif de l'urgence" required rows={3} maxLength={2000} />
        )}
      </fieldset>
      <fieldset className="gov-fieldset">
        <legend>Ordre du jour</legend>
        <AgendaError />
        {rows.map((row, index) => (
          <fieldset key={row.key} className="gov-agenda-item">
            <legend>Point n° {index + 1}</legend>
            <TextField name={`agenda.${index}.title`} label="Intitulé" required maxLength={499} />
            <TextAreaField
              name={`agenda.${index}.explanatoryNote`}
              label="Note explicative de synthèse"
              rows={4}
              maxLength={20_000}
              hint="Jointe à la convocation des élus."
            />
            {(platformDecisions || minutesToAdopt.length > 0) && (
              <DecisionFields
                index={index}
                row={row}
                onKind={(kind) => setKind(row.key, kind)}
                platformDecisions={platformDecisions}
                minutesToAdopt={minutesToAdopt}
              />
            )}
            <CheckboxField name={`agenda.${index}.secretBallot`} label="Scrutin secret" />
            <CheckboxField
              name={`agenda.${index}.namedVote`}
              label="Vote nominatif (chaque élu nommé avec son vote)"
            />
            {rows.length > 1 && (
              <p>
                <Button
                  variant="tertiary"
                  small
                  onClick={() => setRows((previous) => previous.filter((r) => r.key !== row.key))}
                >
                  Retirer le point n° {index + 1}
                </Button>
              </p>
            )}
          </fieldset>
        ))}
        <p>
          <Button
            variant="secondary"
            onClick={() =>
              setRows((previous) => [
                ...previous,
                { key: Math.max(0, ...previous.map((r) => r.key)) + 1, decisionKind: '' },
              ])
            }
          >
            Ajouter un point à l'ordre du jour
          </Button>
        </p>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" pending={pending}>
          Créer la séance
        </Button>
      </div>
    </Form>
  );
}

/** An error about the agenda as a whole (no item at all). */
function AgendaError() {
  const binding = useFieldBinding('agenda', "L'ordre du jour");
  return binding.error ? (
    <p className="field__error" id={binding.id} tabIndex={-1}>
      {binding.error}
    </p>
  ) : null;
}
