import type { JobRunner } from '../../platform/jobs/worker.js';
import {
  CONVOCATION_JOB,
  type ConvocationDeps,
  runConvocationJob,
  runSubstitutesJob,
  SUBSTITUTES_JOB,
} from './governance.convocations.service.js';
import {
  DELIBERATIONS_REMINDER_CRON,
  DELIBERATIONS_REMINDER_JOB,
  runDeliberationsReminderJob,
} from './governance.publication.service.js';

/**
 * The governance module's background work: delivering each convocation (`governance.convocation`,
 * one job per recipient, idempotent) and convening the substitutes of a titular who cannot attend
 * (`governance.convene-substitutes`); each morning, reminding secretaries of the lists of
 * deliberations still to publish (`governance.deliberations-reminder`).
 */
export function registerGovernanceJobs(jobs: JobRunner, deps: ConvocationDeps): void {
  jobs.register(DELIBERATIONS_REMINDER_JOB, (_payload, { db }) =>
    runDeliberationsReminderJob(db, deps.mailer, deps.publicUrl),
  );
  jobs.schedule(DELIBERATIONS_REMINDER_JOB, DELIBERATIONS_REMINDER_CRON);
  jobs.register(CONVOCATION_JOB, (payload, { db }) => runConvocationJob(db, deps.mailer, payload));
  jobs.register(SUBSTITUTES_JOB, (payload, { db }) => runSubstitutesJob(db, deps, payload));
}
