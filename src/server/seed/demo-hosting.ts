import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Qualification } from '../../contracts/hosting.js';
import { organisationUsers, users } from '../kernel/identity.schema.js';
import { hashPassword } from '../modules/accounts/password.js';
import * as repo from '../modules/hosting/hosting.repository.js';
import {
  hostingBackups,
  hostingContinuityPlans,
  hostingInstances,
  hostingLicenceUsage,
  hostingMonitors,
  hostingRestoreTests,
} from '../modules/hosting/hosting.schema.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import { insertRows } from './bulk.js';
import { DEMO_PASSWORD } from './demo.js';

/**
 * Hosting in the demo (issue 15): an instance for every active subscription to a hosted service
 * (messaging, websites, video, file exchange, finance, payroll and civil-registry software), in the
 * operator's two data centres, run by the operator (its RGPD processor entry), backed up each night
 * with its nightly runs of the last 30 days (the retention; one failed night three nights ago, on
 * La Roche-sur-Yon's finance software, good again the next night) and restore-tested from those backups — La Roche-sur-Yon's
 * website instance's last test is overdue; monitors against what the demo itself serves (/health,
 * /ready, the public status API, its TCP port); two past incidents, resolved with their timeline (the
 * messaging service 20 days ago, in the status page's day history only; the websites 6 days ago, also
 * in its list of recent incidents) and a maintenance planned in five days on the finance software. The hosting team's account is `hebergement@socle.example`. Does
 * nothing when instances or monitors exist already.
 */

export const HOSTING_ACCOUNT = {
  email: 'hebergement@socle.example',
  displayName: 'Gaëlle Rousseau',
  line: "hebergement@socle.example — agente de l'opérateur, périmètre hébergement (hosting)",
};

const DAY = 86_400_000;
const MINUTE = 60_000;
const LA_ROCHE = '85191';

interface HostedService {
  software: string;
  version: string;
  plan: string;
  qualification: Qualification;
  rtoMinutes: number;
  rpoMinutes: number;
}

const HOSTED: Record<string, HostedService> = {
  'HEB-MESSAGERIE': {
    software: 'Zimbra Collaboration',
    version: '10.0.6',
    plan: 'Boîtes de 10 Go',
    qualification: 'secnumcloud',
    rtoMinutes: 240,
    rpoMinutes: 1440,
  },
  'HEB-SITES': {
    software: 'Drupal',
    version: '10.2.3',
    plan: 'Site mutualisé',
    qualification: 'none',
    rtoMinutes: 480,
    rpoMinutes: 1440,
  },
  'HEB-VISIO': {
    software: 'BigBlueButton',
    version: '2.7.4',
    plan: 'Salles partagées',
    qualification: 'none',
    rtoMinutes: 480,
    rpoMinutes: 1440,
  },
  'HEB-FTP': {
    software: 'SFTPGo',
    version: '2.5.6',
    plan: '50 Go',
    qualification: 'none',
    rtoMinutes: 480,
    rpoMinutes: 1440,
  },
  'LM-FINANCES': {
    software: 'Logiciel de gestion financière',
    version: '2025.2',
    plan: 'Base dédiée',
    qualification: 'secnumcloud',
    rtoMinutes: 240,
    rpoMinutes: 240,
  },
  'LM-RH-PAIE': {
    software: 'Logiciel de paie et RH',
    version: '2025.1',
    plan: 'Base dédiée',
    qualification: 'secnumcloud',
    rtoMinutes: 240,
    rpoMinutes: 240,
  },
  'LM-ETAT-CIVIL': {
    software: 'Logiciel d’état civil',
    version: '8.4',
    plan: 'Base dédiée',
    qualification: 'secnumcloud',
    rtoMinutes: 240,
    rpoMinutes: 60,
  },
};

/**
 * Each software's backup size on the newest night (bytes, before the member's own variation) and how
 * fast the nightly copy runs (minutes per GiB, plus a fixed 4 minutes).
 */
const GIB = 1024 ** 3;
const BACKUP_SIZES: Record<string, { gib: number; minutesPerGib: number }> = {
  'HEB-MESSAGERIE': { gib: 48, minutesPerGib: 0.9 },
  'HEB-SITES': { gib: 3.5, minutesPerGib: 2 },
  'HEB-VISIO': { gib: 12, minutesPerGib: 0.6 },
  'HEB-FTP': { gib: 22, minutesPerGib: 0.5 },
  'LM-FINANCES': { gib: 9, minutesPerGib: 1.6 },
  'LM-RH-PAIE': { gib: 6, minutesPerGib: 1.6 },
  'LM-ETAT-CIVIL': { gib: 4, minutesPerGib: 1.8 },
};
/** Nights of backup runs kept in the demo: the instances' retention. */
const BACKUP_NIGHTS = 30;

