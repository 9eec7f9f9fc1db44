import { now } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import {
  monthsToSummarise,
  REPORT_SUMMARY_CRON,
  REPORT_SUMMARY_JOB,
  summariseMonth,
} from './support.report.js';
import {
  AUTO_CLOSE_JOB,
  autoCloseResolved,
  NEW_TICKET_JOB,
  notifyNewTicket,
  SLA_ALERT_JOB,
  sendSlaAlert,
} from './support.service.js';
import { PROMOTE_JOB, promoteWaitlisted } from './support.training.service.js';

/** Every night at 02:15 (Paris), tickets resolved more than REOPEN_DAYS days ago close. */
export const AUTO_CLOSE_CRON = '15 2 * * *';

/**
 * The support desk's background work: SLA warnings and escalations (`support.sla-alert`, queued when
 * a ticket's due dates are set; idempotent per step, kind and due date), the nightly closing of
 * resolved tickets the member left unconfirmed (`support.auto-close`) and the nightly summary of the
 * closed months the yearly report reads (`support.report-summary`, support.report.ts).
 */
export function registerSupportJobs(jobs: JobRunner, deps: { mailer: Mailer; publicUrl: string }): void {
  jobs.register(SLA_ALERT_JOB, async (payload, { db }) => {
    const step = payload.step === 'firstResponse' ? 'firstResponse' : 'resolution';
    const kind = payload.kind === 'warn' ? 'warn' : 'due';
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      sendSlaAlert(tx, deps.mailer, deps.publicUrl, {
        ticketId: String(payload.ticketId),
        memberId: String(payload.memberId),
        step,
        kind,
        dueAt: String(payload.dueAt),
      }),
    );
  });
  jobs.register(NEW_TICKET_JOB, async (payload, { db }) => {
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      notifyNewTicket(tx, deps.mailer, deps.publicUrl, {
        ticketId: String(payload.ticketId),
        memberId: String(payload.memberId),
      }),
    );
  });
  jobs.register(PROMOTE_JOB, async (payload, { db }) => {
    await withTenant(db, SYSTEM_OPERATOR, (tx) => promoteWaitlisted(tx, deps, String(payload.sessionId)));
  });
  jobs.register(AUTO_CLOSE_JOB, async (_payload, { db, log }) => {
    const closed = await withTenant(db, SYSTEM_OPERATOR, (tx) => autoCloseResolved(tx));
    log.info({ closed }, 'support tickets closed after the reopening delay');
  });
  jobs.schedule(AUTO_CLOSE_JOB, AUTO_CLOSE_CRON);
  jobs.register(REPORT_SUMMARY_JOB, async (_payload, { db, log }) => {
    const months = await refreshReportSummary(db);
    log.info({ months }, 'support report: closed months summarised');
  });
  jobs.schedule(REPORT_SUMMARY_JOB, REPORT_SUMMARY_CRON);
}

/**
 * The closed months' summary brought up to date: the months to do recorded (and committed) first,
 * then one transaction per month (support.report.ts). Returns how many months were computed.
 */
export async function refreshReportSummary(db: Db): Promise<number> {
  const at = now();
  const months = await withTenant(db, SYSTEM_OPERATOR, (tx) => monthsToSummarise(tx, at));
  for (const month of months) {
    await withTenant(db, SYSTEM_OPERATOR, (tx) => summariseMonth(tx, month, at));
  }
  return months.length;
}
