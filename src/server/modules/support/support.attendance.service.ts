import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { forPdf, frenchDate, frenchDateTime } from '../../../contracts/french.js';
import type {
  AttendanceInput,
  MemberTraining,
  PublicSurvey,
  SessionRegistrationList,
  SurveyAnswer,
  SurveyResults,
  Usefulness,
} from '../../../contracts/support-training.js';
import { USEFULNESS_LEVELS } from '../../../contracts/support-training.js';
import { organisations } from '../../kernel/identity.schema.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { hashToken } from '../../platform/auth/session.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, type FieldError, invalid, notFound } from '../../platform/errors.js';
import { emitEvents } from '../../platform/events/events.js';
import { newPdfDocument } from '../../platform/export/pdf.js';
import { trainingRegistrations, trainingSessions } from './support.schema.js';
import { trainingSurveys } from './support.training.schema.js';
import { REGISTRATION_NOT_FOUND, requireSession, type TrainingDeps } from './support.training.service.js';

/**
 * After a training session (issue 14, §3): the support team records who attended; each attendee then
 * gets, by e-mail, a personal link (its token kept as SHA-256 only) to a short satisfaction survey,
 * answered once, and to their certificate of attendance (a PDF), which the member's people and the team
 * may also download. The team reads the answers aggregated per session.
 */

export const SURVEY_NOT_FOUND = "Ce lien de questionnaire n'est pas valide.";
const NOT_ATTENDED = "Aucune présence n'est enregistrée pour cette inscription : pas d'attestation.";

const newToken = () => crypto.randomBytes(32).toString('base64url');
const surveyUrl = (deps: TrainingDeps, token: string) => `${deps.publicUrl}/formations/avis/${token}`;