/** 2 a.m. in Paris, `nightsAgo` nights before `now`'s Paris day (the nightly backups' start). */
export function parisNight(now: Date, nightsAgo: number): Date {
  const day = new Date(now.toLocaleString('en-US', { timeZone: 'Europe/Paris' }));
  const offset = day.getTime() - new Date(now.toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
  const start = Date.UTC(day.getFullYear(), day.getMonth(), day.getDate() - nightsAgo, 2, 0, 0);
  return new Date(start - offset);
}

const DATACENTRES = [
  { datacentre: 'Centre de données de Nantes (Saint-Herblain)', region: 'Pays de la Loire' },
  { datacentre: 'Centre de données d’Angers (Beaucouzé)', region: 'Pays de la Loire' },
];

export async function seedHosting(
  db: Db,
  now: Date,
  publicUrl: string,
): Promise<{ instances: number; monitors: number; incidents: number; account: boolean }> {
  const existing = rowsOf<{ n: unknown }>(
    await db.execute(
      sql`SELECT (SELECT count(*) FROM hosting_instances) + (SELECT count(*) FROM hosting_monitors) AS n`,
    ),
  );
  const none = { instances: 0, monitors: 0, incidents: 0, account: false };
  if (Number(existing[0]?.n ?? 0) > 0) return none;
  const [operator] = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`SELECT id, name FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) return none;

  return db.transaction(async (tx) => {
    // The hosting team's account.
    let [agent] = await tx.select({ id: users.id }).from(users).where(eq(users.email, HOSTING_ACCOUNT.email));
    if (!agent) {
      [agent] = await tx
        .insert(users)
        .values({
          email: HOSTING_ACCOUNT.email,
          displayName: HOSTING_ACCOUNT.displayName,
          passwordHash: await hashPassword(DEMO_PASSWORD),
          createdAt: new Date('2026-01-05T09:00:00Z'),
        })
        .returning({ id: users.id });
      if (agent) {
        await tx
          .insert(organisationUsers)
          .values({ memberId: operator.id, userId: agent.id, role: 'agent', scopes: ['hosting'] });
      }
    }

    const services = rowsOf<{ id: string; code: string; name: string }>(
      await tx.execute(
        sql`SELECT id, code, name FROM catalogue_services WHERE code IN (${sql.join(
          Object.keys(HOSTED).map((c) => sql`${c}`),
          sql`, `,
        )}) ORDER BY code`,
      ),
    );
    const subscriptions = rowsOf<{
      id: string;
      member_id: string;
      service_id: string;
      name: string;
      code: string | null;
    }>(
      await tx.execute(sql`SELECT s.id, s.member_id, s.service_id, o.name, o.commune_code AS code
        FROM subscriptions s JOIN organisations o ON o.id = s.member_id
        WHERE s.status IN ('active', 'termination_requested')
          AND s.service_id IN (SELECT id FROM catalogue_services WHERE code IN (${sql.join(
            Object.keys(HOSTED).map((c) => sql`${c}`),
            sql`, `,
          )}))
        ORDER BY o.search_name, s.id`),
    );
    const [processor] = rowsOf<{ id: string }>(
      await tx.execute(sql`SELECT id FROM rgpd_processors WHERE is_operator ORDER BY created_at LIMIT 1`),
    );
    const codeOf = new Map(services.map((s) => [s.id, s.code]));
    const nameOf = new Map(services.map((s) => [s.id, s.name]));

    const instances: (typeof hostingInstances.$inferInsert & { id: string })[] = [];
    const tests: (typeof hostingRestoreTests.$inferInsert)[] = [];
    const backups: (typeof hostingBackups.$inferInsert)[] = [];
    // The one failed night: La Roche-sur-Yon's finance software (or its first hosted service).
    const hostedOf = subscriptions.filter((s) => HOSTED[codeOf.get(s.service_id) ?? '']);
    const laRoche = hostedOf.filter((s) => s.code === LA_ROCHE);
    const failing = (
      laRoche.find((s) => codeOf.get(s.service_id) === 'LM-FINANCES') ??
      laRoche[0] ??
      hostedOf[0]
    )?.id;
    subscriptions.forEach((s, i) => {
      const code = codeOf.get(s.service_id) ?? '';
      const hosted = HOSTED[code];
      if (!hosted) return;
      const place = DATACENTRES[i % DATACENTRES.length] ?? DATACENTRES[0];
      const id = crypto.randomUUID();
      // The nightly runs, oldest first: a size growing slowly towards the newest night's, a duration
      // following the size, a start a few minutes after 2 a.m. One failed night in the demo.
      const size = BACKUP_SIZES[code] ?? { gib: 5, minutesPerGib: 1 };
      const memberScale = 0.6 + ((i * 37) % 80) / 100;
      let lastSuccess: Date | null = null;
      for (let night = BACKUP_NIGHTS - 1; night >= 0; night--) {
        const at = new Date(parisNight(now, night).getTime() + ((i * 7 + night * 3) % 25) * MINUTE);
        if (at > now) continue;
        const gib = size.gib * memberScale * (1 - night * 0.002);
        const failed = s.id === failing && night === 3;
        backups.push({
          memberId: s.member_id,
          instanceId: id,
          at,
          succeeded: !failed,
          sizeBytes: failed ? null : Math.round(gib * GIB),
          durationMinutes: failed ? 12 : Math.round(4 + gib * size.minutesPerGib),
          note: failed
            ? 'Échec : espace insuffisant sur la cible de la copie hors site (Angers) ; volume agrandi, sauvegarde réussie la nuit suivante.'
            : '',
        });
        if (!failed) lastSuccess = at;
      }
      instances.push({
        id,
        memberId: s.member_id,
        subscriptionId: s.id,
        serviceId: s.service_id,
        name: `${nameOf.get(s.service_id) ?? code} — ${s.name}`,
        url: null,
        software: hosted.software,
        softwareVersion: hosted.version,
        datacentre: place?.datacentre ?? '',
        region: place?.region ?? '',
        provider: operator.name,
        qualification: hosted.qualification,
        plan: hosted.plan,
        backupSchedule: 'Chaque nuit à 2 h, copie hors site à Angers',
        backupRetentionDays: BACKUP_NIGHTS,
        restoreTestEveryDays: 180,
        lastBackupAt: lastSuccess,
        rtoMinutes: hosted.rtoMinutes,
        rpoMinutes: hosted.rpoMinutes,
        processorId: processor?.id ?? null,
      });
      // La Roche-sur-Yon's website: last restore test 250 days ago (overdue); the others recent. A test
      // restores a night's backup during the working day: the data is as old as the time since 2 a.m.
      const overdue = s.code === LA_ROCHE && code === 'HEB-SITES';
      const dataAgeMinutes = 600 + (i % 3) * 300;
      tests.push({
        memberId: s.member_id,
        instanceId: id,
        testedAt: new Date(
          parisNight(now, overdue ? 250 : 20 + (i % 60)).getTime() + dataAgeMinutes * MINUTE,
        ),
        durationMinutes: 60 + (i % 4) * 45,
        dataAgeMinutes,
        succeeded: true,
        note: 'Restauration sur l’environnement de test, contrôle par l’équipe.',
      });
    });
    await insertRows(tx, hostingInstances, instances);
    await insertRows(tx, hostingRestoreTests, tests);
    await insertRows(tx, hostingBackups, backups);

    const url = publicUrl.replace(/\/$/, '');
    const { hostname, port } = new URL(url);
    const serviceId = (code: string) => services.find((s) => s.code === code)?.id;
    const monitors: (typeof hostingMonitors.$inferInsert)[] = [];
    const addMonitor = (
      code: string,
      monitor: Omit<typeof hostingMonitors.$inferInsert, 'serviceId' | 'nextCheckAt'>,
    ) => {
      const id = serviceId(code);
      if (id) monitors.push({ ...monitor, serviceId: id, nextCheckAt: now });
    };
    addMonitor('HEB-MESSAGERIE', {
      kind: 'http',
      target: `${url}/health`,
      intervalSeconds: 60,
      failuresBeforeIncident: 3,
    });
    addMonitor('HEB-SITES', {
      kind: 'keyword',
      target: `${url}/api/v1/status`,
      keyword: 'services',
      intervalSeconds: 60,
      failuresBeforeIncident: 3,
    });
    addMonitor('LM-FINANCES', {
      kind: 'http',
      target: `${url}/ready`,
      intervalSeconds: 60,
      failuresBeforeIncident: 3,
    });
    addMonitor('LM-ETAT-CIVIL', {
      kind: 'tcp',
      target: `${hostname}:${port || (url.startsWith('https') ? 443 : 80)}`,
      intervalSeconds: 120,
      failuresBeforeIncident: 3,
    });
    if (monitors.length > 0) await tx.insert(hostingMonitors).values(monitors);

    // Seats used of the per-unit services: most members well under their units, La Roche-sur-Yon near the cap.
    const perUnit = rowsOf<{ id: string; member_id: string; units: number; code: string | null }>(
      await tx.execute(sql`SELECT s.id, s.member_id, s.units, o.commune_code AS code FROM subscriptions s
        JOIN catalogue_services c ON c.id = s.service_id JOIN organisations o ON o.id = s.member_id
        WHERE s.status IN ('active', 'termination_requested') AND c.unit_label IS NOT NULL AND s.units > 0
        ORDER BY s.id`),
    );
    await insertRows(
      tx,
      hostingLicenceUsage,
      perUnit.map((s, i) => ({
        subscriptionId: s.id,
        memberId: s.member_id,
        seatsUsed:
          s.code === LA_ROCHE ? Math.ceil(s.units * 0.95) : Math.floor(s.units * (0.5 + (i % 4) * 0.1)),
        source: 'declared' as const,
      })),
    );

    // The continuity plans of the services, with their last exercise.
    const plans = services.flatMap((s) => {
      const hosted = HOSTED[s.code];
      if (!hosted) return [];
      return [
        {
          serviceId: s.id,
          rtoMinutes: hosted.rtoMinutes,
          rpoMinutes: hosted.rpoMinutes,
          procedures: [
            '1. Détection : la surveillance automatique ou un signalement ouvre un incident sur la page d’état.',
            '2. Bascule : le service redémarre dans le second centre de données à partir de la réplication.',
            '3. Restauration : à défaut, restauration de la dernière sauvegarde nocturne (copie hors site à Angers).',
            '4. Communication : les abonnés sont prévenus par courriel à chaque étape, jusqu’à la résolution.',
          ].join('\n'),
          lastExerciseOn: new Date(now.getTime() - 75 * DAY).toISOString().slice(0, 10),
          lastExerciseSummary: 'Bascule complète vers Angers réussie dans les délais.',
        },
      ];
    });
    if (plans.length > 0) await tx.insert(hostingContinuityPlans).values(plans);

    // A past incident, resolved, and a planned maintenance (no mail: they are history).
    let incidents = 0;
    {
      const w = tx;
      const mail = serviceId('HEB-MESSAGERIE');
      if (mail) {
        const started = new Date(now.getTime() - 20 * DAY - 3 * 60 * MINUTE);
        const id = await repo.insertIncident(
          w,
          {
            title: 'Messagerie indisponible',
            state: 'major_outage',
            phase: 'resolved',
            startedAt: started,
            resolvedAt: new Date(started.getTime() + 75 * MINUTE),
          },
          [mail],
        );
        const steps = [
          [0, 'investigating', 'Les boîtes aux lettres ne répondent plus ; nous analysons.'],
          [
            25,
            'identified',
            'Une baie de stockage du centre de Nantes est en panne ; bascule vers Angers en cours.',
          ],
          [50, 'monitoring', 'Le service est rétabli depuis Angers ; nous surveillons.'],
          [75, 'resolved', 'Incident clos. Aucune perte de message.'],
        ] as const;
        for (const [after, phase, message] of steps) {
          await repo.insertUpdate(w, {
            incidentId: id,
            phase,
            state: 'major_outage',
            message,
            at: new Date(started.getTime() + after * MINUTE),
            notifiedAt: new Date(started.getTime() + after * MINUTE),
          });
        }
        incidents++;
      }
      // Slow websites six days ago: on the status page's list of recent incidents.
      const sites = serviceId('HEB-SITES');
      if (sites) {
        const started = new Date(now.getTime() - 6 * DAY - 5 * 60 * MINUTE);
        const id = await repo.insertIncident(
          w,
          {
            title: 'Sites internet lents ou inaccessibles',
            state: 'degraded',
            phase: 'resolved',
            startedAt: started,
            resolvedAt: new Date(started.getTime() + 140 * MINUTE),
          },
          [sites],
        );
        const steps = [
          [0, 'investigating', 'degraded', 'Les sites répondent lentement ; nous analysons.'],
          [
            20,
            'identified',
            'partial_outage',
            'Un robot d’indexation sature les serveurs mutualisés ; une partie des sites ne répond plus. Filtrage en cours.',
          ],
          [
            70,
            'monitoring',
            'degraded',
            'Le robot est filtré, les sites répondent à nouveau ; nous surveillons.',
          ],
          [140, 'resolved', 'degraded', 'Incident clos. Les temps de réponse sont revenus à la normale.'],
        ] as const;
        for (const [after, phase, state, message] of steps) {
          await repo.insertUpdate(w, {
            incidentId: id,
            phase,
            state,
            message,
            at: new Date(started.getTime() + after * MINUTE),
            notifiedAt: new Date(started.getTime() + after * MINUTE),
          });
        }
        incidents++;
      }
      const finances = serviceId('LM-FINANCES');
      if (finances) {
        const startsAt = new Date(now.getTime() + 5 * DAY);
        startsAt.setUTCHours(18, 0, 0, 0);
        const id = await repo.insertMaintenance(
          w,
          {
            title: 'Mise à jour du logiciel de gestion financière',
            message: 'Passage en version 2025.3 : le logiciel sera indisponible pendant deux heures.',
            startsAt,
            endsAt: new Date(startsAt.getTime() + 120 * MINUTE),
          },
          [finances],
        );
        await repo.markMaintenanceNotified(w, id, now);
      }
    }
    return { instances: instances.length, monitors: monitors.length, incidents, account: true };
  });
}
