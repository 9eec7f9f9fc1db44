import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AssemblyKind, SeatKind } from '../../../contracts/governance.js';
import type { Db } from '../../platform/db/client.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import { ITEM_DOCUMENTS_PREFIX } from './governance.documents.service.js';
import { MINUTES_PREFIX } from './governance.minutes.service.js';
import {
  governanceAssemblies,
  governanceAttendance,
  governanceConvocations,
  governanceItemDocuments,
  governanceItems,
  governanceMinutes,
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

/**
 * The authorisation matrix's governance data: the operator's comité syndical with three titulars and
 * a substitute, a seat to edit and one to remove, a session held yesterday with its attendance (the
 * quorum reached) and an item to vote, an upcoming session to convene, and a convocation link.
 */
export async function buildGovernanceMatrixFixtures(db: Db, operatorId: string, storage: ObjectStorage) {
  const comite = await buildAssembly(db, {
    memberId: operatorId,
    kind: 'comite_syndical',
    name: 'Comité syndical',
  });
  const titulars = await buildSeats(db, comite, 3, { prefix: 'Délégué' });
  const [substitute] = await buildSeats(db, comite, 1, {
    kind: 'substitute',
    prefix: 'Suppléant',
    substituteFor: titulars[0].id,
  });
  const [seatToEdit, seatToDelete] = await buildSeats(db, comite, 2, {
    prefix: 'Sortant',
    termStart: '2099-01-01',
  });
  const held = await buildSession(db, comite, {
    startsAt: new Date(Date.now() - 86_400_000),
    status: 'held',
    items: [{ title: 'Point de la matrice' }],
  });
  await db.insert(governanceAttendance).values(
    titulars.map((seat) => ({
      memberId: operatorId,
      sessionId: held.session.id,
      seatId: seat.id,
      status: 'present' as const,
    })),
  );
  const toClose = await buildSession(db, comite, {
    startsAt: new Date(Date.now() - 86_400_000),
    status: 'held',
    items: [{ title: 'Point sans quorum' }],
  });
  const upcoming = await buildSession(db, comite, {
    startsAt: new Date(Date.now() + 30 * 86_400_000),
    convocationDueBy: '2200-01-01',
  });
  const token = crypto.randomBytes(32).toString('base64url');
  await db.insert(governanceConvocations).values({
    memberId: operatorId,
    sessionId: upcoming.session.id,
    seatId: titulars[1].id,
    email: titulars[1].email,
    tokenHash: crypto.createHash('sha256').update(token).digest('hex'),
  });
  // A document on the upcoming session's item, read by its readers and through the link.
  const documentId = crypto.randomUUID();
  const data = Buffer.from('%PDF-1.4\n%%EOF\n');
  const storageKey = `${ITEM_DOCUMENTS_PREFIX}${operatorId}/${documentId}`;
  await storage.put(storageKey, data);
  await db.insert(governanceItemDocuments).values({
    id: documentId,
    memberId: operatorId,
    sessionId: upcoming.session.id,
    itemId: upcoming.items[0].id,
    fileName: 'rapport.pdf',
    mediaType: 'application/pdf',
    sizeBytes: data.length,
    sha256: crypto.createHash('sha256').update(data).digest('hex'),
    storageKey,
  });
  // Two sessions closed long ago, their lists published, their procès-verbaux adopted by a later one:
  // one to publish, one published (public).
  const adopter = await buildSession(db, comite, {
    startsAt: new Date(Date.now() - 10 * 86_400_000),
    status: 'closed',
    items: [{ title: 'Procès-verbal' }, { title: 'Procès-verbal' }],
  });
  const minutesFor = async (days: number, itemId: string, published: boolean) => {
    const { session } = await buildSession(db, comite, {
      startsAt: new Date(Date.now() - days * 86_400_000),
      status: 'closed',
    });
    await db
      .update(governanceSessions)
      .set({ deliberationsPublishedAt: new Date() })
      .where(eq(governanceSessions.id, session.id));
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const key = `${MINUTES_PREFIX}${operatorId}/${session.id}/${crypto.randomUUID()}.pdf`;
    await storage.put(key, pdf);
    await db.insert(governanceMinutes).values({
      sessionId: session.id,
      memberId: operatorId,
      assemblyId: comite.id,
      adoptedAt: new Date(),
      adoptedBySessionId: adopter.session.id,
      adoptedByItemId: itemId,
      storageKey: key,
      sizeBytes: pdf.length,
      sha256: crypto.createHash('sha256').update(pdf).digest('hex'),
      publishedAt: published ? new Date() : null,
    });
    return session.id;
  };
  const minutesToPublish = await minutesFor(40, adopter.items[0].id, false);
  const publishedMinutes = await minutesFor(50, adopter.items[1].id, true);
  return {
    minutesToPublish,
    publishedMinutes,
    comite: comite.id,
    titular: titulars[0].id,
    substitute: substitute.id,
    seatToEdit: seatToEdit.id,
    seatToDelete: seatToDelete.id,
    heldSession: held.session.id,
    item: held.items[0].id,
    sessionToClose: toClose.session.id,
    upcomingSession: upcoming.session.id,
    upcomingItem: upcoming.items[0].id,
    document: documentId,
    token,
  };
}
