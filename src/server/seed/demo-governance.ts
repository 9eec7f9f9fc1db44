import crypto from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { frenchDate, parisDay } from '../../contracts/french.js';
import { searchKey } from '../../contracts/search.js';
import { hashPassword } from '../modules/accounts/password.js';
import { acts } from '../modules/acts/acts.schema.js';
import { adoptMinutes, publishMinutes } from '../modules/governance/governance.minutes.service.js';
import { publishDeliberationsList } from '../modules/governance/governance.publication.service.js';
import { addDays, convocationDueBy } from '../modules/governance/governance.rules.js';
import {
  governanceAssemblies,
  governanceAttendance,
  governanceColleges,
  governanceConvocations,
  governanceItems,
  governanceSeats,
  governanceSessions,
} from '../modules/governance/governance.schema.js';
import { closeSession } from '../modules/governance/governance.sessions.service.js';
import { deliberationNumber } from '../modules/governance/governance.votes.service.js';
import { pricingAdoptions } from '../modules/pricing/pricing.schema.js';
import type { AuditSource } from '../platform/audit/audit.js';
import { type Actor, tenantOf } from '../platform/auth/context.js';
import { loadOrganisationRoles } from '../platform/auth/session.js';
// Named for what it does here (not a React hook, which its `use` prefix makes the linter think).
import { useClock as replaceClock } from '../platform/clock.js';
import { type Db, rowsOf, type Tx } from '../platform/db/client.js';
import { organisationUsers, users } from '../platform/db/schema.js';
import { settingsKey, tenantSettingsStatement } from '../platform/db/tenancy.js';
import type { ObjectStorage } from '../platform/storage/storage.js';
import { insertRows } from './bulk.js';
import { DEMO_PASSWORD } from './demo.js';
import { randomPerson, slug } from './generators.js';
import { Random } from './random.js';

/**
 * The demo's assemblies (issue 12): the operator's comité syndical (delegates of every college —
 * communes by département, EPCI with two votes each, other bodies — titulars and their substitutes)
 * and its bureau; three past sessions with their deliberations (one accepting the memberships the
 * comité accepted, one adopting the current year's tariffs, then the accounts), a session today with
 * convocations sent and the pending membership requests on its agenda (the secretary records
 * attendance and votes them), and an upcoming one already convened; La Roche-sur-Yon's conseil
 * municipal with its 55 councillors and two sessions. The official `elu@socle.example` chairs the
 * comité and the bureau. Dated relative to `now`; does nothing when assemblies exist already.
 *
 * After the sittings, as the secretary would (the operator's admin, through the services, each step
 * at its date by the platform's clock): every past sitting of the operator is closed the same
 * evening and its list of deliberations published two days later (within the week the law allows);
 * each comité adopts the previous sitting's procès-verbal (the first two are adopted, frozen in
 * object storage with their SHA-256, and published; the last one is on today's agenda). La
 * Roche-sur-Yon's past council is closed and its list published by its rows: the town does not
 * subscribe to « Convocations électroniques des élus », without which the services refuse its
 * managers.
 */

export const ELU_ACCOUNT = {
  email: 'elu@socle.example',
  displayName: 'Annick Morisset',
  line: "elu@socle.example — élue, présidente du comité syndical et du bureau (espace de l'élu)",
};

const LA_ROCHE = '85191';
const DAY = 86_400_000;
const SEED = 20_260_012;
const DEPARTEMENTS: [string, string][] = [
  ['44', 'Communes de Loire-Atlantique'],
  ['49', 'Communes de Maine-et-Loire'],
  ['53', 'Communes de la Mayenne'],
  ['72', 'Communes de la Sarthe'],
  ['85', 'Communes de la Vendée'],
];

interface Member {
  id: string;
  name: string;
  kind: string;
  departement_code: string | null;
  commune_code: string | null;
  status: string;
  population: number | null;
}

type SeatRow = typeof governanceSeats.$inferInsert & { id: string };
type SessionRow = typeof governanceSessions.$inferInsert & { id: string };
type ItemRow = typeof governanceItems.$inferInsert & { id: string };

/** An instant at `hour`:00 in Paris on `day` (the offset read for that day). */
function parisInstant(day: string, hour: number): Date {
  const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const shown = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(
      guess,
    ),
  );
  return new Date(guess.getTime() - (shown - hour) * 3_600_000);
}

