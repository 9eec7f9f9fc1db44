import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

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
 * The one statement that makes a transaction act as `context`: the restricted role `socle_app`, which
 * the Row Level Security policies apply to, and the settings they read. Transaction-local: nothing
 * leaks to the next request on the same connection (PGlite is a single session).
 */
export function tenantSettingsStatement(context: TenantContext): string {
  return `SELECT set_config('role', 'socle_app', true), set_config('app.user_id', ${literal(context.userId)}, true), set_config('app.member_id', ${literal(context.memberId)}, true), set_config('app.operator_role', ${literal(context.operatorRole)}, true)`;
}

export type TenantRunner = <T>(context: TenantContext, work: (tx: Tx) => Promise<T>) => Promise<T>;

/** Drivers that can open a tenant transaction faster than drizzle's generic one register here. */
export const tenantRunners = new WeakMap<Db, TenantRunner>();

/**
 * Runs `work` in one transaction acting as `context` (see tenantSettingsStatement). Request handlers
 * use `request.inTenant(work)`; jobs, seeds and commands call this with their own context.
 */
export function withTenant<T>(db: Db, context: TenantContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  const runner = tenantRunners.get(db);
  if (runner) return runner(context, work);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(tenantSettingsStatement(context)));
    return work(tx as Tx);
  });
}
