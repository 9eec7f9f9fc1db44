import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvisoryProduct, ManualAdvisoryInput } from '../../../contracts/cyber.js';
import { organisations } from '../../kernel/identity.schema.js';
import { type Database, rowsOf } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { Mailer, MemoryTransport } from '../../platform/mail/mailer.js';
import { buildOrganisation } from '../../test/builders.js';
import { openTestDatabase } from '../../test/database.js';
import * as repo from './cyber.advisories.repository.js';
import {
  createManualAdvisory,
  getAdvisory,
  notifyAffectedMembers,
  updateRemediation,
} from './cyber.advisories.service.js';
import { syncCatalogueAssets } from './cyber.inventory.repository.js';
import { cyberAdvisories, cyberAssets, cyberExposures, cyberRemediations } from './cyber.schema.js';
import { assetKeys } from './matching/cpe.js';
import { firstMatch, prepareProduct } from './matching/match.js';

/**
 * The matching written set-based (issue 13 §7): distinct versions compared in JS, remediations and
 * exposures written by one statement, the advisories' counters kept by triggers, and the integrity
 * the dropped foreign keys gave (migration cyber_matching_set_based_rls).
 */

let database: Database;
const SOURCE = { actorUserId: null, ipAddress: null };
const asTeam = <T>(f: (db: Database['db']) => Promise<T>) => withTenant(database.db, SYSTEM_OPERATOR, f);

const PRODUCTS: ManualAdvisoryInput['products'] = [
  { vendor: 'Fortinet', product: 'FortiOS', versionRange: 'vers:generic/>=7.0.0|<7.0.14|>=7.2.0|<7.2.5' },
  { vendor: 'Fortinet', product: 'FortiManager' },
  { vendor: 'Fortinet', product: 'FortiWeb', version: '7.0.9' },
];
const VENDORS = ['Fortinet', 'Fortinet Inc', null, 'Autre éditeur'];
const NAMES = ['FortiOS', 'FortiManager', 'FortiWeb'];
const VERSIONS = [
  '7.0.9',
  'v7.0.9',
  '7.0.09',
  '7.2.4',
  '7.2.5',
  '7.0.14',
  '6.4',
  '',
  null,
  '7.1rc1',
  '7.0.0',
];

const countsFromExposures = (advisoryId: string) =>
  asTeam((db) => repo.countExposures(db, advisoryId, new Date().toISOString().slice(0, 10)));
const countsFromCounters = async (advisoryId: string) => await asTeam((db) => getAdvisory(db, advisoryId));

async function importAdvisory(reference: string) {
  return asTeam((db) =>
    createManualAdvisory(
      db,
      { title: `Avis ${reference}`, reference, severity: 'critical', cves: [], products: PRODUCTS },
      SOURCE,
    ),
  );
}

beforeAll(async () => {
  database = await openTestDatabase({ territorySample: true });
});
afterAll(() => database?.close());

