import crypto from 'node:crypto';
import { addDays, formatISO, parseISO } from 'date-fns';
import type {
  BillingRunResult,
  CreditNoteInput,
  InvoiceDetail,
  InvoiceListQuery,
  InvoiceStatus,
  InvoiceSummary,
  PaymentInput,
} from '../../../contracts/billing.js';
import * as clock from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound, unprocessable } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { describeRule, formatCents } from '../pricing/engine/index.js';
import { assertPriced, type YearModel } from '../pricing/pricing.model.js';
import { orderedIds } from './billing.ids.js';
import * as repo from './billing.repository.js';

export const DEFAULT_PAYMENT_DAYS = 30;

export interface DraftLine {
  /** Where the line comes from: the service's index in the year model, or `services.length` for the fee. */
  source: number;
  serviceId: string | null;
  serviceCode: string | null;
  label: string;
  totalCents: number;
  /** First sentence of the explanation ("Règle : …."): one shared string for every line of a source. */
  rule: string;
  /** The rest of the explanation, specific to the line (population, units, prorata); '' in a preview. */
  detail: string;
}

/** The explanation printed under an invoice line. */
export const explanationOf = (line: DraftLine) => line.rule + line.detail;

export interface Draft {
  memberId: string;
  memberName: string;
  totalCents: number;
  lines: DraftLine[];
  /** The member's call of the year this invoice would be: 1 for the annual call (the default). */
  call?: number;
}

/** 12345 → "12 345" (what Intl gives, with a plain space, at a fraction of its cost per line). */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  if (n < 0) return `-${thousands(-n)}`;
  const digits = String(n);
  if (digits.length <= 3) return digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += ` ${digits.slice(i, i + 3)}`;
  return out;
}
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

/**
 * One draft invoice per member that owes something for the year: a line per service it used (its
 * share, prorated by months) and the membership fee. Sorted by member name, the numbering order.
 */
export function buildDrafts(model: YearModel, withExplanations = true): Draft[] {
  const { members, services, fee, year } = model;
  const lines: (DraftLine[] | undefined)[] = new Array(members.length);
  const push = (m: number, line: DraftLine) => {
    let list = lines[m];
    if (!list) {
      list = [];
      lines[m] = list;
    }
    list.push(line);
  };
  // Detail sentences shared by many lines are built once: a member's population (the same in every
  // service it uses) and each prorata.
  const populationDetails = new Array<string | undefined>(members.length);
  const populationOf = new Float64Array(members.length);
  const populationDetail = (m: number, population: number) => {
    let detail = populationDetails[m];
    if (detail === undefined || populationOf[m] !== population) {
      detail = ` Population : ${thousands(population)} habitants.`;
      populationDetails[m] = detail;
      populationOf[m] = population;
    }
    return detail;
  };
  const prorata = Array.from({ length: 12 }, (_, k) => ` Prorata : ${k}/12.`);
  for (let source = 0; source < services.length; source++) {
    const s = services[source];
    assertPriced(s);
    const allocation = s.allocation;
    if (!allocation) continue;
    const rule = `Règle : ${plainSpaces(describeRule(s.pool.rule))}.`;
    const { shareCents, months, population, units } = allocation.shares;
    const perUnit = s.pool.rule.kind === 'units';
    const byPopulation = s.pool.rule.kind !== 'equal' && !perUnit;
    for (let m = 0; m < members.length; m++) {
      const i = s.positions[m];
      if (i < 0) continue;
      let detail = '';
      if (withExplanations) {
        if (byPopulation) detail = populationDetail(m, population[i]);
        if (perUnit) detail += ` Unités déclarées : ${thousands(Math.max(0, units[i]))}.`;
        if (months[i] < 12) detail += prorata[months[i]];
      }
      push(m, {
        source,
        serviceId: s.pool.serviceId,
        serviceCode: s.pool.serviceCode,
        label: months[i] < 12 ? `${s.pool.serviceName} (${months[i]} mois)` : s.pool.serviceName,
        totalCents: shareCents[i],
        rule,
        detail,
      });
    }
  }
  if (fee?.allocation) {
    const rule = `Règle : ${plainSpaces(describeRule(fee.rule))}.`;
    const label = `Cotisation d'adhésion ${year}`;
    const { shareCents, population } = fee.allocation.shares;
    for (let m = 0; m < members.length; m++) {
      const i = fee.positions[m];
      if (i < 0) continue;
      push(m, {
        source: services.length,
        serviceId: null,
        serviceCode: null,
        label,
        totalCents: shareCents[i],
        rule,
        detail: withExplanations ? populationDetail(m, population[i]) : '',
      });
    }
  }
  const drafts: Draft[] = [];
  for (let m = 0; m < members.length; m++) {
    const list = lines[m];
    if (!list) continue;
    const totalCents = list.reduce((sum, l) => sum + l.totalCents, 0);
    if (totalCents === 0) continue;
    drafts.push({ memberId: members[m].id, memberName: members[m].name, totalCents, lines: list });
  }
  const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
  drafts.sort((a, b) => collator.compare(a.memberName, b.memberName) || (a.memberId < b.memberId ? -1 : 1));
  return drafts;
}