/** Registrations of a session (cancelled ones left out), confirmed first, for the team. */
export async function listSessionRegistrations(
  db: Executor,
  sessionId: string,
): Promise<SessionRegistrationList> {
  const session = await requireSession(db, sessionId);
  const rows = await db
    .select({
      registration: trainingRegistrations,
      memberName: organisations.name,
      answeredAt: trainingSurveys.answeredAt,
    })
    .from(trainingRegistrations)
    .innerJoin(organisations, eq(organisations.id, trainingRegistrations.memberId))
    .leftJoin(
      trainingSurveys,
      and(
        eq(trainingSurveys.memberId, trainingRegistrations.memberId),
        eq(trainingSurveys.registrationId, trainingRegistrations.id),
      ),
    )
    .where(
      and(
        eq(trainingRegistrations.sessionId, sessionId),
        sql`${trainingRegistrations.status} <> 'cancelled'`,
      ),
    )
    .orderBy(
      asc(trainingRegistrations.status),
      asc(trainingRegistrations.createdAt),
      asc(trainingRegistrations.id),
    );
  return {
    attendanceRecordedAt: session.attendanceRecordedAt?.toISOString() ?? null,
    items: rows.map(({ registration: r, memberName, answeredAt }) => ({
      id: r.id,
      memberId: r.memberId,
      memberName,
      name: r.name,
      email: r.email,
      status: r.status,
      attended: r.attended,
      surveyAnswered: answeredAt !== null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/**
 * Records who attended (present or absent per confirmed registration; entries left out keep their
 * value), once the session has begun. Each attendee marked present for the first time gets a survey
 * link and their certificate by e-mail; a correction never mails twice. One transaction: an unknown
 * registration in the list refuses the whole of it.
 */
export async function recordAttendance(
  db: Executor,
  deps: TrainingDeps,
  sessionId: string,
  input: AttendanceInput,
  source: AuditSource,
): Promise<SessionRegistrationList> {
  await db.execute(sql`SELECT * FROM training_lock_session(${sessionId})`);
  const session = await requireSession(db, sessionId);
  if (now().getTime() < session.startsAt.getTime()) {
    throw conflict(
      `La session n'a pas encore commencé (le ${frenchDateTime(session.startsAt)}) : les présences se saisissent pendant ou après.`,
    );
  }
  const confirmed = await db
    .select()
    .from(trainingRegistrations)
    .where(
      and(eq(trainingRegistrations.sessionId, sessionId), eq(trainingRegistrations.status, 'confirmed')),
    );
  const byId = new Map(confirmed.map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.attendance.forEach((entry, i) => {
    const path = `body.attendance.${i}.registrationId`;
    if (!byId.has(entry.registrationId)) {
      errors.push({
        path,
        message: `Ligne ${i + 1} : cette inscription n'est pas une inscription confirmée de la session`,
      });
    } else if (seen.has(entry.registrationId)) {
      errors.push({ path, message: `Ligne ${i + 1} : cette inscription figure déjà plus haut` });
    }
    seen.add(entry.registrationId);
  });
  if (errors.length > 0) throw invalid(errors.map((e) => e.message).join(' ; '), errors);

  const present = input.attendance.filter((e) => e.attended).map((e) => e.registrationId);
  const absent = input.attendance.filter((e) => !e.attended).map((e) => e.registrationId);
  for (const [ids, attended] of [
    [present, true],
    [absent, false],
  ] as const) {
    if (ids.length === 0) continue;
    await db
      .update(trainingRegistrations)
      .set({ attended })
      .where(and(eq(trainingRegistrations.sessionId, sessionId), inArray(trainingRegistrations.id, ids)));
  }
  await db
    .update(trainingSessions)
    .set({ attendanceRecordedAt: now() })
    .where(eq(trainingSessions.id, sessionId));

  // Attendees without a survey yet get one, and the mail with its link (once per registration).
  const surveyed = new Set(
    present.length === 0
      ? []
      : (
          await db
            .select({ registrationId: trainingSurveys.registrationId })
            .from(trainingSurveys)
            .where(inArray(trainingSurveys.registrationId, present))
        ).map((s) => s.registrationId),
  );
  const invited = present.filter((id) => !surveyed.has(id));
  for (const id of invited) {
    const registration = byId.get(id);
    if (!registration) continue;
    const token = newToken();
    await db.insert(trainingSurveys).values({
      memberId: registration.memberId,
      sessionId,
      registrationId: id,
      tokenHash: hashToken(token),
    });
    const link = surveyUrl(deps, token);
    const attendee = { ...registration, attended: true };
    await deps.mailer.send(db, {
      to: registration.email,
      subject: `Votre avis et votre attestation : ${session.title}`,
      text: `Bonjour ${registration.name},\n\nMerci d’avoir suivi la formation « ${session.title} » du ${frenchDate(session.startsAt)}.\n\nDonnez-nous votre avis en une minute (trois questions, une seule fois) : ${link}\n\nVotre attestation de présence est jointe à ce courriel (PDF) ; vous pouvez aussi la télécharger : ${link.replace('/formations/avis/', '/api/v1/trainings/surveys/')}/certificate.pdf\n\nCe lien vous est personnel.\n`,
      attachments: [
        {
          fileName: certificateName(registration.name),
          contentType: 'application/pdf',
          content: await certificateOf(db, attendee),
        },
      ],
    });
  }
  // Each member's software hears of its own people's attendance, changed values only (webhooks).
  const changed = input.attendance.filter((e) => byId.get(e.registrationId)?.attended !== e.attended);
  await emitEvents(
    db,
    changed.flatMap((e) => {
      const r = byId.get(e.registrationId);
      return r
        ? [
            {
              type: 'training.attendance_recorded' as const,
              memberId: r.memberId,
              data: {
                registrationId: r.id,
                sessionId,
                sessionTitle: session.title,
                startsAt: session.startsAt.toISOString(),
                attended: e.attended,
              },
            },
          ]
        : [];
    }),
  );
  await recordAudit(db, {
    ...source,
    action: 'training.attendance.record',
    targetType: 'training_session',
    targetId: sessionId,
    details: { present: present.length, absent: absent.length, surveysSent: invited.length },
  });
  return listSessionRegistrations(db, sessionId);
}

/** A member's registrations (every person its people registered), latest session first. */
export async function memberTrainings(db: Executor, memberId: string): Promise<{ items: MemberTraining[] }> {
  const rows = await db
    .select({ registration: trainingRegistrations, session: trainingSessions })
    .from(trainingRegistrations)
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingRegistrations.sessionId))
    .where(eq(trainingRegistrations.memberId, memberId))
    .orderBy(desc(trainingSessions.startsAt), asc(trainingRegistrations.name), asc(trainingRegistrations.id))
    .limit(500);
  return {
    items: rows.map(({ registration: r, session: s }) => ({
      registrationId: r.id,
      sessionId: s.id,
      title: s.title,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      place: s.place,
      name: r.name,
      email: r.email,
      status: r.status,
      attended: r.attended,
      certificateAvailable: r.status === 'confirmed' && r.attended === true,
    })),
  };
}

// Certificates --------------------------------------------------------------------------------------

async function certificateOf(db: Executor, registration: typeof trainingRegistrations.$inferSelect) {
  if (registration.status !== 'confirmed' || registration.attended !== true) throw conflict(NOT_ATTENDED);
  const session = await requireSession(db, registration.sessionId);
  const [member] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, registration.memberId));
  const [operator] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.kind, 'operator'));
  return certificatePdf({
    operatorName: operator?.name ?? 'Socle',
    memberName: member?.name ?? '',
    name: registration.name,
    title: session.title,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    place: session.remote ? `${session.place} (à distance)` : session.place,
    trainer: session.trainer,
  });
}