describe('matching an advisory against every inventory', () => {
  const members: string[] = [];
  const assets: {
    id: string;
    memberId: string;
    vendor: string | null;
    product: string;
    version: string | null;
  }[] = [];
  let advisoryId: string;

  beforeAll(async () => {
    const db = database.db;
    for (let m = 0; m < 6; m++) members.push((await buildOrganisation(db, { name: `Commune ${m}` })).id);
    // Every vendor × product × version, spread over the members: several members share a version.
    for (let i = 0; i < VENDORS.length * NAMES.length * VERSIONS.length; i++) {
      const vendor = VENDORS[i % VENDORS.length] ?? null;
      const product = NAMES[i % NAMES.length] ?? 'FortiOS';
      const version = VERSIONS[i % VERSIONS.length] ?? null;
      const memberId = members[i % members.length] ?? '';
      const keys = assetKeys({ vendor, product, cpe: null });
      const [row] = await db
        .insert(cyberAssets)
        .values({ memberId, kind: 'software', name: `Ligne ${i}`, vendor, product, version, ...keys })
        .returning({ id: cyberAssets.id });
      assets.push({ id: row?.id ?? '', memberId, vendor, product, version });
    }
  });

  it('writes a remediation for exactly the lines the pure rules match, and one exposure per member', async () => {
    const created = await importAdvisory('SET-BASED-1');
    advisoryId = created.id;
    const prepared = PRODUCTS.map((p) =>
      prepareProduct({
        vendor: p.vendor,
        product: p.product,
        version: p.version ?? null,
        versionRange: p.versionRange ?? null,
        cpe: null,
      } satisfies AdvisoryProduct),
    );
    const expected = new Map<string, string>();
    for (const a of assets) {
      const label = firstMatch({ ...assetKeys({ ...a, cpe: null }), version: a.version }, prepared);
      if (label) expected.set(a.id, label);
    }
    // The case set means something: some lines of each kind match, and some do not.
    expect(expected.size).toBeGreaterThan(20);
    expect(expected.size).toBeLessThan(assets.length - 20);
    const written = await database.db
      .select({
        assetId: cyberRemediations.assetId,
        label: cyberRemediations.matchedOn,
        memberId: cyberRemediations.memberId,
      })
      .from(cyberRemediations)
      .where(eq(cyberRemediations.advisoryId, advisoryId));
    expect(new Map(written.map((r) => [r.assetId, r.label]))).toEqual(expected);
    // Each remediation carries its asset's member.
    const memberOf = new Map(assets.map((a) => [a.id, a.memberId]));
    for (const r of written) expect(r.memberId).toBe(memberOf.get(r.assetId));

    const perMember = new Map<string, number>();
    for (const id of expected.keys()) {
      const m = memberOf.get(id) ?? '';
      perMember.set(m, (perMember.get(m) ?? 0) + 1);
    }
    const exposures = await database.db
      .select({
        memberId: cyberExposures.memberId,
        assets: cyberExposures.assets,
        searchName: cyberExposures.searchName,
      })
      .from(cyberExposures)
      .where(eq(cyberExposures.advisoryId, advisoryId));
    expect(new Map(exposures.map((e) => [e.memberId, e.assets]))).toEqual(perMember);
    expect(exposures.every((e) => e.searchName.startsWith('commune'))).toBe(true);
    expect(created.affectedMembers).toBe(perMember.size);
  });

  it('keeps the advisory’s counts in its counters, as the exposures give them', async () => {
    const fromExposures = await countsFromExposures(advisoryId);
    expect(fromExposures.affected).toBeGreaterThan(2);
    const advisory = await countsFromCounters(advisoryId);
    expect({
      affected: advisory.affectedMembers,
      remediated: advisory.remediatedMembers,
      overdue: advisory.overdueMembers,
    }).toEqual(fromExposures);

    // A member patches every affected line: remediated once, not before its last line.
    const memberId = members[0] ?? '';
    const own = await database.db
      .select({ id: cyberRemediations.id })
      .from(cyberRemediations)
      .where(and(eq(cyberRemediations.advisoryId, advisoryId), eq(cyberRemediations.memberId, memberId)));
    expect(own.length).toBeGreaterThan(1);
    for (const [i, r] of own.entries()) {
      await asTeam((db) => updateRemediation(db, memberId, r.id, { state: 'patched', reason: '' }, SOURCE));
      const counts = await countsFromCounters(advisoryId);
      expect(counts.remediatedMembers).toBe(i === own.length - 1 ? 1 : 0);
    }
    // Undone: back to zero.
    await asTeam((db) =>
      updateRemediation(db, memberId, own[0]?.id ?? '', { state: 'to_do', reason: '' }, SOURCE),
    );
    expect((await countsFromCounters(advisoryId)).remediatedMembers).toBe(0);
    await asTeam((db) =>
      updateRemediation(db, memberId, own[0]?.id ?? '', { state: 'patched', reason: '' }, SOURCE),
    );

    // Past the due date: every member not remediated is overdue.
    await database.db.execute(
      sql`UPDATE cyber_advisories SET due_on = current_date - 1 WHERE id = ${advisoryId}`,
    );
    await database.db.execute(
      sql`UPDATE cyber_exposures SET due_on = current_date - 1 WHERE advisory_id = ${advisoryId}`,
    );
    const late = await countsFromCounters(advisoryId);
    const lateFromExposures = await countsFromExposures(advisoryId);
    expect(lateFromExposures.overdue).toBe(lateFromExposures.affected - 1);
    expect({
      affected: late.affectedMembers,
      remediated: late.remediatedMembers,
      overdue: late.overdueMembers,
    }).toEqual(lateFromExposures);
  });

  it('tells each affected member once, with one webhook event each, from the notification job', async () => {
    const events = async () =>
      rowsOf<{ member_id: string; assets: number }>(
        await database.db.execute(sql`SELECT member_id, (data->>'assets')::int AS assets FROM webhook_events
          WHERE type = 'advisory.affecting_member' AND data->>'advisoryId' = ${advisoryId}`),
      );
    expect(await events()).toEqual([]);
    const mailer = new Mailer(new MemoryTransport());
    await asTeam((db) => notifyAffectedMembers(db, mailer, advisoryId));
    const exposures = await database.db
      .select({ member_id: cyberExposures.memberId, assets: cyberExposures.assets })
      .from(cyberExposures)
      .where(eq(cyberExposures.advisoryId, advisoryId));
    const byMember = (rows: { member_id: string; assets: number }[]) =>
      [...rows].sort((x, y) => x.member_id.localeCompare(y.member_id));
    expect(byMember(await events())).toEqual(byMember(exposures));
    await asTeam((db) => notifyAffectedMembers(db, mailer, advisoryId));
    expect(await events()).toHaveLength(exposures.length);
  });

  it('takes deleted lines off their exposures (assets, remediated, affected members), and keeps them on an edited line', async () => {
    const db = database.db;
    const exposureOf = async (memberId: string) =>
      (
        await db
          .select({ assets: cyberExposures.assets, remediatedAssets: cyberExposures.remediatedAssets })
          .from(cyberExposures)
          .where(and(eq(cyberExposures.advisoryId, advisoryId), eq(cyberExposures.memberId, memberId)))
      )[0];
    const linesOf = async (memberId: string) =>
      db
        .select({
          id: cyberRemediations.id,
          assetId: cyberRemediations.assetId,
          state: cyberRemediations.state,
        })
        .from(cyberRemediations)
        .where(and(eq(cyberRemediations.advisoryId, advisoryId), eq(cyberRemediations.memberId, memberId)))
        .orderBy(cyberRemediations.id);
    // Every exposure counts its remediations, and the advisory's counters count the exposures.
    const expectConsistent = async () => {
      const [wrong] = rowsOf<{ n: unknown }>(
        await db.execute(sql`SELECT count(*) AS n FROM cyber_exposures e
          FULL JOIN (SELECT advisory_id, member_id, count(*)::int AS total,
                       count(*) FILTER (WHERE state <> 'to_do')::int AS done
                     FROM cyber_remediations GROUP BY advisory_id, member_id) c
            ON c.advisory_id = e.advisory_id AND c.member_id = e.member_id
          WHERE e.assets IS DISTINCT FROM c.total OR e.remediated_assets IS DISTINCT FROM c.done
            OR (e.remediated_at IS NOT NULL) IS DISTINCT FROM (c.done >= c.total)`),
      );
      expect(Number(wrong?.n)).toBe(0);
      const counters = await countsFromCounters(advisoryId);
      expect({
        affected: counters.affectedMembers,
        remediated: counters.remediatedMembers,
        overdue: counters.overdueMembers,
      }).toEqual(await countsFromExposures(advisoryId));
      return counters;
    };
    const [, one, two, three] = members as [string, string, string, string];

    // One line of several deleted: one asset less.
    const lines = await linesOf(one);
    expect(lines.length).toBeGreaterThan(1);
    await db.delete(cyberAssets).where(eq(cyberAssets.id, lines[0]?.assetId ?? ''));
    expect(await exposureOf(one)).toEqual({ assets: lines.length - 1, remediatedAssets: 0 });
    const start = await expectConsistent();

    // The last line left to handle deleted: the member's exposure becomes remediated.
    const left = await linesOf(two);
    expect(left.length).toBeGreaterThan(1);
    for (const line of left.slice(1)) {
      await asTeam((tx) => updateRemediation(tx, two, line.id, { state: 'patched', reason: '' }, SOURCE));
    }
    expect((await expectConsistent()).remediatedMembers).toBe(start.remediatedMembers);
    await db.delete(cyberAssets).where(eq(cyberAssets.id, left[0]?.assetId ?? ''));
    expect(await exposureOf(two)).toEqual({ assets: left.length - 1, remediatedAssets: left.length - 1 });
    expect((await expectConsistent()).remediatedMembers).toBe(start.remediatedMembers + 1);

    // Every line of a member deleted (one statement): no exposure left, one affected member less.
    await db.delete(cyberAssets).where(eq(cyberAssets.memberId, three));
    expect(await exposureOf(three)).toBeUndefined();
    expect((await expectConsistent()).affectedMembers).toBe(start.affectedMembers - 1);

    // A line's product and version changed: its remediation, hence the counts, stay.
    const [kept] = await linesOf(one);
    await db
      .update(cyberAssets)
      .set({ product: 'FortiAnalyzer', productKey: 'fortianalyzer', version: '9.9' })
      .where(eq(cyberAssets.id, kept?.assetId ?? ''));
    expect(await exposureOf(one)).toEqual({ assets: lines.length - 1, remediatedAssets: 0 });
    await expectConsistent();
  });

  it('deletes the remediations of a deleted line, and the exposures and remediations of a deleted member or advisory', async () => {
    const [line] = await database.db
      .select({ assetId: cyberRemediations.assetId, memberId: cyberRemediations.memberId })
      .from(cyberRemediations)
      .where(
        and(
          eq(cyberRemediations.advisoryId, advisoryId),
          sql`${cyberRemediations.memberId} <> ${members[5] ?? ''}`,
        ),
      )
      .limit(1);
    if (!line) throw new Error('no remediation');
    await database.db.delete(cyberAssets).where(eq(cyberAssets.id, line.assetId));
    expect(
      await database.db.select().from(cyberRemediations).where(eq(cyberRemediations.assetId, line.assetId)),
    ).toEqual([]);

    // A member deleted: its lines (cascade), their remediations, its exposures; the counters follow.
    const gone = members[5] ?? '';
    const before = await countsFromCounters(advisoryId);
    await database.db.delete(organisations).where(eq(organisations.id, gone));
    expect(
      await database.db.select().from(cyberRemediations).where(eq(cyberRemediations.memberId, gone)),
    ).toEqual([]);
    expect(await database.db.select().from(cyberExposures).where(eq(cyberExposures.memberId, gone))).toEqual(
      [],
    );
    const after = await countsFromCounters(advisoryId);
    expect(after.affectedMembers).toBe(before.affectedMembers - 1);
    expect(after.affectedMembers).toBe((await countsFromExposures(advisoryId)).affected);

    // The advisory deleted: nothing of it is left.
    await database.db.delete(cyberAdvisories).where(eq(cyberAdvisories.id, advisoryId));
    expect(
      await database.db.select().from(cyberExposures).where(eq(cyberExposures.advisoryId, advisoryId)),
    ).toEqual([]);
    expect(
      await database.db.select().from(cyberRemediations).where(eq(cyberRemediations.advisoryId, advisoryId)),
    ).toEqual([]);
  });

  // Two sessions at once: PostgreSQL only (PGlite has one connection).
  it.runIf(process.env.SOCLE_TEST_DB === 'postgres')(
    'makes a deletion of inventory lines wait for a matching in progress, so none is matched once deleted',
    async () => {
      const [line] = await database.db.select({ id: cyberAssets.id }).from(cyberAssets).limit(1);
      if (!line) throw new Error('no line');
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let taken = () => {};
      const lockTaken = new Promise<void>((resolve) => {
        taken = resolve;
      });
      const matching = database.db.transaction(async (tx) => {
        await repo.lockMatching(tx);
        taken();
        await held;
      });
      await lockTaken;
      // The error's code and the statement that waited (drizzle's message starts with it).
      const codeOf = (attempt: Promise<unknown>) =>
        attempt.then(
          () => null,
          (e: { code?: string; message?: string; cause?: { code?: string } }) =>
            `${e.cause?.code ?? e.code} ${(e.message ?? '').replace('Failed query: ', '').slice(0, 36)}`,
        );
      const deletion = codeOf(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL lock_timeout = '300ms'`);
          await tx.delete(cyberAssets).where(eq(cyberAssets.id, line.id));
        }),
      );
      // The catalogue's sync (on every inventory read) waits before its upsert locks any line (not
      // at its DELETE): no deadlock with the matching's own sync.
      const sync = codeOf(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL lock_timeout = '300ms'`);
          await syncCatalogueAssets(tx, members[0] ?? '');
        }),
      );
      const errors = await Promise.all([deletion, sync]);
      release();
      await matching;
      // lock_not_available: both waited for the matching.
      expect(errors[0]).toMatch(/^55P03 delete from "cyber_assets"/);
      expect(errors[1]).toMatch(/^55P03 SELECT pg_advisory_xact_lock_shared/);
      await database.db.delete(cyberAssets).where(eq(cyberAssets.id, line.id));
      expect(await database.db.select().from(cyberAssets).where(eq(cyberAssets.id, line.id))).toEqual([]);
    },
  );
});
