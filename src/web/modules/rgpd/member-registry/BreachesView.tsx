import { useState } from 'react';
import {
  BREACH_NATURE_LABELS,
  BREACH_NATURES,
  BREACH_RISK_LEVEL_LABELS,
  BREACH_RISK_LEVELS,
  type BreachInput,
} from '../../../../contracts/rgpd-cases.js';
import { useAuth } from '../../../app/auth.js';
import { useFieldBinding } from '../../../ui/Form.js';
import {
  Badge,
  Button,
  EmptyState,
  Form,
  formatNumber,
  ModalDialog,
  optionsOf,
  QueryView,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { LinkedIncident } from '../../cyber/LinkedIncident.js';
import { type Breach, useBreaches, useSaveBreach } from '../api.js';
import { BreachCountdown, Checkbox } from '../components.js';
import { formatParisDateTime, fromParisLocalInput, toParisLocalInput } from '../format.js';

type Nature = (typeof BREACH_NATURES)[number];
type Risk = (typeof BREACH_RISK_LEVELS)[number];

export function BreachesView({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const auth = useAuth();
  const breaches = useBreaches(memberId);
  const [dialog, setDialog] = useState<{ breach?: Breach } | null>(null);
  return (
    <>
      <div className="page-header">
        <p className="lead">
          Toute violation est inscrite au registre. Si elle présente un risque pour les personnes, la CNIL est
          notifiée dans les 72 heures après sa découverte (article 33 du RGPD).
        </p>
        {canEdit && <Button onClick={() => setDialog({})}>Déclarer une violation</Button>}
      </div>
      <QueryView query={breaches} loadingLabel="Chargement du registre des violations…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              Aucune violation de données inscrite au registre. Une perte, un vol ou un accès non autorisé à
              des données ? Signalez-le au DPO sans attendre : le délai de 72 heures court dès la découverte.
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption>Registre des violations de données ({page.total})</caption>
                <thead>
                  <tr>
                    <th scope="col">Découverte le</th>
                    <th scope="col">Nature et données</th>
                    <th scope="col">Personnes concernées</th>
                    <th scope="col">Risque</th>
                    <th scope="col">Notification à la CNIL</th>
                    {canEdit && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((b) => (
                    <tr key={b.id}>
                      <th scope="row">{formatParisDateTime(b.awareAt)}</th>
                      <td>
                        {b.nature.map((n) => BREACH_NATURE_LABELS[n].split(' (')[0]).join(', ')}
                        {b.dataDescription && (
                          <>
                            <br />
                            <span className="muted">{b.dataDescription}</span>
                          </>
                        )}
                        <LinkedIncident memberId={memberId} breachId={b.id} asOperator={auth.isOperator} />
                      </td>
                      <td className="num">{formatNumber(b.peopleCount)}</td>
                      <td>
                        {b.toQualify ? (
                          <Badge tone="warning">À qualifier par le DPO</Badge>
                        ) : (
                          BREACH_RISK_LEVEL_LABELS[b.riskLevel]
                        )}
                      </td>
                      <td>
                        <BreachCountdown breach={b} />
                        {b.cnilReference && <span className="muted">Référence CNIL : {b.cnilReference}</span>}
                      </td>
                      {canEdit && (
                        <td>
                          <Button
                            variant="secondary"
                            small
                            onClick={() => setDialog({ breach: b })}
                            aria-label={`Mettre à jour la violation découverte le ${formatParisDateTime(b.awareAt)}`}
                          >
                            Mettre à jour
                          </Button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      {dialog && <BreachDialog memberId={memberId} breach={dialog.breach} onClose={() => setDialog(null)} />}
    </>
  );
}

function NatureFieldset({ value, onChange }: { value: Nature[]; onChange: (v: Nature[]) => void }) {
  const { id, error } = useFieldBinding('nature', 'Nature de la violation');
  return (
    <fieldset
      id={id}
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="required-legend">Nature de la violation</legend>
      {BREACH_NATURES.map((n) => (
        <Checkbox
          key={n}
          label={BREACH_NATURE_LABELS[n]}
          checked={value.includes(n)}
          onChange={(checked) => onChange(checked ? [...value, n] : value.filter((x) => x !== n))}
        />
      ))}
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}

const count = (v: string) => {
  const digits = v.replace(/\D/g, '');
  return digits === '' ? null : Number(digits);
};

function BreachDialog({
  memberId,
  breach,
  onClose,
}: {
  memberId: string;
  breach?: Breach;
  onClose: () => void;
}) {
  const save = useSaveBreach(memberId);
  const [nature, setNature] = useState<Nature[]>(breach?.nature ?? []);
  const [notify, setNotify] = useState(breach?.cnilNotificationRequired ?? true);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <ModalDialog
      title={breach ? 'Mettre à jour la violation' : 'Déclarer une violation de données'}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="violation"
        error={save.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const text = (k: string) => String(data.get(k) ?? '').trim();
          const instant = (k: string) => (text(k) ? fromParisLocalInput(text(k)) : null);
          const awareAt = instant('awareAt');
          const errors: Record<string, string> = {};
          if (!awareAt) errors.awareAt = 'indiquez la date et l’heure de la découverte';
          if (nature.length === 0) errors.nature = 'indiquez au moins une nature de violation';
          setClientErrors(errors);
          if (!awareAt || Object.keys(errors).length) return;
          const body: BreachInput = {
            awareAt,
            occurredAt: instant('occurredAt'),
            nature,
            dataDescription: text('dataDescription') || null,
            peopleCount: count(text('peopleCount')),
            recordsCount: count(text('recordsCount')),
            consequences: text('consequences') || null,
            measures: text('measures') || null,
            riskLevel: text('riskLevel') as Risk,
            cnilNotificationRequired: notify,
            notificationReason: text('notificationReason') || null,
            notifiedAt: instant('notifiedAt'),
            cnilReference: text('cnilReference') || null,
            lateReasons: text('lateReasons') || null,
            peopleInformedAt: instant('peopleInformedAt'),
            peopleInformation: text('peopleInformation') || null,
          };
          save.mutate({ id: breach?.id, body }, { onSuccess: onClose });
        }}
      >
        <TextField
          name="awareAt"
          type="datetime-local"
          label="Découverte de la violation (date et heure, heure de Paris)"
          hint="Le délai de 72 heures court à partir de ce moment."
          required
          defaultValue={toParisLocalInput(breach?.awareAt ?? new Date().toISOString())}
        />
        <TextField
          name="occurredAt"
          type="datetime-local"
          label="Survenue de la violation, si elle est connue"
          defaultValue={toParisLocalInput(breach?.occurredAt)}
        />
        <NatureFieldset value={nature} onChange={setNature} />
        <TextAreaField
          name="dataDescription"
          label="Données concernées"
          defaultValue={breach?.dataDescription ?? ''}
        />
        <TextField
          name="peopleCount"
          label="Nombre de personnes concernées"
          inputMode="numeric"
          defaultValue={breach?.peopleCount == null ? '' : String(breach.peopleCount)}
        />
        <TextField
          name="recordsCount"
          label="Nombre d'enregistrements concernés"
          inputMode="numeric"
          defaultValue={breach?.recordsCount == null ? '' : String(breach.recordsCount)}
        />
        <TextAreaField
          name="consequences"
          label="Conséquences probables"
          defaultValue={breach?.consequences ?? ''}
        />
        <TextAreaField
          name="measures"
          label="Mesures prises ou envisagées"
          defaultValue={breach?.measures ?? ''}
        />
        <SelectField
          name="riskLevel"
          label="Niveau de risque pour les personnes"
          options={optionsOf(BREACH_RISK_LEVEL_LABELS, BREACH_RISK_LEVELS)}
          defaultValue={breach?.riskLevel ?? 'low'}
        />
        <Checkbox
          name="cnilNotificationRequired"
          label="La violation doit être notifiée à la CNIL"
          checked={notify}
          onChange={setNotify}
        />
        <TextAreaField
          name="notificationReason"
          label={notify ? 'Motif de la notification' : "Motif de l'absence de notification"}
          defaultValue={breach?.notificationReason ?? ''}
        />
        {breach && notify && (
          <>
            <TextField
              name="notifiedAt"
              type="datetime-local"
              label="Notification à la CNIL (date et heure, heure de Paris)"
              defaultValue={toParisLocalInput(breach.notifiedAt)}
            />
            <TextField
              name="cnilReference"
              label="Référence de la notification CNIL"
              defaultValue={breach.cnilReference ?? ''}
            />
            <TextAreaField
              name="lateReasons"
              label="Motifs du retard (notification après 72 heures)"
              defaultValue={breach.lateReasons ?? ''}
            />
          </>
        )}
        <TextAreaField
          name="peopleInformation"
          label="Information des personnes concernées (donnée ou prévue)"
          hint="Obligatoire quand le risque est élevé (article 34 du RGPD)."
          defaultValue={breach?.peopleInformation ?? ''}
        />
        <TextField
          name="peopleInformedAt"
          type="datetime-local"
          label="Personnes informées le (date et heure, heure de Paris)"
          defaultValue={toParisLocalInput(breach?.peopleInformedAt)}
        />
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            {breach ? 'Enregistrer' : 'Déclarer la violation'}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
