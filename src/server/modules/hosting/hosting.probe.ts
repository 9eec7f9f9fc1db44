import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { MonitorKind } from '../../../contracts/hosting.js';

/**
 * The probes of the hosting monitors (HTTP(S) status and keyword, TCP port, TLS certificate
 * expiry), and the allow-list that keeps them from probing arbitrary hosts: the target's name is
 * resolved, every address must be one of the allowed hosts' (or loopback where allowed), and the
 * probe connects to the address that was checked (no second resolution a DNS answer could change).
 */

export const PROBE_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;

export interface Target {
  host: string;
  port: number;
  url: URL | null;
}

/** The host and port of a target, or a French reason it is not one. */
export function parseTarget(kind: MonitorKind, target: string): Target | string {
  if (kind === 'http' || kind === 'keyword' || (kind === 'tls' && target.includes('://'))) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return 'adresse http(s) attendue, par exemple https://service.exemple.fr/sante';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'adresse http(s) attendue';
    if (url.username || url.password) return 'identifiants interdits dans l’adresse';
    if (kind === 'tls' && url.protocol !== 'https:') return 'adresse https attendue pour un certificat';
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port, url: kind === 'tls' ? null : url };
  }
  const match =
    /^\[?([^\]\s/]+?)\]?:(\d{1,5})$/.exec(target) ?? (kind === 'tls' ? /^([^\s/:]+)()$/.exec(target) : null);
  if (!match)
    return kind === 'tcp' ? 'hôte:port attendu, par exemple db.exemple.fr:5432' : 'hôte ou hôte:port attendu';
  const port = match[2] ? Number(match[2]) : 443;
  if (port < 1 || port > 65_535) return 'port entre 1 et 65535 attendu';
  return { host: match[1] ?? '', port, url: null };
}

const isLoopback = (address: string) =>
  /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);

async function addressesOf(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address.toLowerCase());
}

/** `MONITOR_ALLOWED_HOSTS` and loopback: which addresses a monitor may reach. */
export class HostAllowList {
  private readonly hosts: string[];
  private allowed: { addresses: Set<string>; until: number } | null = null;

  constructor(
    hosts: string,
    private readonly allowLoopback: boolean,
  ) {
    this.hosts = hosts
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  }

  private async allowedAddresses(): Promise<Set<string>> {
    if (this.allowed && this.allowed.until > Date.now()) return this.allowed.addresses;
    const addresses = new Set<string>();
    for (const host of this.hosts) {
      try {
        for (const a of await addressesOf(host)) addresses.add(a);
      } catch {
        // An allowed name that does not resolve allows nothing.
      }
    }
    this.allowed = { addresses, until: Date.now() + 60_000 };
    return addresses;
  }

  /** The address to connect to, or a French refusal. */
  async check(host: string): Promise<{ address: string } | { refused: string }> {
    let addresses: string[];
    try {
      addresses = await addressesOf(host);
    } catch {
      return { refused: `le nom ${host} ne se résout pas` };
    }
    const allowed = await this.allowedAddresses();
    const ok =
      addresses.length > 0 && addresses.every((a) => allowed.has(a) || (this.allowLoopback && isLoopback(a)));
    const first = addresses[0];
    if (!ok || !first) return { refused: `hôte non autorisé (${host}) : voir MONITOR_ALLOWED_HOSTS` };
    return { address: first };
  }
}

export interface ProbeResult {
  ok: boolean;
  responseMs: number;
  message: string;
}

export interface ProbeSpec {
  kind: MonitorKind;
  target: string;
  keyword: string | null;
  tlsWarningDays: number;
}

/** Runs one probe through the allow-list. Never throws: a failure is a result. */
export async function probe(spec: ProbeSpec, allowList: HostAllowList, at: Date): Promise<ProbeResult> {
  const started = performance.now();
  const done = (ok: boolean, message: string): ProbeResult => ({
    ok,
    message,
    responseMs: Math.round(performance.now() - started),
  });
  const target = parseTarget(spec.kind, spec.target);
  if (typeof target === 'string') return done(false, target);
  const checked = await allowList.check(target.host);
  if ('refused' in checked) return done(false, checked.refused);
  try {
    if (spec.kind === 'tcp') {
      await tcpConnect(checked.address, target.port);
      return done(true, `port ${target.port} ouvert`);
    }
    if (spec.kind === 'tls') {
      const { validTo, authorized, error } = await tlsCertificate(checked.address, target.port, target.host);
      if (!authorized) return done(false, `certificat refusé : ${error}`);
      const days = Math.floor((validTo.getTime() - at.getTime()) / 86_400_000);
      return done(
        days >= spec.tlsWarningDays,
        `certificat valable jusqu’au ${validTo.toISOString().slice(0, 10)} (${days} jours)`,
      );
    }
    const url = target.url;
    if (!url) return done(false, 'adresse invalide');
    const { status, body } = await httpGet(url, checked.address, spec.kind === 'keyword');
    if (status < 200 || status >= 400) return done(false, `réponse HTTP ${status}`);
    if (spec.kind === 'keyword' && spec.keyword && !body.includes(spec.keyword)) {
      return done(false, `réponse HTTP ${status} sans le mot-clé « ${spec.keyword} »`);
    }
    return done(true, `réponse HTTP ${status}`);
  } catch (error) {
    return done(false, error instanceof Error ? error.message.slice(0, 300) : 'échec de la sonde');
  }
}

function tcpConnect(address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, timeout: PROBE_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('délai dépassé'));
    });
    socket.once('error', (e) =>
      reject(new Error(`connexion refusée (${(e as NodeJS.ErrnoException).code ?? e.message})`)),
    );
  });
}

function tlsCertificate(
  address: string,
  port: number,
  servername: string,
): Promise<{ validTo: Date; authorized: boolean; error: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: address,
      port,
      servername: net.isIP(servername) ? undefined : servername,
      rejectUnauthorized: false,
      timeout: PROBE_TIMEOUT_MS,
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      socket.destroy();
      if (!certificate?.valid_to) return reject(new Error('aucun certificat présenté'));
      resolve({
        validTo: new Date(certificate.valid_to),
        authorized: socket.authorized,
        error: String(socket.authorizationError ?? ''),
      });
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('délai dépassé'));
    });
    socket.once('error', (e) =>
      reject(new Error(`connexion TLS impossible (${(e as NodeJS.ErrnoException).code ?? e.message})`)),
    );
  });
}

function httpGet(url: URL, address: string, readBody: boolean): Promise<{ status: number; body: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        timeout: PROBE_TIMEOUT_MS,
        headers: { 'user-agent': 'Socle-monitor/1', accept: '*/*' },
        // Connect to the address the allow-list checked, whatever the name resolves to now.
        lookup: (_host, options, callback) => {
          const family = net.isIP(address);
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
              { address, family },
            ]);
          } else callback(null, address, family);
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (!readBody || size >= MAX_BODY_BYTES) return;
          size += chunk.length;
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('délai dépassé')));
    request.on('error', (e) =>
      reject(new Error(`requête impossible (${(e as NodeJS.ErrnoException).code ?? e.message})`)),
    );
    request.end();
  });
}
