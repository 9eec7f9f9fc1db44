import { and, asc, eq, gte, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IncidentState,
  type ServiceState,
  STATUS_HISTORY_DAYS,
  STATUS_RECENT_DAYS,
  statusSchema,
  worstState,
} from '../../../contracts/hosting.js';
import { today, useClock } from '../../platform/clock.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { historyOf } from './hosting.rules.js';
import {
  hostingIncidentServices,
  hostingIncidents,
  hostingIncidentUpdates,
  hostingMaintenanceServices,
  hostingMaintenances,
  hostingMonitors,
} from './hosting.schema.js';

/**
 * The public status page is one SQL statement writing its JSON: checked here against the pure rules
 * (hosting.rules historyOf, contracts worstState) on a hundred days of drawn incidents and maintenance,
 * across a change to summer time and Paris midnights.
 */

let t: TestApp;
let restoreClock: () => void;
const at = new Date('2026-04-10T08:17:45.123Z');
const DAY = 86_400_000;

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date(at.getTime()) });
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
  restoreClock();
});

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('the public status statement', () => {
  it('gives the states, the 90 days of history, incidents and maintenance the rules give', async () => {
    const db = t.database.db;
    const rand = random(15);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const services = [
      await buildService(db, { name: 'Messagerie hébergée', domain: 'hebergement' }),
      await buildService(db, { name: 'Gestion financière', domain: 'hebergement' }),
      await buildService(db, { name: 'État civil', domain: 'hebergement' }),
    ];
    const monitored = await buildService(db, { name: 'Sites internet', domain: 'hebergement' });
    const unrelated = await buildService(db, { name: 'Conseil juridique', domain: 'hebergement' });
    await db.insert(hostingMonitors).values({
      serviceId: monitored.id,
      kind: 'tcp',
      target: '127.0.0.1:9',
      intervalSeconds: 60,
      failuresBeforeIncident: 3,
      nextCheckAt: new Date(at.getTime() + DAY),
    });

    const spans: { serviceId: string; start: Date; end: Date; state: ServiceState; current: boolean }[] = [];
    const states: IncidentState[] = ['degraded', 'partial_outage', 'major_outage'];
    for (let i = 0; i < 40; i++) {
      // Started up to 100 days ago (some before the window), lasting 5 minutes to 3 days; a few open.
      const startedAt = new Date(at.getTime() - Math.floor(rand() * 100 * DAY));
      const open = i % 9 === 0;
      const resolvedAt = open
        ? null
        : new Date(Math.min(at.getTime(), startedAt.getTime() + 300_000 + Math.floor(rand() * 3 * DAY)));
      const state = pick(states);
      const [incident] = await db
        .insert(hostingIncidents)
        .values({
          title: `Incident ${i}`,
          state,
          phase: open ? 'identified' : 'resolved',
          startedAt,
          resolvedAt,
        })
        .returning({ id: hostingIncidents.id });
      if (!incident) throw new Error('incident');
      const concerned = services.filter(() => rand() < 0.5);
      if (concerned.length === 0) concerned.push(pick(services));
      await db
        .insert(hostingIncidentServices)
        .values(concerned.map((s) => ({ incidentId: incident.id, serviceId: s.id })));
      await db.insert(hostingIncidentUpdates).values([
        { incidentId: incident.id, phase: 'investigating', state, message: 'Analyse.', at: startedAt },
        {
          incidentId: incident.id,
          phase: open ? 'identified' : 'resolved',
          state,
          message: 'Suite.',
          at: resolvedAt ?? new Date(startedAt.getTime() + 60_000),
        },
      ]);
      // Resolved before the window: neither listed nor in the history.
      if (resolvedAt && resolvedAt.getTime() < at.getTime() - STATUS_HISTORY_DAYS * DAY) continue;
      for (const s of concerned)
        spans.push({ serviceId: s.id, start: startedAt, end: resolvedAt ?? at, state, current: open });
    }
    const maintenances = [
      { startsAt: new Date(at.getTime() - 20 * DAY), endsAt: new Date(at.getTime() - 20 * DAY + 7_200_000) },
      { startsAt: new Date(at.getTime() - 3_600_000), endsAt: new Date(at.getTime() + 3_600_000) },
      { startsAt: new Date(at.getTime() + 2 * DAY), endsAt: new Date(at.getTime() + 2 * DAY + 3_600_000) },
    ];
    for (const [i, m] of maintenances.entries()) {
      const serviceId = services[i]?.id ?? '';
      const [row] = await db
        .insert(hostingMaintenances)
        .values({ title: `Maintenance ${i}`, message: 'Mise à jour.', ...m })
        .returning({ id: hostingMaintenances.id });
      if (!row) throw new Error('maintenance');
      await db.insert(hostingMaintenanceServices).values({ maintenanceId: row.id, serviceId });
      if (m.startsAt <= at)
        spans.push({
          serviceId,
          start: m.startsAt,
          end: m.endsAt < at ? m.endsAt : at,
          state: 'maintenance',
          current: m.endsAt > at,
        });
    }

    const response = await request(t.app, null, 'GET', '/api/v1/status');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const status = statusSchema.parse(response.json());
    expect(status.updatedAt).toBe(at.toISOString());

    // The hosted and the named services (in the database's collation order, not checked here).
    expect(status.services.map((s) => s.serviceId).sort()).toEqual(
      [...services, monitored].map((s) => s.id).sort(),
    );
    expect(status.services.some((s) => s.serviceId === unrelated.id)).toBe(false);
    for (const service of status.services) {
      const mine = spans.filter((s) => s.serviceId === service.serviceId);
      expect(service.state, service.name).toBe(worstState(mine.filter((s) => s.current).map((s) => s.state)));
      expect(service.history, service.name).toEqual(
        historyOf(mine, today(at), STATUS_HISTORY_DAYS, (d) => today(d)),
      );
    }
    expect(status.services.find((s) => s.serviceId === monitored.id)).toEqual({
      serviceId: monitored.id,
      name: 'Sites internet',
      state: 'operational',
      history: [],
    });

    // Open incidents with their timeline, newest first, timeline newest first.
    const started = status.incidents.map((i) => i.startedAt);
    expect(started).toEqual([...started].sort().reverse());
    const open = await db
      .select({ id: hostingIncidents.id })
      .from(hostingIncidents)
      .where(isNull(hostingIncidents.resolvedAt));
    expect(status.incidents.map((i) => i.id).sort()).toEqual(open.map((o) => o.id).sort());
    for (const incident of status.incidents) {
      expect(incident.resolvedAt).toBeNull();
      expect(incident.updates.map((u) => u.message)).toEqual(['Suite.', 'Analyse.']);
      expect(incident.services.map((s) => s.name)).toEqual(incident.services.map((s) => s.name).sort());
    }
    // Resolved in the last 14 days only, last resolved first, without timeline.
    const recentSince = at.getTime() - STATUS_RECENT_DAYS * DAY;
    const recent = await db
      .select({
        id: hostingIncidents.id,
        state: hostingIncidents.state,
        resolvedAt: hostingIncidents.resolvedAt,
      })
      .from(hostingIncidents)
      .where(gte(hostingIncidents.resolvedAt, new Date(recentSince)));
    expect(recent.length).toBeGreaterThan(0);
    expect(status.recentIncidents.map((i) => i.id).sort()).toEqual(recent.map((r) => r.id).sort());
    const resolvedOrder = status.recentIncidents.map((i) => i.resolvedAt);
    expect(resolvedOrder).toEqual([...resolvedOrder].sort().reverse());
    for (const incident of status.recentIncidents) {
      expect(incident.worstState).toBe(recent.find((r) => r.id === incident.id)?.state);
      expect(incident).not.toHaveProperty('updates');
    }
    // Maintenance in progress or to come, earliest first.
    expect(status.maintenances.map((m) => m.title)).toEqual(['Maintenance 1', 'Maintenance 2']);
    expect(status.maintenances[0]?.startsAt).toBe(maintenances[1]?.startsAt.toISOString());

    // The feed: open and lately resolved incidents (with their timeline), maintenance to come.
    const feed = await request(t.app, null, 'GET', '/api/v1/status/feed.atom');
    expect(feed.statusCode).toBe(200);
    expect(feed.body.split('<entry>')).toHaveLength(
      status.incidents.length + status.recentIncidents.length + 2 + 1,
    );
  });

  it('keeps the resolved incidents’ days as incidents are resolved, changed, moved and deleted', async () => {
    const db = t.database.db;
    // Every open incident resolved an hour ago; one resolved incident made worse and longer, another
    // deleted, a third moved to another service.
    await db
      .update(hostingIncidents)
      .set({ resolvedAt: new Date(at.getTime() - 3_600_000), phase: 'resolved' })
      .where(isNull(hostingIncidents.resolvedAt));
    const resolved = await db
      .select()
      .from(hostingIncidents)
      .where(gte(hostingIncidents.resolvedAt, new Date(at.getTime() - 80 * DAY)))
      .orderBy(asc(hostingIncidents.title));
    const [worse, gone, moved] = resolved;
    if (!worse || !gone || !moved) throw new Error('resolved incidents');
    await db
      .update(hostingIncidents)
      .set({ state: 'major_outage', startedAt: new Date(worse.startedAt.getTime() - 4 * DAY) })
      .where(eq(hostingIncidents.id, worse.id));
    await db.delete(hostingIncidents).where(eq(hostingIncidents.id, gone.id));
    const [link] = await db
      .select()
      .from(hostingIncidentServices)
      .where(eq(hostingIncidentServices.incidentId, moved.id));
    const [elsewhere] = await db
      .select({ id: catalogueServices.id })
      .from(catalogueServices)
      .where(eq(catalogueServices.name, 'Conseil juridique'));
    if (!link || !elsewhere) throw new Error('link');
    await db
      .update(hostingIncidentServices)
      .set({ serviceId: elsewhere.id })
      .where(
        and(
          eq(hostingIncidentServices.incidentId, moved.id),
          eq(hostingIncidentServices.serviceId, link.serviceId),
        ),
      );

    // What the rules give from the rows as they are now.
    const since = at.getTime() - STATUS_HISTORY_DAYS * DAY;
    const rows = await db
      .select({
        serviceId: hostingIncidentServices.serviceId,
        start: hostingIncidents.startedAt,
        end: hostingIncidents.resolvedAt,
        state: hostingIncidents.state,
      })
      .from(hostingIncidentServices)
      .innerJoin(hostingIncidents, eq(hostingIncidents.id, hostingIncidentServices.incidentId));
    const spans: { serviceId: string; start: Date; end: Date; state: ServiceState }[] = rows
      .filter((r) => r.end && r.end.getTime() >= since)
      .map((r) => ({ serviceId: r.serviceId, start: r.start, end: r.end ?? at, state: r.state }));
    const maintenances = await db
      .select({
        serviceId: hostingMaintenanceServices.serviceId,
        start: hostingMaintenances.startsAt,
        end: hostingMaintenances.endsAt,
      })
      .from(hostingMaintenanceServices)
      .innerJoin(hostingMaintenances, eq(hostingMaintenances.id, hostingMaintenanceServices.maintenanceId));
    for (const m of maintenances) {
      if (m.start <= at && m.end.getTime() >= since)
        spans.push({
          serviceId: m.serviceId,
          start: m.start,
          end: m.end < at ? m.end : at,
          state: 'maintenance',
        });
    }

    const status = statusSchema.parse((await request(t.app, null, 'GET', '/api/v1/status')).json());
    expect(status.services.some((s) => s.serviceId === elsewhere.id)).toBe(true);
    for (const service of status.services) {
      const mine = spans.filter((s) => s.serviceId === service.serviceId);
      expect(service.history, service.name).toEqual(
        historyOf(mine, today(at), STATUS_HISTORY_DAYS, (d) => today(d)),
      );
    }
  });
});
