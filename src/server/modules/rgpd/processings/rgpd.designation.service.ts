import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Executor } from '../../../platform/db/client.js';
import { notFound, unprocessable } from '../../../platform/errors.js';
import * as repo from './rgpd.designation.repository.js';
import { requireMember } from './rgpd.processings.service.js';

export async function getDesignation(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const row = await repo.findDesignation(db, memberId);
  return {
    memberId,
    cnilNumber: row?.cnilNumber ?? null,
    designatedOn: row?.designatedOn ?? null,
    dpoName: row?.dpoName ?? null,
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
}

export async function putDesignation(db: Executor, memberId: string, input: repo.DesignationValues) {
  await requireMember(db, memberId);
  await repo.upsertDesignation(db, memberId, input);
  return getDesignation(db, memberId);
}

/** Whether `userId` holds the member `rgpd` role (listed in rgpd_editors) for `memberId`. */
export function isRgpdEditor(db: Executor, memberId: string, userId: string): Promise<boolean> {
  return repo.isRgpdEditor(db, memberId, userId);
}

export async function listEditors(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listEditors(db, memberId);
  return {
    items: rows.map((r) => ({ ...r, since: r.since.toISOString() })),
    total: rows.length,
    nextCursor: null,
  };
}

/** Only a user of the member can be given its `rgpd` role. Idempotent. */
export async function addEditor(db: Executor, memberId: string, userId: string, source: AuditSource) {
  await requireMember(db, memberId);
  if (!(await repo.isUserOfMember(db, memberId, userId))) {
    throw unprocessable(
      'Cette personne n’est pas utilisatrice de la structure : invitez-la d’abord, puis confiez-lui le rôle RGPD.',
      [{ path: 'params.userId', message: 'utilisateur hors de la structure' }],
    );
  }
  await repo.insertEditor(db, memberId, userId);
  await recordAudit(db, {
    ...source,
    action: 'rgpd.editor.grant',
    memberId,
    targetType: 'user',
    targetId: userId,
  });
  return listEditors(db, memberId);
}

export async function removeEditor(db: Executor, memberId: string, userId: string, source: AuditSource) {
  await requireMember(db, memberId);
  if (!(await repo.deleteEditor(db, memberId, userId))) {
    throw notFound('Cette personne n’a pas le rôle RGPD dans cette structure.');
  }
  await recordAudit(db, {
    ...source,
    action: 'rgpd.editor.revoke',
    memberId,
    targetType: 'user',
    targetId: userId,
  });
}
