import { compactIdentifier, isValidSiren } from '../../../contracts/identifiers.js';
import { searchKey } from '../../../contracts/search.js';
import { organisations } from '../../kernel/identity.schema.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import * as repo from './accounts.repository.js';
import { hashPassword, passwordProblem } from './password.js';

export class AdminCreateError extends Error {}

export interface OperatorAdminInput {
  email: string;
  displayName?: string;
  /** Required for a new account, or with `resetPassword`. */
  password?: string;
  resetPassword?: boolean;
  /** Used only when the operator organisation does not exist yet. */
  operatorName?: string;
  operatorSiren?: string;
}

export interface OperatorAdminResult {
  userId: string;
  accountCreated: boolean;
  passwordChanged: boolean;
  operator: { id: string; name: string; created: boolean };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `email` already has an account: the command asks for a password only when it needs one. */
export async function accountExists(db: Db, email: string): Promise<boolean> {
  return (await repo.findUserByEmail(db, email.trim().toLowerCase())) !== null;
}

/**
 * Creates the first operator admin, or promotes an existing account; creates the operator
 * organisation when the platform has none. A command, not a request (npm run admin:create): it runs as
 * the database owner, since there is no tenant yet, and is its own transaction.
 */
export async function createOperatorAdmin(db: Db, input: OperatorAdminInput): Promise<OperatorAdminResult> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new AdminCreateError(`Adresse électronique invalide : ${input.email}`);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw new AdminCreateError(problem);
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;

  return db.transaction(async (tx) => {
    let operator = await repo.findOperatorOrganisation(tx);
    let operatorCreated = false;
    if (!operator) {
      const name = input.operatorName?.trim();
      const siren = compactIdentifier(input.operatorSiren ?? '');
      if (!name || !siren) {
        throw new AdminCreateError(
          "L'organisation de l'opérateur n'existe pas encore : indiquez --operator-name et --operator-siren pour la créer.",
        );
      }
      if (!isValidSiren(siren)) {
        throw new AdminCreateError(
          `SIREN invalide : ${input.operatorSiren} (9 chiffres avec une clé de contrôle Luhn correcte).`,
        );
      }
      const [row] = await tx
        .insert(organisations)
        .values({ kind: 'operator', name, searchName: searchKey(name), siren, status: 'member' })
        .returning({ id: organisations.id, name: organisations.name, kind: organisations.kind });
      operator = row;
      operatorCreated = true;
    }

    let user = await repo.findUserByEmail(tx, email);
    const accountCreated = !user;
    let passwordChanged = false;
    if (!user) {
      if (!passwordHash) throw new AdminCreateError('Un mot de passe est nécessaire pour créer le compte.');
      user = await repo.insertUser(tx, {
        email,
        displayName: input.displayName?.trim() || 'Administrateur',
        passwordHash,
      });
      passwordChanged = true;
    } else {
      if (input.displayName?.trim()) await repo.setDisplayName(tx, user.id, input.displayName.trim());
      if (input.resetPassword || !user.passwordHash) {
        if (!passwordHash) throw new AdminCreateError('Un mot de passe est nécessaire pour le changer.');
        await repo.setPasswordHash(tx, user.id, passwordHash);
        await repo.deleteUserSessions(tx, user.id);
        passwordChanged = true;
      }
    }

    const existing = await repo.findOrganisationUser(tx, operator.id, user.id);
    if (existing) await repo.updateOrganisationUser(tx, operator.id, user.id, { role: 'admin', scopes: [] });
    else
      await repo.insertOrganisationUser(tx, {
        memberId: operator.id,
        userId: user.id,
        role: 'admin',
        scopes: [],
      });

    await recordAudit(tx, {
      action: 'operator.admin.created',
      actorUserId: null,
      memberId: operator.id,
      targetType: 'user',
      targetId: user.id,
      details: { accountCreated, operatorCreated, passwordChanged, via: 'admin:create' },
    });
    return {
      userId: user.id,
      accountCreated,
      passwordChanged,
      operator: { id: operator.id, name: operator.name, created: operatorCreated },
    };
  });
}
