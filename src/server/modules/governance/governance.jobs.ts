import type { JobRunner } from '../../platform/jobs/worker.js';
import {
  CONVOCATION_JOB,
  type ConvocationDeps,
  runConvocationJob,
  runSubstitutesJob,
  SUBSTITUTES_JOB,
} from './governance.convocations.service.js';

/**
 * The governance module's background work: delivering each convocation (`governance.convocation`,
 * one job per recipient, idempotent) and convening the substitutes of a titular who cannot attend
 * (`governance.convene-substitutes`).
 */
export function registerGovernanceJobs(jobs: JobRunner, deps: ConvocationDeps): void {
  jobs.register(CONVOCATION_JOB, (payload, { db }) => runConvocationJob(db, deps.mailer, payload));
  jobs.register(SUBSTITUTES_JOB, (payload, { db }) => runSubstitutesJob(db, deps, payload));
}
