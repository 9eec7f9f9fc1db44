import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
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
 * a ticket's due dates are set; idempotent per step, kind and due date) and the nightly closing of
 * resolved tickets the member left unconfirmed (`support.auto-close`).
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
}
