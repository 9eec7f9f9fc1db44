import fs from 'node:fs/promises';
import type { Config } from '../../config.js';
import type { ActsConnector } from './transmission/connector.js';
import { createS2lowClient } from './transmission/s2low.client.js';

/**
 * The tiers de télétransmission of a running platform: the S²LOW instance configured (S2LOW_URL and
 * its account), or in the demo a fake S²LOW started in this process, acknowledging after
 * S2LOW_FAKE_ACK_DELAY_MS. Without either, the app uses a connector that says none is configured.
 */
export interface OpenedConnector {
  connector?: ActsConnector;
  /** Where the acts go, for the start message. */
  description: string;
  close(): Promise<void>;
}

export async function openActsConnector(config: Config): Promise<OpenedConnector> {
  if (config.S2LOW_URL) {
    const connector = createS2lowClient({
      baseUrl: config.S2LOW_URL,
      login: config.S2LOW_LOGIN,
      password: config.S2LOW_PASSWORD,
      pfx: config.S2LOW_CERTIFICATE ? await fs.readFile(config.S2LOW_CERTIFICATE) : undefined,
      passphrase: config.S2LOW_CERTIFICATE_PASSPHRASE,
      ca: config.S2LOW_CA ? await fs.readFile(config.S2LOW_CA) : undefined,
      timeoutMs: config.S2LOW_TIMEOUT_MS,
    });
    return {
      connector,
      description: `S²LOW (${new URL(config.S2LOW_URL).host})`,
      close: async () => connector.close(),
    };
  }
  if (config.demoData && !config.isProduction) {
    // Loaded only here: a production process never carries the fake.
    const { startFakeS2low } = await import('./transmission/s2low.fake-server.js');
    const fake = await startFakeS2low({
      host: '127.0.0.1',
      port: 0,
      ackDelayMs: config.S2LOW_FAKE_ACK_DELAY_MS,
    });
    const connector = createS2lowClient({ baseUrl: fake.url, timeoutMs: config.S2LOW_TIMEOUT_MS });
    return {
      connector,
      description: `S²LOW de démonstration (${fake.url}, accusé de réception en ${config.S2LOW_FAKE_ACK_DELAY_MS / 1000} s)`,
      close: async () => {
        connector.close();
        await fake.close();
      },
    };
  }
  return { description: 'aucun tiers de télétransmission configuré (S2LOW_URL)', close: async () => {} };
}
