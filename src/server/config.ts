import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** proxy-addr's names for ranges of addresses (Fastify's `trustProxy` understands them). */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = net.isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies may tell the client's address through X-Forwarded-For: nobody by default (a client
 * could otherwise choose the address the per-address login limit counts and the audit records);
 * a number of proxy hops in front of the server; or the proxies' addresses and CIDR ranges.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, context): false | number | string[] => {
    if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
    context.addIssue({
      code: 'custom',
      message:
        'nombre de mandataires devant le serveur (par exemple 1) ou liste de leurs adresses et plages CIDR séparées par des virgules (par exemple 10.0.0.2,10.1.0.0/16)',
    });
    return z.NEVER;
  });

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('localhost'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
      .optional(),
    /**
     * Optional: the requests' connections log in with this URL (a login role that is a member of
     * socle_app and owns nothing, NOINHERIT), so that an injected `RESET ROLE` gains nothing; DATABASE_URL
     * (the owner) then serves migrations, the session lookup, jobs' claims and commands only.
     */
    DATABASE_APP_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
      .optional(),
    PUBLIC_URL: z.string().url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OPERATOR_REGIONS: z
      .string()
      .regex(/^\d{2}(,\d{2})*$/, 'liste de codes région séparés par des virgules, par exemple 52 ou 52,53')
      .default('52'),
    OPERATOR_NAME: z.string().min(1).default('Syndicat mixte e-Collectivités (démo)'),
    /** Where members pay their invoices (the operator's account at the Trésor public); demo values by default. */
    OPERATOR_IBAN: z
      .string()
      .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, 'IBAN sans espaces attendu, par exemple FR76…')
      .default('FR7630001000640000001234559'),
    OPERATOR_BIC: z
      .string()
      .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'BIC de 8 ou 11 caractères attendu')
      .default('BDFEFRPPCCT'),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024),
    SESSION_TTL_HOURS: z.coerce.number().int().positive().default(12),
    DEMO_DATA: booleanFromEnv.optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps://')
      .optional(),
    MAIL_FROM: z.string().default('Socle <ne-pas-repondre@socle.example>'),
    LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /**
     * Longest life of a cached list total; a change to the data it counts drops it at once
     * (platform/changes.ts). 0 counts on every request.
     */
    LIST_TOTAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
    /** Longest life of a cached public answer (platform/http/public-cache.ts); 0 disables that cache. */
    PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
    /** Longest life of a cached session actor (platform/auth/session.ts); 0 reads it on every request. */
    ACTOR_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
    /**
     * The year's cost-sharing model is trusted while no pricing change was notified (true), instead of
     * checking pricing_state on every request (false; the default in tests, which write behind the API).
     */
    MODEL_CACHE_NOTIFIED: booleanFromEnv.optional(),
    /**
     * Pause between two looks at the job queue when it is empty (platform/jobs/worker.ts); 0: this
     * process runs no background jobs (another process does).
     */
    JOBS_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /**
     * The support desk's inbound e-mail (issue 14): an SMTP endpoint on this port turning mails from
     * known users into tickets or replies (reference « T-000123 » in the subject). Off when unset.
     */
    SUPPORT_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    /** The address the inbound SMTP endpoint listens on (local only by default). */
    SUPPORT_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    /** Memory given to cached public answers, in MB. */
    PUBLIC_CACHE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(32),
    TRUST_PROXY: trustProxy.optional(),
    /**
     * Hosts the hosting monitors may probe (comma-separated names or addresses): a target's name is
     * resolved and every address must belong to one of these hosts. Loopback addresses are allowed too
     * when MONITOR_ALLOW_LOOPBACK is true (the default outside production: demo and tests).
     */
    MONITOR_ALLOWED_HOSTS: z.string().default(''),
    MONITOR_ALLOW_LOOPBACK: booleanFromEnv.optional(),
    /** Planned maintenance is announced at least this many hours ahead. */
    MAINTENANCE_MIN_NOTICE_HOURS: z.coerce.number().int().min(0).max(8760).default(48),
    /**
     * The tiers de télétransmission (S²LOW) acts are sent through: its address, the account's login and
     * password (HTTP Basic) and/or client certificate (PKCS#12 file and passphrase), extra CAs (PEM
     * file) and each call's deadline. Without S2LOW_URL, the demo starts a fake S²LOW in the process;
     * elsewhere transmissions wait (their jobs retry) until one is configured.
     */
    S2LOW_URL: z.string().url('adresse http(s) attendue, par exemple https://s2low.exemple.fr').optional(),
    S2LOW_LOGIN: z.string().optional(),
    S2LOW_PASSWORD: z.string().optional(),
    S2LOW_CERTIFICATE: z.string().optional(),
    S2LOW_CERTIFICATE_PASSPHRASE: z.string().optional(),
    S2LOW_CA: z.string().optional(),
    S2LOW_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Demo: how long the fake S²LOW takes to acknowledge an act. */
    S2LOW_FAKE_ACK_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(3000),
    /**
     * ProConnect (OpenID Connect): the issuer (discovery at /.well-known/openid-configuration) and the
     * client registered with it. All three or none; without them the demo starts a local provider.
     */
    PROCONNECT_ISSUER: z
      .string()
      .url('adresse http(s) attendue, par exemple https://auth.agentconnect.gouv.fr/api/v2')
      .optional(),
    PROCONNECT_CLIENT_ID: z.string().min(1).optional(),
    PROCONNECT_CLIENT_SECRET: z.string().min(1).optional(),
    /**
     * Live streams of sittings (server-sent events, governance.live.ts) one process keeps open, per
     * session and in all; past them a page gets 503 and polls instead.
     */
    GOVERNANCE_LIVE_STREAMS_PER_SESSION: z.coerce.number().int().min(0).max(100_000).default(1000),
    GOVERNANCE_LIVE_STREAMS_MAX: z.coerce.number().int().min(0).max(100_000).default(5000),
    /** How often a live stream's reader is checked again (seconds); one who may no longer read is cut. */
    GOVERNANCE_LIVE_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** How long a live stream lives at most (seconds) before the browser reconnects and is checked again. */
    GOVERNANCE_LIVE_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
    /** Requests one API token may make per minute (each process counts its own). */
    API_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
    /**
     * Hosts webhooks may reach although they resolve to a private, loopback or link-local address
     * (comma-separated names or addresses, e.g. an intranet receiver): none by default.
     */
    WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .regex(/^[A-Za-z0-9.:_-]+(,[A-Za-z0-9.:_-]+)*$/, 'liste de noms ou adresses séparés par des virgules')
      .optional(),
  })
  .superRefine((c, context) => {
    const proconnect = ['PROCONNECT_ISSUER', 'PROCONNECT_CLIENT_ID', 'PROCONNECT_CLIENT_SECRET'] as const;
    if (proconnect.some((name) => c[name] !== undefined)) {
      for (const name of proconnect) {
        if (c[name] === undefined) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message:
              'requise avec les autres variables PROCONNECT_* (émetteur, identifiant et secret du client)',
          });
        }
      }
    }
    if (c.NODE_ENV === 'production' && c.PROCONNECT_ISSUER?.startsWith('http://')) {
      context.addIssue({
        code: 'custom',
        path: ['PROCONNECT_ISSUER'],
        message: 'https:// attendu en production',
      });
    }
  });

