import { sql } from 'drizzle-orm';
import { type Db, type Tx, tenantRunners } from './client.js';

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

/**
 * Runs `work` in one transaction as the restricted role `socle_app`, with the tenant settings that
 * the Row Level Security policies read. Settings are transaction-local: nothing leaks to the next
 * request on the same connection (PGlite is a single session).
 */
export function withTenant<T>(db: Db, context: TenantContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  const runner = tenantRunners.get(db);
  if (runner) return runner(context, work);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT
      set_config('role', 'socle_app', true),
      set_config('app.user_id', ${context.userId ?? ''}, true),
      set_config('app.member_id', ${context.memberId ?? ''}, true),
      set_config('app.operator_role', ${context.operatorRole ?? ''}, true)`);
    return work(tx as Tx);
  });
}
