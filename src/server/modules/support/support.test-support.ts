import { eq } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import { createSession, hashToken } from '../../platform/auth/session.js';
import { sessions } from '../../platform/db/schema.js';
import type { Session, TestApp } from '../../test/app.js';
import { buildUser, type UserInput } from '../../test/builders.js';

/**
 * A signed-in person whose session lasts 60 days, so a test may move the clock across business days
 * (a ticket's deadlines, the reopening delay) and keep acting as the same user.
 */
export async function longSession(
  t: TestApp,
  organisation: NonNullable<UserInput['roles']>[number]['organisation'],
  role: Role,
  scopes: OperatorScope[] = [],
  displayName = 'Camille Test',
): Promise<Session> {
  const user = await buildUser(t.database.db, {
    displayName,
    roles: [{ organisation, role, scopes }],
  });
  const { token } = await createSession(t.database.db, user.id, organisation.id, 24 * 60);
  const [row] = await t.database.db
    .select({ csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(eq(sessions.id, hashToken(token)));
  return { cookie: `socle_session=${token}`, csrfToken: row?.csrfToken ?? '', userId: user.id };
}
