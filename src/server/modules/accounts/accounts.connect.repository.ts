import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Role } from '../../../contracts/accounts.js';
import type { AccessRequestStatus, TokenKind } from '../../../contracts/connect.js';
import { organisations, organisationUsers } from '../../kernel/identity.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { afterCursor, cursorInstant } from '../../platform/http/pagination.js';
import {
  accessRequests,
  apiTokens,
  authSettings,
  proconnectFlows,
  proconnectIdentities,
  proconnectPendingLinks,
  users,
} from './accounts.schema.js';

/** Queries of API tokens, ProConnect links and flows, access requests and the sign-in settings. */

// --- API tokens ---

export async function insertToken(
  db: Executor,
  values: {
    memberId: string;
    kind: TokenKind;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: string[];
    userId: string | null;
    expiresOn: string;
  },
) {
  const [row] = await db.insert(apiTokens).values(values).returning();
  return row;
}

const tokenColumns = {
  id: apiTokens.id,
  kind: apiTokens.kind,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  expiresOn: apiTokens.expiresOn,
  createdAt: apiTokens.createdAt,
  createdAtCursor: cursorInstant(apiTokens.createdAt),
  userId: apiTokens.userId,
  userName: users.displayName,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export async function listTokens(
  db: Executor,
  memberId: string,
  options: {
    limit: number;
    includeRevoked: boolean;
    after: { sortValue: string | number | null; id: string } | null;
    /** Only this person's personal tokens (a member's non-admin sees their own only). */
    ownerId: string | null;
  },
) {
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.memberId, memberId),
        ownedBy(options.ownerId),
        options.includeRevoked ? undefined : isNull(apiTokens.revokedAt),
        afterCursor(apiTokens.createdAt, apiTokens.id, options.after, true),
      ),
    )
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(options.limit + 1);
}

/** Personal tokens of `ownerId` only; every token when null. */
const ownedBy = (ownerId: string | null) =>
  ownerId ? and(eq(apiTokens.userId, ownerId), eq(apiTokens.kind, 'personal')) : undefined;

export async function countTokens(
  db: Executor,
  memberId: string,
  includeRevoked: boolean,
  ownerId: string | null,
) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.memberId, memberId),
        ownedBy(ownerId),
        includeRevoked ? undefined : isNull(apiTokens.revokedAt),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function findToken(db: Executor, memberId: string, tokenId: string) {
  const [row] = await db
    .select(tokenColumns)
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.memberId, memberId), eq(apiTokens.id, tokenId)));
  return row ?? null;
}

export async function revokeToken(
  db: Executor,
  memberId: string,
  tokenId: string,
  by: string,
  at: Date,
  ownerId: string | null,
) {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at, revokedBy: by })
    .where(
      and(
        eq(apiTokens.memberId, memberId),
        eq(apiTokens.id, tokenId),
        ownedBy(ownerId),
        isNull(apiTokens.revokedAt),
      ),
    )
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

// --- ProConnect ---

/** The ProConnect identity a sign-in presents: declared before its link is looked up (RLS, migration 0043). */
export async function declareProConnectSub(db: Executor, sub: string) {
  await db.execute(sql`SELECT set_config('app.proconnect_sub', ${sub}, true)`);
}

export async function findIdentity(db: Executor, sub: string) {
  const [row] = await db.select().from(proconnectIdentities).where(eq(proconnectIdentities.sub, sub));
  return row ?? null;
}

export async function findIdentityOfUser(db: Executor, userId: string) {
  const [row] = await db.select().from(proconnectIdentities).where(eq(proconnectIdentities.userId, userId));
  return row ?? null;
}

export async function insertIdentity(db: Executor, sub: string, userId: string) {
  await db.insert(proconnectIdentities).values({ sub, userId });
}

export async function insertFlow(
  db: Executor,
  values: { stateHash: string; nonce: string; codeVerifier: string; expiresAt: Date },
) {
  await db.insert(proconnectFlows).values(values);
}

export async function pruneFlows(db: Executor, before: Date) {
  await db.delete(proconnectFlows).where(lt(proconnectFlows.expiresAt, before));
}

/** Takes the flow of `stateHash` out: a state is used once. */
export async function takeFlow(db: Executor, stateHash: string) {
  const [row] = await db.delete(proconnectFlows).where(eq(proconnectFlows.stateHash, stateHash)).returning();
  return row ?? null;
}

/** A link waiting for confirmation; the account's earlier ones (and expired ones it sees) go. */
export async function insertPendingLink(
  db: Executor,
  values: { tokenHash: string; sub: string; userId: string; expiresAt: Date },
) {
  await db.delete(proconnectPendingLinks).where(eq(proconnectPendingLinks.userId, values.userId));
  await db.insert(proconnectPendingLinks).values(values);
}

