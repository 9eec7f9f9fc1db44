import { INCIDENT_CLOCKS, type IncidentClock } from '../../../contracts/cyber.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { ADVISORY_NOTIFY_JOB, notifyAffectedMembers } from './cyber.advisories.service.js';
import { INCIDENT_REMINDER_JOB, sendIncidentReminder } from './cyber.incidents.service.js';

/**
 * The cyber module's background work: telling the members an advisory affects (one job per
 * advisory, each member once), and the incident clocks' reminders (jobs queued at declaration for
 * a few hours before each deadline and at it). Both are idempotent.
 */
export function registerCyberJobs(jobs: JobRunner, mailer: Mailer): void {
  jobs.register(ADVISORY_NOTIFY_JOB, async (payload, { db, log }) => {
    const advisoryId = String(payload.advisoryId);
    const mails = await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      notifyAffectedMembers(tx, mailer, advisoryId),
    );
    log.info({ advisoryId, mails }, 'cyber advisory notified');
  });
  jobs.register(INCIDENT_REMINDER_JOB, async (payload, { db }) => {
    const clock = String(payload.clock) as IncidentClock;
    if (!INCIDENT_CLOCKS.includes(clock)) return;
    const kind = payload.kind === 'due' ? 'due' : 'lead';
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      sendIncidentReminder(tx, mailer, {
        incidentId: String(payload.incidentId),
        memberId: String(payload.memberId),
        clock,
        kind,
      }),
    );
  });
}
