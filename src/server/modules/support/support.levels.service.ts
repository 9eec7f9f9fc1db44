import { and, asc, eq, ne } from 'drizzle-orm';
import { TICKET_PRIORITIES, type TicketPriority } from '../../../contracts/support.js';
import type { ServiceLevel, ServiceLevelInput } from '../../../contracts/support-training.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { findService } from '../catalogue/catalogue.service.js';
import { supportServiceLevels } from './support.schema.js';
import { DEFAULT_LEVELS } from './support.service.js';

/**
 * The service levels the support team promises (issue 14, §1): business minutes to the first response
 * and to the resolution, per catalogue service and priority; where none is set, the platform's default
 * (DEFAULT_LEVELS) applies. A change applies to tickets opened afterwards (a ticket keeps the targets
 * copied when it was opened).
 */

const SERVICE_NOT_FOUND = "Ce service n'existe pas dans le catalogue.";

/**
 * The catalogue service a training session or an article is tied to: null for none; an id the
 * catalogue does not know is refused, the field named (rather than a foreign-key error).
 */
export async function catalogueServiceOf(
  db: Executor,
  serviceId: string | null | undefined,
): Promise<string | null> {
  if (!serviceId) return null;
  const service = await findService(db, serviceId);
  if (!service) throw invalidField('body.serviceId', SERVICE_NOT_FOUND);
  return service.id;
}

/** Every service still offered (not retired) × every priority, the level set or the default. */
export async function listServiceLevels(db: Executor): Promise<{ items: ServiceLevel[] }> {
  const services = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(catalogueServices)
    .where(ne(catalogueServices.status, 'retired'))
    .orderBy(asc(catalogueServices.name), asc(catalogueServices.id));
  const levels = await db.select().from(supportServiceLevels);
  const set = new Map(levels.map((l) => [`${l.serviceId}:${l.priority}`, l]));
  const items: ServiceLevel[] = [];
  for (const service of services) {
    for (const priority of [...TICKET_PRIORITIES].reverse()) {
      const level = set.get(`${service.id}:${priority}`);
      items.push({
        serviceId: service.id,
        serviceName: service.name,
        priority,
        firstResponseMinutes: level?.firstResponseMinutes ?? DEFAULT_LEVELS[priority].firstResponseMinutes,
        resolutionMinutes: level?.resolutionMinutes ?? DEFAULT_LEVELS[priority].resolutionMinutes,
        isDefault: !level,
      });
    }
  }
  return { items };
}

/** Sets one service's level for one priority (created or replaced), audited with the old values. */
export async function setServiceLevel(
  db: Executor,
  serviceId: string,
  priority: TicketPriority,
  input: ServiceLevelInput,
  source: AuditSource,
): Promise<ServiceLevel> {
  const [service] = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(catalogueServices)
    .where(eq(catalogueServices.id, serviceId));
  if (!service) throw notFound(SERVICE_NOT_FOUND);
  const [before] = await db
    .select()
    .from(supportServiceLevels)
    .where(and(eq(supportServiceLevels.serviceId, serviceId), eq(supportServiceLevels.priority, priority)));
  const values = {
    firstResponseMinutes: input.firstResponseMinutes,
    resolutionMinutes: input.resolutionMinutes,
    updatedAt: now(),
  };
  if (before) {
    await db
      .update(supportServiceLevels)
      .set(values)
      .where(and(eq(supportServiceLevels.serviceId, serviceId), eq(supportServiceLevels.priority, priority)));
  } else {
    await db.insert(supportServiceLevels).values({ serviceId, priority, ...values });
  }
  await recordAudit(db, {
    ...source,
    action: 'support.service_level.set',
    targetType: 'catalogue_service',
    targetId: serviceId,
    details: {
      priority,
      before: before
        ? { firstResponseMinutes: before.firstResponseMinutes, resolutionMinutes: before.resolutionMinutes }
        : null,
      after: { firstResponseMinutes: input.firstResponseMinutes, resolutionMinutes: input.resolutionMinutes },
    },
  });
  return {
    serviceId,
    serviceName: service.name,
    priority,
    firstResponseMinutes: input.firstResponseMinutes,
    resolutionMinutes: input.resolutionMinutes,
    isDefault: false,
  };
}