/** The pending link of `tokenHash`, taken out (used once); RLS shows only the current person's. */
export async function takePendingLink(db: Executor, tokenHash: string) {
  const [row] = await db
    .delete(proconnectPendingLinks)
    .where(eq(proconnectPendingLinks.tokenHash, tokenHash))
    .returning();
  return row ?? null;
}

// --- Access requests ---

export async function findPendingRequest(db: Executor, memberId: string, sub: string) {
  const [row] = await db
    .select({ id: accessRequests.id })
    .from(accessRequests)
    .where(
      and(
        eq(accessRequests.memberId, memberId),
        eq(accessRequests.sub, sub),
        eq(accessRequests.status, 'pending'),
      ),
    );
  return row ?? null;
}

export async function insertAccessRequest(
  db: Executor,
  values: {
    memberId: string;
    sub: string;
    email: string;
    givenName: string;
    usualName: string;
    siret: string;
  },
) {
  const [row] = await db.insert(accessRequests).values(values).returning({ id: accessRequests.id });
  return row;
}

const requestColumns = {
  id: accessRequests.id,
  sub: accessRequests.sub,
  email: accessRequests.email,
  givenName: accessRequests.givenName,
  usualName: accessRequests.usualName,
  siret: accessRequests.siret,
  status: accessRequests.status,
  role: accessRequests.role,
  createdAt: accessRequests.createdAt,
  createdAtCursor: cursorInstant(accessRequests.createdAt),
  decidedAt: accessRequests.decidedAt,
};

export async function listAccessRequests(
  db: Executor,
  memberId: string,
  options: {
    limit: number;
    status?: AccessRequestStatus;
    after: { sortValue: string | number | null; id: string } | null;
  },
) {
  return db
    .select(requestColumns)
    .from(accessRequests)
    .where(
      and(
        eq(accessRequests.memberId, memberId),
        options.status ? eq(accessRequests.status, options.status) : undefined,
        afterCursor(accessRequests.createdAt, accessRequests.id, options.after, true),
      ),
    )
    .orderBy(desc(accessRequests.createdAt), desc(accessRequests.id))
    .limit(options.limit + 1);
}

export async function countAccessRequests(db: Executor, memberId: string, status?: AccessRequestStatus) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(accessRequests)
    .where(
      and(eq(accessRequests.memberId, memberId), status ? eq(accessRequests.status, status) : undefined),
    );
  return Number(row?.n ?? 0);
}

/** The request, locked for its decision. */
export async function lockAccessRequest(db: Executor, memberId: string, requestId: string) {
  const [row] = await db
    .select(requestColumns)
    .from(accessRequests)
    .where(and(eq(accessRequests.memberId, memberId), eq(accessRequests.id, requestId)))
    .for('update');
  return row ?? null;
}

export async function decideAccessRequest(
  db: Executor,
  memberId: string,
  requestId: string,
  values: { status: AccessRequestStatus; role: Role | null; decidedBy: string; decidedAt: Date },
) {
  await db
    .update(accessRequests)
    .set(values)
    .where(and(eq(accessRequests.memberId, memberId), eq(accessRequests.id, requestId)));
}

// --- Sign-in settings ---

export async function readAuthSettings(db: Executor) {
  const [row] = await db.select().from(authSettings).where(eq(authSettings.id, true));
  return { proconnectRequiredForOperatorAgents: row?.proconnectRequiredForOperatorAgents ?? false };
}

export async function writeAuthSettings(db: Executor, required: boolean, at: Date) {
  await db
    .update(authSettings)
    .set({ proconnectRequiredForOperatorAgents: required, updatedAt: at })
    .where(eq(authSettings.id, true));
}

/** The request, its member's name and the addresses of the member's active admins (run as the system). */
export async function accessRequestNotice(db: Executor, requestId: string) {
  const [request] = await db
    .select({
      memberId: accessRequests.memberId,
      status: accessRequests.status,
      email: accessRequests.email,
      givenName: accessRequests.givenName,
      usualName: accessRequests.usualName,
      organisationName: organisations.name,
    })
    .from(accessRequests)
    .innerJoin(organisations, eq(organisations.id, accessRequests.memberId))
    .where(eq(accessRequests.id, requestId));
  if (!request) return null;
  const admins = await db
    .select({ email: users.email })
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(
      and(
        eq(organisationUsers.memberId, request.memberId),
        eq(organisationUsers.role, 'admin'),
        eq(users.isActive, true),
      ),
    );
  return { ...request, admins: admins.map((a) => a.email) };
}
