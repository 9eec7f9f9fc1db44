import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { DIAGNOSTIC_ANSWERS, type DiagnosticAnswer } from '../../contracts/cyber.js';
import { searchKey } from '../../contracts/search.js';
import { createManualAdvisory, importValidCsaf } from '../modules/cyber/cyber.advisories.service.js';
import { declareIncident, putProfile, updateIncident } from '../modules/cyber/cyber.incidents.service.js';
import { syncCatalogueAssets } from '../modules/cyber/cyber.inventory.repository.js';
import { cyberAssets, cyberDiagnostics, cyberServiceSoftware } from '../modules/cyber/cyber.schema.js';
import { assetKeys } from '../modules/cyber/matching/cpe.js';
import { QUESTIONS } from '../modules/cyber/rules/questionnaire.js';
import { scoresOf } from '../modules/cyber/rules/scoring.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../platform/db/tenancy.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { insertRows } from './bulk.js';
import { Random } from './random.js';

/**
 * Cybersecurity in the demo (issue 13): every member subscribed to a cyber service has an
 * inventory (workstations, a server, a firewall, a website, mailboxes, software), the operator's
 * services declare the software they run, three advisories are imported — a critical FortiOS one
 * (written by hand, as the cyber team does from a CERT-FR alert) affecting about forty members and
 * partly remediated, Cisco's real CSAF advisory on IOS Smart Install, and a Drupal one on the
 * operator's website hosting — La Roche-sur-Yon has two diagnostics a year apart, is in NIS 2
 * scope and has an incident affecting personal data (with its RGPD breach); other members have a
 * diagnostic so that the maturity chart and the peers' medians mean something. Does nothing when
 * advisories exist already.
 */

const LA_ROCHE = '85191';
const DAY = 86_400_000;
const SOURCE = { actorUserId: null, ipAddress: null };

/** What the operator's services run (code → software). */
const SERVICE_SOFTWARE: Record<
  string,
  { name: string; vendor: string; product: string; version: string; cpe?: string }[]
> = {
  'HEB-MESSAGERIE': [
    { name: 'Messagerie collaborative', vendor: 'Zimbra', product: 'Collaboration', version: '10.0.6' },
  ],
  'HEB-SITES': [
    {
      name: 'Site internet (gabarit commun)',
      vendor: 'Drupal',
      product: 'Drupal',
      version: '10.2.3',
      cpe: 'cpe:2.3:a:drupal:drupal:10.2.3:*:*:*:*:*:*:*',
    },
  ],
  'DEMAT-PARAPHEUR': [
    { name: 'Parapheur électronique', vendor: 'Libriciel', product: 'iparapheur', version: '5.1.6' },
  ],
  'CYBER-SAUVEGARDE': [
    { name: 'Agent de sauvegarde', vendor: 'Veeam', product: 'Agent for Windows', version: '6.1.0' },
  ],
  'CYBER-EDR': [{ name: 'Antivirus et détection', vendor: 'HarfangLab', product: 'EDR', version: '3.8.2' }],
};

/** FortiOS versions: the first ones are affected by the critical advisory below. */
const VULNERABLE_FORTIOS = ['7.0.9', '7.0.12', '7.2.4', '7.2.6'];
const FIXED_FORTIOS = ['7.0.15', '7.2.8', '7.4.3'];

interface Member {
  id: string;
  name: string;
  kind: string;
  population: number | null;
  commune_code: string | null;
}

/** Answers weighted towards a maturity level (0 weak … 1 strong). */
function answersFor(rng: Random, strength: number): Record<string, DiagnosticAnswer> {
  return Object.fromEntries(
    QUESTIONS.map((q) => {
      const roll = rng.next();
      const answer: DiagnosticAnswer =
        roll < strength * 0.8
          ? 'yes'
          : roll < strength * 0.8 + 0.25
            ? 'partial'
            : rng.chance(0.2)
              ? 'unknown'
              : 'no';
      return [q.id, DIAGNOSTIC_ANSWERS.includes(answer) ? answer : 'no'];
    }),
  );
}

