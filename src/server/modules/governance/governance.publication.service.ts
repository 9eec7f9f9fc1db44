import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { frenchDate, parisDay } from '../../../contracts/french.js';
import { DELIBERATIONS_LIST_DAYS, type PublishedDeliberations } from '../../../contracts/governance.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now, today } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { acts } from '../acts/acts.schema.js';
import * as minutesRepo from './governance.minutes.repository.js';
import * as repo from './governance.repository.js';
import { addDays } from './governance.rules.js';
import { governanceAssemblies, governanceItems, governanceSessions } from './governance.schema.js';
import { sessionFor } from './governance.sessions.service.js';

/**
 * After the sitting: the list of its deliberations is published (CGCT L2121-25: within a week), a
 * public page per organisation listing each session's adopted items with their vote and, once
 * published, its procès-verbal (governance.minutes.service); a daily job reminds the session's
 * secretary two days before the week ends.
 */

export const DELIBERATIONS_REMINDER_JOB = 'governance.deliberations-reminder';
/** Every morning, Paris time. */
export const DELIBERATIONS_REMINDER_CRON = '15 7 * * *';
/** The reminder leaves this many days after the sitting's closing (two days before the week ends). */
const REMINDER_AFTER_DAYS = DELIBERATIONS_LIST_DAYS - 2;

export async function publishDeliberationsList(
  db: Executor,
  actor: Actor,
  sessionId: string,
  source: AuditSource,
) {
  const { session } = await sessionFor(db, actor, sessionId, 'manage', true);
  if (session.status !== 'closed')
    throw unprocessable('La liste des délibérations se publie une fois la séance close.');
  if (session.deliberationsPublishedAt)
    throw conflict('La liste des délibérations de cette séance est déjà publiée.');
  const at = now();
  await repo.updateSession(db, session.memberId, sessionId, { deliberationsPublishedAt: at });
  await recordAudit(db, {
    action: 'governance.deliberations_list_published',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_session',
    targetId: sessionId,
    details: {},
  });
  return { sessionId, publishedAt: at.toISOString() };
}

/** The published lists of an organisation (anyone: RLS shows published sessions and adopted items only). */
export async function publishedDeliberations(
  db: Executor,
  organisationId: string,
): Promise<PublishedDeliberations> {
  const [organisation] = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound("Cette organisation n'existe pas.");
  const sessions = await db
    .select({
      id: governanceSessions.id,
      startsAt: governanceSessions.startsAt,
      publishedAt: governanceSessions.deliberationsPublishedAt,
      assemblyName: governanceAssemblies.name,
    })
    .from(governanceSessions)
    .innerJoin(governanceAssemblies, eq(governanceAssemblies.id, governanceSessions.assemblyId))
    .where(
      and(
        eq(governanceSessions.memberId, organisationId),
        isNotNull(governanceSessions.deliberationsPublishedAt),
      ),
    )
    .orderBy(sql`${governanceSessions.startsAt} DESC`)
    .limit(100);
  const items = sessions.length
    ? await db
        .select({ item: governanceItems, actNumber: acts.number })
        .from(governanceItems)
        .leftJoin(acts, eq(acts.id, governanceItems.actId))
        .where(
          and(
            eq(governanceItems.memberId, organisationId),
            inArray(
              governanceItems.sessionId,
              sessions.map((s) => s.id),
            ),
            eq(governanceItems.status, 'adopted'),
          ),
        )
        .orderBy(asc(governanceItems.position))
    : [];
  const minutes = new Map(
    (
      await minutesRepo.publishedMinutesOf(
        db,
        organisationId,
        sessions.map((s) => s.id),
      )
    ).map((m) => [m.sessionId, m]),
  );
  return {
    organisationId: organisation.id,
    organisationName: organisation.name,
    sessions: sessions.map((s) => ({
      sessionId: s.id,
      assemblyName: s.assemblyName,
      startsAt: s.startsAt.toISOString(),
      publishedAt: (s.publishedAt ?? s.startsAt).toISOString(),
      minutes: presentPublishedMinutes(minutes.get(s.id)),
      deliberations: items
        .filter((row) => row.item.sessionId === s.id && row.item.votedAt)
        .map(({ item, actNumber }) => ({
          position: item.position,
          title: item.title,
          actNumber,
          for: item.votesFor ?? 0,
          against: item.votesAgainst ?? 0,
          abstention: item.votesAbstention ?? 0,
          votedAt: (item.votedAt ?? s.startsAt).toISOString(),
        })),
    })),
  };
}

function presentPublishedMinutes(row: minutesRepo.MinutesRow | undefined) {
  if (!row?.publishedAt) return null;
  return {
    adoptedAt: row.adoptedAt.toISOString(),
    publishedAt: row.publishedAt.toISOString(),
    sha256: row.sha256,
  };
}

/**
 * The daily reminder: each session closed at least `REMINDER_AFTER_DAYS` days ago (Paris dates) whose
 * list is not published yet mails the person who created it, once (`deliberations_reminded_at`).
 */
export async function runDeliberationsReminderJob(db: Db, mailer: Mailer, publicUrl: string) {
  const closedOn = addDays(today(), -REMINDER_AFTER_DAYS);
  await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    const due = await tx
      .select({
        id: governanceSessions.id,
        startsAt: governanceSessions.startsAt,
        closedAt: governanceSessions.closedAt,
        assemblyName: governanceAssemblies.name,
        email: users.email,
        organisationKind: organisations.kind,
      })
      .from(governanceSessions)
      .innerJoin(governanceAssemblies, eq(governanceAssemblies.id, governanceSessions.assemblyId))
      .innerJoin(organisations, eq(organisations.id, governanceSessions.memberId))
      .innerJoin(users, eq(users.id, governanceSessions.createdBy))
      .where(
        and(
          eq(governanceSessions.status, 'closed'),
          isNull(governanceSessions.deliberationsPublishedAt),
          isNull(governanceSessions.deliberationsRemindedAt),
          sql`(${governanceSessions.closedAt} AT TIME ZONE 'Europe/Paris')::date <= ${closedOn}::date`,
        ),
      )
      .for('update', { of: governanceSessions, skipLocked: true });
    for (const session of due) {
      // Marked in the same transaction as the mail's outbox row: a rerun sends nothing twice.
      await tx
        .update(governanceSessions)
        .set({ deliberationsRemindedAt: now() })
        .where(eq(governanceSessions.id, session.id));
      const closedDay = parisDay(session.closedAt ?? session.startsAt);
      const deadline = addDays(closedDay, DELIBERATIONS_LIST_DAYS);
      await mailer.send(tx, {
        to: session.email,
        subject: `Liste des délibérations à publier : ${session.assemblyName}`,
        text: [
          'Bonjour,',
          '',
          `La liste des délibérations de la séance du ${frenchDate(session.startsAt)} (${session.assemblyName}) n'est pas encore publiée.`,
          `Elle doit l'être dans la semaine qui suit la séance, au plus tard le ${frenchDate(deadline)}.`,
          '',
          `Publiez-la depuis la page de la séance : ${publicUrl}/${session.organisationKind === 'operator' ? 'operateur' : 'espace'}/seances/${session.id}`,
        ].join('\n'),
      });
    }
  });
}
