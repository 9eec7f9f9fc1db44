import { RIGHTS_REQUEST_TYPE_LABELS } from '../../../../contracts/rgpd-cases.js';
import type { Db, Tx } from '../../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../../platform/db/tenancy.js';
import type { Mailer } from '../../../platform/mail/mailer.js';
import {
  addCalendarDays,
  formatFrenchDate,
  formatParisInstant,
  parisToday,
  REMINDER_DAYS_BEFORE_DUE,
} from '../rgpd.deadlines.js';
import { refreshReviewCounts } from './rgpd.dashboard.service.js';
import * as repo from './rgpd.reminders.repository.js';

/**
 * The daily RGPD reminders: each member's référent RGPD and the operator's DPO team are mailed, in
 * French, about rights requests due within 7 days or overdue, breaches still inside their 72 h
 * window, and processings due for review. Every reminder is recorded in rgpd_reminders_sent
 * (member, kind, target, day): the job can run any number of times a day and mails each item once.
 */
export type ReminderKind = 'request_due' | 'request_overdue' | 'breach_window' | 'processing_review';

/** Processings come due for months: they are reminded from 30 days ahead, at most once a week. */
export const REVIEW_NOTICE_DAYS = 30;
export const REVIEW_REMINDER_EVERY_DAYS = 7;
/** A digest lists this many lines; the rest is counted. */
const DIGEST_MAX_LINES = 200;

interface ReminderItem {
  memberId: string;
  memberName: string;
  kind: ReminderKind;
  targetId: string;
  /** One line of French, without personal data of the people concerned. */
  line: string;
}

export interface ReminderReport {
  day: string;
  items: number;
  referentMails: number;
  dpoMails: number;
}

async function dueItems(tx: Tx, now: Date): Promise<ReminderItem[]> {
  const today = parisToday(now);
  const soon = addCalendarDays(today, REMINDER_DAYS_BEFORE_DUE);
  const reviewHorizon = addCalendarDays(today, REVIEW_NOTICE_DAYS);
  const weekAgo = addCalendarDays(today, -(REVIEW_REMINDER_EVERY_DAYS - 1));

  const requests = await repo.requestsDueBy(tx, soon);
  const breaches = await repo.breachesInWindow(tx, now);
  const reviews = await repo.reviewsDueBy(tx, reviewHorizon, weekAgo, today);

  const items: ReminderItem[] = [];
  for (const r of requests) {
    const type = RIGHTS_REQUEST_TYPE_LABELS[r.type] ?? r.type;
    const overdue = r.due < today;
    items.push({
      memberId: r.member_id,
      memberName: r.member_name,
      kind: overdue ? 'request_overdue' : 'request_due',
      targetId: r.id,
      line: overdue
        ? `Demande (${type}) EN RETARD : la réponse était due le ${formatFrenchDate(r.due)}.`
        : `Demande (${type}) à traiter avant le ${formatFrenchDate(r.due)}.`,
    });
  }
  for (const b of breaches) {
    items.push({
      memberId: b.member_id,
      memberName: b.member_name,
      kind: 'breach_window',
      targetId: b.id,
      line: `Violation de données à notifier à la CNIL avant le ${formatParisInstant(new Date(b.deadline))}.`,
    });
  }
  for (const p of reviews) {
    items.push({
      memberId: p.member_id,
      memberName: p.member_name,
      kind: 'processing_review',
      targetId: p.id,
      line:
        p.due < today
          ? `Traitement « ${p.name} » : revue en retard (prévue le ${formatFrenchDate(p.due)}).`
          : `Traitement « ${p.name} » : revue prévue le ${formatFrenchDate(p.due)}.`,
    });
  }
  return items;
}

/** Records today's reminders and keeps only those not already sent today (the insert decides). */
async function claim(tx: Tx, items: ReminderItem[], today: string): Promise<ReminderItem[]> {
  if (items.length === 0) return [];
  const claimed = new Set<string>();
  for (const r of await repo.recordReminders(tx, items, today)) {
    claimed.add(`${r.member_id}/${r.kind}/${r.target_id}`);
  }
  return items.filter((it) => claimed.has(`${it.memberId}/${it.kind}/${it.targetId}`));
}

function groupByMember(items: ReminderItem[]): Map<string, ReminderItem[]> {
  const byMember = new Map<string, ReminderItem[]>();
  for (const item of items) {
    const list = byMember.get(item.memberId) ?? [];
    list.push(item);
    byMember.set(item.memberId, list);
  }
  return byMember;
}

const SIGNATURE =
  '\n\n—\nLe DPO mutualisé (Socle). Ce message est envoyé chaque jour tant que des échéances approchent.';

function referentMail(memberName: string, items: ReminderItem[], today: string) {
  const urgent = items.some((i) => i.kind === 'request_overdue' || i.kind === 'breach_window');
  return {
    subject: `${urgent ? '[Urgent] ' : ''}RGPD – échéances de ${memberName} au ${formatFrenchDate(today)}`,
    text:
      `Bonjour,\n\nVoici les échéances RGPD de ${memberName} :\n\n` +
      items.map((i) => `- ${i.line}`).join('\n') +
      '\n\nRetrouvez le détail dans l’espace RGPD de votre structure sur Socle.' +
      SIGNATURE,
  };
}

function dpoDigest(byMember: Map<string, ReminderItem[]>, today: string) {
  const lines: string[] = [];
  let count = 0;
  for (const items of byMember.values()) {
    for (const item of items) {
      count++;
      if (lines.length < DIGEST_MAX_LINES) lines.push(`- ${item.memberName} : ${item.line}`);
    }
  }
  const rest = count - lines.length;
  return {
    subject: `RGPD – ${count} échéance${count > 1 ? 's' : ''} chez ${byMember.size} structure${byMember.size > 1 ? 's' : ''} (${formatFrenchDate(today)})`,
    text:
      `Bonjour,\n\nÉchéances RGPD du jour pour l’ensemble des structures suivies :\n\n${lines.join('\n')}` +
      (rest > 0 ? `\n… et ${rest} autre${rest > 1 ? 's' : ''} : voir le tableau de bord RGPD.` : '') +
      SIGNATURE,
  };
}

/**
 * Runs the daily reminders for `now` (pass a fixed instant in tests). Everything happens in one
 * transaction acting for the operator: a failure leaves nothing recorded, so the next run retries.
 */
export async function runRgpdReminders(db: Db, mailer: Mailer, now: Date): Promise<ReminderReport> {
  const today = parisToday(now);
  return withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    await refreshReviewCounts(tx, today);
    const fresh = await claim(tx, await dueItems(tx, now), today);
    const report: ReminderReport = { day: today, items: fresh.length, referentMails: 0, dpoMails: 0 };
    if (fresh.length === 0) return report;
    const byMember = groupByMember(fresh);

    const referents = await repo.referentsOf(tx, [...byMember.keys()]);
    for (const referent of referents) {
      const items = byMember.get(referent.member_id);
      if (!items) continue;
      await mailer.send(tx, { to: referent.email, ...referentMail(items[0].memberName, items, today) });
      report.referentMails++;
    }

    const dpoTeam = await repo.dpoTeam(tx);
    const digest = dpoDigest(byMember, today);
    for (const member of dpoTeam) {
      await mailer.send(tx, { to: member.email, ...digest });
      report.dpoMails++;
    }
    return report;
  });
}
