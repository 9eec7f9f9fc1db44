import {
  type Availability,
  type HostingIncident,
  INCIDENT_PHASE_LABELS,
  type IncidentInput,
  type IncidentUpdateInput,
  type Maintenance,
  type MaintenanceInput,
  type MemberAvailability,
  type MemberServiceStates,
  SERVICE_STATE_LABELS,
  type ServiceState,
  STATUS_HISTORY_DAYS,
  STATUS_RECENT_DAYS,
  worstState,
} from '../../../contracts/hosting.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalidField, notFound, unprocessable } from '../../platform/errors.js';
import { emitEvents } from '../../platform/events/events.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import * as repo from './hosting.repository.js';
import { availabilityOf, monthWindow } from './hosting.rules.js';

/**
 * The status of the hosted services: incidents (declared by the hosting team or opened by a
 * monitor) with their timeline, planned maintenance, the public page and feed, each member's
 * services, the subscribers' mails and the monthly availability.
 */

export const STATUS_NOTIFY_JOB = 'hosting.status.notify';
// Reading -----------------------------------------------------------------------------------------

async function presentIncidents(db: Executor, rows: readonly repo.IncidentRow[]): Promise<HostingIncident[]> {
  const ids = rows.map((r) => r.id);
  const [services, updates] = await Promise.all([repo.incidentServices(db, ids), repo.updatesOf(db, ids)]);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    state: row.state,
    phase: row.phase,
    automatic: row.monitorId !== null,
    startedAt: row.startedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    services: services
      .filter((s) => s.incidentId === row.id)
      .map((s) => ({ serviceId: s.serviceId, name: s.name })),
    updates: updates
      .filter((u) => u.incidentId === row.id)
      .map((u) => ({ id: u.id, phase: u.phase, state: u.state, message: u.message, at: u.at.toISOString() }))
      .reverse(),
  }));
}

async function presentMaintenances(
  db: Executor,
  rows: readonly repo.MaintenanceRow[],
): Promise<Maintenance[]> {
  const services = await repo.maintenanceServices(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    message: row.message,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    services: services
      .filter((s) => s.maintenanceId === row.id)
      .map((s) => ({ serviceId: s.serviceId, name: s.name })),
  }));
}

interface StatusData {
  at: Date;
  incidents: HostingIncident[];
  maintenances: Maintenance[];
}

async function statusData(db: Executor, since: Date): Promise<StatusData> {
  const at = now();
  const [incidentRows, maintenanceRows] = await Promise.all([
    repo.incidentsSince(db, since),
    repo.maintenancesBetween(db, since),
  ]);
  const [incidents, maintenances] = await Promise.all([
    presentIncidents(db, incidentRows),
    presentMaintenances(db, maintenanceRows),
  ]);
  return { at, incidents, maintenances };
}

function statesOf(data: StatusData): Map<string, ServiceState> {
  const states = new Map<string, ServiceState[]>();
  const add = (serviceId: string, state: ServiceState) =>
    states.set(serviceId, [...(states.get(serviceId) ?? []), state]);
  for (const incident of data.incidents) {
    if (incident.resolvedAt) continue;
    for (const s of incident.services) add(s.serviceId, incident.state);
  }
  for (const m of data.maintenances) {
    if (new Date(m.startsAt) > data.at || new Date(m.endsAt) <= data.at) continue;
    for (const s of m.services) add(s.serviceId, 'maintenance');
  }
  return new Map([...states.entries()].map(([id, list]) => [id, worstState(list)]));
}

/** Every service's current state (services missing from the map are operational). */
export async function currentStates(db: Executor): Promise<Map<string, ServiceState>> {
  return statesOf(await statusData(db, now()));
}

export const STATUS_REBUILD_JOB = 'hosting.status.rebuild';

/**
 * The public status page as JSON text, with its ETag when it is the stored answer: the row
 * `hosting_status_answer` kept by the database (rebuilt in the transaction of every write to what it
 * shows, and by STATUS_REBUILD_JOB when time alone moves it on), read by its key. When the row does not
 * hold at this instant (a maintenance began and the job has not run yet) the answer is built live by the
 * same statement (hosting.repository publicStatusJson), without ETag. Either way the text is what
 * `statusSchema` describes: hosted services, their state and 90 days of day states, open incidents with
 * their timeline, the incidents resolved in the last `STATUS_RECENT_DAYS` days as a short list,
 * maintenance. `updatedAt` is the instant the answer was built.
 */
export async function publicStatusText(db: Executor): Promise<{ body: string; etag: string | null }> {
  const at = now();
  const stored = await repo.storedStatusAnswer(db, at);
  if (stored) return stored;
  return { body: await repo.publicStatusJson(db, at, STATUS_HISTORY_DAYS, STATUS_RECENT_DAYS), etag: null };
}

