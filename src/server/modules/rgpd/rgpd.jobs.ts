import { now } from '../../platform/clock.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { runRgpdReminders } from './dashboard/rgpd.reminders.js';

export const RGPD_REMINDERS_JOB = 'rgpd.reminders';
/** Every day at 07:00 in Paris (summer and winter time alike). */
export const RGPD_REMINDERS_CRON = '0 7 * * *';

/**
 * The RGPD module's background work: the daily reminders, run from a schedule of the job queue, so
 * that with several processes they run once a day (and rgpd_reminders_sent still mails each item
 * once a day if they ran twice). Their mails go through the queue too (mail.send).
 */
export function registerRgpdJobs(jobs: JobRunner, mailer: Mailer): void {
  jobs.register(RGPD_REMINDERS_JOB, async (_payload, { db, log }) => {
    const report = await runRgpdReminders(db, mailer, now());
    log.info({ report }, 'rgpd reminders sent');
  });
  jobs.schedule(RGPD_REMINDERS_JOB, RGPD_REMINDERS_CRON);
}
