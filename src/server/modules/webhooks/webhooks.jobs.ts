import type { JobRunner } from '../../platform/jobs/worker.js';
import { runDeliveryJob, WEBHOOK_DELIVER_JOB, type WebhookDeps } from './webhooks.service.js';

/** Webhook deliveries go through the job queue: one `webhooks.deliver` job per attempt. */
export function registerWebhookJobs(jobs: JobRunner, deps: WebhookDeps): void {
  jobs.register(WEBHOOK_DELIVER_JOB, (payload, { db }) => runDeliveryJob(db, deps, payload));
}