export interface RunOptions {
  year: number;
  mode: 'preview' | 'issue';
  /**
   * annual (default): one invoice per member not invoiced yet for the year. complementary: also what
   * the shares of members already invoiced now exceed their invoices (net of credit notes).
   */
  call?: 'annual' | 'complementary';
  dueOn?: string;
  engagementNumbers?: Record<string, string>;
  serviceCodes?: Record<string, string>;
  previewLimit: number;
  actorUserId: string | null;
  /** Issue date; today in France by default. */
  today?: string;
  /** Test seam: runs after every row is written, before the commit. */
  beforeCommit?: () => Promise<void>;
  /** Filled with the milliseconds spent in each phase, when given (benchmark). */
  phases?: Record<string, number>;
  /** Rows per INSERT statement (10,000 invoices, ~50,000 lines); tests use small ones to cross batches. */
  batchSize?: number;
}

const COMPLEMENT = 'Complément — ';
const FEE_KEY = '';

/**
 * The complementary call: each member already invoiced for the year gets, per service and for the
 * membership fee, what its share now exceeds what it was invoiced net of credit notes (a subscription
 * started after the annual call, more units declared, a longer prorata); members never invoiced get
 * their whole year, as in the annual call. Amounts invoiced above the current shares are counted, not
 * credited: a credit note is the operator's decision.
 */
export function complementaryDrafts(
  drafts: Draft[],
  invoiced: Map<string, repo.InvoicedMember>,
  year: number,
): {
  drafts: Draft[];
  upToDate: number;
  firstInvoices: number;
  overbilledMembers: number;
  overbilledCents: number;
} {
  const result: Draft[] = [];
  let upToDate = 0;
  let firstInvoices = 0;
  let overbilledMembers = 0;
  let overbilledCents = 0;
  const seen = new Set<string>();
  for (const d of drafts) {
    seen.add(d.memberId);
    const before = invoiced.get(d.memberId);
    if (!before) {
      result.push(d);
      firstInvoices++;
      continue;
    }
    const lines: DraftLine[] = [];
    let over = 0;
    const matched = new Set<string>();
    for (const l of d.lines) {
      const key = l.serviceId ?? FEE_KEY;
      matched.add(key);
      const already = before.netCents.get(key) ?? 0;
      const due = l.totalCents - already;
      if (due < 0) over -= due;
      if (due <= 0) continue;
      lines.push({
        ...l,
        label: COMPLEMENT + l.label,
        totalCents: due,
        detail: `${l.detail} Part ${year} : ${thousandsCents(l.totalCents)} ; déjà facturé : ${thousandsCents(already)}.`,
      });
    }
    for (const [key, cents] of before.netCents) if (!matched.has(key) && cents > 0) over += cents;
    if (over > 0) {
      overbilledMembers++;
      overbilledCents += over;
    }
    if (lines.length === 0) {
      upToDate++;
      continue;
    }
    result.push({
      memberId: d.memberId,
      memberName: d.memberName,
      totalCents: lines.reduce((sum, l) => sum + l.totalCents, 0),
      lines,
      call: before.lastCall + 1,
    });
  }
  // Members invoiced for the year who owe nothing now (their subscriptions were cancelled since).
  for (const [memberId, before] of invoiced) {
    if (seen.has(memberId)) continue;
    let over = 0;
    for (const cents of before.netCents.values()) if (cents > 0) over += cents;
    if (over > 0) {
      overbilledMembers++;
      overbilledCents += over;
    }
  }
  return { drafts: result, upToDate, firstInvoices, overbilledMembers, overbilledCents };
}

