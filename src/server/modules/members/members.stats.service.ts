import type { MemberStats } from '../../../contracts/members.js';
import type { Executor } from '../../platform/db/client.js';
import { memberKind } from './members.repository.js';
import * as repo from './members.stats.repository.js';

/**
 * The public statistics of the registry; the operator also sees how many steps await a decision.
 */

export async function memberStats(
  db: Executor,
  regions: string[],
  withPending: boolean,
): Promise<MemberStats> {
  const byDepartement = await repo.membersByDepartement(db, regions);
  const byKind = await repo.membersByKind(db);
  const stats: MemberStats = {
    byDepartement: byDepartement.map((d) => ({ code: d.code, name: d.name, members: toInt(d.members) })),
    byKind: byKind.map((k) => ({
      kind: memberKind(k.kind),
      count: toInt(k.count),
    })),
    populationCovered: await repo.populationCovered(db),
  };
  if (withPending) {
    const counts = await repo.countByStatus(db, ['requested', 'accepted', 'withdrawal_requested']);
    const of = (status: string) => toInt(counts.find((c) => c.status === status)?.n);
    stats.pending = {
      requested: of('requested'),
      accepted: of('accepted'),
      withdrawal_requested: of('withdrawal_requested'),
    };
  }
  return stats;
}

const toInt = (value: unknown) => Number(value ?? 0);
