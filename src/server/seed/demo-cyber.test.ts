import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../modules/catalogue/catalogue.test-support.js';
import { buildSubscription } from '../modules/subscriptions/subscriptions.test-support.js';
import { type Database, rowsOf } from '../platform/db/client.js';
import { buildOperator, buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { SAMPLE } from '../test/territory-sample.js';
import { seedCyber } from './demo-cyber.js';

describe('demo cybersecurity', () => {
  let database: Database;
  let laRoche: string;
  const subscribers: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    await buildOperator(db);
    const backup = await buildService(db, {
      code: 'CYBER-SAUVEGARDE',
      domain: 'cybersecurite',
      name: 'Sauvegarde externalisée',
    });
    const sites = await buildService(db, {
      code: 'HEB-SITES',
      domain: 'hebergement',
      name: 'Hébergement de sites internet',
    });
    laRoche = (
      await buildOrganisation(db, {
        kind: 'commune',
        name: 'La Roche-sur-Yon',
        communeCode: SAMPLE.laRocheSurYon,
      })
    ).id;
    subscribers.push(laRoche);
    for (let i = 0; i < 59; i++)
      subscribers.push((await buildOrganisation(db, { name: `Syndicat ${i}` })).id);
    for (const [i, memberId] of subscribers.entries()) {
      await buildSubscription(db, { memberId, serviceId: backup.id });
      if (i % 3 === 0) await buildSubscription(db, { memberId, serviceId: sites.id });
    }
    // A member without any cyber service: no inventory.
    await buildOrganisation(db, { name: 'Sans cybersécurité' });
  });
  afterAll(() => database?.close());

  it('gives every cyber subscriber an inventory, three advisories (a critical one on ~40 members, partly remediated), once', async () => {
    const started = performance.now();
    const first = await seedCyber(database.db, new Date());
    const ms = performance.now() - started;
    console.log(`seedCyber: ${Math.round(ms)} ms, ${JSON.stringify(first)}`);
    expect(ms).toBeLessThan(20_000);
    const db = database.db;
    const withInventory = rowsOf<{ member_id: string }>(
      await db.execute(sql`SELECT DISTINCT member_id FROM cyber_assets`),
    );
    expect(withInventory.map((r) => r.member_id).sort()).toEqual([...subscribers].sort());
    const advisories = rowsOf<{
      reference: string;
      severity: string;
      affected: number;
      remediated: number;
      catalogue: number;
    }>(
      await db.execute(sql`
        SELECT a.reference, a.severity, count(e.member_id)::int AS affected,
          count(*) FILTER (WHERE e.remediated_assets >= e.assets)::int AS remediated
        FROM cyber_advisories a LEFT JOIN cyber_exposures e ON e.advisory_id = a.id
        GROUP BY a.id ORDER BY a.reference`),
    );
    expect(advisories.map((a) => a.reference)).toEqual([
      'CERTFR-2024-ALE-004',
      'SA-CORE-2024-DEMO',
      'cisco-sa-20180328-smi2',
    ]);
    const forti = advisories[0];
    expect(forti).toMatchObject({ severity: 'critical', affected: 40 });
    expect(forti?.remediated).toBeGreaterThan(5);
    expect(forti?.remediated).toBeLessThan(35);
    // The Drupal advisory reaches the website hosting's subscribers through the operator's declared version.
    expect(advisories[1]?.affected).toBe(20);
    expect(advisories[2]?.affected).toBeGreaterThan(0);

    const diagnostics = rowsOf<{ created_at: string }>(
      await db.execute(
        sql`SELECT created_at FROM cyber_diagnostics WHERE member_id = ${laRoche} ORDER BY created_at`,
      ),
    );
    expect(diagnostics).toHaveLength(2);
    const gap =
      Date.parse(String(diagnostics[1]?.created_at)) - Date.parse(String(diagnostics[0]?.created_at));
    expect(gap).toBeGreaterThan(360 * 86_400_000);
    const incidents = rowsOf<{ personal_data: boolean; breach_id: string | null; nis2: boolean }>(
      await db.execute(
        sql`SELECT personal_data, breach_id, nis2 FROM cyber_incidents WHERE member_id = ${laRoche}`,
      ),
    );
    expect(incidents).toEqual([{ personal_data: true, breach_id: expect.any(String), nis2: true }]);
    const breach = rowsOf(
      await db.execute(sql`SELECT id FROM rgpd_breaches WHERE id = ${incidents[0]?.breach_id ?? null}`),
    );
    expect(breach).toHaveLength(1);

    expect(await seedCyber(database.db, new Date())).toEqual({ assets: 0, advisories: 0, diagnostics: 0 });
  });
});
