import { eq } from 'drizzle-orm';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { jobs } from '../../platform/jobs/jobs.schema.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import { accessRequestNotice } from './accounts.connect.repository.js';
import { accessRequestMail } from './accounts.mails.js';
import { PASSWORD_RESET_JOB, requestPasswordReset } from './accounts.password-reset.service.js';
import type { AccountsDeps } from './accounts.service.js';
import { ACCESS_REQUEST_JOB } from './proconnect/proconnect.service.js';

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
  // A ProConnect access request: the member's admins are told by mail (once per run; a request
  // answered meanwhile needs no mail).
  runner.register(ACCESS_REQUEST_JOB, async (payload, { db }) => {
    const { requestId } = payload;
    if (typeof requestId !== 'string') return;
    await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
      const notice = await accessRequestNotice(tx, requestId);
      if (notice?.status !== 'pending') return;
      const link = new URL('/espace/demandes-acces', deps.config.publicUrl).toString();
      for (const to of notice.admins) {
        await deps.mailer.send(
          tx,
          accessRequestMail({
            to,
            link,
            organisationName: notice.organisationName,
            agentName: `${notice.givenName} ${notice.usualName}`.trim(),
            agentEmail: notice.email,
          }),
        );
      }
    });
  });
}
