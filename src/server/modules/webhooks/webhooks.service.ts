import crypto from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookCreated,
  type WebhookDelivery,
  type WebhookInput,
} from '../../../contracts/webhooks.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { conflict, notFound } from '../../platform/errors.js';
import { encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import * as repo from './webhooks.repository.js';
import { postToTarget, type TargetPolicy, TargetRefused } from './webhooks.target.js';

/** The job that makes one delivery attempt; its payload is `{ deliveryId }`. */
export const WEBHOOK_DELIVER_JOB = 'webhooks.deliver';

/**
 * Delay before the next attempt after failed attempt n (1-based): exponential, about 24 hours in all
 * (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: 11 attempts over 23 h 42 min). After the
 * last one the delivery has failed and its endpoint is disabled, its owner told by e-mail.
 */
export const RETRY_DELAYS_MS = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export interface WebhookDeps {
  target: TargetPolicy;
  mailer: Mailer;
  publicUrl: string;
}

export const eventTypes = () =>
  WEBHOOK_EVENT_TYPES.map((type) => ({ type, label: WEBHOOK_EVENT_LABELS[type] }));

const present = (row: repo.EndpointRow): Webhook => ({
  id: row.id,
  organisationId: row.memberId,
  allMembers: row.allMembers,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt.toISOString(),
});

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
const newSecret = () => `whsec_${crypto.randomBytes(24).toString('base64')}`;

/**
 * The owner of endpoints a route names: a member (member routes) or the operator organisation
 * (operator routes, `allMembers`). Anything else is not found.
 */
async function requireOwner(db: Executor, ownerId: string, allMembers: boolean): Promise<void> {
  const kind = await repo.organisationKind(db, ownerId);
  if (kind === null || (kind === 'operator') !== allMembers) {
    throw notFound("Cette structure n'existe pas.");
  }
}

/** Registers an endpoint (its URL already checked by the route: checkedAddresses). */
export async function createWebhook(
  db: Executor,
  ownerId: string,
  allMembers: boolean,
  input: WebhookInput,
  source: AuditSource,
): Promise<WebhookCreated> {
  await requireOwner(db, ownerId, allMembers);
  const secret = newSecret();
  const row = await repo.insertEndpoint(db, {
    memberId: ownerId,
    allMembers,
    url: input.url,
    description: input.description || null,
    events: [...new Set(input.events)],
    secret,
    createdBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: 'webhooks.created',
    memberId: allMembers ? null : ownerId,
    targetType: 'webhook',
    targetId: row.id,
    details: { events: row.events, allMembers },
  });
  return { ...present(row), secret };
}

export async function listWebhooks(db: Executor, ownerId: string, allMembers: boolean) {
  await requireOwner(db, ownerId, allMembers);
  const items = (await repo.listEndpoints(db, ownerId)).map(present);
  return { items, total: items.length, nextCursor: null };
}

export async function deleteWebhook(
  db: Executor,
  ownerId: string,
  webhookId: string,
  source: AuditSource,
): Promise<void> {
  if (!(await repo.deleteEndpoint(db, ownerId, webhookId))) throw notFound("Ce webhook n'existe pas.");
  await recordAudit(db, {
    ...source,
    action: 'webhooks.deleted',
    memberId: ownerId,
    targetType: 'webhook',
    targetId: webhookId,
  });
}

type DeliveryRow = NonNullable<Awaited<ReturnType<typeof repo.findDelivery>>>;
const presentDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  webhookId: row.webhookId,
  eventId: row.eventId,
  eventType: row.eventType,
  memberId: row.memberId,
  status: row.status,
  attempts: row.attempts,
  responseStatus: row.responseStatus,
  error: row.error,
  lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: row.status === 'pending' ? (row.nextAttemptAt?.toISOString() ?? null) : null,
  createdAt: row.createdAt.toISOString(),
});

export async function listDeliveries(
  db: Executor,
  ownerId: string,
  webhookId: string,
  query: { limit: number; cursor?: string },
) {
  if (!(await repo.findEndpoint(db, ownerId, webhookId))) throw notFound("Ce webhook n'existe pas.");
  const rows = await repo.listDeliveries(db, ownerId, webhookId, query);
  const page = pageOf(rows, query.limit, (row) => encodeCursor(row.cursor, row.id));
  return {
    items: page.items.map(presentDelivery),
    total: await repo.countDeliveries(db, ownerId, webhookId),
    nextCursor: page.nextCursor,
  };
}

/**
 * Sends a delivery again (the receiver lost it, or was down for more than a day): its attempts start
 * over with the same `webhook-id`, so a receiver that already processed it can tell.
 */
