import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { isLiveStatus, type Subscription, terminationEndDate } from '../../../contracts/subscriptions.js';
import { useAuth } from '../../app/auth.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatDate,
  ModalDialog,
  PageTitle,
  QueryView,
  SelectField,
  Table,
  TextAreaField,
  TextField,
  today,
} from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import { useMySubscriptions, useRequestSubscription, useSubscriptionAction } from './api.js';
import { readUnits, SubscriptionStatusBadge, unitsLabel } from './components.js';
import { SubscriptionHistoryDialog } from './SubscriptionHistoryDialog.js';

export function TerminateDialog({
  subscription,
  onClose,
}: {
  subscription: Subscription;
  onClose: () => void;
}) {
  const action = useSubscriptionAction();
  const end = terminationEndDate(today(), subscription.service.noticeMonths, subscription.startDate);
  return (
    <ModalDialog title="Demander la résiliation" isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        Service : <strong>{subscription.service.name}</strong>. Avec un préavis de{' '}
        {subscription.service.noticeMonths} mois, la résiliation prendra effet le{' '}
        <strong>{formatDate(end)}</strong> si elle est demandée aujourd'hui. Le service reste actif et facturé
        jusqu'à cette date.
      </p>
      <Form
        id="resiliation"
        error={action.error}
        onSubmit={(data) => {
          const note = String(data.get('note') ?? '').trim();
          action.mutate(
            { subscription, action: 'terminate', body: note ? { note } : {} },
            { onSuccess: onClose },
          );
        }}
      >
        <TextAreaField name="note" label="Motif (facultatif)" rows={3} />
        <div className="form-actions">
          <Button type="submit" variant="danger" pending={action.isPending}>
            Confirmer la demande de résiliation
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

/** Request a service from here; the server checks eligibility and prerequisites and says what is missing. */
function RequestForm({ memberId, held }: { memberId: string; held: Set<string> }) {
  const services = useServices({ status: 'open' });
  // A service already held (or requested) is not offered again.
  const offered = (services.data?.items ?? []).filter((s) => !held.has(s.id));
  const request = useRequestSubscription(memberId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [serviceId, setServiceId] = useState('');
  const chosen = offered.find((s) => s.id === serviceId);
  return (
    <section aria-labelledby="demande-titre">
      <h2 id="demande-titre">Demander un service</h2>
      <p>
        Consultez le <Link to="/catalogue">catalogue</Link> pour le détail de chaque service et de ses
        prérequis.
      </p>
      {request.isSuccess && (
        <Alert type="success" title="Demande envoyée">
          <p>
            Votre demande de « {request.data.service.name} » est enregistrée : l'opérateur vous indiquera sa
            date de démarrage.
          </p>
        </Alert>
      )}
      <Form
        id="demande"
        error={request.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const errors: Record<string, string> = {};
          const id = String(data.get('serviceId') ?? '');
          if (!id) errors.serviceId = 'Choisissez un service.';
          const { units, error: unitsError } = readUnits(data, chosen?.unitLabel);
          if (unitsError) errors.units = unitsError;
          setClientErrors(errors);
          if (Object.keys(errors).length === 0) request.mutate({ serviceId: id, units });
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
            request.reset();
          }}
          required
        />
        {chosen?.unitLabel && (
          <TextField
            name="units"
            label={unitsLabel(chosen.unitLabel)}
            hint="Le coût de ce service est réparti au prorata des unités déclarées"
            inputMode="numeric"
            required
          />
        )}
        <Button type="submit" pending={request.isPending}>
          Envoyer la demande
        </Button>
      </Form>
    </section>
  );
}

export function MyServicesPage() {
  const auth = useAuth();
  const memberId = auth.current?.id;
  const subscriptions = useMySubscriptions(memberId);
  const [terminating, setTerminating] = useState<Subscription | null>(null);
  const [history, setHistory] = useState<Subscription | null>(null);
  return (
    <>
      <PageTitle title="Mes services" />
      <p className="lead">
        Les services mutualisés de votre structure, vos demandes en cours et leur historique.
      </p>
      <QueryView query={subscriptions} loadingLabel="Chargement de vos services…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              Votre structure n'a encore aucun service.{' '}
              {auth.isMemberAdmin
                ? 'Demandez-en un ci-dessous, ou parcourez le catalogue.'
                : 'Votre référent peut en demander depuis cette page.'}
            </EmptyState>
          ) : (
            <Table
              caption="Services de ma structure"
              rows={page.items}
              rowKey={(s) => s.id}
              columns={[
                {
                  key: 'service',
                  header: 'Service',
                  rowHeader: true,
                  render: (s) => (
                    <Link to="/catalogue/$serviceId" params={{ serviceId: s.service.id }}>
                      {s.service.name}
                    </Link>
                  ),
                },
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
                { key: 'requested', header: 'Demandé le', render: (s) => formatDate(s.requestedOn) },
                { key: 'start', header: 'Début', render: (s) => formatDate(s.startDate) },
                { key: 'end', header: 'Fin', render: (s) => formatDate(s.endDate) },
                {
                  key: 'units',
                  header: 'Unités',
                  numeric: true,
                  render: (s) => (s.units == null ? '—' : `${s.units} ${s.service.unitLabel ?? ''}`),
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (s) => (
                    <div className="row">
                      <Button small variant="tertiary" onClick={() => setHistory(s)}>
                        Historique<span className="sr-only"> de {s.service.name}</span>
                      </Button>
                      {auth.isMemberAdmin && s.status === 'active' && (
                        <Button small variant="secondary" onClick={() => setTerminating(s)}>
                          Résilier<span className="sr-only"> {s.service.name}</span>
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
      {auth.isMemberAdmin && memberId ? (
        <RequestForm
          memberId={memberId}
          held={
            new Set(
              (subscriptions.data?.items ?? [])
                .filter((s) => isLiveStatus(s.status))
                .map((s) => s.service.id),
            )
          }
        />
      ) : (
        <p>Seul le référent (administrateur) de votre structure peut demander ou résilier un service.</p>
      )}
      {terminating && <TerminateDialog subscription={terminating} onClose={() => setTerminating(null)} />}
      {history && <SubscriptionHistoryDialog subscription={history} onClose={() => setHistory(null)} />}
    </>
  );
}