/** The job's work: the stored answer rebuilt as of now (midnight, a maintenance's start or end…). */
export async function rebuildStatusAnswer(db: Executor): Promise<void> {
  await repo.rebuildStatusAnswer(db, now());
}

/** One incident with its whole timeline, open or resolved (incidents are public, as the page is). */
export async function publicIncident(db: Executor, incidentId: string): Promise<HostingIncident> {
  const row = await repo.findIncident(db, incidentId);
  if (!row) throw notFound("Cet incident n'existe pas.");
  const [presented] = await presentIncidents(db, [row]);
  if (!presented) throw notFound("Cet incident n'existe pas.");
  return presented;
}

/** What the Atom feed lists: open incidents and those resolved lately, with their timeline. */
export interface FeedInput {
  updatedAt: string;
  incidents: HostingIncident[];
  maintenances: Maintenance[];
}

export async function feedInput(db: Executor): Promise<FeedInput> {
  const data = await statusData(db, new Date(now().getTime() - STATUS_RECENT_DAYS * 86_400_000));
  return {
    updatedAt: data.at.toISOString(),
    incidents: data.incidents,
    maintenances: data.maintenances.filter((m) => new Date(m.endsAt) > data.at),
  };
}

/** A member's subscribed services with their state, and what concerns them now. */
export async function memberServiceStates(db: Executor, memberId: string): Promise<MemberServiceStates> {
  const [services, data] = await Promise.all([repo.memberServices(db, memberId), statusData(db, now())]);
  const states = statesOf(data);
  const ids = new Set(services.map((s) => s.id));
  const concerns = (list: { serviceId: string }[]) => list.some((s) => ids.has(s.serviceId));
  return {
    items: services.map((s) => ({ serviceId: s.id, name: s.name, state: states.get(s.id) ?? 'operational' })),
    incidents: data.incidents.filter((i) => !i.resolvedAt && concerns(i.services)),
    maintenances: data.maintenances.filter((m) => new Date(m.endsAt) > data.at && concerns(m.services)),
  };
}

// Writing -----------------------------------------------------------------------------------------

async function requireServices(db: Executor, serviceIds: readonly string[]) {
  const unique = [...new Set(serviceIds)];
  const found = await repo.existingServices(db, unique);
  const missing = unique.findIndex((id) => !found.has(id));
  if (missing >= 0) throw invalidField(`body.serviceIds.${missing}`, 'service inconnu du catalogue');
  return unique;
}

/**
 * The one place a service's status changes: mails the subscribers of the services (a durable job) and
 * emits `service.status_changed` to each subscribing member's webhooks, in the same transaction.
 */
async function statusChanged(
  db: Executor,
  change: { incidentId: string; updateId: string } | { maintenanceId: string },
  what: { serviceIds: readonly string[]; state: ServiceState; phase?: string },
): Promise<void> {
  await enqueue(db, STATUS_NOTIFY_JOB, change, {
    singletonKey: `hosting.notify:${'updateId' in change ? change.updateId : change.maintenanceId}`,
  });
  const members = await repo.subscribedMembers(db, what.serviceIds);
  await emitEvents(
    db,
    members.map((memberId) => ({
      type: 'service.status_changed' as const,
      memberId,
      data: { ...change, serviceIds: [...what.serviceIds], state: what.state, phase: what.phase ?? null },
    })),
  );
}

export async function openIncident(
  db: Executor,
  input: IncidentInput & { monitorId?: string; startedAt?: Date },
  source: AuditSource,
): Promise<{ id: string }> {
  const serviceIds = await requireServices(db, input.serviceIds);
  const startedAt = input.startedAt ?? now();
  const id = await repo.insertIncident(
    db,
    {
      title: input.title,
      state: input.state,
      phase: 'investigating',
      startedAt,
      monitorId: input.monitorId ?? null,
      createdBy: source.actorUserId,
    },
    serviceIds,
  );
  const updateId = await repo.insertUpdate(db, {
    incidentId: id,
    phase: 'investigating',
    state: input.state,
    message: input.message,
    at: startedAt,
    createdBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: 'hosting.incident.open',
    targetType: 'hosting_incident',
    targetId: id,
  });
  await statusChanged(
    db,
    { incidentId: id, updateId },
    { serviceIds, state: input.state, phase: 'investigating' },
  );
  return { id };
}

