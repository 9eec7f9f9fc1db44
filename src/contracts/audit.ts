import { z } from 'zod';
import { isoDate, isoInstant, listOf, paginationQuery } from './common.js';

export const auditQuery = paginationQuery.extend({
  /** An exact action (`auth.login.failed`) or a prefix ending at a dot boundary (`auth.login`). */
  action: z
    .string()
    .regex(/^[a-z0-9_.]{1,100}$/, 'action invalide : lettres minuscules, chiffres, points et tirets bas')
    .optional(),
  memberId: z.uuid().optional(),
  from: isoInstant.or(isoDate).optional(),
  to: isoInstant.or(isoDate).optional(),
});

export const auditEventSchema = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  action: z.string(),
  actor: z.object({ id: z.uuid(), displayName: z.string().nullable() }).nullable(),
  /**
   * The API token the action was made with. A member's token acts as the structure: `actor` is then
   * null (no person), and the token is who acted.
   */
  token: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  member: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ipAddress: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditEventList = listOf(auditEventSchema);
