import crypto from 'node:crypto';
import { MEMBER_KINDS } from '../../../contracts/members.js';
import type { Db } from '../../platform/db/client.js';
import {
  catalogueAlonePrices,
  catalogueServicePrerequisites,
  catalogueServices,
} from './catalogue.schema.js';

type ServiceRow = typeof catalogueServices.$inferSelect;

export interface ServiceInput extends Partial<typeof catalogueServices.$inferInsert> {
  /** Alone prices per stratum; `upToPopulation: null` is the open-ended top stratum. */
  alonePrices?: { upToPopulation: number | null; aloneCents: number }[];
  /** Ids of services this one requires. */
  requires?: string[];
}

/** An open service, eligible to every member kind, unless `input` says otherwise. Test-only. */
export async function buildService(db: Db, input: ServiceInput = {}): Promise<ServiceRow> {
  const { alonePrices, requires, ...values } = input;
  const suffix = crypto.randomBytes(3).toString('hex').toUpperCase();
  const [row] = await db
    .insert(catalogueServices)
    .values({
      code: `TEST-${suffix}`,
      domain: 'dematerialisation',
      name: `Service ${suffix}`,
      description: 'Un service de test.',
      included: 'Tout.',
      eligibleKinds: [...MEMBER_KINDS],
      status: 'open',
      noticeMonths: 3,
      ...values,
    })
    .returning();
  if (alonePrices?.length) {
    await db.insert(catalogueAlonePrices).values(alonePrices.map((p) => ({ serviceId: row.id, ...p })));
  }
  if (requires?.length) {
    await db
      .insert(catalogueServicePrerequisites)
      .values(requires.map((requiresServiceId) => ({ serviceId: row.id, requiresServiceId })));
  }
  return row;
}
