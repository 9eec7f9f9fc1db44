import { and, count, desc, eq, gte, like, lt, or, type SQL, sql } from 'drizzle-orm';
import { apiTokens, organisations, users } from '../../kernel/identity.schema.js';
import { type Executor, toCount } from '../db/client.js';
import { afterCursor, type CursorValue, cursorInstant } from '../http/pagination.js';
import { auditEvents } from './audit.schema.js';

export interface AuditFilter {
  action?: string;
  memberId?: string;
  from?: Date;
  to?: Date;
}

function conditions(filter: AuditFilter): SQL | undefined {
  const escaped = filter.action?.replace(/[\\%_]/g, (c) => `\\${c}`);
  return and(
    filter.action
      ? or(eq(auditEvents.action, filter.action), like(auditEvents.action, `${escaped}.%`))
      : undefined,
    filter.memberId ? eq(auditEvents.memberId, filter.memberId) : undefined,
    filter.from ? gte(auditEvents.occurredAt, filter.from) : undefined,
    filter.to ? lt(auditEvents.occurredAt, filter.to) : undefined,
  );
}

/**
 * The API token an event was made with: `details.apiTokenId` (written by recordAudit), or the token a
 * request audited per token (`api_token.request`) names as its target.
 */
const eventToken = sql`coalesce(${auditEvents.details}->>'apiTokenId',
  CASE WHEN ${auditEvents.action} = 'api_token.request' THEN ${auditEvents.targetId} END)`;

/**
 * Newest first, `limit + 1` rows after the cursor, with the actor's and the member's names, and the
 * API token's (a member's token names no person: its name is who acted).
 */
export async function listAuditEvents(
  db: Executor,
  filter: AuditFilter,
  limit: number,
  cursor: { sortValue: CursorValue; id: string } | null,
) {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      cursorAt: cursorInstant(auditEvents.occurredAt),
      action: auditEvents.action,
      actorUserId: auditEvents.actorUserId,
      actorName: users.displayName,
      tokenId: apiTokens.id,
      tokenName: apiTokens.name,
      memberId: auditEvents.memberId,
      memberName: organisations.name,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      ipAddress: auditEvents.ipAddress,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(apiTokens, sql`${apiTokens.id}::text = ${eventToken}`)
    .leftJoin(organisations, eq(organisations.id, auditEvents.memberId))
    .where(and(conditions(filter), afterCursor(auditEvents.occurredAt, auditEvents.id, cursor, true)))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit + 1);
}

export async function countAuditEvents(db: Executor, filter: AuditFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEvents).where(conditions(filter));
  return toCount(row?.n);
}
