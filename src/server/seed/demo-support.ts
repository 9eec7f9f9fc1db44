import { sql } from 'drizzle-orm';
import { searchKey } from '../../contracts/search.js';
import {
  LEVELS,
  type Level,
  priorityOf,
  TICKET_CATEGORIES,
  type TicketStatus,
} from '../../contracts/support.js';
import { addBusinessMinutes, DEFAULT_CALENDAR } from '../modules/support/rules/business-time.js';
import {
  supportArticles,
  supportMessages,
  supportServiceLevels,
  supportTickets,
  trainingRegistrations,
  trainingSessions,
} from '../modules/support/support.schema.js';
import { DEFAULT_LEVELS, FAR_FUTURE } from '../modules/support/support.service.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import { insertRows } from './bulk.js';
import { Random } from './random.js';

/**
 * The support desk in the demo (issue 14): a year of tickets across the members and the services they
 * subscribe to — most answered and resolved in time, some late (breached), some waiting for the
 * member, the last days' still open — with service levels for the hosted mail and websites. The same
 * generator fills the bench (bench/support.ts) with as many tickets as asked. Does nothing when
 * tickets exist already.
 */

const DAY = 86_400_000;

const SUBJECTS: Record<string, string[]> = {
  question: [
    'Comment partager un agenda avec les élus ?',
    'Où trouver le modèle de délibération budgétaire ?',
    'Question sur la facturation du service',
    'Comment ajouter un utilisateur ?',
  ],
  incident: [
    'Impossible d’envoyer des courriels',
    'Le site internet affiche une erreur',
    'Le parapheur ne s’ouvre plus',
    'La sauvegarde de cette nuit a échoué',
  ],
  request: [
    'Création d’une adresse électronique',
    'Ajout d’une page sur le site',
    'Nouveau poste à installer',
  ],
  access: [
    'Mot de passe oublié',
    'Compte bloqué après plusieurs essais',
    'Accès à retirer pour un agent parti',
  ],
  training: ['Demande de formation au parapheur', 'Formation des nouveaux élus'],
  other: ['Suggestion d’amélioration', 'Demande de rendez-vous'],
};

export interface TicketMember {
  id: string;
  services: string[];
  requesterId: string | null;
}

export interface GeneratedTickets {
  tickets: (typeof supportTickets.$inferInsert)[];
  messages: (typeof supportMessages.$inferInsert)[];
}

/** An instant of a working morning or afternoon, `daysAgo` days before `now`. */
function openedAt(rng: Random, now: Date, daysAgo: number): Date {
  const base = new Date(now.getTime() - daysAgo * DAY);
  base.setUTCHours(rng.int(6, 16), rng.int(0, 59), rng.int(0, 59), 0);
  // Drawn whether used or not: the generator draws the same numbers whatever `now` is.
  const secondsAgo = rng.int(1, 3600);
  return base.getTime() > now.getTime() ? new Date(now.getTime() - secondsAgo * 1000) : base;
}

/**
 * `count` tickets over the `days` days before `now`, with due dates in business time, answers and
 * resolutions drawn around the service levels (about one in eight late), satisfaction marks, and a
 * share still open or waiting for the member among the recent ones.
 */
