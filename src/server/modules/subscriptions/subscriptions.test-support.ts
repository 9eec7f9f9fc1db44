import { currentYear } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { subscriptions } from './subscriptions.schema.js';

type SubscriptionRow = typeof subscriptions.$inferSelect;

/** An active subscription started on 1 January of the current year, unless `input` says otherwise. */
export async function buildSubscription(
  db: Db,
  input: Partial<typeof subscriptions.$inferInsert> & { memberId: string; serviceId: string },
): Promise<SubscriptionRow> {
  const year = currentYear();
  const status = input.status ?? 'active';
  const [row] = await db
    .insert(subscriptions)
    .values({
      status,
      requestedOn: `${year - 1}-12-01`,
      startDate: status === 'requested' || status === 'refused' ? null : `${year}-01-01`,
      ...input,
    })
    .returning();
  return row;
}
