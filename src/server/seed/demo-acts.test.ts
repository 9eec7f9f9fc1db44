import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrefectureIdentifier } from '../modules/acts/transmission/prefecture-identifier.js';
import type { Database } from '../platform/db/client.js';
import { actDocuments, actMessages, acts, memberContacts } from '../platform/db/schema.js';
import { MemoryStorage } from '../platform/storage/storage.js';
import { buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { seedActs } from './demo-acts.js';

describe('demo acts', () => {
  let database: Database;
  const storage = new MemoryStorage();
  const now = new Date('2026-12-04T08:00:00Z');
  let laRoche: string;
  let sables: string;

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    laRoche = (
      await buildOrganisation(db, {
        kind: 'commune',
        name: 'La Roche-sur-Yon',
        communeCode: '85191',
        siren: '218501914',
      })
    ).id;
    sables = (
      await buildOrganisation(db, { kind: 'commune', name: "Les Sables-d'Olonne", communeCode: '85194' })
    ).id;
    await db
      .insert(memberContacts)
      .values({ memberId: laRoche, role: 'maire_president', firstName: 'Luc', lastName: 'Bouard' });
  });
  afterAll(() => database?.close());

  it('gives La Roche-sur-Yon 200+ acts over two years, Les Sables-d’Olonne some, once', async () => {
    const started = performance.now();
    const first = await seedActs(database.db, storage, now);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(15_000);
    console.log(`seedActs: ${Math.round(ms)} ms, ${first.acts} acts`);
    const rows = await database.db.select().from(acts);
    const ofLaRoche = rows.filter((r) => r.memberId === laRoche);
    const ofSables = rows.filter((r) => r.memberId === sables);
    expect(first.acts).toBe(rows.length);
    expect(ofLaRoche.length).toBeGreaterThanOrEqual(200);
    expect(ofSables.length).toBeGreaterThanOrEqual(10);
    const dates = ofLaRoche.map((r) => r.decidedOn).sort();
    expect(dates[0] < '2025-01-01').toBe(true);
    expect((dates.at(-1) ?? '') <= '2026-12-04').toBe(true);
    const statuses = new Map<string, number>();
    for (const r of ofLaRoche) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect(statuses.get('acknowledged') ?? 0).toBeGreaterThan(ofLaRoche.length * 0.8);
    expect(statuses.get('error') ?? 0).toBeGreaterThan(0);
    expect(statuses.get('draft') ?? 0).toBeGreaterThan(0);
    const published = ofLaRoche.filter((r) => r.publishedAt);
    expect(published.length).toBeGreaterThan(ofLaRoche.length * 0.7);

    // Official identifiers, published files that match their fingerprint and carry the mention.
    const sample = published[10];
    expect(parsePrefectureIdentifier(sample.prefectureId ?? '')).toMatchObject({
      siren: '218501914',
      number: sample.number,
      nature: sample.nature,
    });
    const file = await storage.get(sample.publishedStorageKey ?? '');
    expect(crypto.createHash('sha256').update(file).digest('hex')).toBe(sample.publishedSha256);
    expect(file.toString('latin1')).toContain('Publi');
    const [main] = await database.db.select().from(actDocuments).where(eq(actDocuments.actId, sample.id));
    expect((await storage.get(main.storageKey)).subarray(0, 5).toString()).toBe('%PDF-');

    const messages = await database.db.select().from(actMessages);
    expect(messages.map((m) => m.kind).sort()).toEqual(['defere', 'demande_pieces', 'lettre_observations']);
    expect(messages.find((m) => m.kind === 'demande_pieces')?.answeredAt).toBeNull();

    expect(await seedActs(database.db, storage, now)).toEqual({ acts: 0 });
  });
});
