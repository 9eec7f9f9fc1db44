import { and, asc, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { forPdf, frenchDateTime } from '../../../contracts/french.js';
import {
  type Registration,
  type RegistrationInput,
  TRAINING_AUDIENCE_LABELS,
  type TrainingSession,
  type TrainingSessionInput,
  type TrainingSessionUpdate,
} from '../../../contracts/support.js';
import { organisations } from '../../kernel/identity.schema.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import { type Executor, rowsOf } from '../../platform/db/client.js';
import { conflict, notFound } from '../../platform/errors.js';
import { emitEvent, emitEvents } from '../../platform/events/events.js';
import { newPdfDocument } from '../../platform/export/pdf.js';
import {
  afterCursor,
  cursorInstant,
  decodeInstantCursor,
  encodeCursor,
  pageOf,
} from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { MailAttachment, Mailer } from '../../platform/mail/mailer.js';
import { catalogueServiceOf } from './support.levels.service.js';
import { trainingRegistrations, trainingSessions } from './support.schema.js';

/**
 * Training sessions (issue 14, §3): the public calendar, registrations within capacity (the session
 * row locked by `training_lock_session`, so concurrent registrations queue and never overfill it),
 * the waiting list promoted in order by a job when a place frees up, a per-member cap, cancellation
 * until the deadline, the convocation by e-mail with the session's iCalendar link, the attendance
 * sheet as a PDF.
 */

export const SESSION_NOT_FOUND = "Cette session de formation n'existe pas.";
export const REGISTRATION_NOT_FOUND = "Cette inscription n'existe pas.";
export const PROMOTE_JOB = 'training.promote';

type SessionRow = typeof trainingSessions.$inferSelect;
type RegistrationRow = typeof trainingRegistrations.$inferSelect;

export interface TrainingDeps {
  mailer: Mailer;
  publicUrl: string;
}

function present(row: SessionRow, counts: { confirmed: number; waitlisted: number }): TrainingSession {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    audience: row.audience,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    place: row.place,
    departementCode: row.departementCode,
    remote: row.remote,
    trainer: row.trainer,
    capacity: row.capacity,
    perMemberCap: row.perMemberCap,
    registrationDeadline: row.registrationDeadline.toISOString(),
    confirmed: counts.confirmed,
    waitlisted: counts.waitlisted,
    full: counts.confirmed >= row.capacity,
    attendanceRecordedAt: row.attendanceRecordedAt?.toISOString() ?? null,
    serviceId: row.serviceId,
  };
}

const presentRegistration = (r: RegistrationRow): Registration => ({
  id: r.id,
  sessionId: r.sessionId,
  memberId: r.memberId,
  name: r.name,
  email: r.email,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
});

/** Public counts of sessions (SECURITY DEFINER: a member may not read other members' registrations). */
async function countsOf(db: Executor, ids: string[]) {
  const counts = new Map<string, { confirmed: number; waitlisted: number }>();
  if (ids.length === 0) return counts;
  const rows = rowsOf<{ session_id: string; confirmed: number; waitlisted: number }>(
    await db.execute(sql`SELECT * FROM training_counts(${`{${ids.join(',')}}`}::uuid[])`),
  );
  for (const r of rows)
    counts.set(r.session_id, { confirmed: Number(r.confirmed), waitlisted: Number(r.waitlisted) });
  return counts;
}

export async function requireSession(db: Executor, id: string): Promise<SessionRow> {
  const [row] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, id));
  if (!row) throw notFound(SESSION_NOT_FOUND);
  return row;
}

export async function createSession(
  db: Executor,
  input: TrainingSessionInput,
  source: AuditSource,
): Promise<TrainingSession> {
  const startsAt = new Date(input.startsAt);
  const [row] = await db
    .insert(trainingSessions)
    .values({
      title: input.title,
      description: input.description || null,
      audience: input.audience ?? 'tous',
      startsAt,
      endsAt: new Date(input.endsAt),
      place: input.place,
      departementCode: input.departementCode ?? null,
      remote: input.remote ?? false,
      trainer: input.trainer || null,
      capacity: input.capacity,
      perMemberCap: input.perMemberCap ?? null,
      registrationDeadline: input.registrationDeadline ? new Date(input.registrationDeadline) : startsAt,
      serviceId: await catalogueServiceOf(db, input.serviceId),
    })
    .returning();
  if (!row) throw new Error('session not inserted');
  await recordAudit(db, {
    ...source,
    action: 'training.session.create',
    targetType: 'training_session',
    targetId: row.id,
  });
  return present(row, { confirmed: 0, waitlisted: 0 });
}

/**
 * Edits a session. Capacity may not fall below the confirmed registrations (cancel some first); a
 * larger one gives the new places to the waiting list (the `training.promote` job). The session row is
 * locked first, as registrations do.
 */