export async function addIncidentUpdate(
  db: Executor,
  incidentId: string,
  input: IncidentUpdateInput,
  source: AuditSource,
): Promise<HostingIncident> {
  const incident = await repo.findIncident(db, incidentId, true);
  if (!incident) throw notFound("Cet incident n'existe pas.");
  if (incident.resolvedAt) throw unprocessable('Cet incident est déjà résolu.');
  const at = now();
  const state = input.state ?? incident.state;
  const updateId = await repo.insertUpdate(db, {
    incidentId,
    phase: input.phase,
    state,
    message: input.message,
    at,
    createdBy: source.actorUserId,
  });
  await repo.updateIncident(db, incidentId, {
    phase: input.phase,
    state,
    resolvedAt: input.phase === 'resolved' ? at : null,
  });
  await recordAudit(db, {
    ...source,
    action: input.phase === 'resolved' ? 'hosting.incident.resolve' : 'hosting.incident.update',
    targetType: 'hosting_incident',
    targetId: incidentId,
  });
  const serviceIds = (await repo.incidentServices(db, [incidentId])).map((s) => s.serviceId);
  await statusChanged(db, { incidentId, updateId }, { serviceIds, state, phase: input.phase });
  const [presented] = await presentIncidents(db, [
    { ...incident, phase: input.phase, state, resolvedAt: input.phase === 'resolved' ? at : null },
  ]);
  if (!presented) throw notFound();
  return presented;
}

export async function scheduleMaintenance(
  db: Executor,
  input: MaintenanceInput,
  minNoticeHours: number,
  source: AuditSource,
): Promise<{ id: string }> {
  const serviceIds = await requireServices(db, input.serviceIds);
  const startsAt = new Date(input.startsAt);
  if (startsAt.getTime() - now().getTime() < minNoticeHours * 3_600_000) {
    throw invalidField(
      'body.startsAt',
      `une maintenance s'annonce au moins ${minNoticeHours} heures à l'avance`,
    );
  }
  const id = await repo.insertMaintenance(
    db,
    {
      title: input.title,
      message: input.message,
      startsAt,
      endsAt: new Date(input.endsAt),
      createdBy: source.actorUserId,
    },
    serviceIds,
  );
  await recordAudit(db, {
    ...source,
    action: 'hosting.maintenance.schedule',
    targetType: 'hosting_maintenance',
    targetId: id,
  });
  await statusChanged(db, { maintenanceId: id }, { serviceIds, state: 'maintenance' });
  return { id };
}

// Mails (job) -------------------------------------------------------------------------------------

const paris = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'full',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/**
 * Tells the subscribers of the services an incident update or a maintenance concerns, once: the
 * row is locked and marked in the same transaction as the outbox rows.
 */
export async function notifySubscribers(
  db: Executor,
  mailer: Mailer,
  payload: { updateId?: string; incidentId?: string; maintenanceId?: string },
  publicUrl: string,
): Promise<number> {
  const statusUrl = `${publicUrl.replace(/\/$/, '')}/statut`;
  if (payload.updateId && payload.incidentId) {
    const update = await repo.lockUpdate(db, payload.updateId);
    const incident = await repo.findIncident(db, payload.incidentId);
    if (!update || !incident || update.notifiedAt) return 0;
    const services = await repo.incidentServices(db, [incident.id]);
    const recipients = await repo.subscriberRecipients(
      db,
      services.map((s) => s.serviceId),
    );
    const resolved = update.phase === 'resolved';
    const subject = `[Socle] ${resolved ? 'Incident résolu' : 'Incident'} : ${incident.title}`;
    const text = [
      'Bonjour,',
      '',
      `${resolved ? 'L’incident suivant est résolu' : 'Un incident touche un service auquel votre structure est abonnée'} : « ${incident.title} ».`,
      `Services concernés : ${services.map((s) => s.name).join(', ')}.`,
      `État : ${SERVICE_STATE_LABELS[update.state]} — ${INCIDENT_PHASE_LABELS[update.phase]}.`,
      '',
      update.message,
      '',
      `Suivre l’état des services : ${statusUrl}`,
      '',
      'L’équipe hébergement',
    ].join('\n');
    for (const to of recipients) await mailer.send(db, { to, subject, text });
    await repo.markUpdateNotified(db, update.id, now());
    return recipients.length;
  }
  if (payload.maintenanceId) {
    const maintenance = await repo.lockMaintenance(db, payload.maintenanceId);
    if (!maintenance || maintenance.notifiedAt) return 0;
    const services = await repo.maintenanceServices(db, [maintenance.id]);
    const recipients = await repo.subscriberRecipients(
      db,
      services.map((s) => s.serviceId),
    );
    const subject = `[Socle] Maintenance programmée : ${maintenance.title}`;
    const text = [
      'Bonjour,',
      '',
      `Une maintenance est programmée du ${paris.format(maintenance.startsAt)} au ${paris.format(maintenance.endsAt)}.`,
      `Services concernés : ${services.map((s) => s.name).join(', ')}.`,
      '',
      maintenance.message,
      '',
      `Suivre l’état des services : ${statusUrl}`,
      '',
      'L’équipe hébergement',
    ].join('\n');
    for (const to of recipients) await mailer.send(db, { to, subject, text });
    await repo.markMaintenanceNotified(db, maintenance.id, now());
    return recipients.length;
  }
  return 0;
}