/** 12345 → "123,45 €" with a plain space between thousands (explanations are stored as plain text). */
const thousandsCents = (cents: number) => plainSpaces(formatCents(cents));

function summarise(drafts: Draft[]) {
  const byService = new Map<
    string,
    { serviceId: string | null; name: string; lines: number; totalCents: number }
  >();
  let totalCents = 0;
  for (const d of drafts) {
    totalCents += d.totalCents;
    for (const l of d.lines) {
      const key = l.serviceId ?? 'fee';
      let s = byService.get(key);
      if (!s) {
        s = {
          serviceId: l.serviceId,
          name: l.label.replace(COMPLEMENT, '').replace(/ \(\d+ mois\)$/, ''),
          lines: 0,
          totalCents: 0,
        };
        byService.set(key, s);
      }
      s.lines++;
      s.totalCents += l.totalCents;
    }
  }
  return { totalCents, services: [...byService.values()] };
}

/**
 * Preview (writes nothing) or issue the year's contribution call. Issuing runs in the caller's
 * transaction: it takes the year's advisory lock (a concurrent run gets 409), skips members already
 * invoiced (re-running creates nothing), takes its numbers from invoice_sequences (so a failure rolls
 * them back) and writes every invoice, or none.
 */
export async function runBilling(
  db: Executor,
  model: YearModel,
  options: RunOptions,
): Promise<BillingRunResult> {
  const { year, mode } = options;
  const call = options.call ?? 'annual';
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    if (options.phases) options.phases[name] = Math.round(now - mark);
    mark = now;
  };
  const today = options.today ?? clock.today();
  const dueOn =
    options.dueOn ?? formatISO(addDays(parseISO(today), DEFAULT_PAYMENT_DAYS), { representation: 'date' });
  if (dueOn < today) {
    throw invalid("La date d'échéance ne peut pas précéder la date d'émission.", [
      { path: 'body.dueOn', message: `date postérieure au ${today} attendue` },
    ]);
  }
  if (mode === 'issue' && !(await repo.tryLockIssuing(db, year))) {
    throw conflict(
      `Une émission des factures ${year} est déjà en cours : attendez qu'elle se termine, puis relancez (elle ne créera que les factures manquantes).`,
    );
  }
  let drafts: Draft[];
  let alreadyInvoiced: number;
  let complement: ReturnType<typeof complementaryDrafts> | null = null;
  if (call === 'annual') {
    const invoiced = await repo.invoicedMembers(db, year);
    phase('lock+invoiced');
    const all = buildDrafts(model, mode === 'issue');
    phase('drafts');
    drafts = invoiced.size ? all.filter((d) => !invoiced.has(d.memberId)) : all;
    alreadyInvoiced = all.length - drafts.length;
  } else {
    const invoiced = await repo.invoicedAmounts(db, year);
    phase('lock+invoiced');
    complement = complementaryDrafts(buildDrafts(model, mode === 'issue'), invoiced, year);
    phase('drafts');
    drafts = complement.drafts;
    alreadyInvoiced = complement.upToDate;
  }
  const { totalCents, services } = summarise(drafts);
  const result: BillingRunResult = {
    mode,
    call,
    year,
    runId: null,
    invoiceCount: drafts.length,
    totalCents,
    alreadyInvoiced,
    firstNumber: null,
    lastNumber: null,
    services,
    invoices: drafts.slice(0, options.previewLimit).map((d) => ({
      memberId: d.memberId,
      memberName: d.memberName,
      totalCents: d.totalCents,
      lines: d.lines.map((l) => ({
        serviceId: l.serviceId,
        serviceCode: l.serviceCode,
        label: l.label,
        totalCents: l.totalCents,
      })),
    })),
    truncated: drafts.length > options.previewLimit,
    overbilledMembers: complement?.overbilledMembers ?? 0,
    overbilledCents: complement?.overbilledCents ?? 0,
    message: '',
  };
  // What the complementary call found invoiced beyond the current shares: told, never credited here.
  const overbilled = complement?.overbilledMembers
    ? ` ${complement.overbilledMembers} structure${complement.overbilledMembers > 1 ? 's ont' : ' a'} été facturée${complement.overbilledMembers > 1 ? 's' : ''} de ${plainSpaces(formatCents(complement.overbilledCents))} de plus que ${complement.overbilledMembers > 1 ? 'leurs parts actuelles' : 'sa part actuelle'} : émettez un avoir si nécessaire.`
    : '';
  if (drafts.length === 0) {
    if (complement) {
      result.message = `Aucun complément à facturer pour ${year} : les factures émises couvrent la part actuelle de chaque structure.${overbilled}`;
    } else {
      result.message =
        alreadyInvoiced > 0
          ? `Aucune nouvelle facture : les ${alreadyInvoiced} structures redevables ont déjà été facturées pour ${year}.`
          : `Aucune facture à émettre pour ${year} : aucun montant à répartir, aucun abonné ni cotisation.`;
    }
    return result;
  }
  if (mode === 'preview') {
    result.message = complement
      ? `Aperçu de l'appel complémentaire : ${drafts.length} factures pour ${plainSpaces(formatCents(totalCents))}${complement.firstInvoices ? `, dont ${complement.firstInvoices} premières factures de l'année` : ''}. Rien n'a été enregistré.${overbilled}`
      : `Aperçu : ${drafts.length} factures pour ${plainSpaces(formatCents(totalCents))}${alreadyInvoiced ? ` (${alreadyInvoiced} structures déjà facturées)` : ''}. Rien n'a été enregistré.`;
    return result;
  }

  const operator = await repo.operatorParty(db);
  if (!operator?.siret) {
    throw unprocessable(
      "Le SIRET de l'opérateur n'est pas renseigné : complétez la fiche de l'opérateur avant d'émettre des factures.",
      [{ path: 'operator.siret', message: 'SIRET manquant' }],
    );
  }
  const parties = await repo.memberParties(
    db,
    drafts.map((d) => d.memberId),
  );
  phase('parties');
  const first = await repo.takeNumbers(db, year, drafts.length);
  const runId = crypto.randomUUID();
  await repo.insertRun(db, {
    id: runId,
    year,
    period: complement ? `Appel complémentaire ${year}` : `Contribution ${year}`,
    kind: 'issue',
    status: 'completed',
    actorUserId: options.actorUserId,
    invoiceCount: drafts.length,
    totalCents,
  });

  // Column by column, in numbering order; ids are time-ordered so that both tables and their indexes
  // are appended to rather than written at random places.
  const n = drafts.length;
  const invoiceIds = orderedIds(n);
  const memberIds = new Array<string>(n);
  const calls = new Array<number>(n);
  const numbers = new Array<string>(n);
  const sequences = new Array<number>(n);
  const totals = new Array<number>(n);
  const serviceCodes = new Array<string | null>(n);
  const engagementNumbers = new Array<string | null>(n);
  const memberNames = new Array<string>(n);
  const memberSirens = new Array<string>(n);
  const memberSirets = new Array<string | null>(n);
  const memberAddresses = new Array<string | null>(n);
  let lineCount = 0;
  for (let k = 0; k < n; k++) {
    const d = drafts[k];
    const party = parties.get(d.memberId)!;
    memberIds[k] = d.memberId;
    calls[k] = d.call ?? 1;
    numbers[k] = repo.invoiceNumber(year, first + k);
    sequences[k] = first + k;
    totals[k] = d.totalCents;
    serviceCodes[k] = options.serviceCodes?.[d.memberId] ?? null;
    engagementNumbers[k] = options.engagementNumbers?.[d.memberId] ?? null;
    memberNames[k] = party.name;
    memberSirens[k] = party.siren;
    memberSirets[k] = party.siret;
    memberAddresses[k] = party.address;
    lineCount += d.lines.length;
  }
  // Lines: what varies per line, plus one entry per source (service or fee) for what its lines share.
  const lineIds = orderedIds(lineCount);
  const firstLines = new Array<number>(n + 1);
  const positions = new Array<number>(lineCount);
  const sources = new Array<number>(lineCount);
  const labels = new Array<string>(lineCount);
  const cents = new Array<number>(lineCount);
  const details = new Array<string>(lineCount);
  const sourceCount = model.services.length + 1;
  const sourceIds = new Array<string | null>(sourceCount).fill(null);
  const sourceCodes = new Array<string | null>(sourceCount).fill(null);
  const sourceRules = new Array<string | null>(sourceCount).fill(null);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const d = drafts[k];
    firstLines[k] = j;
    for (let p = 0; p < d.lines.length; p++, j++) {
      const l = d.lines[p];
      positions[j] = p + 1;
      sources[j] = l.source;
      labels[j] = l.label;
      cents[j] = l.totalCents;
      details[j] = l.detail;
      if (sourceRules[l.source] === null) {
        sourceIds[l.source] = l.serviceId;
        sourceCodes[l.source] = l.serviceCode;
        sourceRules[l.source] = l.rule;
      }
    }
  }
  firstLines[n] = j;
  phase('rows');
  await repo.insertColumns(
    db,
    'invoices',
    n,
    [
      { name: 'id', type: 'uuid', values: invoiceIds },
      { name: 'member_id', type: 'uuid', values: memberIds },
      { name: 'year', type: 'int', value: year },
      { name: 'number', type: 'text', values: numbers },
      { name: 'sequence', type: 'int', values: sequences },
      { name: 'kind', type: 'text', value: 'invoice' },
      { name: 'call', type: 'int', values: calls },
      { name: 'billing_run_id', type: 'uuid', value: runId },
      { name: 'issued_on', type: 'date', value: today },
      { name: 'due_on', type: 'date', value: dueOn },
      { name: 'total_cents', type: 'int', values: totals },
      { name: 'service_code', type: 'text', values: serviceCodes },
      { name: 'engagement_number', type: 'text', values: engagementNumbers },
      { name: 'operator_name', type: 'text', value: operator.name },
      { name: 'operator_siret', type: 'text', value: operator.siret },
      { name: 'operator_address', type: 'text', value: repo.postalAddress(operator) },
      { name: 'member_name', type: 'text', values: memberNames },
      { name: 'member_siren', type: 'text', values: memberSirens },
      { name: 'member_siret', type: 'text', values: memberSirets },
      { name: 'member_address', type: 'text', values: memberAddresses },
      { name: 'created_by', type: 'uuid', value: options.actorUserId },
    ],
    options.batchSize ?? 10_000,
  );
  phase('insert invoices');
  await repo.insertIssuedLines(
    db,
    {
      invoiceIds,
      memberIds,
      firstLines,
      sources: { serviceIds: sourceIds, serviceCodes: sourceCodes, rules: sourceRules },
      lines: { ids: lineIds, positions, sources, labels, cents, details },
    },
    options.batchSize,
  );
  phase('insert lines');
  await options.beforeCommit?.();
  await repo.finishRun(db, runId);
  result.runId = runId;
  result.firstNumber = repo.invoiceNumber(year, first);
  result.lastNumber = repo.invoiceNumber(year, first + drafts.length - 1);
  result.message = complement
    ? `${drafts.length} factures de l'appel complémentaire émises (${result.firstNumber} à ${result.lastNumber}) pour ${plainSpaces(formatCents(totalCents))}.${overbilled}`
    : `${drafts.length} factures émises (${result.firstNumber} à ${result.lastNumber}) pour ${plainSpaces(formatCents(totalCents))}${alreadyInvoiced ? ` ; ${alreadyInvoiced} structures étaient déjà facturées` : ''}.`;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reading invoices