export async function updateSession(
  db: Executor,
  id: string,
  input: TrainingSessionUpdate,
  source: AuditSource,
): Promise<TrainingSession> {
  const [locked] = rowsOf<{ confirmed: number; waitlisted: number }>(
    await db.execute(sql`SELECT * FROM training_lock_session(${id})`),
  );
  const before = await requireSession(db, id);
  const confirmed = Number(locked?.confirmed ?? 0);
  if (input.capacity < confirmed) {
    throw conflict(`${confirmed} inscriptions sont confirmées : la capacité ne peut descendre en dessous.`, [
      { path: 'body.capacity', message: `Au moins ${confirmed} places (les inscriptions confirmées)` },
    ]);
  }
  const startsAt = new Date(input.startsAt);
  const [row] = await db
    .update(trainingSessions)
    .set({
      title: input.title,
      description: input.description || null,
      audience: input.audience ?? 'tous',
      startsAt,
      endsAt: new Date(input.endsAt),
      place: input.place,
      departementCode: input.departementCode ?? null,
      remote: input.remote ?? false,
      trainer: input.trainer || null,
      capacity: input.capacity,
      perMemberCap: input.perMemberCap ?? null,
      registrationDeadline: input.registrationDeadline ? new Date(input.registrationDeadline) : startsAt,
      serviceId: await catalogueServiceOf(db, input.serviceId),
    })
    .where(eq(trainingSessions.id, id))
    .returning();
  if (!row) throw notFound(SESSION_NOT_FOUND);
  if (row.capacity > before.capacity && Number(locked?.waitlisted ?? 0) > 0) {
    await enqueue(db, PROMOTE_JOB, { sessionId: id });
  }
  await recordAudit(db, {
    ...source,
    action: 'training.session.update',
    targetType: 'training_session',
    targetId: id,
    details: before.capacity === row.capacity ? undefined : { capacity: [before.capacity, row.capacity] },
  });
  return present(row, { confirmed, waitlisted: Number(locked?.waitlisted ?? 0) });
}

export async function getSession(db: Executor, id: string): Promise<TrainingSession> {
  const row = await requireSession(db, id);
  return present(row, (await countsOf(db, [id])).get(id) ?? { confirmed: 0, waitlisted: 0 });
}

/**
 * The calendar: sessions from today on, by start, optionally in one département; `past`: the sessions
 * already over, the latest first (the support team's attendance and surveys).
 */
