import type { OperatorScope, OrganisationUser, Role } from '../../../contracts/accounts.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor, Tx } from '../../platform/db/client.js';
import { invalid, notFound, unprocessable } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import * as repo from './accounts.repository.js';

/** The people of an organisation, their roles and scopes (transactions: see accounts.service.ts). */

const iso = (d: Date) => d.toISOString();

export async function requireOrganisation(tx: Executor, memberId: string) {
  const organisation = await repo.findOrganisation(tx, memberId);
  if (!organisation) throw notFound("Cette structure n'existe pas.");
  return organisation;
}

export async function operatorOrganisationId(tx: Executor): Promise<string> {
  const operator = await repo.findOperatorOrganisation(tx);
  if (!operator)
    throw notFound("L'organisation de l'opérateur n'existe pas encore : lancez npm run admin:create.");
  return operator.id;
}

/** Operator people are admins or agents with scopes; members' people have no scopes. */
export function normaliseRole(
  organisationKind: string,
  role: Role,
  scopes: OperatorScope[] | undefined,
  path: string,
): OperatorScope[] {
  const operator = organisationKind === 'operator';
  if (operator && (role === 'reader' || role === 'actes' || role === 'assemblees' || role === 'cyber')) {
    const label = {
      reader: 'lecteur',
      actes: 'agent chargé des actes',
      assemblees: 'agent chargé des assemblées',
      cyber: 'référent sécurité',
    }[role];
    throw invalid(`Le rôle ${label} n'existe pas pour l'opérateur : choisissez administrateur ou agent.`, [
      { path: `${path}.role`, message: `rôle ${label} impossible pour l’opérateur` },
    ]);
  }
  if (!operator && scopes && scopes.length > 0) {
    throw invalid("Les périmètres ne concernent que les agents de l'opérateur : retirez-les.", [
      { path: `${path}.scopes`, message: 'périmètres réservés aux agents de l’opérateur' },
    ]);
  }
  return operator && role === 'agent' ? [...new Set(scopes ?? [])] : [];
}

function presentUser(row: repo.OrganisationUserRow): OrganisationUser {
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    scopes: row.scopes,
    isActive: row.isActive,
    joinedAt: iso(row.joinedAt),
    lastLoginAt: row.lastLoginAt ? iso(row.lastLoginAt) : null,
  };
}

export async function listUsers(
  tx: Tx,
  memberId: string,
  query: { limit: number; cursor?: string; q?: string },
) {
  await requireOrganisation(tx, memberId);
  const rows = await repo.listOrganisationUsers(
    tx,
    memberId,
    query.limit,
    decodeCursor(query.cursor),
    query.q,
  );
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.email, r.userId));
  return {
    items: page.items.map(presentUser),
    total: await repo.countOrganisationUsers(tx, memberId, query.q),
    nextCursor: page.nextCursor,
  };
}

/** The operator's own people. */
export async function listOperatorUsers(tx: Tx, query: { limit: number; cursor?: string; q?: string }) {
  return listUsers(tx, await operatorOrganisationId(tx), query);
}

const LAST_ADMIN =
  'La structure doit garder au moins un administrateur : nommez d’abord un autre administrateur.';

async function requireMembership(tx: Tx, memberId: string, userId: string) {
  const membership = await repo.findOrganisationUser(tx, memberId, userId);
  if (!membership) throw notFound("Cette personne n'a pas de rôle dans cette structure.");
  return membership;
}

/** Changes a person's role (and, at the operator, scopes); the organisation keeps one admin at least. */
export async function updateMembership(
  tx: Tx,
  memberId: string,
  userId: string,
  change: { role?: Role; scopes?: OperatorScope[] },
  source: AuditSource,
): Promise<OrganisationUser> {
  const organisation = await requireOrganisation(tx, memberId);
  const membership = await requireMembership(tx, memberId, userId);
  const role = change.role ?? membership.role;
  const scopes = normaliseRole(organisation.kind, role, change.scopes ?? membership.scopes, 'body');
  if (membership.role === 'admin' && role !== 'admin' && (await repo.lockAndCountAdmins(tx, memberId)) <= 1) {
    throw unprocessable(LAST_ADMIN, [{ path: 'body.role', message: 'dernier administrateur' }]);
  }
  await repo.updateOrganisationUser(tx, memberId, userId, { role, scopes });
  await recordAudit(tx, {
    action: 'organisation.user.role_changed',
    ...source,
    memberId,
    targetType: 'user',
    targetId: userId,
    details: { from: membership.role, to: role, scopes },
  });
  return presentUser({ ...membership, role, scopes });
}

/** `updateMembership` in the operator organisation. */
export async function updateOperatorMembership(
  tx: Tx,
  userId: string,
  change: { role?: Role; scopes?: OperatorScope[] },
  source: AuditSource,
): Promise<OrganisationUser> {
  return updateMembership(tx, await operatorOrganisationId(tx), userId, change, source);
}

export async function removeMembership(tx: Tx, memberId: string, userId: string, source: AuditSource) {
  await requireOrganisation(tx, memberId);
  const membership = await requireMembership(tx, memberId, userId);
  if (membership.role === 'admin' && (await repo.lockAndCountAdmins(tx, memberId)) <= 1) {
    throw unprocessable(LAST_ADMIN);
  }
  await repo.deleteOrganisationUser(tx, memberId, userId);
  await recordAudit(tx, {
    action: 'organisation.user.removed',
    ...source,
    memberId,
    targetType: 'user',
    targetId: userId,
    details: { role: membership.role },
  });
}
