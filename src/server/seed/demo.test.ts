import { asc, count, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidSiren } from '../../contracts/identifiers.js';
import { MEMBERSHIP_STATUSES } from '../../contracts/members.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { verifyPassword } from '../modules/accounts/password.js';
import { importTerritory } from '../modules/territory/territory.import.js';
import { type Database, rowsOf, toCount } from '../platform/db/client.js';
import {
  auditEvents,
  memberContacts,
  memberDocuments,
  membershipEvents,
  organisations,
  organisationUsers,
  outboxMails,
  users,
} from '../platform/db/schema.js';
import { Mailer, MemoryTransport } from '../platform/mail/mailer.js';
import { MemoryStorage } from '../platform/storage/storage.js';
import { login, request } from '../test/app.js';
import { openTestDatabase } from '../test/database.js';
import { DEMO_COMMUNES, DEMO_PASSWORD, ensureDemoData } from './demo.js';

const log = pino({ level: 'silent' });
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/socle-demo-test-unused' });

async function tableCounts(database: Database) {
  const n = async (table: PgTable) => toCount((await database.db.select({ n: count() }).from(table))[0].n);
  return {
    organisations: await n(organisations),
    contacts: await n(memberContacts),
    documents: await n(memberDocuments),
    events: await n(membershipEvents),
    users: await n(users),
    roles: await n(organisationUsers),
    audit: await n(auditEvents),
    outbox: await n(outboxMails),
  };
}

