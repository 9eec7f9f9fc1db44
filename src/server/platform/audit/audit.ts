import type { FastifyRequest } from 'fastify';
import { personOf } from '../auth/context.js';
import type { Executor } from '../db/client.js';
import { auditEvents } from './audit.schema.js';

export interface AuditEntry {
  action: string;
  actorUserId?: string | null;
  /** The API token the action was made with (recorded in `details.apiTokenId`). */
  actorTokenId?: string | null;
  memberId?: string | null;
  targetType?: string;
  targetId?: string;
  ipAddress?: string | null;
  /** Ids and codes only: never secrets, never personal data. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    memberId: entry.memberId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ipAddress: entry.ipAddress ?? null,
    details: entry.actorTokenId
      ? { ...entry.details, apiTokenId: entry.actorTokenId }
      : (entry.details ?? {}),
  });
}

/** Many entries in one statement (a batch action audited per item). */
export async function recordAudits(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(
    entries.map((entry) => ({
      action: entry.action,
      actorUserId: entry.actorUserId ?? null,
      memberId: entry.memberId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ipAddress: entry.ipAddress ?? null,
      details: entry.actorTokenId
        ? { ...entry.details, apiTokenId: entry.actorTokenId }
        : (entry.details ?? {}),
    })),
  );
}

/** Who acts and from where: what every audited service receives, to spread into its entries. */
export interface AuditSource {
  actorUserId: string | null;
  /** The API token of the request, if any: a member's token names no person, only itself. */
  actorTokenId?: string | null;
  ipAddress: string | null;
}

/** The actor and address of a request, to spread into an audit entry. */
export const auditSource = (request: FastifyRequest): AuditSource => ({
  actorUserId: personOf(request.actor),
  actorTokenId: request.actor?.token?.id ?? null,
  ipAddress: request.ip,
});