export async function seedGovernance(
  db: Db,
  storage: ObjectStorage,
  now: Date,
): Promise<{ assemblies: number; seats: number; sessions: number; minutes: number }> {
  const existing = rowsOf<{ n: unknown }>(
    await db.execute(sql`SELECT count(*) AS n FROM governance_assemblies`),
  );
  if (Number(existing[0]?.n ?? 0) > 0) return { assemblies: 0, seats: 0, sessions: 0, minutes: 0 };
  const [operator] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) return { assemblies: 0, seats: 0, sessions: 0, minutes: 0 };
  const members = rowsOf<Member>(
    await db.execute(sql`SELECT id, name, kind, departement_code, commune_code, status, population
      FROM organisations WHERE kind <> 'operator' ORDER BY search_name, id`),
  );
  const rng = new Random(SEED);
  const today = parisDay(now);
  const year = Number(today.slice(0, 4));
  // Read before the transaction: it acts as the secretary at its end (the database's single session
  // on PGlite could not answer this read meanwhile).
  const key = await settingsKey(db);

  return db.transaction(async (tx) => {
    // The official's account (no organisation role: an elected official, not an agent).
    let [elu] = await tx.select({ id: users.id }).from(users).where(eq(users.email, ELU_ACCOUNT.email));
    if (!elu) {
      [elu] = await tx
        .insert(users)
        .values({
          email: ELU_ACCOUNT.email,
          displayName: ELU_ACCOUNT.displayName,
          passwordHash: await hashPassword(DEMO_PASSWORD),
        })
        .returning({ id: users.id });
    }

    const assemblies: (typeof governanceAssemblies.$inferInsert & { id: string })[] = [];
    const colleges: (typeof governanceColleges.$inferInsert & { id: string })[] = [];
    const seats: SeatRow[] = [];
    const sessions: SessionRow[] = [];
    const items: ItemRow[] = [];
    const convocations: (typeof governanceConvocations.$inferInsert)[] = [];
    const attendance: (typeof governanceAttendance.$inferInsert)[] = [];
    const actRows: (typeof acts.$inferInsert)[] = [];

    // The comité syndical and its colleges ------------------------------------------------------
    const comite = {
      id: rng.uuid(),
      memberId: operator.id,
      kind: 'comite_syndical' as const,
      name: 'Comité syndical',
    };
    const bureau = { id: rng.uuid(), memberId: operator.id, kind: 'bureau' as const, name: 'Bureau' };
    assemblies.push(comite, bureau);
    const adherents = members.filter((m) => m.status === 'member' || m.status === 'withdrawal_requested');
    const groups: { name: string; seats: number; weight: number; pool: Member[] }[] = [
      ...DEPARTEMENTS.map(([code, name]) => ({
        name,
        seats: 8,
        weight: 1,
        pool: adherents.filter((m) => m.kind === 'commune' && m.departement_code === code),
      })),
      {
        name: 'Établissements publics de coopération intercommunale',
        seats: 10,
        weight: 2,
        pool: adherents.filter((m) => m.kind === 'epci'),
      },
      {
        name: 'Autres structures publiques',
        seats: 6,
        weight: 1,
        pool: adherents.filter((m) => m.kind !== 'commune' && m.kind !== 'epci'),
      },
    ];
    const termStart = `${year - 2}-09-15`;
    const usedEmails = new Set<string>();
    const person = () => {
      for (;;) {
        const p = randomPerson(rng);
        const email = `${slug(p.firstName, '.')}.${slug(p.lastName, '.')}@elus.example`;
        if (usedEmails.has(email)) continue;
        usedEmails.add(email);
        return { fullName: `${p.firstName} ${p.lastName}`, email };
      }
    };
    let eluSeat: SeatRow | null = null;
    for (const group of groups) {
      const college = {
        id: rng.uuid(),
        memberId: operator.id,
        assemblyId: comite.id,
        name: group.name,
        seats: group.seats,
        voteWeight: group.weight,
      };
      colleges.push(college);
      const step = Math.max(1, Math.floor(group.pool.length / group.seats));
      const designating = group.pool.filter((_, i) => i % step === 0).slice(0, group.seats);
      const laRoche = group.pool.find((m) => m.commune_code === LA_ROCHE);
      if (laRoche && !designating.includes(laRoche)) designating[0] = laRoche;
      for (const member of designating) {
        const isElu = laRoche === member;
        const titular: SeatRow = {
          id: rng.uuid(),
          memberId: operator.id,
          assemblyId: comite.id,
          collegeId: college.id,
          kind: 'titular',
          ...(isElu
            ? { fullName: ELU_ACCOUNT.displayName, email: ELU_ACCOUNT.email, userId: elu.id, isChair: true }
            : person()),
          designatedBy: member.id,
          paperConvocation: !isElu && rng.chance(0.05),
          termStart,
        };
        if (isElu) eluSeat = titular;
        seats.push(titular, {
          id: rng.uuid(),
          memberId: operator.id,
          assemblyId: comite.id,
          collegeId: college.id,
          kind: 'substitute',
          ...person(),
          designatedBy: member.id,
          substituteFor: titular.id,
          termStart,
        });
      }
    }
    const comiteTitulars = seats.filter((s) => s.kind === 'titular');
    // The bureau: the president and seven vice-presidents drawn from the comité.
    const bureauPeople = [
      eluSeat ?? comiteTitulars[0],
      ...comiteTitulars
        .filter((s) => s !== eluSeat)
        .filter((_, i) => i % 7 === 3)
        .slice(0, 7),
    ];
    for (const [i, s] of bureauPeople.entries()) {
      seats.push({
        id: rng.uuid(),
        memberId: operator.id,
        assemblyId: bureau.id,
        kind: 'titular',
        fullName: s.fullName,
        email: s.email ?? null,
        userId: s.userId ?? null,
        designatedBy: s.designatedBy ?? null,
        isChair: i === 0,
        termStart,
      });
    }

    // Sessions -------------------------------------------------------------------------------------
    const acceptedMembers = members.filter((m) => m.status === 'accepted');
    const pending = members.filter((m) => m.status === 'requested').slice(0, 3);
    const session = (
      assembly: { id: string; memberId: string },
      daysFromNow: number,
      hour: number,
      status: SessionRow['status'],
      days: number,
      sentDaysBefore: number | null,
    ): SessionRow => {
      const startsAt = parisInstant(addDays(today, daysFromNow), hour);
      const row: SessionRow = {
        id: rng.uuid(),
        memberId: assembly.memberId,
        assemblyId: assembly.id,
        startsAt,
        place:
          assembly.memberId === operator.id
            ? 'Siège du syndicat, salle du comité, La Roche-sur-Yon'
            : 'Hôtel de ville, salle du conseil',
        remote: assembly.memberId === operator.id,
        status,
        convocationDays: days,
        convocationDueBy: convocationDueBy(startsAt, days),
        convocationsSentAt:
          sentDaysBefore === null ? null : new Date(startsAt.getTime() - sentDaysBefore * DAY),
        createdAt: new Date(Math.min(now.getTime(), startsAt.getTime() - ((sentDaysBefore ?? 10) + 1) * DAY)),
      };
      sessions.push(row);
      return row;
    };
    const item = (s: SessionRow, title: string, note: string, extra: Partial<ItemRow> = {}): ItemRow => {
      const row: ItemRow = {
        id: rng.uuid(),
        memberId: s.memberId,
        sessionId: s.id,
        position: items.filter((i) => i.sessionId === s.id).length + 1,
        title,
        explanatoryNote: note,
        classification: '5.2',
        ...extra,
      };
      items.push(row);
      return row;
    };
    /** Convocations (sent, most opened and acknowledged) and, for a held session, attendance and votes. */
    const sit = (s: SessionRow, roster: SeatRow[], held: boolean) => {
      const sentAt = s.convocationsSentAt ?? null;
      for (const seat of roster.filter((r) => r.kind === 'titular')) {
        if (sentAt) {
          const opened =
            held || rng.chance(0.7) ? new Date(sentAt.getTime() + rng.int(1, 48) * 3_600_000) : null;
          convocations.push({
            memberId: s.memberId,
            sessionId: s.id,
            seatId: seat.id,
            email: seat.email ?? null,
            paper: seat.paperConvocation ?? false,
            tokenHash: crypto.createHash('sha256').update(crypto.randomBytes(32)).digest('hex'),
            queuedAt: sentAt,
            sentAt: seat.paperConvocation || !seat.email ? null : new Date(sentAt.getTime() + 60_000),
            openedAt: opened,
            receivedAt: opened && rng.chance(0.8) ? opened : null,
          });
        }
      }
      if (!held) return;
      const titulars = roster.filter((r) => r.kind === 'titular');
      const present: SeatRow[] = [];
      for (const seat of titulars) {
        const roll = rng.next();
        const status = roll < 0.8 ? 'present' : roll < 0.88 ? 'excused' : 'absent';
        if (status === 'present') present.push(seat);
        attendance.push({
          memberId: s.memberId,
          sessionId: s.id,
          seatId: seat.id,
          status,
          recordedAt: s.startsAt,
        });
      }
      // Two excused members gave their proxy to a present one each.
      const excused = attendance.filter((a) => a.sessionId === s.id && a.status === 'excused').slice(0, 2);
      excused.forEach((a, i) => {
        const holder = present[i];
        if (!holder) return;
        a.status = 'represented';
        a.proxySeatId = holder.id;
      });
      const voters = present.length + excused.filter((a) => a.proxySeatId).length;
      for (const it of items.filter((i) => i.sessionId === s.id)) {
        const against = rng.int(0, Math.max(0, Math.floor(voters / 10)));
        // Adopted: more votes for than against, and never more ballots than voters.
        const abstention = rng.int(0, Math.max(0, Math.min(3, voters - 2 * against - 1)));
        const votesFor = voters - against - abstention;
        const number = deliberationNumber(s.startsAt, it.position);
        const actId = rng.uuid();
        const day = parisDay(s.startsAt);
        actRows.push({
          id: actId,
          memberId: s.memberId,
          nature: 'DE',
          classification: it.classification ?? '5.2',
          number,
          decidedOn: day,
          subject: it.title,
          searchKey: searchKey(`${it.title} ${number}`),
          sessionOn: day,
          status: 'draft',
          votesMembers: titulars.length,
          votesPresent: voters,
          votesFor,
          votesAgainst: against,
          votesAbstention: abstention,
          createdAt: s.startsAt,
          updatedAt: s.startsAt,
        });
        Object.assign(it, {
          status: 'adopted',
          votesMembers: titulars.length,
          votesPresent: present.length,
          votesFor,
          votesAgainst: against,
          votesAbstention: abstention,
          votesNotVoting: 0,
          votedAt: new Date(s.startsAt.getTime() + it.position * 600_000),
          actId,
          decisionExecutedAt: it.decisionKind ? new Date(s.startsAt.getTime() + it.position * 600_000) : null,
        });
      }
    };

    const comiteRoster = seats.filter((s) => s.assemblyId === comite.id);
    // Held: closed after the insert, through the service (see below).
    const first = session(comite, -150, 18, 'held', 5, 8);
    item(
      first,
      'Débat d’orientation budgétaire',
      'Présentation du rapport d’orientation budgétaire et débat.',
      { classification: '7.1' },
    );
    for (const m of acceptedMembers.slice(0, 6)) {
      item(
        first,
        `Adhésion de ${m.name}`,
        `${m.name} a délibéré pour adhérer au syndicat ; le comité se prononce sur sa demande.`,
        {
          decisionKind: 'accept_membership',
          decisionMemberId: m.id,
        },
      );
    }
    sit(first, comiteRoster, true);
    const second = session(comite, -90, 18, 'held', 5, 7);
    const approve = (s: SessionRow, earlier: SessionRow) =>
      item(
        s,
        `Approbation du procès-verbal de la séance du ${frenchDate(earlier.startsAt)}`,
        'Procès-verbal joint à la convocation.',
        { decisionKind: 'adopt_minutes', decisionSessionId: earlier.id },
      );
    approve(second, first);
    item(
      second,
      `Adoption des tarifs ${year} et de la cotisation`,
      `Grille tarifaire ${year} des services mutualisés et cotisation par habitant.`,
      {
        classification: '7.1',
        decisionKind: 'adopt_pricing',
        decisionYear: year,
      },
    );
    item(second, `Budget primitif ${year}`, 'Vote du budget primitif du syndicat.', {
      classification: '7.1',
    });
    sit(second, comiteRoster, true);
    const third = session(comite, -30, 18, 'held', 5, 6);
    approve(third, second);
    item(
      third,
      `Compte administratif ${year - 1}`,
      'Approbation du compte administratif et du compte de gestion.',
      { classification: '7.1' },
    );
    item(third, 'Rapport d’activité', 'Présentation du rapport d’activité annuel du syndicat.');
    sit(third, comiteRoster, true);
    // Today: convened in time, the pending requests on the agenda; the secretary holds the sitting.
    const todaySession = session(comite, 0, 18, 'convened', 5, 8);
    // Adopting the previous sitting's procès-verbal: frozen as adopted when the item is voted.
    item(
      todaySession,
      'Approbation du procès-verbal de la séance précédente',
      'Procès-verbal joint à la convocation.',
      { decisionKind: 'adopt_minutes', decisionSessionId: third.id },
    );
    for (const m of pending) {
      item(
        todaySession,
        `Adhésion de ${m.name}`,
        `${m.name} a délibéré pour adhérer au syndicat ; le comité se prononce sur sa demande.`,
        {
          decisionKind: 'accept_membership',
          decisionMemberId: m.id,
        },
      );
    }
    sit(todaySession, comiteRoster, false);
    const upcoming = session(comite, 12, 18, 'convened', 5, 0);
    upcoming.convocationsSentAt = now;
    item(
      upcoming,
      `Décision modificative n° 1 du budget ${year}`,
      'Ajustements de crédits en cours d’exercice.',
      { classification: '7.1' },
    );
    item(
      upcoming,
      'Schéma directeur du numérique mutualisé',
      'Orientations pluriannuelles des services numériques.',
    );
    sit(upcoming, comiteRoster, false);
    const bureauSession = session(bureau, -45, 10, 'held', 5, 6);
    item(bureauSession, 'Préparation du comité syndical', 'Ordre du jour du prochain comité.');
    sit(
      bureauSession,
      seats.filter((s) => s.assemblyId === bureau.id),
      true,
    );

    // La Roche-sur-Yon's conseil municipal ----------------------------------------------------------
    const laRoche = members.find((m) => m.commune_code === LA_ROCHE);
    if (laRoche) {
      const council = {
        id: rng.uuid(),
        memberId: laRoche.id,
        kind: 'conseil_municipal' as const,
        name: 'Conseil municipal',
      };
      assemblies.push(council);
      // The councils elected in March 2026 (the previous ones in 2020).
      const mandate = today >= '2026-03-22' ? '2026-03-22' : '2020-05-23';
      for (let i = 0; i < 55; i++) {
        const p = person();
        seats.push({
          id: rng.uuid(),
          memberId: laRoche.id,
          assemblyId: council.id,
          kind: 'titular',
          fullName: p.fullName,
          email: p.email.replace('@elus.example', '@larochesuryon.example'),
          isChair: i === 0,
          paperConvocation: rng.chance(0.04),
          termStart: mandate,
        });
      }
      const roster = seats.filter((s) => s.assemblyId === council.id);
      const past = session(council, -20, 19, 'closed', 5, 6);
      item(past, 'Budget supplémentaire de la ville', 'Reprise des résultats et ajustements.', {
        classification: '7.1',
      });
      item(
        past,
        'Tarifs municipaux de la saison culturelle',
        'Grille tarifaire du Grand R et des équipements culturels.',
        { classification: '7.10' },
      );
      sit(past, roster, true);
      past.closedAt = closingOf(past);
      past.deliberationsPublishedAt = publicationOf(past);
      const next = session(council, 9, 19, 'planned', 5, null);
      item(next, 'Approbation du procès-verbal de la séance précédente', 'Procès-verbal joint.');
      item(next, 'Subventions aux associations sportives', 'Répartition annuelle des subventions.', {
        classification: '7.5',
      });
      // Managing the council needs « Convocations électroniques des élus », which the demo catalogue
      // keeps proposed (no subscriber): a subscription seeded here would be unpriced in this year's
      // cost-sharing and billing, already issued. The town's people read their council meanwhile.
    }

    await insertRows(tx, governanceAssemblies, assemblies);
    await insertRows(tx, governanceColleges, colleges);
    // Titulars before their substitutes (the substitute's key points to its titular).
    // json_populate_recordset gives NULL to a column a row omits: every row carries every flag.
    const seatRows = seats.map((s) => ({ isChair: false, paperConvocation: false, ...s }));
    await insertRows(
      tx,
      governanceSeats,
      seatRows.filter((s) => !s.substituteFor),
    );
    await insertRows(
      tx,
      governanceSeats,
      seatRows.filter((s) => s.substituteFor),
    );
    await insertRows(tx, governanceSessions, sessions);
    await insertRows(tx, acts, actRows);
    await insertRows(
      tx,
      governanceItems,
      items.map((i) => ({
        status: 'pending',
        secretBallot: false,
        namedVote: false,
        chairPrevailed: false,
        weighted: false,
        ...i,
      })),
    );
    await insertRows(tx, governanceConvocations, convocations);
    await insertRows(tx, governanceAttendance, attendance);
    const tariffs = items.find((i) => i.decisionKind === 'adopt_pricing' && i.actId);
    if (tariffs) {
      const act = actRows.find((a) => a.id === tariffs.actId);
      await tx
        .insert(pricingAdoptions)
        .values({
          year,
          adoptedOn: act?.decidedOn ?? today,
          actId: tariffs.actId ?? null,
          deliberationNumber: act?.number ?? null,
        })
        .onConflictDoNothing();
    }

    // After the sittings, as the operator's secretary ------------------------------------------------
    const minutes = await afterTheSittings(tx as Tx, key, storage, operator.id, {
      sittings: [first, second, bureauSession, third],
      items,
      actRows,
    });
    return { assemblies: assemblies.length, seats: seats.length, sessions: sessions.length, minutes };
  });
}