/** The certificate for the member's people (`may`) and the support team; others are told nothing. */
export async function registrationCertificate(
  db: Executor,
  registrationId: string,
  may: (memberId: string) => boolean,
): Promise<{ pdf: Buffer; fileName: string }> {
  const [row] = await db
    .select()
    .from(trainingRegistrations)
    .where(eq(trainingRegistrations.id, registrationId));
  if (!row || !may(row.memberId)) throw notFound(REGISTRATION_NOT_FOUND);
  return { pdf: await certificateOf(db, row), fileName: certificateName(row.name) };
}

const certificateName = (name: string) =>
  `attestation-${name
    .normalize('NFD')
    .replace(/[^\w]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()}.pdf`;

const hoursBetween = (from: Date, to: Date) => {
  const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
};

async function certificatePdf(c: {
  operatorName: string;
  memberName: string;
  name: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  trainer: string | null;
}): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margin: 64,
    info: {
      Title: forPdf(`Attestation de présence — ${c.name} — ${c.title}`),
      Author: forPdf(c.operatorName),
      Creator: 'Socle',
      Producer: 'Socle',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 128;
  doc.font('Helvetica').fontSize(11).text(forPdf(c.operatorName), { width });
  doc.moveDown(3);
  doc.font('Helvetica-Bold').fontSize(20).text('Attestation de présence', { width, align: 'center' });
  doc.moveDown(2);
  const sameDay = frenchDate(c.startsAt) === frenchDate(c.endsAt);
  const when = sameDay
    ? `le ${frenchDate(c.startsAt, { weekday: true })}, de ${frenchDateTime(c.startsAt).split(' à ')[1]} à ${frenchDateTime(c.endsAt).split(' à ')[1]}`
    : `du ${frenchDateTime(c.startsAt)} au ${frenchDateTime(c.endsAt)}`;
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(
      forPdf(
        `${c.operatorName} atteste que ${c.name}, de la structure ${c.memberName}, a suivi la formation « ${c.title} » ${when} (durée : ${hoursBetween(c.startsAt, c.endsAt)}), ${c.place}.`,
      ),
      { width, align: 'justify', lineGap: 4 },
    );
  if (c.trainer) {
    doc.moveDown(1).text(forPdf(`Formation animée par ${c.trainer}.`), { width });
  }
  doc.moveDown(3);
  doc.text(forPdf(`Fait le ${frenchDate(now())}, pour servir et valoir ce que de droit.`), { width });
  doc.moveDown(1).text(forPdf(`Pour ${c.operatorName}, le service formation.`), { width });
  doc.end();
  return done;
}

// Surveys -------------------------------------------------------------------------------------------

