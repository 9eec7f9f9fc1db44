/**
 * Mass application of an RGPD template (issue 4, section 8): applying a template to 1,000 members must
 * take ≤ 5 s, on a registry of N members × 50 processings.
 *
 * `npx tsx bench/rgpd.ts [--members 5000] [--per-member 50] [--targets 1000] [--url postgres://…]`
 * fills a fresh database (in-memory PGlite, or a new database on that PostgreSQL server, dropped
 * afterwards) with bench/rgpd-dashboard.ts's generator, then times, through the same service the route
 * calls and inside a tenant transaction as the DPO: the first application to `targets` members (every
 * row created), a second one (every member skipped), and the application of a new version's update
 * report to one linked processing. Exported for other harnesses: `benchTemplateApply`.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { templateFieldsSchema } from '../src/contracts/rgpd.js';
import { getTemplateUpdate } from '../src/server/modules/rgpd/processings/rgpd.processings.service.js';
import {
  applyTemplate,
  createTemplate,
  updateTemplate,
} from '../src/server/modules/rgpd/templates/rgpd.templates.service.js';
import { type Database, openDatabase, rowsOf } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';
import { runsAlone } from './alone.js';
import { generateRgpdData, type RgpdGenerateReport } from './rgpd-dashboard.js';

export const TEMPLATE_APPLY_TARGET_MS = 5_000;
/** No person and no address behind the bench's applications (their audit entries say so). */
const BENCH_SOURCE = { actorUserId: null, ipAddress: null };

export interface TemplateApplyReport {
  generate: RgpdGenerateReport | null;
  targets: number;
  /** First application: one processing, its version 1 and its links per member, in one transaction. */
  apply: { created: number; ms: number };
  /** Same template again: every member reported as already holding it. */
  reapply: { skipped: number; ms: number };
  /** A new template version, then the field differences offered to one linked processing. */
  update: { ms: number; differences: number };
  pass: boolean;
}

const FIELDS = templateFieldsSchema.parse({
  name: 'Gestion des demandes d’accès aux documents administratifs',
  purposes: 'Réception, instruction et réponse aux demandes CADA.',
  legalBasis: 'legal_obligation',
  legalBasisJustification: 'Code des relations entre le public et l’administration, livre III.',
  dataSubjects: [{ category: 'Demandeurs', estimatedCount: 50 }],
  dataCategories: ['Identité', 'Coordonnées', 'Objet de la demande'],
  sources: 'Demandeurs',
  recipients: [{ name: 'Secrétariat général', type: 'internal' }],
  retention: [{ dataCategory: 'Demandes', duration: '5 ans', finalFate: 'archiving' }],
  securityMeasures: { accessControl: 'Comptes nominatifs' },
  department: 'Secrétariat général',
});

export async function benchTemplateApply(
  database: Database,
  options: { members?: number; perMember?: number; targets?: number; log?: (m: string) => void } = {},
): Promise<TemplateApplyReport> {
  const log = options.log ?? (() => {});
  const targets = options.targets ?? 1_000;
  const generate =
    options.members !== undefined
      ? await generateRgpdData(database.db, {
          members: options.members,
          perMember: options.perMember ?? 50,
          log,
        })
      : null;
  const memberIds = rowsOf<{ id: string }>(
    await database.db.execute(
      sql`SELECT id FROM organisations WHERE kind <> 'operator' ORDER BY search_name, id LIMIT ${targets}`,
    ),
  ).map((r) => r.id);
  const code = `bench-${crypto.randomBytes(3).toString('hex')}`;
  const template = await withTenant(database.db, SYSTEM_OPERATOR, (tx) =>
    createTemplate(tx, { code, name: FIELDS.name, applicableKinds: [], fields: FIELDS }, null),
  );

  let started = performance.now();
  const first = await withTenant(database.db, SYSTEM_OPERATOR, (tx) =>
    applyTemplate(tx, template.id, { memberIds }, BENCH_SOURCE),
  );
  const apply = { created: first.created, ms: Math.round(performance.now() - started) };
  log(`applied to ${memberIds.length} members: ${apply.created} created in ${apply.ms} ms`);

  started = performance.now();
  const second = await withTenant(database.db, SYSTEM_OPERATOR, (tx) =>
    applyTemplate(tx, template.id, { memberIds }, BENCH_SOURCE),
  );
  const reapply = { skipped: second.skipped, ms: Math.round(performance.now() - started) };
  log(`applied again: ${reapply.skipped} skipped in ${reapply.ms} ms`);

  started = performance.now();
  const differences = await withTenant(database.db, SYSTEM_OPERATOR, async (tx) => {
    await updateTemplate(
      tx,
      template.id,
      { fields: { retention: [{ ...FIELDS.retention[0], duration: '10 ans' }] } },
      null,
    );
    const linked = first.members.find((m) => m.processingId);
    if (!linked?.processingId) return 0;
    return (await getTemplateUpdate(tx, linked.memberId, linked.processingId)).differences.length;
  });
  const update = { ms: Math.round(performance.now() - started), differences };

  return {
    generate,
    targets: memberIds.length,
    apply,
    reapply,
    update,
    pass: apply.ms <= TEMPLATE_APPLY_TARGET_MS && apply.created === memberIds.length,
  };
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      url: { type: 'string' },
      members: { type: 'string', default: '5000' },
      'per-member': { type: 'string', default: '50' },
      targets: { type: 'string', default: '1000' },
    },
  });
  const log = (m: string) => console.log(`[rgpd-apply ${new Date().toISOString().slice(11, 19)}] ${m}`);
  const base = args.url ?? process.env.DATABASE_URL;
  let database: Database;
  let drop = async () => {};
  if (base) {
    const name = `socle_bench_apply_${Date.now()}_${crypto.randomBytes(2).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize: 2 });
    drop = async () => {
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
    log(`PostgreSQL database ${name}`);
  } else {
    database = await openDatabase({});
    log('in-memory PGlite');
  }
  try {
    await database.migrate();
    await database.db.execute(
      sql`INSERT INTO regions (code, name) VALUES ('52', 'Pays de la Loire') ON CONFLICT DO NOTHING`,
    );
    await database.db.execute(
      sql`INSERT INTO departements (code, name, region_code) VALUES ('85', 'Vendée', '52') ON CONFLICT DO NOTHING`,
    );
    const report = await benchTemplateApply(database, {
      members: Number(args.members),
      perMember: Number(args['per-member']),
      targets: Number(args.targets),
      log,
    });
    if (report.generate) {
      log(`registry: ${report.generate.members} members, ${report.generate.processings} processings`);
    }
    log(`template update offered ${report.update.differences} difference(s) in ${report.update.ms} ms`);
    log(report.pass ? `PASS: ≤ ${TEMPLATE_APPLY_TARGET_MS} ms` : `FAIL: > ${TEMPLATE_APPLY_TARGET_MS} ms`);
  } finally {
    await database.close();
    await drop();
  }
}

if (runsAlone(import.meta.url)) {
  await main();
}