// Atom feed ---------------------------------------------------------------------------------------

const xml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/**
 * An Atom 1.0 feed (RFC 4287) of the open incidents, those resolved in the last
 * `STATUS_RECENT_DAYS` days and the maintenance to come, newest first. Each incident links to its own
 * page; entry ids are kept from the page's anchors (`#incident-…`) so that readers see no new entries.
 */
export function atomFeed(status: FeedInput, publicUrl: string, operatorName: string): string {
  const base = publicUrl.replace(/\/$/, '');
  const entries = [
    ...status.incidents.map((i) => ({
      id: `${base}/statut#incident-${i.id}`,
      link: `${base}/statut/incidents/${i.id}`,
      title: `${i.resolvedAt ? '[Résolu] ' : ''}${i.title}`,
      updated: i.updates[0]?.at ?? i.startedAt,
      published: i.startedAt,
      content: i.updates
        .map(
          (u) =>
            `${u.at} — ${INCIDENT_PHASE_LABELS[u.phase]} (${SERVICE_STATE_LABELS[u.state]}) : ${u.message}`,
        )
        .join('\n'),
      services: i.services.map((s) => s.name),
    })),
    ...status.maintenances.map((m) => ({
      id: `${base}/statut#maintenance-${m.id}`,
      link: `${base}/statut#maintenance-${m.id}`,
      title: `[Maintenance] ${m.title}`,
      updated: m.startsAt,
      published: m.startsAt,
      content: `Du ${m.startsAt} au ${m.endsAt} : ${m.message}`,
      services: m.services.map((s) => s.name),
    })),
  ].sort((a, b) => b.updated.localeCompare(a.updated));
  const updated = entries[0]?.updated ?? status.updatedAt;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
    `  <id>${xml(`${base}/statut`)}</id>`,
    `  <title>${xml(`État des services — ${operatorName}`)}</title>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>${xml(operatorName)}</name></author>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${base}/statut`)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/api/v1/status/feed.atom`)}"/>`,
    ...entries.map((e) =>
      [
        '  <entry>',
        `    <id>${xml(e.id)}</id>`,
        `    <title>${xml(e.title)}</title>`,
        `    <updated>${xml(e.updated)}</updated>`,
        `    <published>${xml(e.published)}</published>`,
        `    <link rel="alternate" type="text/html" href="${xml(e.link)}"/>`,
        ...e.services.map((s) => `    <category term="${xml(s)}"/>`),
        `    <content type="text">${xml(e.content)}</content>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}

// Availability ------------------------------------------------------------------------------------

export async function serviceAvailability(
  db: Executor,
  serviceId: string,
  month: string,
): Promise<Availability> {
  const sla = await repo.serviceSla(db, serviceId);
  if (sla === undefined) throw notFound("Ce service n'existe pas.");
  const window = monthWindow(month);
  const from = new Date(window.start);
  const to = new Date(window.end);
  const [incidents, maintenances] = await Promise.all([
    repo.serviceIncidentsBetween(db, serviceId, from, to),
    repo.serviceMaintenancesBetween(db, serviceId, from, to),
  ]);
  const updates = await repo.updatesOf(
    db,
    incidents.map((i) => i.id),
  );
  const figures = availabilityOf(
    window,
    incidents.map((i) => ({
      resolvedAt: i.resolvedAt?.getTime() ?? null,
      updates: updates
        .filter((u) => u.incidentId === i.id)
        .map((u) => ({ at: u.at.getTime(), state: u.state })),
    })),
    maintenances.map((m) => ({ start: m.startsAt.getTime(), end: m.endsAt.getTime() })),
    now().getTime(),
  );
  const slaTarget = sla / 10_000;
  return { serviceId, month, ...figures, slaTarget, met: figures.availability >= slaTarget };
}

/** The monthly report of a member: every subscribed service's availability against its promise. */
export async function memberAvailability(
  db: Executor,
  memberId: string,
  month: string,
): Promise<MemberAvailability> {
  const services = await repo.memberServices(db, memberId);
  const items = [];
  for (const s of services)
    items.push({ ...(await serviceAvailability(db, s.id, month)), serviceName: s.name });
  return { month, items };
}
