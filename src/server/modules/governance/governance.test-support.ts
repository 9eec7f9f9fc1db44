import crypto from 'node:crypto';
import type { AssemblyKind, SeatKind } from '../../../contracts/governance.js';
import type { Db } from '../../platform/db/client.js';
import {
  governanceAssemblies,
  governanceItems,
  governanceSeats,
  governanceSessions,
} from './governance.schema.js';

/** Builders of the governance module's tests (rows inserted as the owner, returned). */

export async function buildAssembly(db: Db, input: { memberId: string; kind?: AssemblyKind; name?: string }) {
  const [row] = await db
    .insert(governanceAssemblies)
    .values({
      memberId: input.memberId,
      kind: input.kind ?? 'comite_syndical',
      name: input.name ?? `Assemblée ${crypto.randomBytes(3).toString('hex')}`,
    })
    .returning();
  return row;
}

/** `count` seats of `kind` in the assembly, named « Élu 1 »…, with addresses, in office since 2020. */
export async function buildSeats(
  db: Db,
  assembly: { id: string; memberId: string },
  count: number,
  input: Partial<typeof governanceSeats.$inferInsert> & { kind?: SeatKind; prefix?: string } = {},
) {
  const { prefix = 'Élu', ...values } = input;
  const tag = crypto.randomBytes(3).toString('hex');
  return db
    .insert(governanceSeats)
    .values(
      Array.from({ length: count }, (_, i) => ({
        memberId: assembly.memberId,
        assemblyId: assembly.id,
        kind: 'titular' as const,
        fullName: `${prefix} ${i + 1}`,
        email: `${prefix
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}-${tag}-${i + 1}@test.example`,
        termStart: '2020-01-01',
        ...values,
      })),
    )
    .returning();
}

/** A session with its items, inserted directly (past sessions included: the API refuses them). */
export async function buildSession(
  db: Db,
  assembly: { id: string; memberId: string },
  input: {
    startsAt: Date;
    items?: Partial<typeof governanceItems.$inferInsert>[];
    status?: 'planned' | 'convened' | 'held' | 'closed';
    convocationDueBy?: string;
  },
) {
  const [session] = await db
    .insert(governanceSessions)
    .values({
      memberId: assembly.memberId,
      assemblyId: assembly.id,
      startsAt: input.startsAt,
      place: 'Salle du conseil',
      status: input.status ?? 'planned',
      convocationDays: 5,
      convocationDueBy: input.convocationDueBy ?? '2000-01-01',
    })
    .returning();
  const items = await db
    .insert(governanceItems)
    .values(
      (input.items ?? [{ title: 'Approbation du procès-verbal' }]).map((item, i) => ({
        memberId: assembly.memberId,
        sessionId: session.id,
        position: i + 1,
        title: item.title ?? `Point ${i + 1}`,
        ...item,
      })),
    )
    .returning();
  return { session, items };
}