export async function listSessions(
  db: Executor,
  query: { departement?: string; period?: 'upcoming' | 'past'; limit: number; cursor?: string },
) {
  const past = query.period === 'past';
  const filters: (SQL | undefined)[] = [
    past ? lt(trainingSessions.endsAt, now()) : gte(trainingSessions.endsAt, now()),
  ];
  if (query.departement) filters.push(eq(trainingSessions.departementCode, query.departement));
  const cursor = decodeInstantCursor(query.cursor);
  const order = past ? desc : asc;
  const rows = await db
    .select({ session: trainingSessions, stamp: cursorInstant(trainingSessions.startsAt) })
    .from(trainingSessions)
    .where(and(...filters, afterCursor(trainingSessions.startsAt, trainingSessions.id, cursor, past)))
    .orderBy(order(trainingSessions.startsAt), order(trainingSessions.id))
    .limit(query.limit + 1);
  const [total] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM training_sessions WHERE ${and(...filters)}`),
  );
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.session.id));
  const counts = await countsOf(
    db,
    page.items.map((r) => r.session.id),
  );
  return {
    items: page.items.map((r) =>
      present(r.session, counts.get(r.session.id) ?? { confirmed: 0, waitlisted: 0 }),
    ),
    total: Number(total?.n ?? 0),
    nextCursor: page.nextCursor,
  };
}

const icsUrl = (deps: TrainingDeps, id: string) =>
  `${deps.publicUrl}/api/v1/trainings/sessions/${id}/invitation.ics`;

/** The session's invitation, attached to the convocation (the link stays in the text too). */
export const invitationAttachment = async (session: SessionRow): Promise<MailAttachment> => ({
  fileName: 'invitation.ics',
  contentType: 'text/calendar; charset=utf-8',
  content: Buffer.from(await icsOf(session), 'utf8'),
});

async function convocation(deps: TrainingDeps, session: SessionRow, name: string, promoted: boolean) {
  return {
    subject: `Convocation : ${session.title}, le ${frenchDateTime(session.startsAt)}`,
    text: `Bonjour ${name},\n\n${promoted ? 'Une place s’est libérée : ' : ''}votre inscription à la formation « ${session.title} » est confirmée.\n\nLe ${frenchDateTime(session.startsAt)}, ${session.place}${session.remote ? ' (à distance)' : ''}.\n\nL’invitation est jointe à ce courriel ; vous pouvez aussi l’ajouter à votre agenda : ${icsUrl(deps, session.id)}\n`,
    attachments: [await invitationAttachment(session)],
  };
}

/** What the member's software hears of a registration (webhooks): ids, status, the public session. */
const registrationEventData = (row: RegistrationRow, session: SessionRow) => ({
  registrationId: row.id,
  sessionId: session.id,
  sessionTitle: session.title,
  startsAt: session.startsAt.toISOString(),
  status: row.status,
});

/**
 * Registers a person: confirmed while places remain, waitlisted beyond. The session row is locked for
 * the transaction first, so the count read and the insert are one step for concurrent registrations.
 */
export async function register(
  db: Executor,
  deps: TrainingDeps,
  sessionId: string,
  input: RegistrationInput,
  source: AuditSource,
): Promise<Registration> {
  const [locked] = rowsOf<{ confirmed: number; waitlisted: number }>(
    await db.execute(sql`SELECT * FROM training_lock_session(${sessionId})`),
  );
  const session = await requireSession(db, sessionId);
  if (now().getTime() > session.registrationDeadline.getTime()) {
    throw conflict('Les inscriptions à cette session sont closes.');
  }
  if (session.perMemberCap !== null) {
    const [own] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM training_registrations
        WHERE session_id = ${sessionId} AND member_id = ${input.memberId} AND status <> 'cancelled'`),
    );
    if (Number(own?.n ?? 0) >= session.perMemberCap) {
      throw conflict(
        `Votre structure a déjà ${session.perMemberCap} inscription${session.perMemberCap > 1 ? 's' : ''} à cette session, le maximum par structure.`,
      );
    }
  }
  const status = Number(locked?.confirmed ?? 0) < session.capacity ? 'confirmed' : 'waitlisted';
  const email = input.email.toLowerCase();
  const [duplicate] = await db
    .select({ id: trainingRegistrations.id })
    .from(trainingRegistrations)
    .where(
      and(
        eq(trainingRegistrations.sessionId, sessionId),
        eq(trainingRegistrations.email, email),
        sql`status <> 'cancelled'`,
      ),
    );
  if (duplicate) throw conflict('Cette personne est déjà inscrite à cette session.');
  const [row] = await db
    .insert(trainingRegistrations)
    .values({
      memberId: input.memberId,
      sessionId,
      registeredBy: source.actorUserId,
      name: input.name,
      email,
      status,
    })
    .returning();
  if (!row) throw new Error('registration not inserted');
  if (status === 'confirmed') {
    await deps.mailer.send(db, { to: email, ...(await convocation(deps, session, input.name, false)) });
  } else {
    await deps.mailer.send(db, {
      to: email,
      subject: `Liste d'attente : ${session.title}`,
      text: `Bonjour ${input.name},\n\nLa session « ${session.title} » du ${frenchDateTime(session.startsAt)} est complète : vous êtes sur la liste d'attente. Vous recevrez un courriel dès qu'une place se libère.\n`,
    });
  }
  await emitEvent(db, {
    type: 'training.registration_created',
    memberId: input.memberId,
    data: registrationEventData(row, session),
  });
  await recordAudit(db, {
    ...source,
    action: 'training.register',
    memberId: input.memberId,
    targetType: 'training_registration',
    targetId: row.id,
    details: { sessionId, status },
  });
  return presentRegistration(row);
}

/**
 * Cancels a registration until the deadline; a freed place is given to the first waitlisted person by
 * the `training.promote` job (run as the system: the waiting list spans members).
 */
export async function cancelRegistration(
  db: Executor,
  id: string,
  may: (memberId: string) => boolean,
  source: AuditSource,
): Promise<void> {
  const [row] = await db.select().from(trainingRegistrations).where(eq(trainingRegistrations.id, id));
  // Who may not act on it is not told it exists.
  if (!row || row.status === 'cancelled' || !may(row.memberId)) throw notFound(REGISTRATION_NOT_FOUND);
  await db.execute(sql`SELECT * FROM training_lock_session(${row.sessionId})`);
  const session = await requireSession(db, row.sessionId);
  if (now().getTime() > session.registrationDeadline.getTime()) {
    throw conflict("La date limite est passée : l'inscription ne peut plus être annulée ici.");
  }
  await db
    .update(trainingRegistrations)
    .set({ status: 'cancelled', cancelledAt: now() })
    .where(and(eq(trainingRegistrations.memberId, row.memberId), eq(trainingRegistrations.id, id)));
  if (row.status === 'confirmed') await enqueue(db, PROMOTE_JOB, { sessionId: row.sessionId });
  await emitEvent(db, {
    type: 'training.registration_cancelled',
    memberId: row.memberId,
    data: { ...registrationEventData(row, session), status: 'cancelled', previousStatus: row.status },
  });
  await recordAudit(db, {
    ...source,
    action: 'training.cancel',
    memberId: row.memberId,
    targetType: 'training_registration',
    targetId: id,
  });
}

