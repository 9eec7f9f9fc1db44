import { sql } from 'drizzle-orm';
import type { RightsRequestType } from '../../../../contracts/rgpd-cases.js';
import { type Executor, rowsOf } from '../../../platform/db/client.js';

/**
 * What the daily reminders read and record, across every member (the job acts for the operator):
 * the deadlines coming up, the reminders already sent, and who is mailed.
 */

/** Open rights requests whose (extended) due date is on or before `soon`, soonest first. */
export async function requestsDueBy(db: Executor, soon: string) {
  return rowsOf<{ id: string; member_id: string; member_name: string; type: RightsRequestType; due: string }>(
    await db.execute(sql`
      SELECT r.id, r.member_id, o.name AS member_name, r.type, COALESCE(r.extended_until, r.due_on)::text AS due
      FROM rgpd_rights_requests r JOIN organisations o ON o.id = r.member_id
      WHERE r.status IN ('received', 'in_progress') AND COALESCE(r.extended_until, r.due_on) <= ${soon}::date
      ORDER BY due, r.id`),
  );
}

/** Breaches owed a notification whose 72 h window is still open at `now`. */
export async function breachesInWindow(db: Executor, now: Date) {
  return rowsOf<{ id: string; member_id: string; member_name: string; deadline: string | Date }>(
    await db.execute(sql`
      SELECT b.id, b.member_id, o.name AS member_name, b.notification_deadline AS deadline
      FROM rgpd_breaches b JOIN organisations o ON o.id = b.member_id
      WHERE b.notified_at IS NULL AND b.cnil_notification_required AND b.notification_deadline >= ${now}
      ORDER BY b.notification_deadline, b.id`),
  );
}

/**
 * Processings whose review is due by `horizon`, leaving out those reminded between `since` and the
 * day before `today` (one reminder a week).
 */
export async function reviewsDueBy(db: Executor, horizon: string, since: string, today: string) {
  return rowsOf<{ id: string; member_id: string; member_name: string; name: string; due: string }>(
    await db.execute(sql`
      SELECT p.id, p.member_id, o.name AS member_name, p.name, p.next_review_on::text AS due
      FROM rgpd_processings p JOIN organisations o ON o.id = p.member_id
      WHERE p.next_review_on <= ${horizon}::date
        AND NOT EXISTS (
          SELECT 1 FROM rgpd_reminders_sent s
          WHERE s.member_id = p.member_id AND s.kind = 'processing_review' AND s.target_id = p.id
            AND s.sent_on >= ${since}::date AND s.sent_on < ${today}::date)
      ORDER BY due, p.id`),
  );
}

/** Records reminders sent on `day`; returns those not recorded yet (the others were sent already). */
export async function recordReminders(
  db: Executor,
  reminders: { memberId: string; kind: string; targetId: string }[],
  day: string,
) {
  const recorded: { member_id: string; kind: string; target_id: string }[] = [];
  const batch = 5_000;
  for (let i = 0; i < reminders.length; i += batch) {
    const rows = reminders.slice(i, i + batch).map((it) => ({ m: it.memberId, k: it.kind, t: it.targetId }));
    recorded.push(
      ...rowsOf<{ member_id: string; kind: string; target_id: string }>(
        await db.execute(sql`
          INSERT INTO rgpd_reminders_sent (member_id, kind, target_id, sent_on)
          SELECT x.m, x.k, x.t, ${day}::date
          FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(m uuid, k text, t uuid)
          ON CONFLICT DO NOTHING
          RETURNING member_id, kind, target_id`),
      ),
    );
  }
  return recorded;
}

/** The members' référents RGPD (contacts with that role and an e-mail address). */
export async function referentsOf(db: Executor, memberIds: string[]) {
  return rowsOf<{ member_id: string; email: string }>(
    await db.execute(sql`
      SELECT DISTINCT member_id, lower(email) AS email FROM member_contacts
      WHERE role = 'referent_rgpd' AND email IS NOT NULL AND email <> ''
        AND member_id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(memberIds)}::jsonb))::uuid)
      ORDER BY member_id, email`),
  );
}

/** The operator's active users holding the `dpo` scope. */
export async function dpoTeam(db: Executor) {
  return rowsOf<{ email: string }>(
    await db.execute(sql`
      SELECT DISTINCT u.email FROM organisation_users ou
      JOIN organisations o ON o.id = ou.member_id AND o.kind = 'operator'
      JOIN users u ON u.id = ou.user_id AND u.is_active
      WHERE 'dpo' = ANY(ou.scopes)
      ORDER BY u.email`),
  );
}
