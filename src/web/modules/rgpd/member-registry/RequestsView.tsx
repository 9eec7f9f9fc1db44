import { useState } from 'react';
import { de } from '../../../../contracts/french.js';
import {
  RIGHTS_REQUEST_STATUS_LABELS,
  RIGHTS_REQUEST_STATUSES,
  RIGHTS_REQUEST_TYPE_LABELS,
  RIGHTS_REQUEST_TYPES,
  type RightsRequestStatus,
  type RightsRequestType,
} from '../../../../contracts/rgpd-cases.js';
import {
  Badge,
  Button,
  EmptyState,
  Form,
  ModalDialog,
  optionsOf,
  QueryView,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import {
  type RightsRequest,
  useExtendRightsRequest,
  useRightsRequests,
  useSaveRightsRequest,
} from '../api.js';
import { Checkbox } from '../components.js';
import { formatParisDate, parisToday } from '../format.js';

const OPEN: RightsRequestStatus[] = ['received', 'in_progress'];
const isOpen = (r: RightsRequest) => OPEN.includes(r.status);
const dueOf = (r: RightsRequest) => r.extendedUntil ?? r.dueOn;

/** Open requests first, the most urgent on top; answered ones after, the latest first. */
function byUrgency(a: RightsRequest, b: RightsRequest) {
  if (isOpen(a) !== isOpen(b)) return isOpen(a) ? -1 : 1;
  return isOpen(a) ? dueOf(a).localeCompare(dueOf(b)) : b.receivedOn.localeCompare(a.receivedOn);
}

function DelayText({ r }: { r: RightsRequest }) {
  if (!isOpen(r) || r.daysLeft == null) return <span className="muted">—</span>;
  if (r.overdue || r.daysLeft < 0) {
    const late = Math.abs(r.daysLeft);
    return (
      <strong>
        <Badge tone="error">En retard</Badge> de {late} jour{late > 1 ? 's' : ''}
      </strong>
    );
  }
  if (r.daysLeft === 0) return <strong>Échéance aujourd'hui</strong>;
  return (
    <span>
      {r.daysLeft} jour{r.daysLeft > 1 ? 's' : ''} restant{r.daysLeft > 1 ? 's' : ''}
    </span>
  );
}

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit'; request: RightsRequest }
  | { kind: 'extend'; request: RightsRequest };

export function RequestsView({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const requests = useRightsRequests(memberId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <>
      <div className="page-header">
        <p className="lead">
          Réponse due sous un mois à compter de la réception, prolongeable de deux mois au plus sur motif
          (article 12.3 du RGPD).
        </p>
        {canEdit && <Button onClick={() => setDialog({ kind: 'new' })}>Enregistrer une demande</Button>}
      </div>
      <QueryView query={requests} loadingLabel="Chargement des demandes…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande d'exercice des droits enregistrée.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption>Demandes d'exercice des droits ({page.total})</caption>
                <thead>
                  <tr>
                    <th scope="col">Demande</th>
                    <th scope="col">Demandeur</th>
                    <th scope="col">Reçue le</th>
                    <th scope="col">Échéance</th>
                    <th scope="col">Délai</th>
                    <th scope="col">Statut</th>
                    {canEdit && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {[...page.items].sort(byUrgency).map((r) => (
                    <tr key={r.id} className={r.overdue ? 'row-overdue' : undefined}>
                      <th scope="row">{RIGHTS_REQUEST_TYPE_LABELS[r.type]}</th>
                      <td>
                        {r.requesterName}
                        {!r.identityChecked && (
                          <>
                            <br />
                            <span className="muted">Identité non vérifiée</span>
                          </>
                        )}
                      </td>
                      <td>{formatParisDate(r.receivedOn)}</td>
                      <td>
                        {formatParisDate(dueOf(r))}
                        {r.extendedUntil && (
                          <>
                            <br />
                            <span className="muted">
                              prolongée (initialement le {formatParisDate(r.dueOn)})
                            </span>
                          </>
                        )}
                      </td>
                      <td>
                        <DelayText r={r} />
                      </td>
                      <td>
                        {RIGHTS_REQUEST_STATUS_LABELS[r.status]}
                        {r.answeredOn && (
                          <>
                            <br />
                            <span className="muted">le {formatParisDate(r.answeredOn)}</span>
                          </>
                        )}
                      </td>
                      {canEdit && (
                        <td>
                          <div className="row">
                            <Button
                              variant="secondary"
                              small
                              onClick={() => setDialog({ kind: 'edit', request: r })}
                              aria-label={`Mettre à jour la demande ${de(r.requesterName)}`}
                            >
                              Mettre à jour
                            </Button>
                            {isOpen(r) && !r.extendedUntil && (
                              <Button
                                variant="tertiary"
                                small
                                onClick={() => setDialog({ kind: 'extend', request: r })}
                                aria-label={`Prolonger le délai de la demande ${de(r.requesterName)}`}
                              >
                                Prolonger
                              </Button>
                            )}
                          </div>
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
      {dialog?.kind === 'new' && <RequestDialog memberId={memberId} onClose={close} />}
      {dialog?.kind === 'edit' && (
        <RequestDialog memberId={memberId} request={dialog.request} onClose={close} />
      )}
      {dialog?.kind === 'extend' && (
        <ExtensionDialog memberId={memberId} request={dialog.request} onClose={close} />
      )}
    </>
  );
}

function RequestDialog({
  memberId,
  request,
  onClose,
}: {
  memberId: string;
  request?: RightsRequest;
  onClose: () => void;
}) {
  const save = useSaveRightsRequest(memberId);
  const [identityChecked, setIdentityChecked] = useState(request?.identityChecked ?? false);
  return (
    <ModalDialog
      title={request ? 'Mettre à jour la demande' : "Enregistrer une demande d'exercice des droits"}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="demande"
        error={save.error}
        onSubmit={(data) => {
          const text = (k: string) => String(data.get(k) ?? '').trim();
          const body = {
            type: text('type') as RightsRequestType,
            requesterName: text('requesterName'),
            identityChecked,
            receivedOn: text('receivedOn'),
            status: text('status') as RightsRequestStatus,
            answer: text('answer') || null,
            answeredOn: text('answeredOn') || null,
          };
          save.mutate({ id: request?.id, body }, { onSuccess: onClose });
        }}
      >
        <SelectField
          name="type"
          label="Droit exercé"
          required
          options={optionsOf(RIGHTS_REQUEST_TYPE_LABELS, RIGHTS_REQUEST_TYPES)}
          defaultValue={request?.type ?? 'access'}
        />
        <TextField
          name="requesterName"
          label="Nom du demandeur"
          required
          defaultValue={request?.requesterName ?? ''}
        />
        <Checkbox
          name="identityChecked"
          label="Identité du demandeur vérifiée"
          checked={identityChecked}
          onChange={setIdentityChecked}
        />
        <TextField
          name="receivedOn"
          type="date"
          label="Date de réception"
          required
          defaultValue={request?.receivedOn ?? parisToday()}
        />
        <SelectField
          name="status"
          label="Statut"
          options={optionsOf(RIGHTS_REQUEST_STATUS_LABELS, RIGHTS_REQUEST_STATUSES)}
          defaultValue={request?.status ?? 'received'}
        />
        <TextAreaField
          name="answer"
          label="Réponse apportée"
          hint="Obligatoire quand la demande est répondue ou refusée (motivez un refus)."
          defaultValue={request?.answer ?? ''}
        />
        <TextField
          name="answeredOn"
          type="date"
          label="Date de la réponse"
          defaultValue={request?.answeredOn ?? ''}
        />
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            Enregistrer
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

function ExtensionDialog({
  memberId,
  request,
  onClose,
}: {
  memberId: string;
  request: RightsRequest;
  onClose: () => void;
}) {
  const extend = useExtendRightsRequest(memberId);
  return (
    <ModalDialog title="Prolonger le délai de réponse" isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        Demande de {request.requesterName} ({RIGHTS_REQUEST_TYPE_LABELS[request.type].toLowerCase()}), à
        traiter avant le {formatParisDate(request.dueOn)}. Le demandeur doit être informé de la prolongation
        et de ses motifs dans le mois qui suit la réception.
      </p>
      <Form
        id="prolongation"
        error={extend.error}
        onSubmit={(data) => {
          const months = Number(data.get('months')) === 2 ? 2 : 1;
          extend.mutate(
            { id: request.id, months, reason: String(data.get('reason') ?? '').trim() },
            { onSuccess: onClose },
          );
        }}
      >
        <SelectField
          name="months"
          label="Durée de la prolongation"
          options={[
            { value: '1', label: '1 mois' },
            { value: '2', label: '2 mois' },
          ]}
          defaultValue="2"
        />
        <TextAreaField
          name="reason"
          label="Motif de la prolongation"
          required
          hint="Complexité ou nombre de demandes (10 caractères au moins)."
        />
        <div className="form-actions">
          <Button type="submit" pending={extend.isPending}>
            Prolonger le délai
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