export function generateTickets(
  rng: Random,
  members: readonly TicketMember[],
  agents: readonly string[],
  now: Date,
  count: number,
  days = 365,
): GeneratedTickets {
  const tickets: GeneratedTickets['tickets'] = [];
  const messages: GeneratedTickets['messages'] = [];
  for (let i = 0; i < count; i++) {
    const member = rng.pick(members);
    const createdAt = openedAt(rng, now, rng.int(0, days));
    const category = rng.pick(TICKET_CATEGORIES);
    const urgency: Level = rng.pick(LEVELS);
    const impact: Level = rng.chance(0.7) ? 'low' : rng.pick(LEVELS);
    const priority = priorityOf(urgency, impact);
    const level = DEFAULT_LEVELS[priority];
    const serviceId = member.services.length > 0 && rng.chance(0.8) ? rng.pick(member.services) : null;
    const late = rng.chance(0.12);
    const firstResponseDueAt = addBusinessMinutes(createdAt, level.firstResponseMinutes, DEFAULT_CALENDAR);
    const resolutionDueAt = addBusinessMinutes(createdAt, level.resolutionMinutes, DEFAULT_CALENDAR);
    const respondIn = Math.round(
      level.firstResponseMinutes * (late ? 1.2 + rng.next() : 0.1 + rng.next() * 0.8),
    );
    const resolveIn = Math.round(
      level.resolutionMinutes * (late ? 1.1 + rng.next() : 0.2 + rng.next() * 0.75),
    );
    const responded = addBusinessMinutes(createdAt, respondIn, DEFAULT_CALENDAR);
    const resolved = addBusinessMinutes(createdAt, Math.max(resolveIn, respondIn + 1), DEFAULT_CALENDAR);
    const assigneeId = agents.length > 0 ? rng.pick(agents) : null;
    const subject = rng.pick(SUBJECTS[category] ?? SUBJECTS.other ?? ['Demande']);
    // Every draw is made whatever the outcome, so the shares of open, waiting and closed tickets do
    // not depend on the day or hour the demo is seeded (a Saturday morning has no fresh answers).
    const markResolved = rng.chance(0.5);
    const markWaiting = rng.chance(0.3);
    const keepOpen = rng.next();
    const ageDays = (now.getTime() - createdAt.getTime()) / DAY;
    let status: TicketStatus = 'closed';
    let firstRespondedAt: Date | null = responded && responded < now ? responded : null;
    let resolvedAt: Date | null = resolved && resolved < now ? resolved : null;
    let pauses: { from: string; to: string | null }[] = [];
    if (!firstRespondedAt) status = 'open';
    else if (!resolvedAt) status = 'in_progress';
    else if (now.getTime() - resolvedAt.getTime() < 15 * DAY && markResolved) status = 'resolved';
    // The last month's tickets: a share still being handled, some waiting for the member.
    if (ageDays < 30 && keepOpen < 0.35 && status !== 'open') {
      status = keepOpen < 0.15 ? 'waiting_member' : 'in_progress';
    }
    if (status === 'in_progress' && markWaiting) status = 'waiting_member';
    if (status === 'waiting_member' && firstRespondedAt) {
      pauses = [{ from: firstRespondedAt.toISOString(), to: null }];
    }
    if (status === 'open') firstRespondedAt = null;
    if (status === 'open' || status === 'in_progress' || status === 'waiting_member') resolvedAt = null;
    const nextDueAt =
      status === 'open'
        ? (firstResponseDueAt ?? FAR_FUTURE)
        : status === 'in_progress'
          ? (resolutionDueAt ?? FAR_FUTURE)
          : FAR_FUTURE;
    const id = rng.uuid();
    tickets.push({
      id,
      memberId: member.id,
      requesterId: member.requesterId,
      subject,
      description: `${subject}. Merci de votre aide.`,
      serviceId,
      category,
      urgency,
      impact,
      priority,
      status,
      assigneeId: status === 'open' ? null : assigneeId,
      firstResponseMinutes: level.firstResponseMinutes,
      resolutionMinutes: level.resolutionMinutes,
      pauses,
      firstResponseDueAt,
      resolutionDueAt,
      nextDueAt,
      firstRespondedAt,
      resolvedAt,
      closedAt: status === 'closed' && resolvedAt ? new Date(resolvedAt.getTime() + 2 * DAY) : null,
      resolution: resolvedAt ? 'Corrigé par l’équipe d’assistance.' : null,
      satisfaction: status === 'closed' && rng.chance(0.6) ? (late ? rng.int(1, 4) : rng.int(3, 5)) : null,
      alertsSent: ['new'],
      createdAt,
      updatedAt: resolvedAt ?? firstRespondedAt ?? createdAt,
    });
    if (firstRespondedAt) {
      messages.push({
        id: rng.uuid(),
        memberId: member.id,
        ticketId: id,
        authorId: assigneeId,
        body:
          status === 'waiting_member'
            ? 'Pouvez-vous nous préciser le message d’erreur affiché ?'
            : 'Nous avons bien reçu votre demande et nous en occupons.',
        internal: false,
        fromOperator: true,
        createdAt: firstRespondedAt,
      });
    }
  }
  return { tickets, messages };
}

