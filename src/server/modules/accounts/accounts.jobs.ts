import { eq } from 'drizzle-orm';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { jobs } from '../../platform/jobs/jobs.schema.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import { PASSWORD_RESET_JOB, requestPasswordReset } from './accounts.password-reset.service.js';
import type { AccountsDeps } from './accounts.service.js';

/**
 * The accounts module's background work: the password reset requested by a visitor, queued by the
 * route before its answer (see queuePasswordReset). Idempotent enough to run twice: a second run
 * sends a second link, within the per-account hourly limit.
 */
export function registerAccountsJobs(runner: JobRunner, deps: AccountsDeps): void {
  runner.register(PASSWORD_RESET_JOB, async (payload, { db, job }) => {
    const { email, ipAddress } = payload;
    if (typeof email !== 'string') return; // already handled: the address was erased
    await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
      await requestPasswordReset(tx, deps, email, {
        actorUserId: null,
        ipAddress: typeof ipAddress === 'string' ? ipAddress : null,
      });
      // The address is personal data: it leaves the job table with the work done.
      await tx.update(jobs).set({ payload: {} }).where(eq(jobs.id, job.id));
    });
  });
}
