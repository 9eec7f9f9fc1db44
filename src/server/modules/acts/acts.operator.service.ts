import { subMonths } from 'date-fns';
import { ACT_STATUSES, type ActStatus } from '../../../contracts/acts.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { presentAct } from './acts.present.js';
import * as repo from './acts.repository.js';

/** The operator's view of every member's transmissions (scope `demat`): support and volumes. */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The cursor's instant to the microsecond, as PostgreSQL stores it (a JS Date keeps milliseconds). */
const cursorOf = (row: { updatedAtMicros: string; id: string }) => encodeCursor(row.updatedAtMicros, row.id);

export async function listTransmissions(
  db: Executor,
  query: { status?: ActStatus; memberId?: string; cursor?: string; limit: number },
) {
  const cursor = decodeTextCursor(query.cursor, (v) => INSTANT.test(v));
  const { rows, ...counted } = await repo.listTransmissions(db, query, cursor, query.limit);
  const page = pageOf(rows, query.limit, cursorOf);
  return {
    items: page.items.map((row) => ({ ...presentAct(row), memberName: row.memberName })),
    ...counted,
    nextCursor: page.nextCursor,
  };
}

export async function volumes(db: Executor) {
  const [byStatus, byMonth] = await Promise.all([
    repo.countByStatus(db),
    repo.transmittedByMonth(db, subMonths(now(), 12)),
  ]);
  const counts = Object.fromEntries(ACT_STATUSES.map((s) => [s, 0])) as Record<ActStatus, number>;
  for (const row of byStatus) counts[row.status] = row.count;
  return { byStatus: counts, byMonth };
}
