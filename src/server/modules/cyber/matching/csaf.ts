import type { AdvisoryProduct, Severity } from '../../../../contracts/cyber.js';
import { parseCpe } from './cpe.js';

/**
 * Reading a CSAF 2.0 document (OASIS, https://docs.oasis-open.org/csaf/csaf/v2.0/) once it is
 * valid: the metadata an advisory keeps, and the products its vulnerabilities affect. Pure.
 */

export interface CsafAdvisory {
  reference: string;
  title: string;
  publisher: string | null;
  publishedAt: Date | null;
  severity: Severity;
  summary: string | null;
  url: string | null;
  cves: string[];
  products: AdvisoryProduct[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface Context {
  vendor: string | null;
  product: string | null;
  version: string | null;
  range: string | null;
}

const VERSION_CATEGORIES = new Set(['product_version', 'service_pack', 'patch_level']);

function productOf(node: Json, context: Context): AdvisoryProduct | null {
  const product = obj(node.product);
  if (!product) return null;
  const helper = obj(product.product_identification_helper);
  const cpeText = str(helper?.cpe);
  const cpe = cpeText ? parseCpe(cpeText) : null;
  const vendor = context.vendor ?? cpe?.vendor ?? '';
  const name = context.product ?? cpe?.product ?? str(product.name) ?? '';
  if (name === '') return null;
  return {
    vendor,
    product: name,
    version: context.range ? null : (context.version ?? cpe?.version ?? null),
    versionRange: context.range,
    cpe: cpeText,
  };
}

function walk(branches: unknown[], context: Context, out: Map<string, AdvisoryProduct>): void {
  for (const raw of branches) {
    const branch = obj(raw);
    if (!branch) continue;
    const category = str(branch.category) ?? '';
    const name = str(branch.name);
    const next: Context = { ...context };
    if (category === 'vendor') next.vendor = name;
    else if (category === 'product_name') next.product = name;
    else if (VERSION_CATEGORIES.has(category)) next.version = name;
    else if (category === 'product_version_range') next.range = name;
    const id = str(obj(branch.product)?.product_id);
    const product = productOf(branch, next);
    if (id && product) out.set(id, product);
    walk(arr(branch.branches), next, out);
  }
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  none: 'none',
};
const RANK: Severity[] = ['none', 'low', 'medium', 'high', 'critical'];

function severityOf(document: Json, vulnerabilities: Json[]): Severity {
  const aggregate = str(obj(document.aggregate_severity)?.text)?.toLowerCase();
  if (aggregate && SEVERITY_WORDS[aggregate]) return SEVERITY_WORDS[aggregate];
  let best: Severity | null = null;
  for (const v of vulnerabilities) {
    for (const s of arr(v.scores)) {
      const score = obj(s);
      const cvss = obj(score?.cvss_v3) ?? obj(score?.cvss_v2);
      const word = str(cvss?.baseSeverity)?.toLowerCase();
      const fromScore =
        word && SEVERITY_WORDS[word]
          ? SEVERITY_WORDS[word]
          : typeof cvss?.baseScore === 'number'
            ? cvss.baseScore >= 9
              ? 'critical'
              : cvss.baseScore >= 7
                ? 'high'
                : cvss.baseScore >= 4
                  ? 'medium'
                  : cvss.baseScore > 0
                    ? 'low'
                    : 'none'
            : null;
      if (fromScore && (best === null || RANK.indexOf(fromScore) > RANK.indexOf(best))) best = fromScore;
    }
  }
  // Without any rating, the advisory is treated as of medium severity (the cyber team may re-rate).
  return best ?? 'medium';
}

const AFFECTED_STATUSES = ['known_affected', 'first_affected', 'last_affected'];

/** The advisory's metadata and the products its vulnerabilities mark affected (deduplicated). */
export function readCsaf(doc: Json): CsafAdvisory {
  const document = obj(doc.document) ?? {};
  const tracking = obj(document.tracking) ?? {};
  const tree = obj(doc.product_tree) ?? {};
  const byId = new Map<string, AdvisoryProduct>();
  walk(arr(tree.branches), { vendor: null, product: null, version: null, range: null }, byId);
  for (const raw of arr(tree.full_product_names)) {
    const full = obj(raw);
    const id = str(full?.product_id);
    const product = full
      ? productOf({ product: full }, { vendor: null, product: null, version: null, range: null })
      : null;
    if (id && product) byId.set(id, product);
  }
  // A relationship names a product installed on or part of another: what is affected is its reference.
  for (const raw of arr(tree.relationships)) {
    const relation = obj(raw);
    const id = str(obj(relation?.full_product_name)?.product_id);
    const reference = byId.get(str(relation?.product_reference) ?? '');
    if (id && reference) byId.set(id, reference);
  }
  const vulnerabilities = arr(doc.vulnerabilities)
    .map(obj)
    .filter((v): v is Json => v !== null);
  const affected = new Set<string>();
  let statusGiven = false;
  for (const v of vulnerabilities) {
    const status = obj(v.product_status);
    if (status) statusGiven = true;
    for (const key of AFFECTED_STATUSES)
      for (const id of arr(status?.[key])) if (typeof id === 'string') affected.add(id);
  }
  const chosen = statusGiven ? [...affected].map((id) => byId.get(id)) : [...byId.values()];
  const seen = new Set<string>();
  const products: AdvisoryProduct[] = [];
  for (const p of chosen) {
    if (!p) continue;
    const key = JSON.stringify([p.vendor, p.product, p.version, p.versionRange, p.cpe]);
    if (seen.has(key)) continue;
    seen.add(key);
    products.push(p);
  }
  const notes = arr(document.notes)
    .map(obj)
    .filter((n): n is Json => n !== null);
  const summary =
    str(notes.find((n) => n.category === 'summary')?.text) ??
    str(notes.find((n) => n.category === 'description')?.text);
  const self = arr(document.references)
    .map(obj)
    .find((r) => r?.category === 'self');
  const published = str(tracking.initial_release_date);
  return {
    reference: str(tracking.id) ?? '',
    title: str(document.title) ?? '',
    publisher: str(obj(document.publisher)?.name),
    publishedAt: published ? new Date(published) : null,
    severity: severityOf(document, vulnerabilities),
    summary,
    url: str(self?.url),
    cves: [...new Set(vulnerabilities.map((v) => str(v.cve)).filter((c): c is string => c !== null))],
    products,
  };
}