// ---------------------------------------------------------------------------------------------

const toSummary = (row: {
  id: string;
  number: string;
  memberId: string;
  memberName: string;
  year: number;
  totalCents: number;
  paidCents: number;
  creditedCents: number;
  status: string;
  issuedOn: string;
  dueOn: string;
  kind: string;
  call: number;
}): InvoiceSummary => ({
  id: row.id,
  number: row.number,
  memberId: row.memberId,
  memberName: row.memberName,
  year: row.year,
  totalCents: row.totalCents,
  paidCents: row.paidCents,
  creditedCents: row.creditedCents,
  status: row.status as InvoiceStatus,
  issuedOn: row.issuedOn,
  dueOn: row.dueOn,
  kind: row.kind as InvoiceSummary['kind'],
  call: row.call,
});

export async function listInvoices(db: Executor, query: InvoiceListQuery) {
  const cursor = decodeCursor(query.cursor);
  const { rows, total } = await repo.listInvoices(db, query, query.limit, cursor);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.number, r.id));
  return { items: page.items.map(toSummary), total, nextCursor: page.nextCursor };
}

export const amountDue = (i: {
  kind: string;
  totalCents: number;
  creditedCents: number;
  paidCents: number;
}) => (i.kind === 'invoice' ? Math.max(0, i.totalCents - i.creditedCents - i.paidCents) : 0);

