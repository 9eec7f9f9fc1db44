import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { invalidField } from '../../platform/errors.js';

/**
 * Where a webhook may be sent (SSRF guard, issue 16): `https` only, unless the platform runs its demo
 * or its tests; never to a private, loopback, link-local, shared (CGNAT), multicast or unspecified
 * address (documentation ranges too) unless the host is listed in WEBHOOK_ALLOWED_HOSTS. The host is resolved and every address
 * checked, and a delivery connects to the address that was checked (the `lookup` given to the
 * socket), so a name that resolves to a public address at registration and to a private one at
 * delivery (DNS rebinding) is refused at delivery.
 */
export interface TargetPolicy {
  allowHttp: boolean;
  /** Host names (lower case) or addresses exempt from the address check. */
  allowedHosts: readonly string[];
  /** Resolves a host name to its addresses (tests give a fake resolver). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` is one a webhook may never reach unless its host is allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

const systemResolve = async (host: string) => dns.promises.lookup(host, { all: true, verbatim: true });

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

export class TargetRefused extends Error {}

/** The URL's scheme and credentials, checked without resolving (a form's first answer). */
function checkShape(url: URL, policy: TargetPolicy): void {
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw new TargetRefused("l'adresse doit commencer par https://");
  }
  if (url.username || url.password) {
    throw new TargetRefused("l'adresse ne doit pas contenir d'identifiant ni de mot de passe");
  }
}

/**
 * Resolves the URL's host and returns its addresses when every one may be reached; throws
 * TargetRefused (French) otherwise.
 */
export async function checkedAddresses(
  rawUrl: string,
  policy: TargetPolicy,
): Promise<{ address: string; family: number }[]> {
  const url = new URL(rawUrl);
  checkShape(url, policy);
  const host = hostOf(url);
  const allowed = policy.allowedHosts.includes(host);
  const literal = net.isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw new TargetRefused(`le nom ${host} ne correspond à aucune adresse`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`le nom ${host} ne correspond à aucune adresse`);
  if (!allowed && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new TargetRefused(
      `${host} désigne une adresse privée, locale ou réservée : elle n'est pas autorisée pour un webhook`,
    );
  }
  return addresses;
}

/** checkedAddresses for a form: a 400 naming the `url` field. */
export async function assertTargetAllowed(rawUrl: string, policy: TargetPolicy): Promise<void> {
  try {
    await checkedAddresses(rawUrl, policy);
  } catch (error) {
    if (error instanceof TargetRefused) throw invalidField('body.url', error.message);
    throw error;
  }
}

export interface PostResult {
  status: number;
}

/**
 * POSTs `body` to `rawUrl` with `headers`, connecting only to an address checked by
 * checkedAddresses (resolved once, here). Answers the HTTP status; throws on a refused target, a
 * network error or after `timeoutMs`. The answer's body is read and dropped (at most 64 KiB kept in
 * flight).
 */
export async function postToTarget(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  policy: TargetPolicy,
  timeoutMs = 10_000,
): Promise<PostResult> {
  const addresses = await checkedAddresses(rawUrl, policy);
  const chosen = addresses[0];
  if (!chosen) throw new TargetRefused('aucune adresse');
  const url = new URL(rawUrl);
  const client = url.protocol === 'https:' ? https : http;
  // The socket asks this lookup, which answers the address checked above whatever DNS says now.
  const lookup: net.LookupFunction = (_hostname, options, callback) => {
    if ((options as dns.LookupOptions).all) {
      (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [chosen]);
    } else {
      callback(null, chosen.address, chosen.family);
    }
  };
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Socle-Webhooks/1',
          ...headers,
        },
        lookup,
        timeout: timeoutMs,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`pas de réponse en ${timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}
