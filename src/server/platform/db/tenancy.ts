import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from './client.js';

/** Who is acting, as the database sees it. Anonymous requests have every field null. */
export interface TenantContext {
  userId: string | null;
  /** The current organisation when it is a member (not the operator). */
  memberId: string | null;
  /** 'admin' or 'agent' when the current organisation is the operator. */
  operatorRole: 'admin' | 'agent' | null;
  /**
   * An anonymous read (GET without a session). The PostgreSQL driver then runs it without a
   * transaction on connections that are `socle_app` and read-only for their whole session: one round
   * trip instead of three, with RLS and the read-only guarantee enforced by the database. Work that
   * sets transaction-local settings itself (set_config(..., true)) must pass `anonymousRead: false`.
   */
  anonymousRead?: boolean;
}

export const ANONYMOUS: TenantContext = { userId: null, memberId: null, operatorRole: null };
/** For jobs and imports that act for the operator as a whole. */
export const SYSTEM_OPERATOR: TenantContext = { userId: null, memberId: null, operatorRole: 'admin' };

/** A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
const literal = (value: string | null) => `'${(value ?? '').replaceAll("'", "''")}'`;

/**
 * How long a signed context stays valid (the database checks `app.expires` against the transaction's
 * start): a signature seen somewhere cannot be replayed for long. Generous, for clocks a little apart.
 */
const SIGNATURE_TTL_SECONDS = 15 * 60;

/**
 * The signature of the settings, as socle_settings_valid() (migration 0031) recomputes it:
 * sha256(key || sha256(key || "user|member|role|expires")), in hex. Without the key (which socle_app
 * cannot read) nobody can sign another context.
 */
export function signSettings(key: Buffer, values: string[]): string {
  const inner = crypto.createHash('sha256').update(key).update(values.join('|'), 'utf8').digest();
  return crypto.createHash('sha256').update(key).update(inner).digest('hex');
}

/**
 * The one statement that makes a transaction act as `context`: the restricted role `socle_app`, which
 * the Row Level Security policies apply to, the settings they read, and their signature under `key`.
 * Transaction-local: nothing leaks to the next request on the same connection (PGlite is a single
 * session). `role: false` leaves the role alone (a transaction already acting as socle_app narrows or
 * moves its context: see setTenantSettings).
 */
export function tenantSettingsStatement(
  context: TenantContext,
  key: Buffer,
  options: { role?: boolean } = {},
): string {
  // Real time, not the clock of platform/clock.ts: the database compares it with its own now().
  const expires = String(Math.floor(Date.now() / 1000) + SIGNATURE_TTL_SECONDS);
  const values = [context.userId ?? '', context.memberId ?? '', context.operatorRole ?? '', expires];
  const signature = signSettings(key, values);
  const role = options.role === false ? '' : "set_config('role', 'socle_app', true), ";
  return `SELECT ${role}set_config('app.user_id', ${literal(context.userId)}, true), set_config('app.member_id', ${literal(context.memberId)}, true), set_config('app.operator_role', ${literal(context.operatorRole)}, true), set_config('app.expires', '${expires}', true), set_config('app.signature', '${signature}', true)`;
}

/**
 * The key the settings are signed with, read once per database through its owner connection (the
 * table socle_settings_key is the owner's alone). A failed read (migrations not applied yet) is retried.
 */
const keys = new WeakMap<Db, Promise<Buffer>>();
export function settingsKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = db.execute(sql`SELECT key FROM socle_settings_key`).then((result) => {
      const [row] = rowsOf<{ key: Uint8Array | string }>(result);
      if (!row) throw new Error('socle_settings_key is empty: run the migrations');
      return typeof row.key === 'string'
        ? Buffer.from(row.key.replace(/^\\x/, ''), 'hex')
        : Buffer.from(row.key);
    });
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

/** The key of the database a tenant transaction runs on, for setTenantSettings within it. */
const transactionKeys = new WeakMap<object, Buffer>();
export function rememberTransactionKey(tx: object, key: Buffer): void {
  transactionKeys.set(tx, key);
}

/**
 * Moves a tenant transaction to another context once the service proved it (a password verified, an
 * invitation link checked): the settings are signed again, the role stays socle_app.
 */
export async function setTenantSettings(tx: Tx, context: TenantContext): Promise<void> {
  const key = transactionKeys.get(tx);
  if (!key) throw new Error('setTenantSettings: not a tenant transaction (withTenant / request.inTenant)');
  await tx.execute(sql.raw(tenantSettingsStatement(context, key, { role: false })));
}

export type TenantRunner = <T>(context: TenantContext, work: (tx: Tx) => Promise<T>) => Promise<T>;

/** Drivers that can open a tenant transaction faster than drizzle's generic one register here. */
export const tenantRunners = new WeakMap<Db, TenantRunner>();

/**
 * Runs `work` in one transaction acting as `context` (see tenantSettingsStatement). Request handlers
 * use `request.inTenant(work)`; jobs, seeds and commands call this with their own context.
 */
export async function withTenant<T>(
  db: Db,
  context: TenantContext,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const runner = tenantRunners.get(db);
  if (runner) return runner(context, work);
  const key = await settingsKey(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(tenantSettingsStatement(context, key)));
    rememberTransactionKey(tx, key);
    return work(tx as Tx);
  });
}