/** `memberId` restricts to that member's invoices (a member's users); null for the operator. */
export async function invoiceDetail(
  db: Executor,
  id: string,
  memberId: string | null,
): Promise<InvoiceDetail> {
  const invoice = await repo.invoiceById(db, id, memberId);
  if (!invoice) throw notFound("Cette facture n'existe pas.");
  const [lines, paid, credits, original] = await Promise.all([
    repo.linesOf(db, invoice.id, invoice.memberId),
    repo.paymentsOf(db, invoice.id, invoice.memberId),
    repo.creditNotesOf(db, invoice.id, invoice.memberId),
    invoice.creditOf ? repo.invoiceById(db, invoice.creditOf, invoice.memberId) : Promise.resolve(null),
  ]);
  return {
    ...toSummary(invoice),
    creditOf: invoice.creditOf,
    creditOfNumber: original?.number ?? null,
    reason: invoice.reason,
    serviceCode: invoice.serviceCode,
    engagementNumber: invoice.engagementNumber,
    operatorName: invoice.operatorName,
    operatorSiret: invoice.operatorSiret,
    memberSiren: invoice.memberSiren,
    memberSiret: invoice.memberSiret,
    dueCents: amountDue(invoice),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      serviceId: l.serviceId,
      serviceCode: l.serviceCode,
      creditOfLineId: l.creditOfLineId,
      label: l.label,
      quantity: l.quantity,
      unitCents: l.unitCents,
      totalCents: l.totalCents,
      explanation: l.explanation,
    })),
    payments: paid.map((p) => ({
      id: p.id,
      paidOn: p.paidOn,
      amountCents: p.amountCents,
      reference: p.reference,
    })),
    creditNotes: credits,
  };
}

