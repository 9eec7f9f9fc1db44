import { count, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_DOMAINS } from '../../contracts/catalogue.js';
import { loadConfig } from '../config.js';
import { importTerritory } from '../modules/territory/territory.import.js';
import { type Database, rowsOf, toCount } from '../platform/db/client.js';
import { catalogueServices, subscriptionEvents, subscriptions } from '../platform/db/schema.js';
import { MemoryStorage } from '../platform/storage/storage.js';
import { openTestDatabase } from '../test/database.js';
import { seedDemoRegistry } from './demo.js';
import { type CatalogueSeedReport, seedCatalogue } from './demo-catalogue.js';
import { Random } from './random.js';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/socle-demo-test-unused' });

describe('demo catalogue', () => {
  let database: Database;
  let report: CatalogueSeedReport;

  beforeAll(async () => {
    database = await openTestDatabase();
    await importTerritory(database.db, { regions: ['52'] });
    // The demo's members only (not the modules' demos, which ensureDemoData runs after them, the
    // catalogue's among them): the catalogue is seeded here, at a fixed date.
    await seedDemoRegistry(database.db, config, pino({ level: 'silent' }), new MemoryStorage());
    report = await seedCatalogue(database.db, undefined, new Date('2026-05-20T10:00:00Z'));
  }, 240_000);
  afterAll(() => database?.close());

  it('offers about 25 services over the six domains, each with five alone-price strata', async () => {
    const services = await database.db.select().from(catalogueServices);
    expect(services.length).toBeGreaterThanOrEqual(24);
    expect(new Set(services.map((s) => s.domain))).toEqual(new Set(SERVICE_DOMAINS));
    expect(new Set(services.map((s) => s.status))).toEqual(
      new Set(['proposed', 'open', 'closed', 'retired']),
    );
    const strata = rowsOf<{ n: unknown }>(
      await database.db.execute(sql`SELECT count(*) AS n FROM catalogue_alone_prices GROUP BY service_id`),
    );
    expect(strata.every((s) => toCount(s.n) === 5)).toBe(true);
  });

  it('subscribes most adhérents, only to services they are eligible for, with prerequisites held', async () => {
    const [members] = rowsOf<{ members: unknown; subscribed: unknown }>(
      await database.db.execute(sql`
        SELECT count(*) AS members,
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.member_id = o.id)) AS subscribed
        FROM organisations o WHERE o.status = 'member'`),
    );
    expect(toCount(members.subscribed) / toCount(members.members)).toBeGreaterThan(0.8);
    const ineligible = rowsOf<{ n: unknown }>(
      await database.db.execute(sql`
        SELECT count(*) AS n FROM subscriptions s JOIN organisations o ON o.id = s.member_id
        JOIN catalogue_services c ON c.id = s.service_id WHERE NOT (o.kind = ANY(c.eligible_kinds))`),
    );
    expect(toCount(ineligible[0].n)).toBe(0);
    const orphans = rowsOf<{ n: unknown }>(
      await database.db.execute(sql`
        SELECT count(*) AS n FROM subscriptions s
        JOIN catalogue_service_prerequisites p ON p.service_id = s.service_id
        WHERE s.status IN ('active', 'termination_requested') AND NOT EXISTS (
          SELECT 1 FROM subscriptions r WHERE r.member_id = s.member_id AND r.service_id = p.requires_service_id
            AND r.status IN ('active', 'termination_requested') AND r.start_date <= s.start_date)`),
    );
    expect(toCount(orphans[0].n)).toBe(0);
  });

  it('has requests waiting, terminations under way, and a history ending in each status', async () => {
    const byStatus = Object.fromEntries(
      (
        await database.db
          .select({ status: subscriptions.status, n: count() })
          .from(subscriptions)
          .groupBy(subscriptions.status)
      ).map((r) => [r.status, toCount(r.n)]),
    );
    expect(byStatus.active).toBeGreaterThan(2000);
    expect(byStatus.requested).toBeGreaterThan(5);
    expect(byStatus.termination_requested).toBeGreaterThan(0);
    expect(byStatus.terminated).toBeGreaterThan(0);
    expect(report.subscriptions).toBe(Object.values(byStatus).reduce((a, b) => a + b, 0));
    const mismatched = rowsOf<{ n: unknown }>(
      await database.db.execute(sql`
        SELECT count(*) AS n FROM subscriptions s WHERE s.status <> (
          SELECT e.to_status FROM subscription_events e WHERE e.subscription_id = s.id
          ORDER BY e.effective_on DESC, e.created_at DESC LIMIT 1)`),
    );
    expect(toCount(mismatched[0].n)).toBe(0);
    const [laRoche] = rowsOf<{ codes: string[] }>(
      await database.db.execute(sql`
        SELECT array_agg(c.code) AS codes FROM subscriptions s JOIN catalogue_services c ON c.id = s.service_id
        JOIN organisations o ON o.id = s.member_id WHERE o.commune_code = '85191'`),
    );
    expect(laRoche.codes).toContain('DEMAT-ACTES');
    expect(laRoche.codes).not.toContain('DEMAT-PARAPHEUR');
  });

  it('is deterministic and creates nothing on a second call', async () => {
    expect(await seedCatalogue(database.db)).toEqual({ services: 0, subscriptions: 0, events: 0 });
    const [first] = await database.db
      .select({ id: catalogueServices.id })
      .from(catalogueServices)
      .where(eq(catalogueServices.code, 'DEMAT-ACTES'));
    const events = toCount((await database.db.select({ n: count() }).from(subscriptionEvents))[0].n);
    expect(events).toBe(report.events);
    // The first draw of the seed's sequence: the same id on every machine.
    expect(first.id).toBe(new Random(0x5e4c1e).uuid());
  });
});
