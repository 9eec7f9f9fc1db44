import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type AuditEvent, auditEventList, auditQuery } from '../../../contracts/audit.js';
import { definePolicy, operatorAdmin } from '../auth/policy.js';
import type { Tx } from '../db/client.js';
import { invalid } from '../errors.js';
import { can } from '../http/access.js';
import { decodeCursor, encodeCursor, pageOf } from '../http/pagination.js';
import { type AuditFilter, countAuditEvents, listAuditEvents } from './audit.repository.js';

const parisOffset = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Paris',
  timeZoneName: 'longOffset',
});

/** A bare date means the whole day in Paris: `to=2026-03-12` includes the 12th. */
function parseBound(value: string | undefined, endOfDay: boolean): Date | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const offset = parisOffset
      .formatToParts(new Date(`${value}T12:00:00Z`))
      .find((p) => p.type === 'timeZoneName');
    const start = new Date(`${value}T00:00:00${offset?.value.replace('GMT', '') || 'Z'}`);
    return endOfDay ? new Date(start.getTime() + 86_400_000) : start;
  }
  return new Date(value);
}

async function listAudit(
  tx: Tx,
  filter: AuditFilter,
  page: { limit: number; cursor?: string },
): Promise<{ items: AuditEvent[]; total: number; nextCursor: string | null }> {
  const rows = await listAuditEvents(tx, filter, page.limit, decodeCursor(page.cursor));
  const { items, nextCursor } = pageOf(rows, page.limit, (r) => encodeCursor(r.cursorAt, r.id));
  return {
    items: items.map((r) => ({
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      action: r.action,
      actor: r.actorUserId ? { id: r.actorUserId, displayName: r.actorName } : null,
      token: r.tokenId && r.tokenName !== null ? { id: r.tokenId, name: r.tokenName } : null,
      member: r.memberId ? { id: r.memberId, name: r.memberName } : null,
      targetType: r.targetType,
      targetId: r.targetId,
      ipAddress: r.ipAddress,
      details: (r.details ?? {}) as Record<string, unknown>,
    })),
    total: await countAuditEvents(tx, filter),
    nextCursor,
  };
}

/** The audit log is the operator admins' (platform service: it imports nothing from modules). */
export const auditPolicy = definePolicy({ 'audit:read': operatorAdmin });

export default async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/audit-events',
    {
      config: {
        access: can(
          auditPolicy,
          'audit:read',
          undefined,
          "Le journal d'audit est réservé aux administrateurs de l'opérateur.",
        ),
      },
      schema: {
        tags: ['Journal et courriels'],
        summary: "Journal d'audit (sécurité et adhésions), du plus récent au plus ancien",
        querystring: auditQuery,
        response: { 200: auditEventList },
      },
    },
    async (request) => {
      const { action, memberId, from, to, limit, cursor } = request.query;
      const filter = { action, memberId, from: parseBound(from, false), to: parseBound(to, true) };
      if (filter.from && filter.to && filter.from >= filter.to) {
        throw invalid('La date de début doit précéder la date de fin.', [
          { path: 'query.from', message: 'postérieure à la date de fin' },
        ]);
      }
      return request.inTenant((tx) => listAudit(tx, filter, { limit, cursor }));
    },
  );
}