export type Config = Omit<
  z.infer<typeof configSchema>,
  | 'LIST_TOTAL_CACHE_SECONDS'
  | 'PUBLIC_CACHE_SECONDS'
  | 'ACTOR_CACHE_SECONDS'
  | 'MODEL_CACHE_NOTIFIED'
  | 'TRUST_PROXY'
  | 'MONITOR_ALLOW_LOOPBACK'
> & {
  MONITOR_ALLOW_LOOPBACK: boolean;
  /** Fastify's `trustProxy`: false (the default), a number of hops, or proxy addresses and ranges. */
  TRUST_PROXY: false | number | string[];
  MODEL_CACHE_NOTIFIED: boolean;
  LIST_TOTAL_CACHE_SECONDS: number;
  PUBLIC_CACHE_SECONDS: number;
  ACTOR_CACHE_SECONDS: number;
  dataDir: string;
  regions: string[];
  isProduction: boolean;
  demoData: boolean;
  publicUrl: string;
  /** WEBHOOK_ALLOWED_HOSTS as a list, in lower case. */
  webhookAllowedHosts: string[];
  /** Webhooks may target `http://` (demo and tests only; `https://` everywhere else). */
  webhookAllowHttp: boolean;
};

export class ConfigError extends Error {}

/** Parses the environment once; an invalid variable stops the start with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const source = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const shown =
        name.endsWith('_URL') || name.endsWith('_SECRET')
          ? '[masquée]'
          : JSON.stringify(source[name] ?? null);
      return `  - ${name} : ${issue.message} (valeur reçue : ${shown})`;
    });
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  return {
    ...c,
    dataDir: path.resolve(c.DATA_DIR),
    regions: c.OPERATOR_REGIONS.split(','),
    isProduction,
    demoData: c.DEMO_DATA ?? !isProduction,
    // Tests write rows behind the API's back and read them at once: on PostgreSQL the notification of
    // such a write may arrive a moment after the next request, so caches are off unless a test asks.
    LIST_TOTAL_CACHE_SECONDS: c.LIST_TOTAL_CACHE_SECONDS ?? (c.NODE_ENV === 'test' ? 0 : 300),
    PUBLIC_CACHE_SECONDS: c.PUBLIC_CACHE_SECONDS ?? (c.NODE_ENV === 'test' ? 0 : 300),
    ACTOR_CACHE_SECONDS: c.ACTOR_CACHE_SECONDS ?? (c.NODE_ENV === 'test' ? 0 : 60),
    MODEL_CACHE_NOTIFIED: c.MODEL_CACHE_NOTIFIED ?? c.NODE_ENV !== 'test',
    publicUrl: c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
    TRUST_PROXY: c.TRUST_PROXY ?? false,
    MONITOR_ALLOW_LOOPBACK: c.MONITOR_ALLOW_LOOPBACK ?? !isProduction,
    webhookAllowedHosts: (c.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .filter(Boolean)
      .map((host) => host.toLowerCase()),
    webhookAllowHttp: c.NODE_ENV === 'test' || (c.DEMO_DATA ?? !isProduction),
  };
}