/** Members with their live subscriptions, and the demo account of each member that has one. */
export async function ticketMembers(db: Db): Promise<TicketMember[]> {
  return rowsOf<{ id: string; services: string[] | null; requester_id: string | null }>(
    await db.execute(sql`
      SELECT o.id,
        array_remove(array_agg(DISTINCT s.service_id), NULL) AS services,
        (SELECT ou.user_id FROM organisation_users ou WHERE ou.member_id = o.id
          ORDER BY ou.role, ou.user_id LIMIT 1) AS requester_id
      FROM organisations o
      LEFT JOIN subscriptions s ON s.member_id = o.id AND s.status IN ('active', 'termination_requested')
      WHERE o.kind <> 'operator' AND o.status IN ('member', 'withdrawal_requested')
      GROUP BY o.id ORDER BY o.id`),
  ).map((r) => ({ id: r.id, services: (r.services ?? []).map(String), requesterId: r.requester_id }));
}

/** The operator's support team (admins and agents holding the `support` scope). */
export async function supportAgents(db: Db): Promise<string[]> {
  return rowsOf<{ user_id: string }>(
    await db.execute(sql`
      SELECT ou.user_id FROM organisation_users ou JOIN organisations o ON o.id = ou.member_id
      WHERE o.kind = 'operator' AND (ou.role = 'admin' OR 'support' = ANY(ou.scopes)) ORDER BY ou.user_id`),
  ).map((r) => r.user_id);
}

