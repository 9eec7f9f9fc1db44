import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('TRUST_PROXY', () => {
  const trust = (value?: string, env: Record<string, string> = {}) =>
    loadConfig({ ...env, ...(value === undefined ? {} : { TRUST_PROXY: value }) }).TRUST_PROXY;

  it('trusts no proxy by default, in production too, and for an empty value or 0', () => {
    expect(trust()).toBe(false);
    expect(trust(undefined, { NODE_ENV: 'production' })).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('0')).toBe(false);
  });

  it('reads a number of hops', () => {
    expect(trust('2')).toBe(2);
  });

  it('reads proxy addresses and CIDR ranges, IPv4 and IPv6, and the loopback/linklocal/uniquelocal names', () => {
    expect(trust(' 10.0.0.2, 10.1.0.0/16,::1, fd00::/8,loopback ')).toEqual([
      '10.0.0.2',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each(['true', '*', 'proxy.example', '10.0.0.0/33', '10.0.0.1,', '1.5'])(
    'refuses %j with a French message naming the variable',
    (value) => {
      expect(() => trust(value)).toThrow(ConfigError);
      expect(() => trust(value)).toThrow(/TRUST_PROXY : nombre de mandataires .* plages CIDR/);
    },
  );
});

describe('PROCONNECT_*', () => {
  it('reads the three together', () => {
    const config = loadConfig({
      PROCONNECT_ISSUER: 'https://auth.proconnect.gouv.fr/api/v2',
      PROCONNECT_CLIENT_ID: 'socle',
      PROCONNECT_CLIENT_SECRET: 'secret',
    });
    expect(config.PROCONNECT_CLIENT_ID).toBe('socle');
  });

  it('names, in French, the variable missing or wrong, without showing the secret', () => {
    expect(() => loadConfig({ PROCONNECT_ISSUER: 'https://auth.proconnect.gouv.fr/api/v2' })).toThrow(
      /PROCONNECT_CLIENT_ID : requise avec les autres variables PROCONNECT_\*/,
    );
    expect(() =>
      loadConfig({
        PROCONNECT_ISSUER: 'pas une adresse',
        PROCONNECT_CLIENT_ID: 'a',
        PROCONNECT_CLIENT_SECRET: 'b',
      }),
    ).toThrow(/PROCONNECT_ISSUER : adresse http\(s\) attendue/);
    let message = '';
    try {
      loadConfig({
        NODE_ENV: 'production',
        PROCONNECT_ISSUER: 'http://provider.example',
        PROCONNECT_CLIENT_ID: 'a',
        PROCONNECT_CLIENT_SECRET: 'very-secret-value',
      });
    } catch (error) {
      message = error instanceof ConfigError ? error.message : '';
    }
    expect(message).toContain('PROCONNECT_ISSUER : https:// attendu en production');
    expect(message).not.toContain('very-secret-value');
  });
});
