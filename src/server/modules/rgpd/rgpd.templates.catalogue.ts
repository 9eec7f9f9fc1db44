import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { conflict, type FieldError, invalid, notFound, unprocessable } from '../../platform/errors.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { subscriptions } from '../subscriptions/subscriptions.schema.js';
import * as repo from './rgpd.processings.repository.js';
import { createForMembers, getProcessing, requireMember } from './rgpd.processings.service.js';
import {
  rgpdProcessings,
  rgpdProcessors,
  rgpdServiceProcessors,
  rgpdServiceTemplates,
  rgpdTemplates,
} from './rgpd.schema.js';
import { fieldsOfTemplate } from './rgpd.templates.service.js';

/**
 * Catalogue link (issue 4, section 2): a service names the templates and processors it implies, and
 * a member subscribing to it is offered those templates, pre-linked to those processors.
 */
const LIVE_SUBSCRIPTION = ['requested', 'active'] as const;

async function requireService(db: Executor, serviceId: string) {
  const [row] = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(catalogueServices)
    .where(eq(catalogueServices.id, serviceId));
  if (!row) throw notFound('Ce service du catalogue n’existe pas.');
  return row;
}

export async function getServiceImplied(db: Executor, serviceId: string) {
  await requireService(db, serviceId);
  const templates = await db
    .select({ id: rgpdTemplates.id, code: rgpdTemplates.code, name: rgpdTemplates.name })
    .from(rgpdServiceTemplates)
    .innerJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdServiceTemplates.templateId))
    .where(eq(rgpdServiceTemplates.serviceId, serviceId))
    .orderBy(asc(rgpdTemplates.name));
  const processors = await db
    .select({ id: rgpdProcessors.id, name: rgpdProcessors.name })
    .from(rgpdServiceProcessors)
    .innerJoin(rgpdProcessors, eq(rgpdProcessors.id, rgpdServiceProcessors.processorId))
    .where(eq(rgpdServiceProcessors.serviceId, serviceId))
    .orderBy(asc(rgpdProcessors.name));
  return { serviceId, templates, processors };
}

export async function putServiceImplied(
  db: Executor,
  serviceId: string,
  input: { templateIds: string[]; processorIds: string[] },
) {
  await requireService(db, serviceId);
  const templateIds = [...new Set(input.templateIds)];
  const processorIds = [...new Set(input.processorIds)];
  const knownTemplates = new Set(
    templateIds.length
      ? (
          await db
            .select({ id: rgpdTemplates.id })
            .from(rgpdTemplates)
            .where(inArray(rgpdTemplates.id, templateIds))
        ).map((r) => r.id)
      : [],
  );
  const knownProcessors = await repo.existingProcessorIds(db, processorIds);
  const errors: FieldError[] = [
    ...input.templateIds.flatMap((id, i) =>
      knownTemplates.has(id) ? [] : [{ path: `body.templateIds.${i}`, message: 'modèle inconnu' }],
    ),
    ...input.processorIds.flatMap((id, i) =>
      knownProcessors.has(id) ? [] : [{ path: `body.processorIds.${i}`, message: 'sous-traitant inconnu' }],
    ),
  ];
  if (errors.length > 0) throw invalid('Des modèles ou sous-traitants sont inconnus.', errors);
  await db.delete(rgpdServiceTemplates).where(eq(rgpdServiceTemplates.serviceId, serviceId));
  await db.delete(rgpdServiceProcessors).where(eq(rgpdServiceProcessors.serviceId, serviceId));
  if (templateIds.length) {
    await db
      .insert(rgpdServiceTemplates)
      .values(templateIds.map((templateId) => ({ serviceId, templateId })));
  }
  if (processorIds.length) {
    await db
      .insert(rgpdServiceProcessors)
      .values(processorIds.map((processorId) => ({ serviceId, processorId })));
  }
  return getServiceImplied(db, serviceId);
}