export async function seedSupport(db: Db, now: Date, count = 1500): Promise<{ tickets: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM support_tickets`));
  if (Number(existing[0]?.n ?? 0) > 0) return { tickets: 0 };
  const members = await ticketMembers(db);
  if (members.length === 0) return { tickets: 0 };
  // Service levels of the hosted mail and websites: tighter than the defaults.
  const services = rowsOf<{ id: string; code: string }>(
    await db.execute(
      sql`SELECT id, code FROM catalogue_services WHERE code IN ('HEB-MESSAGERIE', 'HEB-SITES')`,
    ),
  );
  const levels = services.flatMap((s) => [
    { serviceId: s.id, priority: 'critical' as const, firstResponseMinutes: 30, resolutionMinutes: 240 },
    { serviceId: s.id, priority: 'high' as const, firstResponseMinutes: 120, resolutionMinutes: 960 },
  ]);
  await insertRows(db, supportServiceLevels, levels);
  const { tickets, messages } = generateTickets(
    new Random(1414),
    members,
    await supportAgents(db),
    now,
    count,
  );
  await insertRows(db, supportTickets, tickets);
  await insertRows(db, supportMessages, messages);
  return { tickets: tickets.length };
}

export const TRAINING_PLACES: Record<string, string> = {
  '44': 'Maison des communes, Nantes',
  '49': 'Centre de gestion, Angers',
  '53': 'Salle du conseil départemental, Laval',
  '72': 'Centre de gestion, Le Mans',
  '85': 'Maison des communes, La Roche-sur-Yon',
};
export const TRAINING_TITLES: [string, 'agents' | 'elus' | 'tous'][] = [
  ['Le parapheur électronique au quotidien', 'agents'],
  ['Les délibérations dématérialisées', 'tous'],
  ['Le rôle de l’élu dans la cybersécurité', 'elus'],
  ['Le registre RGPD de la commune', 'agents'],
  ['Préparer le budget avec les outils mutualisés', 'tous'],
];

/**
 * The training calendar of the demo: four sessions in each of the five départements over the next four
 * months and a remote one each month, a few of them full with a waiting list (registrations of members
 * of that département). Does nothing when sessions exist already.
 */
export async function seedTrainings(db: Db, now: Date): Promise<{ sessions: number; registrations: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM training_sessions`));
  if (Number(existing[0]?.n ?? 0) > 0) return { sessions: 0, registrations: 0 };
  const members = rowsOf<{ id: string; departement_code: string | null }>(
    await db.execute(sql`SELECT id, departement_code FROM organisations
      WHERE kind <> 'operator' AND status = 'member' ORDER BY id`),
  );
  const rng = new Random(1515);
  const sessions: (typeof trainingSessions.$inferInsert)[] = [];
  const registrations: (typeof trainingRegistrations.$inferInsert)[] = [];
  const day = (offset: number, hour: number) => {
    const d = new Date(now.getTime() + offset * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d;
  };
  const departements = Object.keys(TRAINING_PLACES);
  for (const [i, code] of departements.entries()) {
    for (let k = 0; k < 4; k++) {
      const [title, audience] = TRAINING_TITLES[(i + k) % TRAINING_TITLES.length] ?? ['Formation', 'tous'];
      const offset = 7 + k * 28 + i * 3;
      sessions.push({
        id: rng.uuid(),
        title,
        audience,
        startsAt: day(offset, 8),
        endsAt: day(offset, 15),
        place: TRAINING_PLACES[code] ?? 'Maison des communes',
        departementCode: code,
        remote: false,
        trainer: rng.pick(['Marie Guérin', 'Paul Lebreton', 'Anne Chiron']),
        capacity: rng.pick([8, 12, 15]),
        perMemberCap: 3,
        registrationDeadline: day(offset - 2, 16),
      });
    }
  }
  for (let month = 0; month < 4; month++) {
    sessions.push({
      id: rng.uuid(),
      title: 'Classe virtuelle : la messagerie collaborative',
      audience: 'agents',
      startsAt: day(10 + month * 30, 12),
      endsAt: day(10 + month * 30, 14),
      place: 'À distance',
      remote: true,
      trainer: 'Équipe d’assistance',
      capacity: 30,
      registrationDeadline: day(9 + month * 30, 16),
    });
  }
  for (const [index, session] of sessions.entries()) {
    const local = members.filter((m) => m.departement_code === session.departementCode);
    const pool = local.length > 0 ? local : members;
    if (pool.length === 0) continue;
    // One session in three is full, with a waiting list; the others half full.
    const capacity = session.capacity ?? 10;
    const count = index % 3 === 0 ? capacity + rng.int(1, 4) : Math.floor(capacity / 2);
    const perMember = new Map<string, number>();
    for (let n = 0; n < count; n++) {
      const member = rng.pick(pool);
      const held = perMember.get(member.id) ?? 0;
      if (held >= 3) continue;
      perMember.set(member.id, held + 1);
      registrations.push({
        id: rng.uuid(),
        memberId: member.id,
        sessionId: String(session.id),
        name: `Agent ${index + 1}-${n + 1}`,
        email: `agent-${index + 1}-${n + 1}@formation.example`,
        status:
          registrations.filter((r) => r.sessionId === session.id && r.status === 'confirmed').length <
          capacity
            ? 'confirmed'
            : 'waitlisted',
        createdAt: new Date(now.getTime() - (count - n) * 3_600_000),
      });
    }
  }
  await insertRows(db, trainingSessions, sessions);
  await insertRows(db, trainingRegistrations, registrations);
  return { sessions: sessions.length, registrations: registrations.length };
}

