import { sql } from 'drizzle-orm';
import { de } from '../../contracts/french.js';
import {
  addCalendarDays,
  addCalendarMonths,
  breachNotificationDeadline,
  parisToday,
  rightsRequestDueOn,
} from '../modules/rgpd/rgpd.deadlines.js';
import { rgpdBreaches, rgpdDpoRequests, rgpdRightsRequests } from '../modules/rgpd/rgpd.schema.js';
import type { Db } from '../platform/db/client.js';
import { rowsOf } from '../platform/db/client.js';

/** La Roche-sur-Yon (INSEE 85191) gets the full set of cases; other members a few each. */
const SHOWCASE_COMMUNE = '85191';
const OTHER_MEMBERS = 8;

type RequestDraft = Omit<typeof rgpdRightsRequests.$inferInsert, 'memberId' | 'dueOn'>;
type BreachDraft = Omit<typeof rgpdBreaches.$inferInsert, 'memberId' | 'notificationDeadline'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Rights requests and breaches in every state, dated relative to `now` so the demo always shows
 * something due soon, something late, and a breach whose 72 h countdown is running. Deterministic
 * for a given `now`; does nothing when cases already exist.
 */
export async function seedRgpdCases(db: Db, now: Date): Promise<{ requests: number; breaches: number }> {
  const existing = rowsOf<{ n: unknown }>(
    await db.execute(
      sql`SELECT (SELECT count(*) FROM rgpd_rights_requests) + (SELECT count(*) FROM rgpd_breaches) AS n`,
    ),
  );
  if (Number(existing[0]?.n ?? 0) > 0) return { requests: 0, breaches: 0 };

  // Members with a registry first (built from templates by seedRgpd), else with a référent RGPD.
  const members = rowsOf<{ id: string; name: string; commune_code: string | null }>(
    await db.execute(sql`
      SELECT o.id, o.name, o.commune_code FROM organisations o
      WHERE o.kind <> 'operator' AND (
        EXISTS (SELECT 1 FROM rgpd_processings p WHERE p.member_id = o.id)
        OR EXISTS (SELECT 1 FROM member_contacts c WHERE c.member_id = o.id AND c.role = 'referent_rgpd'))
      ORDER BY (o.commune_code = ${SHOWCASE_COMMUNE}) DESC NULLS LAST,
        EXISTS (SELECT 1 FROM rgpd_processings p WHERE p.member_id = o.id) DESC, o.search_name, o.id
      LIMIT ${OTHER_MEMBERS + 1}`),
  );
  if (members.length === 0) return { requests: 0, breaches: 0 };

  const today = parisToday(now);
  const daysAgo = (n: number) => addCalendarDays(today, -n);
  const at = (msAgo: number) => new Date(now.getTime() - msAgo);
  const requests: (typeof rgpdRightsRequests.$inferInsert)[] = [];
  const breaches: (typeof rgpdBreaches.$inferInsert)[] = [];
  const addRequest = (memberId: string, draft: RequestDraft) =>
    requests.push({ memberId, dueOn: rightsRequestDueOn(draft.receivedOn), ...draft });
  const addBreach = (memberId: string, draft: BreachDraft) =>
    breaches.push({ memberId, notificationDeadline: breachNotificationDeadline(draft.awareAt), ...draft });

  const [showcase, ...others] = members;
  const m = showcase.id;
  addRequest(m, {
    type: 'access',
    requesterName: 'Mme Sophie Garnier',
    identityChecked: true,
    receivedOn: daysAgo(40),
    status: 'in_progress',
  });
  addRequest(m, {
    type: 'erasure',
    requesterName: 'M. Julien Morel',
    identityChecked: false,
    receivedOn: daysAgo(26),
    status: 'received',
  });
  addRequest(m, {
    type: 'rectification',
    requesterName: 'M. Paul Rousseau',
    identityChecked: true,
    receivedOn: daysAgo(60),
    status: 'answered',
    answer: 'Adresse corrigée dans le fichier de la restauration scolaire ; courrier de confirmation envoyé.',
    answeredOn: daysAgo(48),
  });
  {
    const receivedOn = daysAgo(20);
    const dueOn = rightsRequestDueOn(receivedOn);
    requests.push({
      memberId: m,
      type: 'access',
      requesterName: 'Association des parents d’élèves (pour 14 familles)',
      identityChecked: true,
      receivedOn,
      dueOn,
      extendedUntil: addCalendarMonths(dueOn, 2),
      extensionReason:
        'Demandes multiples portant sur plusieurs années d’archives papier ; demandeurs informés par courrier.',
      status: 'in_progress',
    });
  }
  addRequest(m, {
    type: 'objection',
    requesterName: 'M. Éric Lambert',
    identityChecked: true,
    receivedOn: daysAgo(95),
    status: 'refused',
    answer:
      'Le traitement (listes électorales) repose sur une obligation légale : l’opposition ne peut pas s’exercer. Voies de recours : CNIL.',
    answeredOn: daysAgo(80),
  });
  addRequest(m, {
    type: 'portability',
    requesterName: 'Mme Claire Fontaine',
    identityChecked: true,
    receivedOn: daysAgo(150),
    status: 'closed',
    answer: 'Export CSV remis en main propre.',
    answeredOn: daysAgo(130),
  });

  addBreach(m, {
    awareAt: at(20 * HOUR),
    occurredAt: at(26 * HOUR),
    nature: ['confidentiality'],
    dataDescription:
      'Liste d’inscriptions au périscolaire (noms, classes, téléphones des parents) envoyée à un mauvais destinataire.',
    peopleCount: 180,
    recordsCount: 180,
    consequences: 'Divulgation de coordonnées à un tiers ; risque de sollicitations non désirées.',
    measures: 'Demande de suppression au destinataire, rappel des bonnes pratiques d’envoi.',
    riskLevel: 'low',
    cnilNotificationRequired: true,
  });
  addBreach(m, {
    awareAt: at(5 * DAY),
    nature: ['availability', 'integrity'],
    dataDescription: 'Serveur de fichiers des services techniques chiffré par un rançongiciel.',
    peopleCount: 40,
    consequences: 'Indisponibilité des dossiers du personnel pendant la restauration.',
    measures: 'Isolement du serveur, restauration depuis la sauvegarde de la veille, plainte déposée.',
    riskLevel: 'low',
    cnilNotificationRequired: true,
  });
  addBreach(m, {
    awareAt: at(12 * DAY),
    occurredAt: at(13 * DAY),
    nature: ['confidentiality'],
    dataDescription: 'Ordinateur portable non chiffré d’un agent de l’état civil volé.',
    peopleCount: 2_500,
    consequences: 'Accès possible à des actes d’état civil numérisés.',
    measures: 'Révocation des accès, chiffrement des postes nomades engagé.',
    riskLevel: 'high',
    cnilNotificationRequired: true,
    notifiedAt: at(12 * DAY - 96 * HOUR),
    cnilReference: 'NOTIF-2026-0412',
    lateReasons: 'Vol constaté un vendredi soir ; l’inventaire des données du poste a pris le week-end.',
    peopleInformedAt: at(8 * DAY),
    peopleInformation: 'Courrier individuel aux personnes concernées et information sur le site de la ville.',
  });
  addBreach(m, {
    awareAt: at(40 * DAY),
    nature: ['availability'],
    dataDescription: 'Coupure de l’application de gestion des cimetières pendant 3 heures.',
    riskLevel: 'none',
    cnilNotificationRequired: false,
    notificationReason:
      'Indisponibilité brève, données restaurées à l’identique : aucun risque pour les personnes.',
    measures: 'Redémarrage du service, supervision renforcée.',
  });
  addBreach(m, {
    awareAt: at(70 * DAY),
    nature: ['confidentiality'],
    dataDescription: 'Courriel contenant des bulletins de paie adressé à une liste de diffusion interne.',
    peopleCount: 12,
    riskLevel: 'high',
    cnilNotificationRequired: true,
    notifiedAt: at(70 * DAY - 30 * HOUR),
    cnilReference: 'NOTIF-2026-0198',
    peopleInformedAt: at(69 * DAY),
    peopleInformation: 'Entretien individuel avec chaque agent concerné.',
    measures: 'Rappel du message, suppression confirmée par les destinataires.',
  });

  others.forEach((member, i) => {
    addRequest(member.id, {
      type: (['access', 'erasure', 'rectification', 'objection'] as const)[i % 4],
      requesterName: `Demandeur ${i + 1}`,
      identityChecked: i % 2 === 0,
      receivedOn: daysAgo(10 + i * 7),
      status: i % 3 === 0 ? 'received' : 'in_progress',
    });
    if (i % 3 === 1) {
      addRequest(member.id, {
        type: 'access',
        requesterName: `Agent ${i + 1}`,
        identityChecked: true,
        receivedOn: daysAgo(50 + i),
        status: 'answered',
        answer: 'Copie des données transmise.',
        answeredOn: daysAgo(30 + i),
      });
    }
    if (i % 4 === 2) {
      addBreach(member.id, {
        awareAt: at((30 + i * 5) * HOUR),
        nature: ['confidentiality'],
        dataDescription: 'Dossier papier égaré lors d’un déménagement de service.',
        peopleCount: 5 + i,
        riskLevel: 'low',
        cnilNotificationRequired: true,
      });
    }
  });

  // What the DPO team finds « À traiter »: a breach a member's secretary reported in words this
  // morning (not qualified yet), and two requests written to the DPO.
  const reporter = others[0] ?? showcase;
  addBreach(reporter.id, {
    awareAt: at(3 * HOUR),
    nature: ['confidentiality'],
    dataDescription:
      'Signalée au DPO par la secrétaire de mairie : une clé USB contenant la liste des bénéficiaires du CCAS a été perdue.',
    riskLevel: 'low',
    cnilNotificationRequired: true,
    qualifiedAt: null,
  });
  await db.insert(rgpdRightsRequests).values(requests);
  await db.insert(rgpdBreaches).values(breaches);
  await db.insert(rgpdDpoRequests).values([
    {
      memberId: reporter.id,
      message: 'Notre registre des traitements est vide : pouvez-vous nous aider à le constituer ?',
      requester: `Secrétariat ${de(reporter.name)}`,
      createdAt: at(2 * DAY),
    },
    {
      memberId: m,
      message: 'Faut-il une AIPD pour la vidéoprotection du parking de la mairie ?',
      requester: `Service juridique ${de(showcase.name)}`,
      createdAt: at(5 * HOUR),
    },
  ]);
  return { requests: requests.length, breaches: breaches.length };
}
