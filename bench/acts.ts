/**
 * Acts benchmark (issue #11 §6), run by `npm run bench -- --acts` on a database that already holds the
 * member registry (bench/generate.ts):
 * - `generateActs`: N published acts spread over the members, written with one `INSERT … SELECT …
 *   FROM generate_series` per chunk (subjects from a vocabulary with accents, search_key exactly as
 *   the app computes it, checked on a sample); the public portal is then driven by bench/run.ts.
 * - `benchTransmission`: M acts, each with a small real PDF as main document, transmitted through the
 *   real path — the bulk transmit service queues durable jobs (one transaction per member's batch), a JobRunner runs them, the S²LOW HTTP client
 *   talks to the fake S²LOW (acknowledgement delay 0) — timed from the first transmit to the last
 *   acknowledgement. Target: 10,000 acts in ≤ 60 s.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ACT_BULK_TRANSMIT_MAX } from '../src/contracts/acts.js';
import { searchKey } from '../src/contracts/search.js';
import { registerActsJobs } from '../src/server/modules/acts/acts.jobs.js';
import { storeClassification } from '../src/server/modules/acts/acts.service.js';
import {
  TRANSMISSION_SERVICE_CODE,
  transmitMany,
} from '../src/server/modules/acts/acts.transmission.service.js';
import { createS2lowClient } from '../src/server/modules/acts/transmission/s2low.client.js';
import { startFakeS2low } from '../src/server/modules/acts/transmission/s2low.fake-server.js';
import { arrayLiteral } from '../src/server/modules/billing/billing.bulk.js';
import { buildService } from '../src/server/modules/catalogue/catalogue.test-support.js';
import { buildSubscription } from '../src/server/modules/subscriptions/subscriptions.test-support.js';
import { type Database, rowsOf, toCount } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';
import { JobRunner } from '../src/server/platform/jobs/worker.js';
import { MemoryStorage } from '../src/server/platform/storage/storage.js';
import { renderPdf } from '../src/server/seed/pdf.js';

export const ACTS_TARGETS = { transmitMs: 60_000, transmitted: 10_000 };

/** Words of the subjects (three parts, combined by the row number): accents and apostrophes on purpose. */
const OPENINGS = [
  'Approbation du',
  'Délibération relative à la',
  'Attribution d’une subvention à l’',
  'Modification du',
  'Création d’un poste d’',
  'Adhésion au',
  'Décision modificative n° 2 du',
  'Tarifs municipaux de la',
  'Convention de mise à disposition de la',
  'Désignation des délégués au',
  'Arrêté portant réglementation de la',
  'Acquisition foncière pour l’',
];
const OBJECTS = [
  'budget principal',
  'cantine scolaire',
  'école élémentaire',
  'plan local d’urbanisme',
  'syndicat intercommunal d’énergie',
  'salle des fêtes',
  'médiathèque intercommunale',
  'voirie communale',
  'agent technique territorial',
  'association sportive',
  'défense extérieure contre l’incendie',
  'régie de l’eau potable',
  'marché de travaux',
  'centre communal d’action sociale',
  'éclairage public',
  'cimetière',
  'zone d’activités économiques',
];
const PLACES = [
  'exercice 2025',
  'exercice 2026',
  'hameau de la Gâtine',
  'quartier du Bourg',
  'rue de l’Église',
  'secteur des Écluses',
  'parcelle cadastrée AB 123',
  'site de la Forêt',
  'place du Marché',
  'chemin des Prés',
  'lieu-dit Les Noës',
];
/** Natures with a realistic weight: mostly délibérations and arrêtés. */
const NATURES = ['DE', 'DE', 'DE', 'DE', 'AR', 'AR', 'AI', 'CC', 'BF', 'AU'];
const CLASSIFICATIONS = [
  ['1.1', 'Marchés publics'],
  ['1.4', 'Autres contrats'],
  ['2.1', "Documents d'urbanisme"],
  ['3.1', 'Acquisitions'],
  ['4.1', 'Personnel titulaire et stagiaire de la FPT'],
  ['5.2', 'Fonctionnement des assemblées'],
  ['5.7', 'Intercommunalité'],
  ['7.1', 'Décisions budgétaires'],
  ['7.5', 'Subventions'],
  ['8.1', 'Enseignement'],
  ['9.1', 'Autres domaines de compétences des communes'],
] as const;

export interface ActsGenerateReport {
  acts: number;
  members: number;
  ms: number;
  /** Rows whose search_key differs from searchKey(subject + ' ' + number), on a sample of 2,000. */
  keyMismatches: number;
}

/** One array parameter (drizzle would expand a JS array into a list of parameters). */
const arrayOf = (values: readonly (string | number)[], quoted = false) =>
  arrayLiteral(values, 0, values.length, quoted);