/** Opens the survey a link names: the token's SHA-256 in the transaction's settings (RLS). */
async function surveyByToken(db: Executor, token: string, forUpdate = false) {
  const tokenHash = hashToken(token);
  await db.execute(sql`SELECT set_config('app.training_survey_token', ${tokenHash}, true)`);
  const query = db
    .select({ survey: trainingSurveys, registration: trainingRegistrations, session: trainingSessions })
    .from(trainingSurveys)
    .innerJoin(trainingRegistrations, eq(trainingRegistrations.id, trainingSurveys.registrationId))
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingSurveys.sessionId))
    .where(eq(trainingSurveys.tokenHash, tokenHash));
  const [row] = forUpdate ? await query.for('update', { of: trainingSurveys }) : await query;
  if (!row) throw notFound(SURVEY_NOT_FOUND);
  return row;
}

const publicSurvey = (row: Awaited<ReturnType<typeof surveyByToken>>): PublicSurvey => ({
  sessionTitle: row.session.title,
  startsAt: row.session.startsAt.toISOString(),
  endsAt: row.session.endsAt.toISOString(),
  place: row.session.place,
  name: row.registration.name,
  answeredAt: row.survey.answeredAt?.toISOString() ?? null,
  certificateAvailable: row.registration.attended === true && row.registration.status === 'confirmed',
});

export async function openSurvey(db: Executor, token: string): Promise<PublicSurvey> {
  return publicSurvey(await surveyByToken(db, token));
}

/** Records the answer, once (a second one is refused: the first stands). */
export async function answerSurvey(db: Executor, token: string, input: SurveyAnswer): Promise<PublicSurvey> {
  const row = await surveyByToken(db, token, true);
  if (row.survey.answeredAt) throw conflict('Vous avez déjà répondu à ce questionnaire : merci !');
  const answeredAt = now();
  await db
    .update(trainingSurveys)
    .set({
      overall: input.overall,
      usefulness: input.usefulness,
      comment: input.comment?.trim() || null,
      answeredAt,
    })
    .where(and(eq(trainingSurveys.memberId, row.survey.memberId), eq(trainingSurveys.id, row.survey.id)));
  return publicSurvey({ ...row, survey: { ...row.survey, answeredAt } });
}

export async function surveyCertificate(db: Executor, token: string) {
  const row = await surveyByToken(db, token);
  return { pdf: await certificateOf(db, row.registration), fileName: certificateName(row.registration.name) };
}

/** A session's answers for the team: counts, average, distributions and the comments (no names). */
export async function surveyResults(db: Executor, sessionId: string): Promise<SurveyResults> {
  await requireSession(db, sessionId);
  const rows = await db
    .select({
      overall: trainingSurveys.overall,
      usefulness: trainingSurveys.usefulness,
      comment: trainingSurveys.comment,
      answeredAt: trainingSurveys.answeredAt,
    })
    .from(trainingSurveys)
    .where(eq(trainingSurveys.sessionId, sessionId))
    .orderBy(asc(trainingSurveys.answeredAt), asc(trainingSurveys.id));
  const answers = rows.filter((r) => r.answeredAt !== null && r.overall !== null);
  const overallCounts = [0, 0, 0, 0, 0];
  const usefulnessCounts = Object.fromEntries(USEFULNESS_LEVELS.map((u) => [u, 0])) as Record<
    Usefulness,
    number
  >;
  for (const a of answers) {
    overallCounts[(a.overall ?? 1) - 1] += 1;
    if (a.usefulness) usefulnessCounts[a.usefulness] += 1;
  }
  const sum = answers.reduce((total, a) => total + (a.overall ?? 0), 0);
  return {
    sessionId,
    invited: rows.length,
    answered: answers.length,
    overallAverage: answers.length === 0 ? null : Math.round((sum / answers.length) * 100) / 100,
    overallCounts,
    usefulnessCounts,
    comments: answers
      .filter((a) => a.comment)
      .map((a) => ({
        overall: a.overall ?? 0,
        comment: a.comment ?? '',
        answeredAt: a.answeredAt?.toISOString() ?? '',
      })),
  };
}