export async function replayDelivery(
  db: Executor,
  ownerId: string,
  webhookId: string,
  deliveryId: string,
  source: AuditSource,
): Promise<WebhookDelivery> {
  const endpoint = await repo.findEndpoint(db, ownerId, webhookId);
  const delivery = endpoint && (await repo.findDelivery(db, ownerId, webhookId, deliveryId));
  if (!endpoint || !delivery) throw notFound("Cette livraison n'existe pas.");
  if (!endpoint.enabled) {
    throw conflict(
      'Ce webhook est désactivé : enregistrez à nouveau le point de réception pour le réactiver.',
    );
  }
  if (delivery.status === 'pending') throw conflict('Cette livraison est déjà en cours.');
  const at = now();
  await repo.updateDelivery(db, deliveryId, {
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    error: null,
  });
  await enqueue(db, WEBHOOK_DELIVER_JOB, { deliveryId }, { runAt: at, maxAttempts: 3 });
  await recordAudit(db, {
    ...source,
    action: 'webhooks.replayed',
    memberId: ownerId,
    targetType: 'webhook_delivery',
    targetId: deliveryId,
  });
  return presentDelivery({ ...delivery, status: 'pending', attempts: 0, nextAttemptAt: at, error: null });
}

/** The signed request of a delivery, per Standard Webhooks: headers and the exact body signed. */
export function signedRequest(
  secret: string,
  event: { id: string; type: string; memberId: string; data: Record<string, unknown>; occurredAt: Date },
  at: Date,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: { memberId: event.memberId, ...event.data },
  });
  return {
    body,
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new StandardWebhook(secret).sign(event.id, at, body),
    },
  };
}

const shortError = (error: unknown) =>
  (error instanceof TargetRefused
    ? `Adresse refusée : ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error)
  ).slice(0, 500);

/**
 * `webhooks.deliver`: one attempt. A 2xx answer delivers it; anything else (another status, a network
 * error, a refused address) is recorded in the delivery log and the next attempt queued after the
 * delay of RETRY_DELAYS_MS, or, after the last, the delivery fails and its endpoint is disabled with
 * an e-mail to whoever registered it. No transaction is held during the HTTP call.
 */
export async function runDeliveryJob(db: Db, deps: WebhookDeps, payload: Record<string, unknown>) {
  if (typeof payload.deliveryId !== 'string') throw new Error('webhooks.deliver sans deliveryId');
  const deliveryId = payload.deliveryId;
  // The job acts for the whole platform (as SYSTEM_OPERATOR it would see every row anyway): its two
  // hot statements, the read below and the success mark, run as single statements on the worker's
  // connection (the owner's, as for the jobs table) instead of a tenant transaction of four statements
  // each — on PGlite's one session, what bounds the delivery rate (docs/PERFORMANCE.md). A failure
  // (retry queued, endpoint disabled, mail) still runs in a tenant transaction.
  const target = await repo.deliveryTarget(db, deliveryId);
  if (target?.status !== 'pending') return;
  if (!target.enabled) {
    await repo.updateDelivery(db, deliveryId, { status: 'failed', error: 'Webhook désactivé.' });
    return;
  }
  const at = now();
  const request = signedRequest(
    target.secret,
    {
      id: target.eventId,
      type: target.type,
      memberId: target.memberId,
      data: target.data,
      occurredAt: target.occurredAt,
    },
    at,
  );
  let status: number | null = null;
  let error: string | null = null;
  try {
    status = (await postToTarget(target.url, request.headers, request.body, deps.target)).status;
    if (status < 200 || status >= 300) error = `Réponse HTTP ${status}`;
  } catch (e) {
    error = shortError(e);
  }
  const attempts = target.attempts + 1;
  const common = { attempts, responseStatus: status, lastAttemptAt: at };
  if (error === null) {
    await repo.updateDelivery(db, deliveryId, {
      ...common,
      status: 'succeeded',
      error: null,
      nextAttemptAt: null,
    });
    return;
  }
  await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    const delay = RETRY_DELAYS_MS[attempts - 1];
    if (delay !== undefined) {
      const next = new Date(at.getTime() + delay);
      await repo.updateDelivery(tx, deliveryId, { ...common, error, nextAttemptAt: next });
      await enqueue(tx, WEBHOOK_DELIVER_JOB, { deliveryId }, { runAt: next, maxAttempts: 3 });
      return;
    }
    await repo.updateDelivery(tx, deliveryId, { ...common, status: 'failed', error, nextAttemptAt: null });
    const reason = `Désactivé après ${attempts} tentatives de livraison échouées en 24 heures (${error}).`;
    if (await repo.disableEndpoint(tx, target.endpointId, reason)) {
      const to = target.createdBy && (await repo.userEmail(tx, target.createdBy));
      if (to) {
        await deps.mailer.send(tx, {
          to,
          subject: 'Socle : votre webhook a été désactivé',
          text: [
            'Bonjour,',
            '',
            `Le point de réception ${target.url} n'a pas accepté les événements que Socle lui envoie depuis 24 heures :`,
            `le webhook a été désactivé (dernière erreur : ${error}).`,
            '',
            'Une fois le point de réception réparé, enregistrez-le à nouveau et relancez les livraisons manquées',
            `depuis le journal des livraisons : ${deps.publicUrl}/espace/webhooks`,
          ].join('\n'),
        });
      }
    }
  });
}