const ARTICLES: [string, string | null, 'public' | 'members', string][] = [
  [
    'Réinitialiser son mot de passe de messagerie',
    'HEB-MESSAGERIE',
    'public',
    'Ouvrez la page de connexion, choisissez **Mot de passe oublié** et suivez le lien reçu.',
  ],
  [
    'Configurer la messagerie sur un téléphone',
    'HEB-MESSAGERIE',
    'public',
    '1. Ajoutez un compte Exchange.\n2. Saisissez votre adresse et votre mot de passe.',
  ],
  [
    'Partager un agenda avec les élus',
    'HEB-MESSAGERIE',
    'members',
    'Dans l’agenda, **Partager** puis choisissez les personnes et leurs droits.',
  ],
  [
    'Envoyer un courriel à tous les conseillers',
    'HEB-MESSAGERIE',
    'members',
    'Utilisez la liste de diffusion du conseil municipal, tenue par l’opérateur.',
  ],
  [
    'Mettre à jour une page du site internet',
    'HEB-SITES',
    'public',
    'Connectez-vous à l’administration du site, **Contenu**, puis modifiez la page.',
  ],
  [
    'Publier un arrêté sur le site',
    'HEB-SITES',
    'public',
    'Les actes publiés depuis le registre apparaissent seuls sur le portail des actes.',
  ],
  [
    'Ajouter un agent au site',
    'HEB-SITES',
    'members',
    'Demandez la création du compte par un ticket « Accès et comptes ».',
  ],
  [
    'Signer un document dans le parapheur',
    'DEMAT-PARAPHEUR',
    'public',
    'Ouvrez le dossier, vérifiez les pièces, puis **Signer** avec votre certificat.',
  ],
  [
    'Déléguer sa signature pendant ses congés',
    'DEMAT-PARAPHEUR',
    'members',
    'Dans **Mon profil**, ajoutez une délégation avec ses dates.',
  ],
  [
    'Le certificat de signature a expiré',
    'DEMAT-PARAPHEUR',
    'public',
    'Ouvrez un ticket : l’opérateur commande le nouveau certificat.',
  ],
  [
    'Restaurer un fichier supprimé',
    'CYBER-SAUVEGARDE',
    'public',
    'Les sauvegardes gardent 30 jours : indiquez le dossier et la date dans un ticket.',
  ],
  [
    'Vérifier que la sauvegarde a fonctionné',
    'CYBER-SAUVEGARDE',
    'members',
    'Le rapport quotidien arrive chaque matin ; un échec ouvre une alerte.',
  ],
  [
    'Que faire en cas de message suspect ?',
    null,
    'public',
    'Ne cliquez pas, ne répondez pas : transférez-le à l’assistance puis supprimez-le.',
  ],
  [
    'Signaler un incident de sécurité',
    null,
    'public',
    'Déclarez-le dans **Cybersécurité → Incidents** : les délais courent dès la détection.',
  ],
  [
    'Inscrire un agent à une formation',
    null,
    'public',
    'Ouvrez le calendrier des formations, choisissez la session et inscrivez la personne.',
  ],
  [
    'Annuler une inscription à une formation',
    null,
    'members',
    'Depuis la session, jusqu’à la date limite ; la place va à la liste d’attente.',
  ],
  [
    'Comprendre les délais de réponse',
    null,
    'public',
    'Les délais sont comptés en heures ouvrées, hors jours fériés, suspendus quand nous attendons votre réponse.',
  ],
  [
    'Ajouter un utilisateur de la structure',
    null,
    'members',
    'L’administrateur de la structure invite la personne depuis **Utilisateurs**.',
  ],
  [
    'Changer d’organisation quand on sert deux communes',
    null,
    'public',
    'Le sélecteur de l’en-tête change la structure pour laquelle vous agissez.',
  ],
  ['Télécharger une facture', null, 'members', 'Dans **Mes factures**, chaque facture a son PDF.'],
];

/** The knowledge base of the demo: twenty articles over the hosted services and general questions. */
export async function seedArticles(db: Db): Promise<{ articles: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM support_articles`));
  if (Number(existing[0]?.n ?? 0) > 0) return { articles: 0 };
  const services = new Map(
    rowsOf<{ id: string; code: string }>(await db.execute(sql`SELECT id, code FROM catalogue_services`)).map(
      (s) => [s.code, s.id],
    ),
  );
  const rng = new Random(1616);
  const rows = ARTICLES.map(([title, code, visibility, body]) => ({
    id: rng.uuid(),
    title,
    body,
    serviceId: code ? (services.get(code) ?? null) : null,
    visibility,
    searchKey: searchKey(`${title} ${body}`),
    helpfulYes: rng.int(0, 40),
    helpfulNo: rng.int(0, 8),
  }));
  await insertRows(db, supportArticles, rows);
  return { articles: rows.length };
}