/** A sitting closes the same evening, two and a half hours after it began. */
const closingOf = (s: { startsAt: Date }) => new Date(s.startsAt.getTime() + 150 * 60_000);
/** Its list of deliberations is published two days after, at 10:00 in Paris (the law gives a week). */
const publicationOf = (s: { startsAt: Date }) => parisInstant(addDays(parisDay(closingOf(s)), 2), 10);

/** Runs `work` with the platform's clock at `instant` (what the services date their writes with). */
async function at<T>(instant: Date, work: () => Promise<T>): Promise<T> {
  const restore = replaceClock(instant);
  try {
    return await work();
  } finally {
    restore();
  }
}

/**
 * The operator's past sittings (held, in date order) closed, their lists published and the
 * procès-verbaux their items adopt drawn, frozen and published, through the governance services as
 * the operator's admin would, in the seed's transaction (which acts as them from here on: the
 * restricted role and RLS, as a request). Returns how many procès-verbaux were adopted.
 */
async function afterTheSittings(
  tx: Tx,
  key: Buffer,
  storage: ObjectStorage,
  operatorId: string,
  record: { sittings: SessionRow[]; items: ItemRow[]; actRows: (typeof acts.$inferInsert)[] },
): Promise<number> {
  const [admin] = await tx
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(and(eq(organisationUsers.memberId, operatorId), eq(organisationUsers.role, 'admin')))
    .orderBy(asc(users.createdAt), asc(users.email))
    .limit(1);
  if (!admin) throw new Error('demo governance: the operator has no admin to act as its secretary');
  const organisations = await loadOrganisationRoles(tx, admin.id);
  const current = organisations.find((o) => o.organisationId === operatorId) ?? null;
  const actor: Actor = {
    userId: admin.id,
    email: admin.email,
    displayName: admin.displayName,
    sessionId: '',
    csrfToken: '',
    organisations,
    current,
    isOperator: true,
    sessionExpiresAt: Number.POSITIVE_INFINITY,
  };
  const source: AuditSource = { actorUserId: admin.id, ipAddress: null };
  await tx.execute(sql.raw(tenantSettingsStatement(tenantOf(actor), key)));
  let adopted = 0;
  for (const sitting of record.sittings) {
    for (const it of record.items.filter((i) => i.sessionId === sitting.id)) {
      if (it.decisionKind !== 'adopt_minutes' || !it.decisionSessionId || !it.votedAt) continue;
      const number = record.actRows.find((a) => a.id === it.actId)?.number ?? '';
      const earlier = it.decisionSessionId;
      const votedAt = it.votedAt;
      await at(votedAt, () =>
        adoptMinutes(
          tx,
          { storage, actor },
          earlier,
          {
            adopting: { assemblyId: sitting.assemblyId, sessionId: sitting.id, startsAt: sitting.startsAt },
            itemId: it.id,
            votedAt,
            deliberationNumber: number,
          },
          source,
        ),
      );
      adopted++;
    }
    await at(closingOf(sitting), () => closeSession(tx, actor, sitting.id, source));
    const published = publicationOf(sitting);
    await at(published, () => publishDeliberationsList(tx, actor, sitting.id, source));
    // The procès-verbaux adopted at this sitting, published with its list.
    for (const it of record.items.filter((i) => i.sessionId === sitting.id)) {
      if (it.decisionKind !== 'adopt_minutes' || !it.decisionSessionId) continue;
      const earlier = it.decisionSessionId;
      await at(new Date(published.getTime() + 5 * 60_000), () => publishMinutes(tx, actor, earlier, source));
    }
  }
  return adopted;
}