/** Promotes waitlisted people in order while places remain, and tells each by e-mail (idempotent). */
export async function promoteWaitlisted(
  db: Executor,
  deps: TrainingDeps,
  sessionId: string,
): Promise<number> {
  const [locked] = rowsOf<{ confirmed: number }>(
    await db.execute(sql`SELECT * FROM training_lock_session(${sessionId})`),
  );
  const [session] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, sessionId));
  if (!session) return 0;
  const free = session.capacity - Number(locked?.confirmed ?? 0);
  if (free <= 0) return 0;
  const next = await db
    .select()
    .from(trainingRegistrations)
    .where(
      and(eq(trainingRegistrations.sessionId, sessionId), eq(trainingRegistrations.status, 'waitlisted')),
    )
    .orderBy(asc(trainingRegistrations.createdAt), asc(trainingRegistrations.id))
    .limit(free);
  for (const r of next) {
    await db
      .update(trainingRegistrations)
      .set({ status: 'confirmed', promotedAt: now() })
      .where(and(eq(trainingRegistrations.memberId, r.memberId), eq(trainingRegistrations.id, r.id)));
    await deps.mailer.send(db, { to: r.email, ...(await convocation(deps, session, r.name, true)) });
  }
  await emitEvents(
    db,
    next.map((r) => ({
      type: 'training.registration_promoted' as const,
      memberId: r.memberId,
      data: { ...registrationEventData(r, session), status: 'confirmed', previousStatus: 'waitlisted' },
    })),
  );
  return next.length;
}

/** The session as an iCalendar event (the convocation's « add to my calendar » link). */
export async function sessionIcs(db: Executor, id: string): Promise<string> {
  return icsOf(await requireSession(db, id));
}

/**
 * ics (and the validation library it brings, ~8 MB resident) is loaded at the first invitation, not
 * with the server: most processes never write one.
 */
async function icsOf(session: SessionRow): Promise<string> {
  const { createEvent } = await import('ics');
  const { error, value } = createEvent({
    uid: `${session.id}@socle`,
    title: session.title,
    description: session.description ?? undefined,
    location: session.place,
    start: session.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: session.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    productId: 'socle/formations',
  });
  if (error || !value) throw new Error(`ics: ${error?.message ?? 'no value'}`);
  return value;
}

/** The attendance sheet: one line per confirmed registrant, with a column to sign. */
export async function attendanceSheet(db: Executor, id: string): Promise<Buffer> {
  const session = await requireSession(db, id);
  const people = await db
    .select({ name: trainingRegistrations.name, memberName: organisations.name })
    .from(trainingRegistrations)
    .innerJoin(organisations, eq(organisations.id, trainingRegistrations.memberId))
    .where(and(eq(trainingRegistrations.sessionId, id), eq(trainingRegistrations.status, 'confirmed')))
    .orderBy(asc(trainingRegistrations.name));
  const doc = await newPdfDocument({
    size: 'A4',
    margin: 48,
    info: { Title: forPdf(`Feuille d'émargement — ${session.title}`), Creator: 'Socle', Producer: 'Socle' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 96;
  doc.font('Helvetica-Bold').fontSize(15).text("Feuille d'émargement", { width });
  doc.font('Helvetica').fontSize(11).text(forPdf(session.title), { width });
  doc.text(
    forPdf(
      `${frenchDateTime(session.startsAt)} — ${session.place} — ${TRAINING_AUDIENCE_LABELS[session.audience]}${session.trainer ? ` — formateur : ${session.trainer}` : ''}`,
    ),
    { width },
  );
  doc.moveDown(1);
  const columns = [48, 248, 428];
  doc.font('Helvetica-Bold').fontSize(10);
  const header = doc.y;
  doc
    .text('Nom', columns[0], header)
    .text('Structure', columns[1], header)
    .text('Signature', columns[2], header);
  doc.font('Helvetica');
  for (const p of people) {
    if (doc.y > doc.page.height - 96) doc.addPage();
    const y = doc.y + 14;
    doc
      .moveTo(48, y - 4)
      .lineTo(48 + width, y - 4)
      .stroke('#999999');
    doc.text(forPdf(p.name), columns[0], y, { width: 190 });
    doc.text(forPdf(p.memberName), columns[1], y, { width: 170 });
    doc.y = y + 22;
  }
  doc.end();
  return done;
}

export type { RegistrationRow };
