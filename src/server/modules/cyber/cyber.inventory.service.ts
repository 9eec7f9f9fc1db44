import type {
  InventoryItem,
  InventoryItemInput,
  InventoryItemPatch,
  InventoryList,
  InventoryListQuery,
  ServiceSoftware,
  ServiceSoftwareInput,
} from '../../../contracts/cyber.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { listServices, requireService } from '../catalogue/catalogue.service.js';
import * as repo from './cyber.inventory.repository.js';
import { assetKeys, matchKey } from './matching/cpe.js';

/** A member's inventory: its own lines, and the software of the operator's services it holds. */

export const ASSET_NOT_FOUND = "Cet élément n'existe pas dans l'inventaire de la structure.";

export function presentAsset(row: repo.AssetRow): InventoryItem {
  return {
    id: row.id,
    memberId: row.memberId,
    kind: row.kind,
    name: row.name,
    quantity: row.quantity,
    vendor: row.vendor,
    product: row.product,
    version: row.version,
    cpe: row.cpe,
    runner: row.runner,
    exposure: row.exposure,
    notes: row.notes,
    source: row.source,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The columns an inventory line stores, keys included, from what a person entered. */
export function assetValues(memberId: string, input: InventoryItemInput): repo.NewAsset {
  const vendor = input.vendor || null;
  const product = input.product || null;
  const cpe = input.cpe || null;
  return {
    memberId,
    kind: input.kind,
    name: input.name,
    quantity: input.quantity,
    vendor,
    product,
    version: input.version || null,
    cpe,
    runner: input.runner,
    exposure: input.exposure,
    notes: input.notes || null,
    source: 'member',
    ...assetKeys({ vendor, product, cpe }),
    searchKey: searchKey([input.name, vendor, product].filter(Boolean).join(' ')),
  };
}

export async function listInventory(
  db: Executor,
  memberId: string,
  query: InventoryListQuery,
): Promise<InventoryList> {
  await repo.syncCatalogueAssets(db, memberId);
  const [page, summary] = await Promise.all([
    repo.listAssets(db, memberId, query),
    repo.inventorySummary(db, memberId),
  ]);
  return { items: page.items.map(presentAsset), total: page.total, nextCursor: page.nextCursor, summary };
}

export async function wholeInventory(db: Executor, memberId: string): Promise<InventoryItem[]> {
  await repo.syncCatalogueAssets(db, memberId);
  return (await repo.allAssets(db, memberId)).map(presentAsset);
}

export async function createItem(
  db: Executor,
  memberId: string,
  input: InventoryItemInput,
  source: AuditSource,
): Promise<InventoryItem> {
  const [id] = await repo.insertAssets(db, [assetValues(memberId, input)]);
  if (!id) throw new Error('inventory line not inserted');
  await recordAudit(db, {
    ...source,
    action: 'cyber.asset.create',
    memberId,
    targetType: 'cyber_asset',
    targetId: id,
  });
  return presentAsset(await requireAsset(db, memberId, id));
}

async function requireAsset(db: Executor, memberId: string, id: string) {
  const row = await repo.findAsset(db, memberId, id);
  if (!row) throw notFound(ASSET_NOT_FOUND);
  return row;
}

const CATALOGUE_LINE =
  "Cette ligne vient d'un service de l'opérateur : sa version est déclarée par l'opérateur et ne se modifie pas ici.";

export async function updateItem(
  db: Executor,
  memberId: string,
  id: string,
  patch: InventoryItemPatch,
  source: AuditSource,
): Promise<InventoryItem> {
  const row = await requireAsset(db, memberId, id);
  if (row.source === 'catalogue') throw forbidden(CATALOGUE_LINE);
  const merged: InventoryItemInput = {
    kind: patch.kind ?? row.kind,
    name: patch.name ?? row.name,
    quantity: patch.quantity ?? row.quantity,
    vendor: patch.vendor === undefined ? row.vendor : patch.vendor,
    product: patch.product === undefined ? row.product : patch.product,
    version: patch.version === undefined ? row.version : patch.version,
    cpe: patch.cpe === undefined ? row.cpe : patch.cpe,
    runner: patch.runner ?? row.runner,
    exposure: patch.exposure ?? row.exposure,
    notes: patch.notes === undefined ? row.notes : patch.notes,
  };
  const { memberId: _m, source: _s, ...values } = assetValues(memberId, merged);
  await repo.updateAsset(db, memberId, id, values);
  await recordAudit(db, {
    ...source,
    action: 'cyber.asset.update',
    memberId,
    targetType: 'cyber_asset',
    targetId: id,
    details: { fields: Object.keys(patch) },
  });
  return presentAsset(await requireAsset(db, memberId, id));
}

export async function deleteItem(
  db: Executor,
  memberId: string,
  id: string,
  source: AuditSource,
): Promise<void> {
  const row = await requireAsset(db, memberId, id);
  if (row.source === 'catalogue') throw forbidden(CATALOGUE_LINE);
  await repo.deleteAsset(db, memberId, id);
  await recordAudit(db, {
    ...source,
    action: 'cyber.asset.delete',
    memberId,
    targetType: 'cyber_asset',
    targetId: id,
  });
}

// The software of the operator's services ------------------------------------------------------

export async function listServiceSoftware(db: Executor): Promise<{ items: ServiceSoftware[] }> {
  const [services, software, subscribers] = await Promise.all([
    listServices(db, { limit: 200 }),
    repo.serviceSoftware(db),
    repo.subscriberCounts(db),
  ]);
  return {
    items: services.items.map((s) => ({
      serviceId: s.id,
      serviceName: s.name,
      domain: s.domain,
      subscribers: subscribers.get(s.id) ?? 0,
      items: software
        .filter((row) => row.serviceId === s.id)
        .map((row) => ({
          id: row.id,
          name: row.name,
          vendor: row.vendor,
          product: row.product,
          version: row.version,
          cpe: row.cpe,
          exposure: row.exposure,
        })),
    })),
  };
}

/**
 * The operator declares the software (and versions) a service runs: every subscriber's inventory
 * follows at once.
 */
export async function putServiceSoftware(
  db: Executor,
  serviceId: string,
  items: ServiceSoftwareInput[],
  source: AuditSource,
): Promise<ServiceSoftware> {
  await requireService(db, serviceId);
  await repo.replaceServiceSoftware(
    db,
    serviceId,
    items.map((item) => {
      const cpe = item.cpe || null;
      const keys = assetKeys({ vendor: item.vendor, product: item.product, cpe });
      return {
        serviceId,
        name: item.name,
        vendor: item.vendor,
        product: item.product,
        version: item.version,
        cpe,
        exposure: item.exposure,
        vendorKey: keys.vendorKey ?? matchKey(item.vendor),
        productKey: keys.productKey ?? matchKey(item.product),
        searchKey: searchKey(`${item.name} ${item.vendor} ${item.product}`),
      };
    }),
  );
  await repo.syncCatalogueAssets(db, null);
  await recordAudit(db, {
    ...source,
    action: 'cyber.service-software.put',
    targetType: 'catalogue_service',
    targetId: serviceId,
    details: { items: items.length },
  });
  const all = await listServiceSoftware(db);
  const found = all.items.find((s) => s.serviceId === serviceId);
  if (!found) throw notFound();
  return found;
}
