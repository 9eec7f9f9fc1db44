import type { MemberKind } from '../../../../contracts/members.js';
import { type Actor, personOf } from '../../../platform/auth/context.js';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, type FieldError, invalid, notFound, unprocessable } from '../../../platform/errors.js';
import { createForMembers, membersHoldingTemplate } from '../processings/rgpd.drafts.service.js';
import {
  assertRegistryEditor,
  getProcessing,
  requireMember,
} from '../processings/rgpd.processings.service.js';
import { knownProcessorIds } from '../processors/rgpd.processors.service.js';
import * as repo from './rgpd.templates.repository.js';
import { fieldsOfTemplate, requireTemplate } from './rgpd.templates.service.js';

/**
 * Catalogue link (issue 4, section 2): a service names the templates and processors it implies, and
 * a member subscribing to it is offered those templates, pre-linked to those processors.
 */

async function requireService(db: Executor, serviceId: string) {
  const row = await repo.findService(db, serviceId);
  if (!row) throw notFound('Ce service du catalogue n’existe pas.');
  return row;
}

export async function getServiceImplied(db: Executor, serviceId: string) {
  await requireService(db, serviceId);
  const templates = await repo.impliedTemplates(db, [serviceId]);
  const processors = await repo.impliedProcessors(db, [serviceId]);
  return {
    serviceId,
    templates: templates.map((t) => ({ id: t.id, code: t.code, name: t.name })),
    processors: processors.map((p) => ({ id: p.id, name: p.name })),
  };
}

export async function putServiceImplied(
  db: Executor,
  serviceId: string,
  input: { templateIds: string[]; processorIds: string[] },
) {
  await requireService(db, serviceId);
  const templateIds = [...new Set(input.templateIds)];
  const processorIds = [...new Set(input.processorIds)];
  const knownTemplates = await repo.existingTemplateIds(db, templateIds);
  const knownProcessors = await knownProcessorIds(db, processorIds);
  const errors: FieldError[] = [
    ...input.templateIds.flatMap((id, i) =>
      knownTemplates.has(id) ? [] : [{ path: `body.templateIds.${i}`, message: 'modèle inconnu' }],
    ),
    ...input.processorIds.flatMap((id, i) =>
      knownProcessors.has(id) ? [] : [{ path: `body.processorIds.${i}`, message: 'sous-traitant inconnu' }],
    ),
  ];
  if (errors.length > 0) throw invalid('Des modèles ou sous-traitants sont inconnus.', errors);
  await repo.replaceServiceImplied(db, serviceId, templateIds, processorIds);
  return getServiceImplied(db, serviceId);
}

/** Implied templates of the member's live subscriptions, with the services and processors behind each. */
async function impliedForMember(db: Executor, memberId: string) {
  const services = await repo.subscribedServices(db, memberId);
  const serviceIds = services.map((s) => s.id);
  if (serviceIds.length === 0) return [];
  const links = await repo.impliedTemplates(db, serviceIds);
  const processorLinks = await repo.impliedProcessors(db, serviceIds);
  interface Implied {
    template: { id: string; code: string; name: string };
    kinds: MemberKind[];
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
  const held = await repo.templatesHeldBy(
    db,
    memberId,
    implied.map((i) => i.template.id),
  );
  const items = implied
    .filter((i) => !held.has(i.template.id) && (i.kinds.length === 0 || i.kinds.includes(member.kind)))
    .map((i) => ({ template: i.template, services: i.services, processors: [...i.processors.values()] }));
  return { items, total: items.length, nextCursor: null };
}

/** The member takes up one suggested template: a linked draft, with the service's processors. */
export async function adoptTemplate(db: Executor, memberId: string, templateId: string, actor: Actor) {
  await assertRegistryEditor(db, actor, memberId);
  const member = await requireMember(db, memberId);
  const template = await requireTemplate(db, templateId);
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
      heldBy: await membersHoldingTemplate(db, templateId, [memberId]),
    },
    personOf(actor),
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
