import { useState } from 'react';
import {
  WEBHOOK_DELIVERY_STATUS_LABELS,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookCreated,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '../../../contracts/webhooks.js';
import { errorMessage } from '../../app/api.js';
import { useCurrentOrganisation } from '../../app/auth.js';
import {
  Alert,
  Badge,
  type BadgeTone,
  Button,
  CheckboxGroup,
  EmptyState,
  Form,
  formatDateTime,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import {
  DELIVERIES_PAGE_SIZE,
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useReplayDelivery,
  useWebhooks,
  type WebhookScope,
} from './api.js';

const STATUS_TONES: Record<WebhookDeliveryStatus, BadgeTone> = {
  pending: 'info',
  succeeded: 'success',
  failed: 'error',
};

function CreateWebhookForm({
  scope,
  onCreated,
}: {
  scope: WebhookScope;
  onCreated: (w: WebhookCreated) => void;
}) {
  const create = useCreateWebhook(scope);
  const [events, setEvents] = useState<string[]>([]);
  return (
    <section aria-labelledby="nouveau-webhook-titre">
      <h2 id="nouveau-webhook-titre">Enregistrer un webhook</h2>
      <Form
        id="nouveau-webhook"
        error={create.error}
        onSubmit={(data, form) => {
          const description = String(data.get('description') ?? '').trim();
          create.mutate(
            {
              url: String(data.get('url') ?? '').trim(),
              events: events as WebhookEventType[],
              ...(description ? { description } : {}),
            },
            {
              onSuccess: (created) => {
                onCreated(created);
                setEvents([]);
                form.reset();
              },
            },
          );
        }}
      >
        <TextField
          name="url"
          label="Adresse du point de réception"
          hint="Format attendu : https://exemple.fr/webhooks (adresse publique en https)"
          type="url"
          required
        />
        <TextField
          name="description"
          label="Description (facultatif)"
          hint="Par exemple : logiciel financier"
        />
        <CheckboxGroup
          name="events"
          legend="Événements à recevoir"
          options={optionsOf(WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES)}
          values={events}
          onChange={setEvents}
        />
        <Button type="submit" pending={create.isPending}>
          Enregistrer le webhook
        </Button>
      </Form>
    </section>
  );
}

function Deliveries({ scope, webhook }: { scope: WebhookScope; webhook: Webhook }) {
  const pages = useCursorPages(webhook.id);
  const deliveries = useDeliveries(scope, webhook.id, pages.cursor);
  const replay = useReplayDelivery(scope, webhook.id);
  return (
    <section aria-labelledby="livraisons-titre">
      <h2 id="livraisons-titre">Livraisons vers {webhook.url}</h2>
      {replay.isError && (
        <Alert type="error" live>
          <p>{errorMessage(replay.error)}</p>
        </Alert>
      )}
      <QueryView query={deliveries} loadingLabel="Chargement des livraisons…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              Aucune livraison pour l'instant : elles apparaissent ici dès qu'un événement survient.
            </EmptyState>
          ) : (
            <>
              <Table
                caption="Journal des livraisons"
                rows={page.items}
                rowKey={(d) => d.id}
                columns={[
                  { key: 'at', header: 'Date', rowHeader: true, render: (d) => formatDateTime(d.createdAt) },
                  { key: 'event', header: 'Événement', render: (d) => WEBHOOK_EVENT_LABELS[d.eventType] },
                  {
                    key: 'status',
                    header: 'État',
                    render: (d) => (
                      <Badge tone={STATUS_TONES[d.status]}>{WEBHOOK_DELIVERY_STATUS_LABELS[d.status]}</Badge>
                    ),
                  },
                  { key: 'attempts', header: 'Tentatives', numeric: true, render: (d) => d.attempts },
                  {
                    key: 'code',
                    header: 'Code de réponse',
                    render: (d) =>
                      d.responseStatus === null ? (d.error ?? '—') : `HTTP ${d.responseStatus}`,
                  },
                  {
                    key: 'next',
                    header: 'Prochaine tentative',
                    render: (d) => (d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (d) =>
                      d.status === 'pending' || !webhook.enabled ? (
                        '—'
                      ) : (
                        <Button
                          variant="secondary"
                          small
                          pending={replay.isPending}
                          onClick={() => replay.mutate(d.id)}
                        >
                          Relancer
                          <span className="sr-only"> la livraison du {formatDateTime(d.createdAt)}</span>
                        </Button>
                      ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des livraisons"
                pageIndex={pages.pageIndex}
                pageSize={DELIVERIES_PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

/** A member's admin registers the addresses Socle tells of the member's events, and follows deliveries. */
export function WebhooksPage() {
  const current = useCurrentOrganisation();
  return (
    <WebhooksView
      scope={current.id}
      caption="Webhooks de la structure"
      lead={`Un webhook prévient un autre logiciel (logiciel financier, site internet…) dès qu'un événement concerne « ${current.name} » : Socle envoie une requête signée selon la norme Standard Webhooks à l'adresse indiquée et la renouvelle pendant 24 heures en cas d'échec.`}
    />
  );
}

/** The operator's admins register addresses told of every member's events (its own software). */
export function OperatorWebhooksPage() {
  return (
    <WebhooksView
      scope={null}
      caption="Webhooks de l'opérateur"
      lead="Les webhooks de l'opérateur préviennent ses propres logiciels (comptabilité, supervision, site internet…) des événements de toutes les structures adhérentes : Socle envoie une requête signée selon la norme Standard Webhooks à l'adresse indiquée et la renouvelle pendant 24 heures en cas d'échec."
    />
  );
}

function WebhooksView({ scope, caption, lead }: { scope: WebhookScope; caption: string; lead: string }) {
  const webhooks = useWebhooks(scope);
  const remove = useDeleteWebhook(scope);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const shown = webhooks.data?.items.find((w) => w.id === selected);
  return (
    <>
      <PageTitle title="Webhooks" />
      <p className="lead">{lead}</p>
      {created && (
        <Alert type="success" title="Webhook enregistré" live>
          <p>
            Secret de signature, à copier maintenant dans le logiciel destinataire : il ne sera plus affiché.
          </p>
          <p>
            <code>{created.secret}</code>
          </p>
        </Alert>
      )}
      <section aria-labelledby="webhooks-titre">
        <h2 id="webhooks-titre">Webhooks enregistrés</h2>
        {remove.isError && (
          <Alert type="error" live>
            <p>{errorMessage(remove.error)}</p>
          </Alert>
        )}
        <QueryView query={webhooks} loadingLabel="Chargement des webhooks…">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>Aucun webhook pour l'instant.</EmptyState>
            ) : (
              <Table
                caption={caption}
                captionHidden
                rows={page.items}
                rowKey={(w) => w.id}
                columns={[
                  { key: 'url', header: 'Adresse', rowHeader: true, render: (w) => w.url },
                  {
                    key: 'events',
                    header: 'Événements',
                    render: (w) => w.events.map((e) => WEBHOOK_EVENT_LABELS[e]).join(', '),
                  },
                  {
                    key: 'state',
                    header: 'État',
                    render: (w) =>
                      w.enabled ? (
                        <Badge tone="success">Actif</Badge>
                      ) : (
                        <>
                          <Badge tone="error">Désactivé</Badge> {w.disabledReason}
                        </>
                      ),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (w) => (
                      <div className="row">
                        <Button variant="secondary" small onClick={() => setSelected(w.id)}>
                          Voir les livraisons<span className="sr-only"> vers {w.url}</span>
                        </Button>
                        <Button
                          variant="tertiary"
                          small
                          pending={remove.isPending}
                          onClick={() => remove.mutate(w.id, { onSuccess: () => setSelected(null) })}
                        >
                          Supprimer<span className="sr-only"> le webhook vers {w.url}</span>
                        </Button>
                      </div>
                    ),
                  },
                ]}
              />
            )
          }
        </QueryView>
      </section>
      {shown && <Deliveries scope={scope} webhook={shown} />}
      <CreateWebhookForm
        scope={scope}
        onCreated={(w) => {
          setCreated(w);
          setSelected(w.id);
        }}
      />
    </>
  );
}
