import { and, eq } from 'drizzle-orm';
import { newApiToken, scopeList } from '../platform/auth/api-token.js';
import { hashToken } from '../platform/auth/session.js';
import type { Db } from '../platform/db/client.js';
import { apiTokens, communes, organisations, organisationUsers, users } from '../platform/db/schema.js';

/**
 * The open platform in the demo (issue 16): La Roche-sur-Yon's admin holds one API token, « Logiciel
 * de finances (démo) », reading the members and billing modules, listed on /espace/jetons. Its secret
 * is drawn and thrown away: nobody knows it (create another one on that page to try the API). The
 * ProConnect demo agents live in the local provider (proconnect.fake-server.ts). Idempotent.
 */
export const DEMO_TOKEN_NAME = 'Logiciel de finances (démo)';
const ADMIN_EMAIL = 'mairie@larochesuryon.example';

export async function seedConnect(db: Db, at: Date): Promise<{ tokens: number }> {
  const [owner] = await db
    .select({ memberId: organisations.id, userId: users.id })
    .from(organisations)
    .innerJoin(communes, eq(communes.code, organisations.communeCode))
    .innerJoin(organisationUsers, eq(organisationUsers.memberId, organisations.id))
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(and(eq(communes.code, '85191'), eq(users.email, ADMIN_EMAIL)));
  if (!owner) return { tokens: 0 };
  const [existing] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.memberId, owner.memberId), eq(apiTokens.name, DEMO_TOKEN_NAME)));
  if (existing) return { tokens: 0 };
  const secret = newApiToken();
  const expires = new Date(at.getTime() + 300 * 86_400_000).toISOString().slice(0, 10);
  await db.insert(apiTokens).values({
    memberId: owner.memberId,
    kind: 'member',
    name: DEMO_TOKEN_NAME,
    tokenHash: hashToken(secret),
    prefix: secret.slice(0, 12),
    scopes: scopeList({ members: 'read', billing: 'read' }),
    userId: owner.userId,
    expiresOn: expires,
  });
  return { tokens: 1 };
}