export async function seedCyber(
  db: Db,
  now: Date,
): Promise<{ assets: number; advisories: number; diagnostics: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM cyber_advisories`));
  if (Number(existing[0]?.n ?? 0) > 0) return { assets: 0, advisories: 0, diagnostics: 0 };
  const members = rowsOf<Member>(
    await db.execute(sql`
      SELECT DISTINCT o.id, o.name, o.kind, o.population, o.commune_code, o.search_name
      FROM organisations o
      JOIN subscriptions s ON s.member_id = o.id AND s.status IN ('active', 'termination_requested')
      JOIN catalogue_services c ON c.id = s.service_id AND c.domain = 'cybersecurite'
      WHERE o.kind <> 'operator'
      ORDER BY o.search_name, o.id`),
  );
  const laRoche = rowsOf<Member>(
    await db.execute(sql`SELECT id, name, kind, population, commune_code FROM organisations
      WHERE kind = 'commune' AND commune_code = ${LA_ROCHE}`),
  )[0];
  if (members.length === 0 && !laRoche) return { assets: 0, advisories: 0, diagnostics: 0 };
  if (laRoche && !members.some((m) => m.id === laRoche.id)) members.unshift(laRoche);
  const rng = new Random(1313);

  // The software of the operator's services.
  const services = rowsOf<{ id: string; code: string }>(
    await db.execute(sql`SELECT id, code FROM catalogue_services`),
  );
  const software: (typeof cyberServiceSoftware.$inferInsert)[] = [];
  for (const service of services) {
    for (const item of SERVICE_SOFTWARE[service.code] ?? []) {
      const keys = assetKeys({ vendor: item.vendor, product: item.product, cpe: item.cpe ?? null });
      software.push({
        serviceId: service.id,
        ...item,
        cpe: item.cpe ?? null,
        exposure: 'internet',
        ...keys,
        searchKey: searchKey(`${item.name} ${item.vendor} ${item.product}`),
      });
    }
  }
  await insertRows(db, cyberServiceSoftware, software);

  // Inventories: about forty members on an affected FortiOS (La Roche-sur-Yon among them).
  const order = rng.shuffle(members.filter((m) => m.id !== laRoche?.id));
  const vulnerable = new Set([...(laRoche ? [laRoche.id] : []), ...order.slice(0, 39).map((m) => m.id)]);
  const withCisco = new Set(order.slice(39, 51).map((m) => m.id));
  const assets: (typeof cyberAssets.$inferInsert)[] = [];
  const add = (memberId: string, item: Omit<typeof cyberAssets.$inferInsert, 'memberId'>) => {
    const keys = assetKeys({
      vendor: item.vendor ?? null,
      product: item.product ?? null,
      cpe: item.cpe ?? null,
    });
    assets.push({
      memberId,
      quantity: 1,
      runner: 'member',
      exposure: 'unknown',
      source: 'member',
      ...item,
      ...keys,
      searchKey: searchKey([item.name, item.vendor, item.product].filter(Boolean).join(' ')),
    });
  };
  for (const m of members) {
    const people = m.population ?? 2_000;
    const workstations = Math.max(2, Math.min(900, Math.round(people / 120) + rng.int(0, 6)));
    const slug = searchKey(m.name).replace(/\s+/g, '-');
    add(m.id, {
      kind: 'workstation',
      name: 'Postes de travail',
      quantity: workstations,
      exposure: 'internal',
    });
    add(m.id, {
      kind: 'server',
      name: 'Serveur de fichiers',
      vendor: 'Microsoft',
      product: 'Windows Server',
      version: rng.pick(['2016', '2019', '2022']),
      exposure: 'internal',
    });
    if (vulnerable.has(m.id) || rng.chance(0.4)) {
      add(m.id, {
        kind: 'network',
        name: 'Pare-feu',
        vendor: 'Fortinet',
        product: 'FortiOS',
        version: vulnerable.has(m.id) ? rng.pick(VULNERABLE_FORTIOS) : rng.pick(FIXED_FORTIOS),
        runner: rng.chance(0.5) ? 'vendor' : 'member',
        exposure: 'internet',
      });
    } else {
      add(m.id, {
        kind: 'network',
        name: 'Pare-feu',
        vendor: 'Stormshield',
        product: 'SNS',
        version: rng.pick(['4.3.21', '4.7.2']),
        runner: 'vendor',
        exposure: 'internet',
      });
    }
    if (withCisco.has(m.id)) {
      add(m.id, {
        kind: 'network',
        name: 'Commutateur de la mairie',
        vendor: 'Cisco',
        product: 'IOS',
        version: rng.pick(['12.2(55)SE', '12.2(55)SE10', '15.0(2)SE']),
        exposure: 'internal',
      });
    }
    add(m.id, { kind: 'domain', name: `${slug}.fr`, exposure: 'internet' });
    add(m.id, { kind: 'website', name: `www.${slug}.fr`, exposure: 'internet', runner: 'vendor' });
    add(m.id, {
      kind: 'mailbox',
      name: 'Boîtes aux lettres',
      quantity: Math.max(3, Math.round(workstations * 1.2)),
    });
    add(m.id, {
      kind: 'software',
      name: 'Gestion financière',
      vendor: rng.pick(['Berger-Levrault', 'JVS-Mairistem', 'Cegid']),
      product: rng.pick(['e.magnus', 'Horizon', 'Public Finances']),
      version: `${rng.int(3, 9)}.${rng.int(0, 12)}`,
      runner: 'vendor',
      exposure: 'internet',
    });
  }
  await insertRows(db, cyberAssets, assets);
  await withTenant(db, SYSTEM_OPERATOR, (tx) => syncCatalogueAssets(tx, null));

  // Three advisories, imported as the cyber team does (matching, remediations, notification job).
  const advisoryIds = await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    const forti = await createManualAdvisory(
      tx,
      {
        title: 'Vulnérabilité critique dans Fortinet FortiOS (SSL-VPN)',
        reference: 'CERTFR-2024-ALE-004',
        severity: 'critical',
        summary:
          'Une écriture hors limites dans le service SSL-VPN de FortiOS permet à un attaquant non authentifié d’exécuter du code à distance. Elle est activement exploitée.',
        cves: ['CVE-2024-21762'],
        url: 'https://www.cert.ssi.gouv.fr/alerte/CERTFR-2024-ALE-004/',
        products: [
          {
            vendor: 'Fortinet',
            product: 'FortiOS',
            versionRange: 'vers:generic/>=7.0.0|<7.0.14|>=7.2.0|<7.2.7',
          },
        ],
      },
      SOURCE,
    );
    const cisco = await importValidCsaf(
      tx,
      JSON.parse(
        fs.readFileSync(
          path.join(PROJECT_ROOT, 'src/server/modules/cyber/fixtures/cisco-sa-20180328-smi2.json'),
          'utf8',
        ),
      ),
      SOURCE,
    );
    const drupal = await createManualAdvisory(
      tx,
      {
        title: 'Multiples vulnérabilités dans Drupal',
        reference: 'SA-CORE-2024-DEMO',
        severity: 'high',
        summary:
          'Des vulnérabilités du cœur de Drupal permettent un contournement de la politique de sécurité.',
        cves: [],
        products: [{ vendor: 'Drupal', product: 'Drupal', versionRange: 'vers:semver/>=10.2.0|<10.2.6' }],
      },
      SOURCE,
    );
    return { forti: forti.id, cisco: cisco.id, drupal: drupal.id };
  });
  // Imported three weeks, ten days and two days ago: the FortiOS deadline (7 days) has passed.
  const backdate = async (id: string, daysAgo: number, dueDays: number) => {
    const importedAt = new Date(now.getTime() - daysAgo * DAY);
    const dueOn = new Date(importedAt.getTime() + dueDays * DAY).toISOString().slice(0, 10);
    await db.execute(
      sql`UPDATE cyber_advisories SET imported_at = ${importedAt.toISOString()}, due_on = ${dueOn} WHERE id = ${id}`,
    );
    await db.execute(sql`UPDATE cyber_exposures SET due_on = ${dueOn}, created_at = ${importedAt.toISOString()},
      notified_at = ${importedAt.toISOString()} WHERE advisory_id = ${id}`);
    await db.execute(sql`UPDATE cyber_remediations SET due_on = ${dueOn} WHERE advisory_id = ${id}`);
  };
  await backdate(advisoryIds.forti, 21, 7);
  await backdate(advisoryIds.cisco, 10, 7);
  await backdate(advisoryIds.drupal, 2, 30);
  // About half the FortiOS members have patched (La Roche-sur-Yon has not yet), a few mitigated.
  await db.execute(sql`
    UPDATE cyber_remediations r SET state = CASE WHEN (hashtext(r.member_id::text) % 7) = 0 THEN 'mitigated' ELSE 'patched' END,
      reason = NULL, updated_at = ${new Date(now.getTime() - 10 * DAY).toISOString()}
    WHERE r.advisory_id = ${advisoryIds.forti} AND (hashtext(r.member_id::text) % 2) = 0
      AND r.member_id <> ${laRoche?.id ?? '00000000-0000-0000-0000-000000000000'}`);
  await db.execute(sql`
    UPDATE cyber_exposures e SET remediated_assets = c.done,
      remediated_at = CASE WHEN c.done >= e.assets THEN ${new Date(now.getTime() - 10 * DAY).toISOString()}::timestamptz END
    FROM (SELECT advisory_id, member_id, count(*) FILTER (WHERE state <> 'to_do')::int AS done
          FROM cyber_remediations GROUP BY advisory_id, member_id) c
    WHERE c.advisory_id = e.advisory_id AND c.member_id = e.member_id`);
  // The notification job the imports queued would tell everyone again: these were told when imported.
  await db.execute(sql`DELETE FROM jobs WHERE name = 'cyber.advisory-notify' AND state = 'pending'`);

  // Diagnostics: La Roche-sur-Yon twice, a year apart; two thirds of the others once.
  const diagnostics: (typeof cyberDiagnostics.$inferInsert)[] = [];
  const diagnose = (memberId: string, strength: number, at: Date) => {
    const answers = answersFor(rng, strength);
    const { themeScores, overall } = scoresOf(answers);
    diagnostics.push({
      memberId,
      questionnaireVersion: 1,
      answers,
      themeScores,
      overallScore: overall,
      createdAt: at,
    });
  };
  if (laRoche) {
    diagnose(laRoche.id, 0.3, new Date(now.getTime() - 380 * DAY));
    diagnose(laRoche.id, 0.6, new Date(now.getTime() - 15 * DAY));
  }
  for (const m of members) {
    if (m.id === laRoche?.id || !rng.chance(0.66)) continue;
    diagnose(m.id, rng.next(), new Date(now.getTime() - rng.int(20, 500) * DAY));
  }
  await insertRows(db, cyberDiagnostics, diagnostics);

  // La Roche-sur-Yon: in NIS 2 scope, and an account compromise exposing personal data two days ago.
  if (laRoche) {
    await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
      await putProfile(
        tx,
        laRoche.id,
        {
          nis2InScope: true,
          nis2Reason:
            'Entité importante (administration publique) : commune de plus de 30 000 habitants, désignée par la préfecture.',
          securityContactEmail: 'dsi@larochesuryon.example',
          securityContactName: 'Direction des systèmes d’information',
        },
        SOURCE,
      );
      const detectedAt = new Date(now.getTime() - 2 * DAY - 3 * 3_600_000);
      const incident = await declareIncident(
        tx,
        laRoche.id,
        {
          category: 'account_compromise',
          detectedAt: detectedAt.toISOString(),
          personalData: true,
          title: 'Compte de messagerie du service état civil compromis',
          description:
            'Un agent a saisi son mot de passe sur une fausse page de connexion ; le compte a servi à envoyer des courriels d’hameçonnage et à consulter des pièces d’état civil.',
          servicesAffected: ['Messagerie', 'État civil'],
        },
        SOURCE,
      );
      await updateIncident(
        tx,
        laRoche.id,
        incident.id,
        {
          earlyWarningSentAt: new Date(detectedAt.getTime() + 20 * 3_600_000).toISOString(),
          policeComplaintAt: new Date(detectedAt.getTime() + 26 * 3_600_000).toISOString(),
        },
        SOURCE,
      );
    });
  }
  return { assets: assets.length, advisories: 3, diagnostics: diagnostics.length };
}