/** Implied templates of the member's live subscriptions, with the services and processors behind each. */
async function impliedForMember(db: Executor, memberId: string) {
  const services = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(subscriptions)
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
    .where(and(eq(subscriptions.memberId, memberId), inArray(subscriptions.status, LIVE_SUBSCRIPTION)));
  const serviceIds = services.map((s) => s.id);
  if (serviceIds.length === 0) return [];
  const links = await db
    .select({
      serviceId: rgpdServiceTemplates.serviceId,
      id: rgpdTemplates.id,
      code: rgpdTemplates.code,
      name: rgpdTemplates.name,
      kinds: rgpdTemplates.applicableKinds,
    })
    .from(rgpdServiceTemplates)
    .innerJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdServiceTemplates.templateId))
    .where(inArray(rgpdServiceTemplates.serviceId, serviceIds))
    .orderBy(asc(rgpdTemplates.name));
  const processorLinks = await db
    .select({ serviceId: rgpdServiceProcessors.serviceId, id: rgpdProcessors.id, name: rgpdProcessors.name })
    .from(rgpdServiceProcessors)
    .innerJoin(rgpdProcessors, eq(rgpdProcessors.id, rgpdServiceProcessors.processorId))
    .where(inArray(rgpdServiceProcessors.serviceId, serviceIds))
    .orderBy(asc(rgpdProcessors.name));
  interface Implied {
    template: { id: string; code: string; name: string };
    kinds: string[];
    services: { id: string; name: string }[];
    processors: Map<string, { id: string; name: string }>;
  }
  const byTemplate = new Map<string, Implied>();
  for (const link of links) {
    const entry: Implied = byTemplate.get(link.id) ?? {
      template: { id: link.id, code: link.code, name: link.name },
      kinds: link.kinds,
      services: [],
      processors: new Map(),
    };
    const service = services.find((s) => s.id === link.serviceId);
    if (service && !entry.services.some((s) => s.id === service.id)) entry.services.push(service);
    for (const p of processorLinks.filter((p) => p.serviceId === link.serviceId)) {
      entry.processors.set(p.id, { id: p.id, name: p.name });
    }
    byTemplate.set(link.id, entry);
  }
  return [...byTemplate.values()];
}

export async function registrySuggestions(db: Executor, memberId: string) {
  const member = await requireMember(db, memberId);
  const implied = await impliedForMember(db, memberId);
  const held = new Set(
    implied.length
      ? (
          await db
            .select({ templateId: rgpdProcessings.templateId })
            .from(rgpdProcessings)
            .where(
              and(
                eq(rgpdProcessings.memberId, memberId),
                inArray(
                  rgpdProcessings.templateId,
                  implied.map((i) => i.template.id),
                ),
              ),
            )
        ).map((r) => r.templateId)
      : [],
  );
  const items = implied
    .filter((i) => !held.has(i.template.id) && (i.kinds.length === 0 || i.kinds.includes(member.kind)))
    .map((i) => ({ template: i.template, services: i.services, processors: [...i.processors.values()] }));
  return { items, total: items.length, nextCursor: null };
}

/** The member takes up one suggested template: a linked draft, with the service's processors. */
export async function adoptTemplate(
  db: Executor,
  memberId: string,
  templateId: string,
  actorUserId: string | null,
) {
  const member = await requireMember(db, memberId);
  const [template] = await db.select().from(rgpdTemplates).where(eq(rgpdTemplates.id, templateId));
  if (!template) throw notFound('Ce modèle de traitement n’existe pas.');
  const implied = (await impliedForMember(db, memberId)).find((i) => i.template.id === templateId);
  const report = await createForMembers(
    db,
    [member],
    {
      fields: fieldsOfTemplate(template.fields),
      processorIds: implied ? [...implied.processors.keys()] : [],
      templateId,
      templateVersion: template.version,
      applicableKinds: template.applicableKinds,
      heldBy: await repo.membersHoldingTemplate(db, templateId, [memberId]),
    },
    actorUserId,
  );
  const [outcome] = report.members;
  if (outcome.outcome === 'already_present')
    throw conflict('Ce modèle est déjà dans le registre de la structure.');
  if (outcome.outcome !== 'created' || !outcome.processingId) {
    throw unprocessable('Ce modèle ne convient pas à ce type de structure.', [
      { path: 'body.templateId', message: 'modèle non applicable' },
    ]);
  }
  return getProcessing(db, memberId, outcome.processingId);
}
