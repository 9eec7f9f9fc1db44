import crypto from 'node:crypto';
import type { Config } from '../../../config.js';
import { createProConnectClient, type ProConnectClient } from './proconnect.client.js';

/**
 * The ProConnect of a running platform: the one configured (PROCONNECT_ISSUER, _CLIENT_ID,
 * _CLIENT_SECRET), or in the demo a local provider started in this process (demo agents of La
 * Roche-sur-Yon and of Rennes, a non-member). Without either, no « S'identifier avec ProConnect ».
 */
export interface OpenedProConnect {
  client?: ProConnectClient;
  /** Where sign-ins go, for the start message. */
  description: string;
  close(): Promise<void>;
}

export async function openProConnect(config: Config): Promise<OpenedProConnect> {
  if (config.PROCONNECT_ISSUER && config.PROCONNECT_CLIENT_ID && config.PROCONNECT_CLIENT_SECRET) {
    return {
      client: createProConnectClient({
        issuer: config.PROCONNECT_ISSUER,
        clientId: config.PROCONNECT_CLIENT_ID,
        clientSecret: config.PROCONNECT_CLIENT_SECRET,
        publicUrl: config.publicUrl,
      }),
      description: `ProConnect (${new URL(config.PROCONNECT_ISSUER).host})`,
      close: async () => {},
    };
  }
  if (config.demoData && !config.isProduction) {
    // Loaded only here: a production process never carries the fake (nor oidc-provider).
    const { startFakeProConnect } = await import('./proconnect.fake-server.js');
    const clientId = 'socle-demo';
    const clientSecret = crypto.randomBytes(24).toString('base64url');
    const fake = await startFakeProConnect({ clientId, clientSecret, publicUrl: config.publicUrl });
    return {
      client: createProConnectClient({
        issuer: fake.url,
        clientId,
        clientSecret,
        publicUrl: config.publicUrl,
      }),
      description: `ProConnect de démonstration (${fake.url})`,
      close: () => fake.close(),
    };
  }
  return {
    description: 'non configuré (PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET)',
    close: async () => {},
  };
}
