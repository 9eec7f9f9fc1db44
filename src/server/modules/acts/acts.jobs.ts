import type { JobRunner } from '../../platform/jobs/worker.js';
import {
  DAILY_CRON,
  DAILY_JOB,
  POLL_JOB,
  runDailyJob,
  runPollJob,
  runTransmitJob,
  TRANSMIT_JOB,
  type TransmissionDeps,
} from './acts.transmission.service.js';
import { ConnectorUnavailable } from './transmission/connector.js';

/**
 * The acts module's background work: sending envelopes (`acts.transmit`), following transactions
 * until acknowledged (`acts.poll`, re-queued with a growing delay), and every morning the prefecture's
 * messages and the classifications (`acts.daily`).
 */
export function registerActsJobs(jobs: JobRunner, deps: TransmissionDeps): void {
  jobs.register(TRANSMIT_JOB, (payload, { db, job }) => runTransmitJob(db, deps, payload, job));
  jobs.register(POLL_JOB, (payload, { db }) => runPollJob(db, deps, payload));
  jobs.register(DAILY_JOB, async (_payload, { db, log }) => {
    const report = await runDailyJob(db, deps);
    log.info({ report }, 'acts daily follow-up done');
  });
  jobs.schedule(DAILY_JOB, DAILY_CRON);
}

/** The connector of a platform with no tiers configured: every call says it is unreachable. */
export const unconfiguredConnector = {
  fail(): never {
    throw new ConnectorUnavailable(
      "Aucun tiers de télétransmission n'est configuré (variables S2LOW_URL, S2LOW_LOGIN, S2LOW_PASSWORD).",
    );
  },
  async fetchClassification() {
    return unconfiguredConnector.fail();
  },
  async create() {
    return unconfiguredConnector.fail();
  },
  async status() {
    return unconfiguredConnector.fail();
  },
  async cancel() {
    return unconfiguredConnector.fail();
  },
  async messages() {
    return unconfiguredConnector.fail();
  },
  async answer() {
    return unconfiguredConnector.fail();
  },
};
