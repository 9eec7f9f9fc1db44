import {
  type AdvisoryDetail,
  type AdvisoryProduct,
  type AdvisorySummary,
  type CyberSettings,
  DEFAULT_REMEDIATION_DAYS,
  type ExposureState,
  type ManualAdvisoryInput,
  type MemberAdvisory,
  type MemberAdvisoryDetail,
  type Remediation,
  type RemediationPatch,
  SEVERITY_LABELS,
  type Severity,
} from '../../../contracts/cyber.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { emitEventsFrom } from '../../platform/events/events.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import * as repo from './cyber.advisories.repository.js';
import { syncCatalogueAssets } from './cyber.inventory.repository.js';
import { type CsafAdvisory, readCsaf } from './matching/csaf.js';
import { csafErrors } from './matching/csaf-validation.js';
import { firstMatch, type PreparedProduct, prepareProduct } from './matching/match.js';
import { VersSyntaxError } from './matching/versions.js';
import { addDays } from './rules/clocks.js';

/**
 * Advisories targeted by the inventory: a CSAF 2.0 document (validated) or one written by hand is
 * matched against every member's inventory; exactly the members with an affected asset get a
 * remediation per asset, due by the severity's days, and are told (a durable job per member).
 */

export const ADVISORY_NOT_FOUND = "Cet avis de sécurité n'existe pas.";
export const ADVISORY_NOTIFY_JOB = 'cyber.advisory-notify';

export async function getSettings(db: Executor): Promise<CyberSettings> {
  return { remediationDays: (await repo.readSettings(db)) ?? DEFAULT_REMEDIATION_DAYS };
}

export async function putSettings(
  db: Executor,
  input: CyberSettings,
  source: AuditSource,
): Promise<CyberSettings> {
  await repo.writeSettings(db, input.remediationDays);
  await recordAudit(db, { ...source, action: 'cyber.settings.put', details: input.remediationDays });
  return input;
}

/**
 * Matches prepared products against every inventory and writes what they affect: the distinct
 * (product, vendor, version) triples of the inventory lines that carry one of the products' keys are
 * compared with the products here (vers ranges, semver and CPE rules: match.ts, once per triple),
 * then the database writes one remediation per line of a matched triple and one exposure per member
 * in one statement (repo.insertMatches). Returns the number of members affected.
 */
export async function matchAdvisory(
  db: Executor,
  advisoryId: string,
  dueOn: string,
  products: PreparedProduct[],
): Promise<number> {
  const keys = [...new Set(products.flatMap((p) => p.productKeys))];
  const matched: (repo.InventoryVersion & { label: string })[] = [];
  for (const triple of await repo.inventoryVersions(db, keys)) {
    const label = firstMatch(triple, products);
    if (label) matched.push({ ...triple, label });
  }
  return repo.insertMatches(db, advisoryId, dueOn, matched);
}

function prepare(products: AdvisoryProduct[]): PreparedProduct[] {
  try {
    return products.map(prepareProduct);
  } catch (error) {
    if (error instanceof VersSyntaxError) {
      throw invalid(error.message, [{ path: 'body.products', message: error.message }]);
    }
    throw error;
  }
}

interface NewAdvisoryData extends CsafAdvisory {
  source: 'csaf' | 'manual';
  document: Record<string, unknown> | null;
}

async function createAdvisory(
  db: Executor,
  data: NewAdvisoryData,
  source: AuditSource,
): Promise<{ id: string; affectedMembers: number }> {
  if (data.reference === '') {
    throw invalid('La référence de l’avis est vide.', [
      { path: 'body.document.tracking.id', message: 'référence vide' },
    ]);
  }
  if (await repo.referenceExists(db, data.reference)) {
    throw conflict(`L’avis ${data.reference} a déjà été importé.`, [
      { path: 'body.document.tracking.id', message: 'avis déjà importé' },
    ]);
  }
  const products = prepare(data.products);
  const settings = await getSettings(db);
  const dueOn = addDays(today(), settings.remediationDays[data.severity]);
  const id = await repo.insertAdvisory(db, {
    reference: data.reference,
    title: data.title || data.reference,
    severity: data.severity,
    source: data.source,
    publisher: data.publisher,
    publishedAt: data.publishedAt,
    summary: data.summary,
    url: data.url,
    cves: data.cves,
    products: data.products,
    document: data.document,
    dueOn,
    importedBy: source.actorUserId,
    importedAt: now(),
  });
  // The lock first: syncCatalogueAssets deletes inventory lines (see repo.lockMatching).
  await repo.lockMatching(db);
  await syncCatalogueAssets(db, null);
  const affectedMembers = await matchAdvisory(db, id, dueOn, products);
  // One job tells every affected member (each once, with its webhook event: see notifyAffectedMembers).
  if (affectedMembers > 0) await enqueue(db, ADVISORY_NOTIFY_JOB, { advisoryId: id });
  await recordAudit(db, {
    ...source,
    action: 'cyber.advisory.import',
    targetType: 'cyber_advisory',
    targetId: id,
    details: { reference: data.reference, source: data.source, affectedMembers },
  });
  return { id, affectedMembers };
}

