import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { isLiveStatus, type Subscription } from '../../../contracts/subscriptions.js';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatDate,
  formatNumber,
  ModalDialog,
  QueryView,
  SelectField,
  Table,
  TextField,
  today,
} from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import { useDirectSubscription, useMySubscriptions, useUpdateUnits } from './api.js';
import { readUnits, SubscriptionStatusBadge, unitsLabel } from './components.js';
import { TerminateDialog } from './MyServicesPage.js';
import { type Decision, DecisionDialog } from './operator-subscriptions/DecisionDialog.js';
import { SubscriptionHistoryDialog } from './SubscriptionHistoryDialog.js';

/**
 * The member's services on its page. The operator's finance team subscribes it to a service, changes
 * declared units, accepts or refuses its requests and terminates from here; the member's own home
 * lists them and sends to « Mes services » for requests.
 */

function UnitsDialog({ subscription, onClose }: { subscription: Subscription; onClose: () => void }) {
  const update = useUpdateUnits();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const label = subscription.service.unitLabel ?? 'unités';
  return (
    <ModalDialog title="Modifier le nombre d'unités" isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        Service : <strong>{subscription.service.name}</strong>.
      </p>
      <Form
        id="unites"
        error={update.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const units = Number(String(data.get('units') ?? '').trim());
          if (!Number.isInteger(units) || units < 1) {
            setClientErrors({ units: `Indiquez le nombre de ${label} (un nombre entier, au moins 1).` });
            return;
          }
          setClientErrors({});
          update.mutate({ subscription, units }, { onSuccess: onClose });
        }}
      >
        <TextField
          name="units"
          label={`Nombre de ${label}`}
          inputMode="numeric"
          defaultValue={subscription.units == null ? '' : String(subscription.units)}
          required
        />
        <div className="form-actions">
          <Button type="submit" pending={update.isPending}>
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

/** Subscribe this member: only open services of its kind that it does not hold already. */
function SubscribeForm({ member, held }: { member: MemberSectionProps['member']; held: Set<string> }) {
  const services = useServices({ status: 'open' });
  const subscribe = useDirectSubscription(member.id);
  const [serviceId, setServiceId] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const offered = (services.data?.items ?? []).filter(
    (s) => !held.has(s.id) && s.eligibleKinds.some((k) => k === member.kind),
  );
  const chosen = offered.find((s) => s.id === serviceId);
  if (member.status !== 'member') {
    return (
      <p>
        Seules les structures adhérentes peuvent souscrire un service : prononcez d'abord l'adhésion (onglet «
        Adhésion »).
      </p>
    );
  }
  return (
    <section aria-labelledby="souscrire-titre">
      <h3 id="souscrire-titre">Souscrire un service pour cette structure</h3>
      {subscribe.isSuccess && (
        <Alert type="success" title="Souscription enregistrée" live>
          <p>
            « {subscribe.data.service.name} » est actif pour {member.name} depuis le{' '}
            {formatDate(subscribe.data.startDate)}.
          </p>
        </Alert>
      )}
      {services.isSuccess && offered.length === 0 ? (
        <p>
          Aucun autre service ouvert n'est proposé aux structures de ce type : la structure détient déjà tous
          ceux qu'elle peut souscrire. Voir le <Link to="/operateur/catalogue">catalogue</Link>.
        </p>
      ) : (
        <Form
          id="souscription-directe"
          error={subscribe.error}
          clientErrors={clientErrors}
          onSubmit={(data) => {
            const errors: Record<string, string> = {};
            const id = String(data.get('serviceId') ?? '');
            const startDate = String(data.get('startDate') ?? '');
            if (!id) errors.serviceId = 'Choisissez un service.';
            if (!startDate) errors.startDate = 'Indiquez la date de début.';
            const { units, error: unitsError } = readUnits(data, chosen?.unitLabel);
            if (unitsError) errors.units = unitsError;
            setClientErrors(errors);
            if (Object.keys(errors).length === 0) {
              subscribe.mutate({ serviceId: id, units, startDate }, { onSuccess: () => setServiceId('') });
            }
          }}
        >
          <SelectField
            name="serviceId"
            label="Service"
            placeholder="Choisir un service…"
            options={offered.map((s) => ({ value: s.id, label: s.name }))}
            value={serviceId}
            onChange={(e) => {
              setServiceId(e.target.value);
              subscribe.reset();
            }}
            required
          />
          {chosen?.unitLabel && (
            <TextField name="units" label={unitsLabel(chosen.unitLabel)} inputMode="numeric" required />
          )}
          <TextField
            name="startDate"
            label="Date de début"
            type="date"
            defaultValue={today()}
            hint="Le service est facturé à partir de ce mois"
            required
          />
          <Button type="submit" pending={subscribe.isPending}>
            Souscrire
          </Button>
        </Form>
      )}
    </section>
  );
}

function Services({ member, auth, view }: MemberSectionProps) {
  const subscriptions = useMySubscriptions(member.id);
  const operator = view === 'operator';
  const canAct = operator ? auth.isFinance : auth.isMemberAdmin;
  const [history, setHistory] = useState<Subscription | null>(null);
  const [terminating, setTerminating] = useState<Subscription | null>(null);
  const [units, setUnits] = useState<Subscription | null>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  const held = new Set(
    (subscriptions.data?.items ?? []).filter((s) => isLiveStatus(s.status)).map((s) => s.service.id),
  );
  return (
    <section aria-labelledby="services-titre">
      <h2 id="services-titre">Services</h2>
      <QueryView query={subscriptions} loadingLabel="Chargement des services…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              {operator
                ? "Cette structure n'a souscrit aucun service."
                : "Votre structure n'a encore aucun service."}{' '}
              {!operator && <Link to="/espace/services">Demander un service</Link>}
            </EmptyState>
          ) : (
            <Table
              caption={`Services de ${member.name}`}
              rows={page.items}
              rowKey={(s) => s.id}
              columns={[
                { key: 'service', header: 'Service', rowHeader: true, render: (s) => s.service.name },
                {
                  key: 'status',
                  header: 'Statut',
                  render: (s) => (
                    <>
                      <SubscriptionStatusBadge status={s.status} />
                      {s.refusalReason && <div>Motif : {s.refusalReason}</div>}
                    </>
                  ),
                },
                { key: 'start', header: 'Début', render: (s) => formatDate(s.startDate) },
                { key: 'end', header: 'Fin', render: (s) => formatDate(s.endDate) },
                {
                  key: 'units',
                  header: 'Unités',
                  numeric: true,
                  render: (s) =>
                    s.units == null ? '—' : `${formatNumber(s.units)} ${s.service.unitLabel ?? ''}`,
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (s) => (
                    <div className="row">
                      <Button small variant="tertiary" onClick={() => setHistory(s)}>
                        Historique<span className="sr-only"> de {s.service.name}</span>
                      </Button>
                      {operator && canAct && s.status === 'requested' && (
                        <>
                          <Button small onClick={() => setDecision({ subscription: s, action: 'accept' })}>
                            Accepter<span className="sr-only"> {s.service.name}</span>
                          </Button>
                          <Button
                            small
                            variant="secondary"
                            onClick={() => setDecision({ subscription: s, action: 'refuse' })}
                          >
                            Refuser<span className="sr-only"> {s.service.name}</span>
                          </Button>
                        </>
                      )}
                      {canAct && s.service.unitLabel && isLiveStatus(s.status) && (
                        <Button small variant="secondary" onClick={() => setUnits(s)}>
                          Modifier les unités<span className="sr-only"> de {s.service.name}</span>
                        </Button>
                      )}
                      {canAct && s.status === 'active' && (
                        <Button small variant="secondary" onClick={() => setTerminating(s)}>
                          Résilier<span className="sr-only"> {s.service.name}</span>
                        </Button>
                      )}
                      {operator && canAct && s.status === 'termination_requested' && (
                        <Button
                          small
                          variant="secondary"
                          onClick={() => setDecision({ subscription: s, action: 'confirm-termination' })}
                        >
                          Confirmer la résiliation<span className="sr-only"> de {s.service.name}</span>
                        </Button>
                      )}
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryView>
      {operator && canAct && subscriptions.isSuccess && <SubscribeForm member={member} held={held} />}
      {operator && !canAct && (
        <p className="muted">Les souscriptions sont gérées par les administrateurs et l'équipe finances.</p>
      )}
      {!operator && (
        <p>
          <Link to="/espace/services">
            {auth.isMemberAdmin ? 'Demander ou résilier un service' : 'Voir le détail de mes services'}
          </Link>
        </p>
      )}
      {history && <SubscriptionHistoryDialog subscription={history} onClose={() => setHistory(null)} />}
      {terminating && <TerminateDialog subscription={terminating} onClose={() => setTerminating(null)} />}
      {units && <UnitsDialog subscription={units} onClose={() => setUnits(null)} />}
      {decision && <DecisionDialog decision={decision} onClose={() => setDecision(null)} />}
    </section>
  );
}

registerMemberSection({
  id: 'services',
  label: 'Services',
  order: 60,
  visible: () => true,
  Component: Services,
});