// ---------------------------------------------------------------------------------------------
// Credit notes and payments (only the bookkeeping columns of an invoice ever change)
// ---------------------------------------------------------------------------------------------

export function statusOf(totalCents: number, creditedCents: number, paidCents: number): InvoiceStatus {
  const net = totalCents - creditedCents;
  if (net <= 0) return 'cancelled';
  if (paidCents >= net) return 'paid';
  return paidCents > 0 ? 'partly_paid' : 'issued';
}

export async function createCreditNote(
  db: Executor,
  invoiceId: string,
  input: CreditNoteInput,
  actorUserId: string | null,
  today = clock.today(),
): Promise<InvoiceDetail> {
  const invoice = await repo.invoiceForUpdate(db, invoiceId, null);
  if (!invoice) throw notFound("Cette facture n'existe pas.");
  if (invoice.kind !== 'invoice') {
    throw unprocessable('Un avoir ne se corrige pas par un autre avoir : corrigez la facture d’origine.');
  }
  if (invoice.status === 'cancelled') {
    throw unprocessable(`La facture ${invoice.number} est déjà annulée : il n'y a plus rien à créditer.`);
  }
  const lines = await repo.linesOf(db, invoice.id, invoice.memberId);
  const credited = await repo.creditedByLine(db, invoice.id, invoice.memberId);
  const remaining = (lineId: string, total: number) => total - (credited.get(lineId) ?? 0);
  const picks: { line: (typeof lines)[number]; amount: number }[] = [];
  if ('full' in input) {
    for (const line of lines) {
      const amount = remaining(line.id, line.totalCents);
      if (amount > 0) picks.push({ line, amount });
    }
  } else {
    const byId = new Map(lines.map((l) => [l.id, l]));
    const seen = new Set<string>();
    input.lines.forEach((pick, k) => {
      const line = byId.get(pick.lineId);
      const path = `body.lines.${k}`;
      if (!line)
        throw unprocessable('Cette ligne n’appartient pas à la facture.', [
          { path: `${path}.lineId`, message: 'ligne inconnue' },
        ]);
      if (seen.has(line.id))
        throw invalid('Chaque ligne ne peut être citée qu’une fois.', [
          { path: `${path}.lineId`, message: 'ligne en double' },
        ]);
      seen.add(line.id);
      const left = remaining(line.id, line.totalCents);
      const amount = pick.amountCents ?? left;
      if (amount <= 0 || amount > left) {
        throw unprocessable(
          `Le montant à créditer sur « ${line.label} » doit être compris entre 0,01 € et ${plainSpaces(formatCents(left))} (reste non crédité).`,
          [{ path: `${path}.amountCents`, message: 'montant supérieur au reste de la ligne' }],
        );
      }
      picks.push({ line, amount });
    });
  }
  const total = picks.reduce((sum, p) => sum + p.amount, 0);
  if (total === 0) throw unprocessable(`La facture ${invoice.number} est déjà entièrement créditée.`);

  const sequence = await repo.takeNumbers(db, invoice.year, 1);
  const [id] = orderedIds(1);
  await repo.insertColumns(db, 'invoices', 1, [
    { name: 'id', type: 'uuid', value: id },
    { name: 'member_id', type: 'uuid', value: invoice.memberId },
    { name: 'year', type: 'int', value: invoice.year },
    { name: 'number', type: 'text', value: repo.invoiceNumber(invoice.year, sequence) },
    { name: 'sequence', type: 'int', value: sequence },
    { name: 'kind', type: 'text', value: 'credit_note' },
    { name: 'credit_of', type: 'uuid', value: invoice.id },
    { name: 'issued_on', type: 'date', value: today },
    { name: 'due_on', type: 'date', value: today },
    { name: 'total_cents', type: 'int', value: -total },
    { name: 'service_code', type: 'text', value: invoice.serviceCode },
    { name: 'engagement_number', type: 'text', value: invoice.engagementNumber },
    { name: 'reason', type: 'text', value: input.reason },
    { name: 'operator_name', type: 'text', value: invoice.operatorName },
    { name: 'operator_siret', type: 'text', value: invoice.operatorSiret },
    { name: 'operator_address', type: 'text', value: invoice.operatorAddress },
    { name: 'member_name', type: 'text', value: invoice.memberName },
    { name: 'member_siren', type: 'text', value: invoice.memberSiren },
    { name: 'member_siret', type: 'text', value: invoice.memberSiret },
    { name: 'member_address', type: 'text', value: invoice.memberAddress },
    { name: 'created_by', type: 'uuid', value: actorUserId },
  ]);
  await repo.insertColumns(db, 'invoice_lines', picks.length, [
    { name: 'id', type: 'uuid', values: orderedIds(picks.length) },
    { name: 'invoice_id', type: 'uuid', value: id },
    { name: 'member_id', type: 'uuid', value: invoice.memberId },
    { name: 'position', type: 'int', values: picks.map((_, k) => k + 1) },
    { name: 'service_id', type: 'uuid', values: picks.map((p) => p.line.serviceId) },
    { name: 'service_code', type: 'text', values: picks.map((p) => p.line.serviceCode) },
    { name: 'credit_of_line_id', type: 'uuid', values: picks.map((p) => p.line.id) },
    { name: 'label', type: 'text', values: picks.map((p) => `Avoir sur « ${p.line.label} »`) },
    { name: 'quantity', type: 'int', value: 1 },
    { name: 'unit_cents', type: 'int', values: picks.map((p) => -p.amount) },
    { name: 'total_cents', type: 'int', values: picks.map((p) => -p.amount) },
    {
      name: 'explanation',
      type: 'text',
      values: picks.map(
        (p) => `Facture ${invoice.number}, ligne ${p.line.position}. Motif : ${input.reason}`,
      ),
    },
  ]);
  const creditedCents = invoice.creditedCents + total;
  await repo.updateBookkeeping(db, invoice.id, {
    creditedCents,
    paidCents: invoice.paidCents,
    status: statusOf(invoice.totalCents, creditedCents, invoice.paidCents),
  });
  return invoiceDetail(db, id, invoice.memberId);
}