describe('demo data', () => {
  let database: Database;
  const storage = new MemoryStorage();
  let lines: string[];

  beforeAll(async () => {
    database = await openTestDatabase();
    await importTerritory(database.db, { regions: ['52'] });
    lines = await ensureDemoData(database.db, config, log, storage);
  }, 180_000);
  afterAll(() => database?.close());

  it('seeds about 1,000 members of every kind, with the operator', async () => {
    const byKind = Object.fromEntries(
      (
        await database.db
          .select({ kind: organisations.kind, n: count() })
          .from(organisations)
          .groupBy(organisations.kind)
      ).map((r) => [r.kind, toCount(r.n)]),
    );
    expect(byKind.operator).toBe(1);
    expect(byKind.epci).toBe(71);
    expect(byKind.commune).toBeGreaterThan(700);
    expect(byKind.commune).toBeLessThan(800);
    for (const kind of ['ccas', 'medico_social', 'structure_departementale', 'spl', 'autre']) {
      expect(byKind[kind], kind).toBeGreaterThan(0);
    }
    expect((byKind.syndicat_mixte ?? 0) + (byKind.syndicat_intercommunal ?? 0)).toBe(30);
    expect(byKind.structure_departementale).toBe(5);
    const members = Object.entries(byKind)
      .filter(([kind]) => kind !== 'operator')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(members).toBeGreaterThan(950);
    expect(members).toBeLessThan(1050);
    const [operator] = await database.db
      .select()
      .from(organisations)
      .where(eq(organisations.kind, 'operator'));
    expect(operator).toMatchObject({ name: 'Syndicat mixte e-Collectivités (démo)', departementCode: '85' });
  });

  it('draws communes from the real territory of the five départements, with valid unique SIRENs', async () => {
    const rows = rowsOf<{ departement_code: string; n: unknown }>(
      await database.db.execute(sql`
        SELECT o.departement_code, count(*) AS n FROM organisations o
        JOIN communes c ON c.code = o.commune_code AND c.siren = o.siren AND c.departement_code = o.departement_code
        WHERE o.kind = 'commune' GROUP BY 1 ORDER BY 1`),
    );
    expect(rows.map((r) => r.departement_code)).toEqual(['44', '49', '53', '72', '85']);
    const all = await database.db.select({ siren: organisations.siren }).from(organisations);
    expect(all.every((o) => isValidSiren(o.siren))).toBe(true);
    const epciLinked = rowsOf<{ n: unknown }>(
      await database.db.execute(
        sql`SELECT count(*) AS n FROM organisations o JOIN epci e ON e.code = o.epci_code AND e.code = o.siren AND e.type = o.epci_type WHERE o.kind = 'epci'`,
      ),
    );
    expect(toCount(epciLinked[0].n)).toBe(71);
    const orphanCcas = rowsOf<{ n: unknown }>(
      await database.db.execute(
        sql`SELECT count(*) AS n FROM organisations WHERE kind = 'ccas' AND parent_id IS NULL`,
      ),
    );
    expect(toCount(orphanCcas[0].n)).toBe(0);
  });

  it('has every lifecycle state, with La Roche-sur-Yon and Les Sables-d’Olonne as members', async () => {
    const statuses = await database.db
      .selectDistinct({ status: organisations.status })
      .from(organisations)
      .where(sql`kind <> 'operator'`);
    expect(statuses.map((s) => s.status).sort()).toEqual([...MEMBERSHIP_STATUSES].sort());
    const towns = await database.db
      .select({ code: organisations.communeCode, status: organisations.status })
      .from(organisations)
      .where(sql`commune_code IN (${DEMO_COMMUNES.laRocheSurYon}, ${DEMO_COMMUNES.lesSablesDOlonne})`);
    expect(towns).toHaveLength(2);
    expect(towns.every((t) => t.status === 'member')).toBe(true);
  });

  it('gives La Roche-sur-Yon the acts service and its register, Les Sables-d’Olonne some acts', async () => {
    const rows = rowsOf<{ commune_code: string; acts: unknown; holds: boolean }>(
      await database.db.execute(sql`
        SELECT o.commune_code, (SELECT count(*) FROM acts a WHERE a.member_id = o.id) AS acts,
          EXISTS (SELECT 1 FROM subscriptions s JOIN catalogue_services c ON c.id = s.service_id
            WHERE s.member_id = o.id AND c.code = 'DEMAT-ACTES' AND s.status = 'active') AS holds
        FROM organisations o
        WHERE o.commune_code IN (${DEMO_COMMUNES.laRocheSurYon}, ${DEMO_COMMUNES.lesSablesDOlonne})
        ORDER BY o.commune_code`),
    );
    expect(rows.map((r) => r.commune_code)).toEqual([
      DEMO_COMMUNES.laRocheSurYon,
      DEMO_COMMUNES.lesSablesDOlonne,
    ]);
    expect(rows[0].holds).toBe(true);
    expect(toCount(rows[0].acts)).toBeGreaterThanOrEqual(200);
    expect(toCount(rows[1].acts)).toBeGreaterThan(0);
  });

  it('gives each member a history that leads to its status, with decisions and délibérations', async () => {
    const orgs = await database.db
      .select({ id: organisations.id, status: organisations.status })
      .from(organisations)
      .where(sql`kind <> 'operator'`);
    const events = await database.db
      .select()
      .from(membershipEvents)
      .orderBy(
        asc(membershipEvents.memberId),
        asc(membershipEvents.effectiveOn),
        asc(membershipEvents.createdAt),
      );
    const byMember = new Map<string, (typeof events)[number][]>();
    for (const e of events) byMember.set(e.memberId, [...(byMember.get(e.memberId) ?? []), e]);
    for (const org of orgs) {
      const history = byMember.get(org.id) ?? [];
      expect(history.length, org.id).toBeGreaterThan(0);
      expect(history[0].fromStatus).toBeNull();
      expect(history.at(-1)?.toStatus).toBe(org.status);
      for (let i = 1; i < history.length; i++) expect(history[i].fromStatus).toBe(history[i - 1].toStatus);
    }
    for (const e of events) {
      if (e.toStatus === 'accepted' || e.toStatus === 'withdrawn') {
        expect(e.decisionReference).toMatch(/^CS-20(1[5-9]|2[0-6])-\d{3}$/);
      }
      if (e.toStatus === 'requested' || e.toStatus === 'withdrawal_requested')
        expect(e.documentId).not.toBeNull();
    }
    const docs = await database.db.select().from(memberDocuments).limit(5);
    for (const doc of docs) {
      const data = await storage.get(doc.storageKey);
      expect(data.subarray(0, 5).toString()).toBe('%PDF-');
      expect(data.length).toBe(doc.sizeBytes);
    }
  });

  it('gives members contacts with roles and .example addresses', async () => {
    const contacts = await database.db.select().from(memberContacts);
    expect(contacts.length).toBeGreaterThan(2000);
    expect(new Set(contacts.map((c) => c.role)).size).toBe(6);
    expect(contacts.every((c) => c.email === null || /@[a-z0-9-]+\.example$/.test(c.email))).toBe(true);
  });

  it('creates the demo accounts with their roles and the demo password', async () => {
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('admin@socle.example');
    expect(lines.at(-3)).toContain('Faymoreau (85087)');
    // The official of the comité syndical holds no organisation role (demo-governance.ts).
    expect(lines.at(-2)).toContain('elu@socle.example');
    // The hosting team's agent comes with the hosting demo (demo-hosting.ts).
    expect(lines.at(-1)).toContain('hebergement@socle.example');
    const rows = rowsOf<{
      email: string;
      password_hash: string;
      role: string;
      scopes: string[];
      code: string | null;
      kind: string;
    }>(
      await database.db.execute(sql`
        SELECT u.email, u.password_hash, ou.role, ou.scopes, o.commune_code AS code, o.kind
        FROM users u JOIN organisation_users ou ON ou.user_id = u.id JOIN organisations o ON o.id = ou.member_id
        ORDER BY u.email, o.commune_code`),
    );
    const summary = rows.map((r) => `${r.email} ${r.kind}:${r.code ?? '-'} ${r.role} ${r.scopes.join(',')}`);
    expect(summary).toEqual([
      'admin@socle.example operator:- admin ',
      'assistance@socle.example operator:- agent support',
      'cyber@socle.example operator:- agent cyber',
      'dpo@socle.example operator:- agent dpo',
      'finance@socle.example operator:- agent finance',
      'hebergement@socle.example operator:- agent hosting',
      'mairie@larochesuryon.example commune:85191 admin ',
      'mairie@lessablesdolonne.example commune:85194 admin ',
      'secretaire@communes.example commune:85087 agent ',
      'secretaire@communes.example commune:85184 agent ',
    ]);
    for (const r of rows) expect(await verifyPassword(r.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(rows[0].password_hash, 'wrong-password-2026')).toBe(false);
  });

  it('lets the secrétaire de mairie log in over HTTP and see her two communes', async () => {
    const app = await buildApp({ config, database, mailer: new Mailer(new MemoryTransport()), storage });
    try {
      const session = await login(app, 'secretaire@communes.example', DEMO_PASSWORD);
      const me = (await request(app, session, 'GET', '/api/v1/me')).json();
      expect(me.organisations.map((o: { name: string }) => o.name).sort()).toEqual([
        'Faymoreau',
        'Puy-de-Serre',
      ]);
    } finally {
      await app.close();
    }
  });

  it('backs up every hosted instance each night of its retention, one night failed, and lists a recent incident', async () => {
    const perInstance = rowsOf<{
      runs: unknown;
      failed: unknown;
      last_success: Date | string | null;
      last_backup_at: Date | string | null;
      min_size: unknown;
      retention: number;
      last_test: Date | string | null;
      oldest_run: Date | string;
    }>(
      await database.db.execute(sql`
        SELECT count(b.id) AS runs, count(b.id) FILTER (WHERE NOT b.succeeded) AS failed,
          max(b.at) FILTER (WHERE b.succeeded) AS last_success, i.last_backup_at,
          min(b.size_bytes) AS min_size, i.backup_retention_days AS retention,
          (SELECT max(t.tested_at) FROM hosting_restore_tests t WHERE t.instance_id = i.id) AS last_test,
          min(b.at) AS oldest_run
        FROM hosting_instances i LEFT JOIN hosting_backups b ON b.instance_id = i.id
        GROUP BY i.id`),
    );
    expect(perInstance.length).toBeGreaterThan(10);
    const ms = (d: Date | string | null) => (d === null ? Number.NaN : new Date(d).getTime());
    for (const row of perInstance) {
      // Every night of the retention (the newest one may not have come yet today).
      expect(toCount(row.runs)).toBeGreaterThanOrEqual(row.retention - 1);
      expect(toCount(row.runs)).toBeLessThanOrEqual(row.retention);
      expect(ms(row.last_backup_at)).toBe(ms(row.last_success));
      expect(ms(row.last_success)).toBeLessThanOrEqual(Date.now());
      expect(ms(row.last_success)).toBeGreaterThan(Date.now() - 2 * 86_400_000);
      expect(Number(row.min_size)).toBeGreaterThan(100 * 1024 ** 2);
      expect(ms(row.last_test)).toBeLessThan(Date.now());
    }
    expect(perInstance.reduce((n, row) => n + toCount(row.failed), 0)).toBe(1);
    const [failed] = rowsOf<{ note: string; duration_minutes: number; size_bytes: unknown; code: string }>(
      await database.db.execute(sql`SELECT b.note, b.duration_minutes, b.size_bytes, o.commune_code AS code
        FROM hosting_backups b JOIN organisations o ON o.id = b.member_id WHERE NOT b.succeeded`),
    );
    expect(failed).toMatchObject({ code: '85191', size_bytes: null });
    expect(failed?.note).toMatch(/^Échec/);
    // The overdue restore test is still there.
    const [overdue] = rowsOf<{ n: unknown }>(
      await database.db.execute(sql`SELECT count(*) AS n FROM hosting_instances i
        WHERE (SELECT max(t.tested_at) FROM hosting_restore_tests t WHERE t.instance_id = i.id)
          < now() - make_interval(days => i.restore_test_every_days)`),
    );
    expect(toCount(overdue?.n)).toBe(1);

    // The status page: the websites' incident in its short list, the older messaging one in the history.
    const app = await buildApp({ config, database, mailer: new Mailer(new MemoryTransport()), storage });
    try {
      const status = (await request(app, null, 'GET', '/api/v1/status')).json();
      expect(status.recentIncidents).toMatchObject([
        { title: 'Sites internet lents ou inaccessibles', worstState: 'partial_outage' },
      ]);
      const incident = await request(
        app,
        null,
        'GET',
        `/api/v1/status/incidents/${status.recentIncidents[0].id}`,
      );
      expect(incident.json().updates).toHaveLength(4);
      const mail = status.services.find((s: { name: string }) => /Messagerie/.test(s.name));
      // 75 minutes: one Paris day, two if they crossed midnight.
      expect(mail.history.length).toBeGreaterThanOrEqual(1);
      expect(mail.history.length).toBeLessThanOrEqual(2);
    } finally {
      await app.close();
    }
  });

  it('leaves a few audit events and outbox mails', async () => {
    const counts = await tableCounts(database);
    expect(counts.audit).toBeGreaterThan(3);
    expect(counts.outbox).toBeGreaterThan(1);
  });

  it('creates nothing on a second call, and still lists the accounts', async () => {
    const before = await tableCounts(database);
    const again = await ensureDemoData(database.db, config, log, storage);
    expect(again).toEqual(lines);
    expect(await tableCounts(database)).toEqual(before);
  });

  it('seeds PostgreSQL deployments only when DEMO_DATA=true says so', async () => {
    const onPostgres = loadConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://socle@db.example/socle',
    });
    const before = await tableCounts(database);
    expect(await ensureDemoData(database.db, onPostgres, log, storage)).toEqual([]);
    expect(await tableCounts(database)).toEqual(before);
    const asked = loadConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://socle@db.example/socle',
      DEMO_DATA: 'true',
    });
    // Already seeded, so asking lists the accounts instead of skipping.
    expect(await ensureDemoData(database.db, asked, log, storage)).toEqual(lines);
  });

  it('never seeds in production', async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATA_DIR: '/tmp/socle-unused',
    });
    const before = await tableCounts(database);
    expect(await ensureDemoData(database.db, production, log, storage)).toEqual([]);
    expect(await tableCounts(database)).toEqual(before);
  });
});