export async function importCsaf(db: Executor, doc: Record<string, unknown>, source: AuditSource) {
  const errors = await csafErrors(doc);
  if (errors.length > 0) {
    throw invalid(
      `Ce document n’est pas un avis CSAF 2.0 valide (${errors.length}${errors.length >= 20 ? ' erreurs au moins' : ' erreur(s)'}) : ${errors[0]?.message ?? ''}`,
      errors,
    );
  }
  return importValidCsaf(db, doc, source);
}

/**
 * Imports a CSAF document known to be valid without running the validator again: the demo's bundled
 * advisories, which the tests validate (loading the validator costs seconds at a server's start).
 */
export async function importValidCsaf(db: Executor, doc: Record<string, unknown>, source: AuditSource) {
  return createAdvisory(db, { ...readCsaf(doc), source: 'csaf', document: doc }, source);
}

export async function createManualAdvisory(db: Executor, input: ManualAdvisoryInput, source: AuditSource) {
  return createAdvisory(
    db,
    {
      reference: input.reference,
      title: input.title,
      publisher: null,
      publishedAt: null,
      severity: input.severity,
      summary: input.summary ?? null,
      url: input.url ?? null,
      cves: input.cves,
      products: input.products.map((p) => ({
        vendor: p.vendor,
        product: p.product,
        version: p.version || null,
        versionRange: p.versionRange || null,
        cpe: p.cpe || null,
      })),
      source: 'manual',
      document: null,
    },
    source,
  );
}

function summaryOf(
  row: repo.AdvisoryRow,
  counts: { affected: number; remediated: number; overdue: number },
): AdvisorySummary {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    severity: row.severity,
    source: row.source,
    publisher: row.publisher,
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    importedAt: row.importedAt.toISOString(),
    cves: row.cves,
    affectedMembers: counts.affected,
    remediatedMembers: counts.remediated,
    overdueMembers: counts.overdue,
  };
}

export async function listAdvisories(
  db: Executor,
  query: { severity?: Severity; q?: string; limit: number; cursor?: string },
) {
  const page = await repo.listAdvisories(db, query);
  const at = today();
  return {
    items: page.items.map((r) => summaryOf(r.advisory, repo.countsOf(r.advisory, at))),
    total: page.total,
    nextCursor: page.nextCursor,
  };
}

export async function unremediatedAdvisories(db: Executor, limit = 10): Promise<AdvisorySummary[]> {
  const rows = await repo.unremediatedAdvisories(db, limit);
  const at = today();
  return rows.map((r) => summaryOf(r, repo.countsOf(r, at)));
}

async function requireAdvisory(db: Executor, id: string) {
  const row = await repo.findAdvisory(db, id);
  if (!row) throw notFound(ADVISORY_NOT_FOUND);
  return row;
}

export async function getAdvisory(db: Executor, id: string): Promise<AdvisoryDetail> {
  const row = await requireAdvisory(db, id);
  const counts = repo.countsOf(row, today());
  return {
    ...summaryOf(row, counts),
    summary: row.summary,
    url: row.url,
    products: row.products,
    dueOn: row.dueOn,
  };
}

export async function exposure(
  db: Executor,
  advisoryId: string,
  query: { state?: ExposureState; limit: number; cursor?: string },
) {
  const advisory = await requireAdvisory(db, advisoryId);
  const at = today();
  const page = await repo.exposurePage(db, advisoryId, query, at);
  const counts = repo.countsOf(advisory, at);
  return {
    items: page.items.map((r) => ({
      memberId: r.memberId,
      memberName: r.memberName,
      state: r.state,
      assets: r.assets,
      remediatedAssets: r.remediatedAssets,
      dueOn: r.dueOn,
      notifiedAt: r.notifiedAt ? r.notifiedAt.toISOString() : null,
    })),
    total: exposureTotal(counts, query.state),
    nextCursor: page.nextCursor,
    counts,
  };
}

/**
 * How many members an exposure page lists in all, from the advisory's counts (the states partition
 * the affected members: remediated, else overdue, else to do): no count per page.
 */
export function exposureTotal(
  counts: { affected: number; remediated: number; overdue: number },
  state: ExposureState | undefined,
): number {
  if (state === 'remediated') return counts.remediated;
  if (state === 'overdue') return counts.overdue;
  if (state === 'to_do') return counts.affected - counts.remediated - counts.overdue;
  return counts.affected;
}

function memberAdvisoryOf(
  row: repo.AdvisoryRow,
  e: { assets: number; remediatedAssets: number; dueOn: string; state: ExposureState },
): MemberAdvisory {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    severity: row.severity,
    source: row.source,
    publisher: row.publisher,
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    importedAt: row.importedAt.toISOString(),
    cves: row.cves,
    state: e.state,
    assets: e.assets,
    remediatedAssets: e.remediatedAssets,
    dueOn: e.dueOn,
  };
}