export async function recordPayment(
  db: Executor,
  invoiceId: string,
  input: Required<PaymentInput>,
  actorUserId: string | null,
): Promise<InvoiceDetail> {
  const invoice = await repo.invoiceForUpdate(db, invoiceId, null);
  if (!invoice) throw notFound("Cette facture n'existe pas.");
  checkPayable(invoice, input.amountCents, 'body.amountCents');
  await repo.insertPayment(db, {
    invoiceId: invoice.id,
    memberId: invoice.memberId,
    paidOn: input.paidOn,
    amountCents: input.amountCents,
    reference: input.reference,
    actorUserId,
  });
  const paidCents = invoice.paidCents + input.amountCents;
  await repo.updateBookkeeping(db, invoice.id, {
    paidCents,
    creditedCents: invoice.creditedCents,
    status: statusOf(invoice.totalCents, invoice.creditedCents, paidCents),
  });
  return invoiceDetail(db, invoice.id, invoice.memberId);
}

/** Throws when `amount` cannot be paid on this invoice; returns nothing otherwise. */
export function checkPayable(invoice: repo.InvoiceRow, amountCents: number, path: string): void {
  if (invoice.kind !== 'invoice') {
    throw unprocessable(`${invoice.number} est un avoir : on n'enregistre de paiement que sur une facture.`, [
      { path, message: 'pièce non payable' },
    ]);
  }
  if (invoice.status === 'cancelled') {
    throw unprocessable(`La facture ${invoice.number} est annulée : aucun paiement n'est attendu.`, [
      { path, message: 'facture annulée' },
    ]);
  }
  const due = amountDue(invoice);
  if (amountCents > due) {
    throw unprocessable(
      `Le paiement (${plainSpaces(formatCents(amountCents))}) dépasse le reste à payer de la facture ${invoice.number} (${plainSpaces(formatCents(due))}).`,
      [{ path, message: 'montant supérieur au reste à payer' }],
    );
  }
}
