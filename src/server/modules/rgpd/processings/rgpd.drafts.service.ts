import type { MemberKind } from '../../../../contracts/members.js';
import { type ApplyReport, TEMPLATE_FIELD_NAMES, type TemplateFields } from '../../../../contracts/rgpd.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Executor } from '../../../platform/db/client.js';
import * as organisations from './rgpd.organisations.repository.js';
import * as repo from './rgpd.processings.repository.js';
import {
  completionOf,
  diffSnapshots,
  legalBasisErrors,
  normaliseSnapshot,
  type ProcessingSnapshot,
} from './rgpd.processings.rules.js';
import { getProcessing } from './rgpd.processings.service.js';

/**
 * Draft processings created for many members at once from one source: a template applied in bulk or
 * adopted from a suggestion, a processing copied by the DPO. Members are named or chosen by
 * territory; those holding the source already, or that it does not suit, are reported and skipped.
 */

/** A new processing's snapshot built from template fields: a draft the member then adjusts. */
export function draftFrom(fields: TemplateFields, processorIds: string[] = []): ProcessingSnapshot {
  const picked = Object.fromEntries(TEMPLATE_FIELD_NAMES.map((f) => [f, fields[f]])) as TemplateFields;
  return normaliseSnapshot({
    ...picked,
    status: 'draft',
    lastReviewOn: null,
    nextReviewOn: null,
    dpiaStatus: 'not_started',
    dpiaNotRequiredReason: null,
    isPublic: false,
    processorIds,
  });
}

/**
 * Creates, for each target member, one draft processing from the given fields, skipping members that
 * hold it already (`heldBy`), members whose kind the source does not suit, and unknown ids. One
 * transaction (the caller's), batched inserts.
 */
export async function createForMembers(
  db: Executor,
  targets: { id: string; name: string | null; kind: MemberKind | null }[],
  source: {
    fields: TemplateFields;
    processorIds?: string[];
    templateId?: string | null;
    templateVersion?: number | null;
    applicableKinds?: MemberKind[];
    heldBy: Map<string, string>;
  },
  actorUserId: string | null,
): Promise<ApplyReport> {
  const report: ApplyReport['members'] = [];
  const toCreate: repo.NewProcessing[] = [];
  const pending: number[] = [];
  const snapshot = draftFrom(source.fields, source.processorIds ?? []);
  const completion = completionOf(snapshot).percent;
  const kinds = source.applicableKinds ?? [];
  for (const target of targets) {
    const base = { memberId: target.id, memberName: target.name, processingId: null };
    if (target.kind === null) report.push({ ...base, outcome: 'not_found' });
    else if (source.heldBy.has(target.id))
      report.push({
        ...base,
        outcome: 'already_present',
        processingId: source.heldBy.get(target.id) ?? null,
      });
    else if (
      (kinds.length > 0 && !kinds.includes(target.kind)) ||
      legalBasisErrors(snapshot.legalBasis, [target.kind]).length > 0
    )
      report.push({ ...base, outcome: 'not_applicable' });
    else {
      pending.push(report.length);
      report.push({ ...base, outcome: 'created' });
      toCreate.push({
        memberId: target.id,
        snapshot,
        completion,
        templateId: source.templateId ?? null,
        templateVersion: source.templateVersion ?? null,
      });
    }
  }
  const changes = diffSnapshots(null, snapshot);
  const created = await repo.insertProcessings(db, toCreate, actorUserId, () => changes);
  const createdByIndex = new Map(created.map((c) => [c.index, c.id]));
  pending.forEach((reportIndex, i) => {
    const id = createdByIndex.get(i);
    report[reportIndex] = id
      ? { ...report[reportIndex], processingId: id }
      : { ...report[reportIndex], outcome: 'already_present' };
  });
  const createdCount = report.filter((r) => r.outcome === 'created').length;
  return { created: createdCount, skipped: report.length - createdCount, members: report };
}

/** Resolves explicit member ids, keeping unknown ones in the report as `not_found`. */
export async function resolveTargets(db: Executor, memberIds: string[]) {
  const unique = [...new Set(memberIds)];
  const found = new Map((await organisations.findMembers(db, unique)).map((m) => [m.id, m]));
  return unique.map((id) => found.get(id) ?? { id, name: null, kind: null });
}

/** Members chosen by territory (département and kind, or EPCI), among those in the membership. */
export function targetsByTerritory(
  db: Executor,
  filter: { departement?: string; kind?: MemberKind; epciCode?: string },
) {
  return organisations.membersByTerritory(db, filter);
}

/** Members (among `memberIds`) that already hold a processing from `templateId`, with its id. */
export function membersHoldingTemplate(db: Executor, templateId: string, memberIds: string[]) {
  return repo.membersHoldingTemplate(db, templateId, memberIds);
}

export async function copyProcessing(
  db: Executor,
  memberId: string,
  id: string,
  memberIds: string[],
  source: AuditSource,
): Promise<ApplyReport> {
  const original = await getProcessing(db, memberId, id);
  const targets = (await resolveTargets(db, memberIds)).filter((t) => t.id !== memberId);
  const ids = targets.filter((t) => t.kind !== null).map((t) => t.id);
  const heldBy = original.templateId
    ? await repo.membersHoldingTemplate(db, original.templateId, ids)
    : await repo.membersHoldingName(db, original.name, ids);
  const report = await createForMembers(
    db,
    targets,
    {
      fields: original,
      processorIds: original.processors.map((p) => p.id),
      templateId: original.templateId,
      templateVersion: original.templateVersion,
      heldBy,
    },
    source.actorUserId,
  );
  await recordAudit(db, {
    ...source,
    action: 'rgpd.processing.copy',
    memberId,
    targetType: 'rgpd_processing',
    targetId: id,
    details: { created: report.created, skipped: report.skipped },
  });
  return report;
}