const textArray = (values: readonly string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/**
 * `count` published, acknowledged acts over every non-operator member (member = row number modulo
 * the member count: each member gets count / members acts), decided over the two years before
 * 2026-12-01. The trigram index is built after the rows, as a restore would.
 */
export async function generateActs(
  database: Database,
  options: { count: number; log?: (m: string) => void },
): Promise<ActsGenerateReport> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const db = database.db;
  await db.execute(sql`DROP TABLE IF EXISTS bench_act_members`);
  await db.execute(sql`
    CREATE UNLOGGED TABLE bench_act_members AS
    SELECT (row_number() OVER (ORDER BY id)) - 1 AS rn, id, siren, COALESCE(departement_code, '085') AS dep
    FROM organisations WHERE kind <> 'operator'`);
  await db.execute(sql`CREATE UNIQUE INDEX ON bench_act_members (rn)`);
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM bench_act_members`),
  );
  const members = toCount(n);
  await db.execute(sql`DROP INDEX IF EXISTS acts_search_trgm_idx`);
  const chunk = 100_000;
  for (let from = 1; from <= options.count; from += chunk) {
    const to = Math.min(options.count, from + chunk - 1);
    await db.execute(sql`
      WITH v AS (
        SELECT ${textArray(OPENINGS)} AS o, ${textArray(OPENINGS.map(searchKey))} AS ok,
               ${textArray(OBJECTS)} AS b, ${textArray(OBJECTS.map(searchKey))} AS bk,
               ${textArray(PLACES)} AS p, ${textArray(PLACES.map(searchKey))} AS pk,
               ${textArray(NATURES)} AS nat,
               ${textArray(CLASSIFICATIONS.map((c) => c[0]))} AS cc,
               ${textArray(CLASSIFICATIONS.map((c) => c[1]))} AS cl
      ), g AS (
        SELECT g, m.id AS member_id, m.siren, m.dep,
          'DEL' || g AS number,
          (date '2024-12-01' + ((g::bigint * 7919) % 730)::int)::date AS decided_on,
          1 + (g % ${OPENINGS.length}) AS io,
          1 + ((g / 7) % ${OBJECTS.length}) AS ib,
          1 + ((g / 131) % ${PLACES.length}) AS ip,
          1 + ((g / 3) % ${NATURES.length}) AS inat,
          1 + ((g / 11) % ${CLASSIFICATIONS.length}) AS ic
        FROM generate_series(${from}::int, ${to}::int) AS g
        JOIN bench_act_members m ON m.rn = g % ${members}
      )
      INSERT INTO acts (member_id, nature, classification, classification_label, classification_date, number,
        decided_on, subject, search_key, status, transaction_id, prefecture_id, transmitted_at, acknowledged_at,
        published_at, published_sha256, published_storage_key, created_at, updated_at)
      SELECT g.member_id, v.nat[g.inat], v.cc[g.ic], v.cl[g.ic], date '2024-01-15', g.number, g.decided_on,
        v.o[g.io] || ' ' || v.b[g.ib] || ' ' || v.p[g.ip],
        v.ok[g.io] || ' ' || v.bk[g.ib] || ' ' || v.pk[g.ip] || ' ' || lower(g.number),
        'acknowledged', 'bench-' || g.g,
        lpad(g.dep, 3, '0') || '-' || COALESCE(g.siren, '000000000') || '-' || to_char(g.decided_on, 'YYYYMMDD')
          || '-' || g.number || '-' || v.nat[g.inat],
        g.decided_on + time '18:00', g.decided_on + interval '1 day 9 hours',
        g.decided_on + interval '3 days 10 hours',
        md5(g.g::text) || md5(g.number), 'acts/bench/' || g.g || '.pdf',
        g.decided_on + time '17:00', g.decided_on + interval '3 days 10 hours'
      FROM g, v`);
    log(`acts: ${to} / ${options.count}`);
  }
  log('acts: building the trigram index');
  await db.execute(sql`CREATE INDEX acts_search_trgm_idx ON acts USING gin (search_key gin_trgm_ops)`);
  // What autovacuum does after a bulk insert, as run.ts does after the members: statistics, and the
  // visibility map the portal's count needs to stay an index-only scan (without it, a heap page per act).
  await db.execute(sql`VACUUM (ANALYZE) acts`);
  await db.execute(sql`DROP TABLE bench_act_members`);
  const sample = rowsOf<{ subject: string; number: string; search_key: string }>(
    await db.execute(sql`SELECT subject, number, search_key FROM acts ORDER BY md5(id::text) LIMIT 2000`),
  );
  const keyMismatches = sample.filter((r) => searchKey(`${r.subject} ${r.number}`) !== r.search_key).length;
  return { acts: options.count, members, ms: Math.round(performance.now() - started), keyMismatches };
}

export interface TransmissionReport {
  acts: number;
  members: number;
  setupMs: number;
  /** Time to queue every act through the bulk transmit service (one transaction per batch). */
  transmitCallsMs: number;
  /** First transmit to last acknowledgement. */
  ms: number;
  actsPerSecond: number;
  acknowledged: number;
  errors: number;
  pass: boolean;
}

/**
 * `count` ready acts over `members` members holding the transmission service (their classification
 * fetched once from the fake and stored), each with its own one-page PDF; every act transmitted, then
 * the durable jobs run until every act is acknowledged (or `timeoutMs`).
 */
export async function benchTransmission(
  database: Database,
  options: {
    count?: number;
    members?: number;
    concurrency?: number;
    timeoutMs?: number;
    log?: (m: string) => void;
    /** Called when the timed part starts (the first bulk transmit call), after the setup. */
    onStarted?: () => void | Promise<void>;
    /**
     * A fake S²LOW already running elsewhere (bench/s2low-fake.ts in a child process, acknowledging at
     * once): S²LOW is an external system, its CPU is not the platform's. Without it, one is started in
     * this process.
     */
    fakeUrl?: string;
  },
): Promise<TransmissionReport> {
  const log = options.log ?? (() => {});
  const count = options.count ?? ACTS_TARGETS.transmitted;
  const memberCount = options.members ?? 100;
  const db = database.db;
  const setupStarted = performance.now();
  const fake = options.fakeUrl ? null : await startFakeS2low({ host: '127.0.0.1', port: 0, ackDelayMs: 0 });
  const connector = createS2lowClient({ baseUrl: options.fakeUrl ?? fake?.url ?? '', timeoutMs: 30_000 });
  const storage = new MemoryStorage();
  const runner = new JobRunner(db, { pollMs: 100, concurrency: options.concurrency ?? 16 });
  try {
    const members = rowsOf<{ id: string; siren: string }>(
      await db.execute(sql`
        SELECT id, siren FROM organisations
        WHERE kind = 'commune' AND siren IS NOT NULL AND departement_code IS NOT NULL
        ORDER BY md5(id::text) LIMIT ${memberCount}`),
    );
    const [existing] = rowsOf<{ id: string }>(
      await db.execute(sql`SELECT id FROM catalogue_services WHERE code = ${TRANSMISSION_SERVICE_CODE}`),
    );
    const serviceId = existing?.id ?? (await buildService(db, { code: TRANSMISSION_SERVICE_CODE })).id;
    const subscribed = new Set(
      rowsOf<{ member_id: string }>(
        await db.execute(sql`SELECT member_id FROM subscriptions WHERE service_id = ${serviceId}`),
      ).map((r) => r.member_id),
    );
    const classification = await connector.fetchClassification(members[0].siren);
    const code = classification.entries.find((e) => e.level === 2)?.code ?? classification.entries[0].code;
    for (const member of members) {
      if (!subscribed.has(member.id)) await buildSubscription(db, { memberId: member.id, serviceId });
      await withTenant(db, SYSTEM_OPERATOR, (tx) => storeClassification(tx, member.id, classification));
    }
    // A number prefix of this run: the bench can run again on a kept database (--reuse).
    const prefix = `T${crypto.randomBytes(2).toString('hex').toUpperCase()}_`;
    const created = rowsOf<{ id: string; member_id: string; number: string }>(
      await db.execute(sql`
        WITH m AS (SELECT (row_number() OVER (ORDER BY id)) - 1 AS rn, id FROM organisations
                   WHERE id = ANY(${arrayOf(members.map((m) => m.id))}::uuid[]))
        INSERT INTO acts (member_id, nature, classification, classification_date, number, decided_on, subject,
          search_key, status)
        SELECT m.id, 'DE', ${code}, ${classification.date}::date, ${prefix} || g, current_date - 1,
          'Délibération de transmission n° ' || g,
          'deliberation de transmission n ' || g || ' ' || lower(${prefix}) || g, 'ready'
        FROM generate_series(1, ${count}) AS g JOIN m ON m.rn = g % ${members.length}
        RETURNING id, member_id, number`),
    );
    const documents: { id: string; member: string; key: string; size: number; sha: string }[] = [];
    for (const act of created) {
      const pdf = renderPdf('Délibération', [{ text: `Acte ${act.number}`, bold: true }, { text: 'Bench.' }]);
      const key = `acts/bench-transmission/${act.id}.pdf`;
      await storage.put(key, pdf);
      const sha = crypto.createHash('sha256').update(pdf).digest('hex');
      documents.push({ id: act.id, member: act.member_id, key, size: pdf.length, sha });
    }
    await db.execute(sql`
      INSERT INTO act_documents (member_id, act_id, role, file_name, media_type, size_bytes, sha256, storage_key)
      SELECT d.member_id, d.act_id, 'main', 'deliberation.pdf', 'application/pdf', d.size, d.sha, d.key
      FROM unnest(${arrayOf(documents.map((d) => d.member))}::uuid[], ${arrayOf(documents.map((d) => d.id))}::uuid[],
                  ${arrayOf(documents.map((d) => d.size))}::int[], ${arrayOf(
                    documents.map((d) => d.sha),
                    true,
                  )}::text[],
                  ${arrayOf(
                    documents.map((d) => d.key),
                    true,
                  )}::text[]) AS d(member_id, act_id, size, sha, key)`);
    const setupMs = Math.round(performance.now() - setupStarted);
    log(`transmission: ${created.length} ready acts over ${members.length} members in ${setupMs} ms`);

    // Events already there (a database kept and reused): the progress counts the new ones.
    const [baseline] = rowsOf<{ ack: number; err: number }>(
      await db.execute(sql`
        SELECT count(*) FILTER (WHERE status = 'acknowledged')::int AS ack,
               count(*) FILTER (WHERE status IN ('error', 'cancelled'))::int AS err
        FROM act_events WHERE status IN ('acknowledged', 'error', 'cancelled')`),
    );
    registerActsJobs(runner, { connector, storage });
    await options.onStarted?.();
    const started = performance.now();
    // Jobs queued from here on are this run's (a second earlier: clocks read to the millisecond).
    const queuedFrom = new Date(Date.now() - 1000);
    runner.start();
    const source = { actorUserId: null, ipAddress: null };
    // The bulk transmission, as « Transmettre la sélection » sends it: each member's acts in batches
    // of at most ACT_BULK_TRANSMIT_MAX, each batch one transaction; 4 batches at a time.
    const batches: { memberId: string; ids: string[] }[] = [];
    const byMember = new Map<string, string[]>();
    for (const act of created) byMember.set(act.member_id, [...(byMember.get(act.member_id) ?? []), act.id]);
    for (const [memberId, ids] of byMember) {
      for (let from = 0; from < ids.length; from += ACT_BULK_TRANSMIT_MAX) {
        batches.push({ memberId, ids: ids.slice(from, from + ACT_BULK_TRANSMIT_MAX) });
      }
    }
    let next = 0;
    let queued = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          const report = await withTenant(db, SYSTEM_OPERATOR, (tx) =>
            transmitMany(tx, batch.memberId, batch.ids, source),
          );
          queued += report.queued;
        }
      }),
    );
    const transmitCallsMs = Math.round(performance.now() - started);
    log(
      `transmission: ${queued} acts queued by ${batches.length} bulk transmit calls in ${transmitCallsMs} ms`,
    );
    const timeoutMs = options.timeoutMs ?? 480_000;
    // Done when no acts job queued since the start is pending or running (a job queues its follower
    // before it finishes, so the queue is never empty half-way): one `EXISTS` on the jobs' (state,
    // created_at) index every 250 ms. The outcome is then counted once from the history. (Counting the
    // history at every check read the whole act_events table — 85 ms at load 30 on a kept database,
    // once a second most of the database's CPU in the run — work the measured path competed with.)
    while (performance.now() - started < timeoutMs) {
      const [row] = rowsOf<{ busy: boolean }>(
        await db.execute(sql`
          SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('pending', 'running')
            AND created_at >= ${queuedFrom} AND name IN ('acts.transmit', 'acts.poll')) AS busy`),
      );
      if (!row.busy) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ms = Math.round(performance.now() - started);
    const [outcome] = rowsOf<{ ack: number; err: number }>(
      await db.execute(sql`
        SELECT (count(*) FILTER (WHERE status = 'acknowledged') - ${baseline.ack})::int AS ack,
               (count(*) FILTER (WHERE status IN ('error', 'cancelled')) - ${baseline.err})::int AS err
        FROM act_events WHERE status IN ('acknowledged', 'error', 'cancelled')`),
    );
    const acknowledged = toCount(outcome.ack);
    const errors = toCount(outcome.err);
    log(`transmission: ${acknowledged} acknowledged, ${errors} in error, in ${ms} ms`);
    return {
      acts: created.length,
      members: members.length,
      setupMs,
      transmitCallsMs,
      ms,
      actsPerSecond: Math.round((acknowledged / ms) * 1000),
      acknowledged,
      errors,
      pass: acknowledged === created.length && ms <= ACTS_TARGETS.transmitMs,
    };
  } finally {
    await runner.stop();
    connector.close();
    await fake?.close();
  }
}