export async function memberAdvisories(
  db: Executor,
  memberId: string,
  query: { state?: ExposureState; limit: number; cursor?: string },
) {
  const page = await repo.memberAdvisories(db, memberId, query, today());
  return {
    items: page.items.map((r) => memberAdvisoryOf(r.advisory, r)),
    total: page.total,
    nextCursor: page.nextCursor,
  };
}

function presentRemediation(row: repo.RemediationRow, at: string): Remediation {
  const r = row.remediation;
  return {
    id: r.id,
    advisoryId: r.advisoryId,
    memberId: r.memberId,
    asset: row.asset,
    matchedOn: r.matchedOn,
    state: r.state,
    reason: r.reason,
    dueOn: r.dueOn,
    overdue: r.state === 'to_do' && r.dueOn < at,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: null,
  };
}

/** An advisory as a member sees it: only if it affects the member, and only its own assets. */
export async function memberAdvisory(
  db: Executor,
  memberId: string,
  advisoryId: string,
): Promise<MemberAdvisoryDetail> {
  const at = today();
  const exposureRow = await repo.findExposure(db, advisoryId, memberId, at);
  if (!exposureRow) throw notFound('Cet avis ne concerne pas cette structure.');
  const row = await requireAdvisory(db, advisoryId);
  const remediations = await repo.remediationsOf(db, memberId, advisoryId);
  return {
    ...memberAdvisoryOf(row, exposureRow),
    summary: row.summary,
    url: row.url,
    remediations: remediations.map((r) => presentRemediation(r, at)),
  };
}

export async function updateRemediation(
  db: Executor,
  memberId: string,
  remediationId: string,
  patch: RemediationPatch,
  source: AuditSource,
): Promise<Remediation> {
  const row = await repo.findRemediation(db, memberId, remediationId);
  if (!row) throw notFound("Ce traitement n'existe pas pour cette structure.");
  await repo.updateRemediation(db, memberId, remediationId, {
    state: patch.state,
    reason: patch.reason || null,
    updatedBy: source.actorUserId,
  });
  await repo.refreshExposure(db, row.remediation.advisoryId, memberId);
  await recordAudit(db, {
    ...source,
    action: 'cyber.remediation.update',
    memberId,
    targetType: 'cyber_remediation',
    targetId: remediationId,
    details: { from: row.remediation.state, to: patch.state },
  });
  const updated = await repo.findRemediation(db, memberId, remediationId);
  if (!updated) throw notFound();
  return presentRemediation(updated, today());
}

/**
 * The job: tells every affected member not told yet, member by member, after one webhook event
 * `advisory.affecting_member` per such member (emitted in one statement from the exposures, in the
 * transaction that marks them told: each member's event once, like its mail). The events are the
 * job's and not the import's, so that the import's transaction stays short at thousands of members.
 */
export async function notifyAffectedMembers(
  db: Executor,
  mailer: Mailer,
  advisoryId: string,
): Promise<number> {
  const advisory = await repo.findAdvisory(db, advisoryId);
  if (!advisory) return 0;
  await emitEventsFrom(
    db,
    'advisory.affecting_member',
    repo.unnotifiedMemberEvents(advisoryId, {
      advisoryId,
      reference: advisory.reference,
      title: advisory.title,
      severity: advisory.severity,
      cves: advisory.cves,
      dueOn: advisory.dueOn,
    }),
  );
  let mails = 0;
  for (const memberId of await repo.unnotifiedMembers(db, advisoryId)) {
    mails += await notifyAffectedMember(db, mailer, advisoryId, memberId);
  }
  return mails;
}

/**
 * Tells one affected member's admins, référents sécurité and security contact (once: the
 * exposure keeps when it was done). Nothing for members the advisory does not affect.
 */
export async function notifyAffectedMember(
  db: Executor,
  mailer: Mailer,
  advisoryId: string,
  memberId: string,
): Promise<number> {
  const at = today();
  const exposureRow = await repo.findExposure(db, advisoryId, memberId, at);
  if (!exposureRow || exposureRow.notifiedAt) return 0;
  const advisory = await requireAdvisory(db, advisoryId);
  const recipients = await repo.recipientsOf(db, memberId);
  const subject = `[Socle] Avis de sécurité ${SEVERITY_LABELS[advisory.severity].toLowerCase()} : ${advisory.reference}`;
  const text = [
    'Bonjour,',
    '',
    `L’avis de sécurité « ${advisory.title} » (${advisory.reference}, gravité ${SEVERITY_LABELS[advisory.severity].toLowerCase()}) concerne ${exposureRow.assets} élément(s) de votre inventaire.`,
    advisory.cves.length > 0 ? `Vulnérabilités : ${advisory.cves.join(', ')}.` : '',
    `Traitement attendu au plus tard le ${exposureRow.dueOn.split('-').reverse().join('/')}.`,
    '',
    'Indiquez pour chaque élément s’il est corrigé, contourné, non concerné ou si le risque est accepté, dans Socle, rubrique Cybersécurité.',
    '',
    'L’équipe cybersécurité',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  for (const to of recipients) await mailer.send(db, { to, subject, text });
  await repo.markNotified(db, advisoryId, memberId);
  return recipients.length;
}
