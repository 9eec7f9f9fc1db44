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
import type { Executor } from '../../platform/db/client.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { badRequest, conflict, notFound, unprocessable } from '../../platform/http/problem.js';
import { todayInFrance } from '../members/members.import.js';
import { describeRule, formatCents } from '../pricing/engine/index.js';
import { assertPriced, type YearModel } from '../pricing/pricing.model.js';
import * as repo from './billing.repository.js';

export const DEFAULT_PAYMENT_DAYS = 30;

export interface DraftLine {
  serviceId: string | null;
  serviceCode: string | null;
  label: string;
  totalCents: number;
  explanation: string;
}

export interface Draft {
  memberId: string;
  memberName: string;
  totalCents: number;
  lines: DraftLine[];
}

/** 12345 → "12 345" (what Intl gives, with a plain space, at a fraction of its cost per line). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
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
  for (const s of services) {
    assertPriced(s);
    const allocation = s.allocation;
    if (!allocation) continue;
    const ruleText = plainSpaces(describeRule(s.pool.rule));
    const { shareCents, months, population, units } = allocation.shares;
    const perUnit = s.pool.rule.kind === 'units';
    const byPopulation = s.pool.rule.kind !== 'equal' && !perUnit;
    for (let m = 0; m < members.length; m++) {
      const i = s.positions[m];
      if (i < 0) continue;
      let explanation = '';
      if (withExplanations) {
        explanation = `Règle : ${ruleText}.`;
        if (byPopulation) explanation += ` Population : ${thousands(population[i])} habitants.`;
        if (perUnit) explanation += ` Unités déclarées : ${thousands(Math.max(0, units[i]))}.`;
        if (months[i] < 12) explanation += ` Prorata : ${months[i]}/12.`;
      }
      push(m, {
        serviceId: s.pool.serviceId,
        serviceCode: s.pool.serviceCode,
        label: months[i] < 12 ? `${s.pool.serviceName} (${months[i]} mois)` : s.pool.serviceName,
        totalCents: shareCents[i],
        explanation,
      });
    }
  }
  if (fee?.allocation) {
    const ruleText = plainSpaces(describeRule(fee.rule));
    const { shareCents, population } = fee.allocation.shares;
    for (let m = 0; m < members.length; m++) {
      const i = fee.positions[m];
      if (i < 0) continue;
      push(m, {
        serviceId: null,
        serviceCode: null,
        label: `Cotisation d'adhésion ${year}`,
        totalCents: shareCents[i],
        explanation: withExplanations
          ? `Règle : ${ruleText}. Population : ${thousands(population[i])} habitants.`
          : '',
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
  dueOn?: string;
  engagementNumbers?: Record<string, string>;
  serviceCodes?: Record<string, string>;
  previewLimit: number;
  actorUserId: string | null;
  /** Issue date; today in France by default. */
  today?: string;
  /** Test seam: runs after every row is written, before the commit. */
  beforeCommit?: () => Promise<void>;
}

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
          name: l.serviceId ? l.label.replace(/ \(\d+ mois\)$/, '') : l.label,
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
  const today = options.today ?? todayInFrance();
  const dueOn =
    options.dueOn ?? formatISO(addDays(parseISO(today), DEFAULT_PAYMENT_DAYS), { representation: 'date' });
  if (dueOn < today) {
    throw badRequest("La date d'échéance ne peut pas précéder la date d'émission.", [
      { path: 'body.dueOn', message: `date postérieure au ${today} attendue` },
    ]);
  }
  if (mode === 'issue' && !(await repo.tryLockIssuing(db, year))) {
    throw conflict(
      `Une émission des factures ${year} est déjà en cours : attendez qu'elle se termine, puis relancez (elle ne créera que les factures manquantes).`,
    );
  }
  const invoiced = await repo.invoicedMembers(db, year);
  const all = buildDrafts(model, mode === 'issue');
  const drafts = invoiced.size ? all.filter((d) => !invoiced.has(d.memberId)) : all;
  const alreadyInvoiced = all.length - drafts.length;
  const { totalCents, services } = summarise(drafts);
  const result: BillingRunResult = {
    mode,
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
    message: '',
  };
  if (drafts.length === 0) {
    result.message =
      alreadyInvoiced > 0
        ? `Aucune nouvelle facture : les ${alreadyInvoiced} structures redevables ont déjà été facturées pour ${year}.`
        : `Aucune facture à émettre pour ${year} : aucun montant à répartir, aucun abonné ni cotisation.`;
    return result;
  }
  if (mode === 'preview') {
    result.message = `Aperçu : ${drafts.length} factures pour ${plainSpaces(formatCents(totalCents))}${alreadyInvoiced ? ` (${alreadyInvoiced} structures déjà facturées)` : ''}. Rien n'a été enregistré.`;
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
  const first = await repo.takeNumbers(db, year, drafts.length);
  const runId = crypto.randomUUID();
  await repo.insertRun(db, {
    id: runId,
    year,
    period: `Contribution ${year}`,
    kind: 'issue',
    status: 'completed',
    actorUserId: options.actorUserId,
    invoiceCount: drafts.length,
    totalCents,
  });
  const operatorAddress = repo.postalAddress(operator);
  const invoiceRows: Record<string, unknown>[] = [];
  const lineRows: Record<string, unknown>[] = [];
  drafts.forEach((d, k) => {
    const id = crypto.randomUUID();
    const party = parties.get(d.memberId)!;
    invoiceRows.push({
      id,
      member_id: d.memberId,
      year,
      number: repo.invoiceNumber(year, first + k),
      sequence: first + k,
      kind: 'invoice',
      billing_run_id: runId,
      issued_on: today,
      due_on: dueOn,
      total_cents: d.totalCents,
      service_code: options.serviceCodes?.[d.memberId] ?? null,
      engagement_number: options.engagementNumbers?.[d.memberId] ?? null,
      operator_name: operator.name,
      operator_siret: operator.siret,
      operator_address: operatorAddress,
      member_name: party.name,
      member_siren: party.siren,
      member_siret: party.siret,
      member_address: party.address,
      created_by: options.actorUserId,
    });
    d.lines.forEach((l, position) => {
      lineRows.push({
        invoice_id: id,
        member_id: d.memberId,
        position: position + 1,
        service_id: l.serviceId,
        service_code: l.serviceCode,
        label: l.label,
        quantity: 1,
        unit_cents: l.totalCents,
        total_cents: l.totalCents,
        explanation: l.explanation,
      });
    });
  });
  await repo.insertJson(
    db,
    'invoices',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['year', 'int'],
      ['number', 'text'],
      ['sequence', 'int'],
      ['kind', 'text'],
      ['billing_run_id', 'uuid'],
      ['issued_on', 'date'],
      ['due_on', 'date'],
      ['total_cents', 'int'],
      ['service_code', 'text'],
      ['engagement_number', 'text'],
      ['operator_name', 'text'],
      ['operator_siret', 'text'],
      ['operator_address', 'text'],
      ['member_name', 'text'],
      ['member_siren', 'text'],
      ['member_siret', 'text'],
      ['member_address', 'text'],
      ['created_by', 'uuid'],
    ],
    invoiceRows,
  );
  await repo.insertJson(
    db,
    'invoice_lines',
    [
      ['invoice_id', 'uuid'],
      ['member_id', 'uuid'],
      ['position', 'int'],
      ['service_id', 'uuid'],
      ['service_code', 'text'],
      ['label', 'text'],
      ['quantity', 'int'],
      ['unit_cents', 'int'],
      ['total_cents', 'int'],
      ['explanation', 'text'],
    ],
    lineRows,
    20_000,
  );
  await options.beforeCommit?.();
  await repo.finishRun(db, runId);
  result.runId = runId;
  result.firstNumber = repo.invoiceNumber(year, first);
  result.lastNumber = repo.invoiceNumber(year, first + drafts.length - 1);
  result.message = `${drafts.length} factures émises (${result.firstNumber} à ${result.lastNumber}) pour ${plainSpaces(formatCents(totalCents))}${alreadyInvoiced ? ` ; ${alreadyInvoiced} structures étaient déjà facturées` : ''}.`;
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
  today = todayInFrance(),
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
        throw badRequest('Chaque ligne ne peut être citée qu’une fois.', [
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
  const id = crypto.randomUUID();
  await repo.insertJson(
    db,
    'invoices',
    [
      ['id', 'uuid'],
      ['member_id', 'uuid'],
      ['year', 'int'],
      ['number', 'text'],
      ['sequence', 'int'],
      ['kind', 'text'],
      ['credit_of', 'uuid'],
      ['issued_on', 'date'],
      ['due_on', 'date'],
      ['total_cents', 'int'],
      ['service_code', 'text'],
      ['engagement_number', 'text'],
      ['reason', 'text'],
      ['operator_name', 'text'],
      ['operator_siret', 'text'],
      ['operator_address', 'text'],
      ['member_name', 'text'],
      ['member_siren', 'text'],
      ['member_siret', 'text'],
      ['member_address', 'text'],
      ['created_by', 'uuid'],
    ],
    [
      {
        id,
        member_id: invoice.memberId,
        year: invoice.year,
        number: repo.invoiceNumber(invoice.year, sequence),
        sequence,
        kind: 'credit_note',
        credit_of: invoice.id,
        issued_on: today,
        due_on: today,
        total_cents: -total,
        service_code: invoice.serviceCode,
        engagement_number: invoice.engagementNumber,
        reason: input.reason,
        operator_name: invoice.operatorName,
        operator_siret: invoice.operatorSiret,
        operator_address: invoice.operatorAddress,
        member_name: invoice.memberName,
        member_siren: invoice.memberSiren,
        member_siret: invoice.memberSiret,
        member_address: invoice.memberAddress,
        created_by: actorUserId,
      },
    ],
  );
  await repo.insertJson(
    db,
    'invoice_lines',
    [
      ['invoice_id', 'uuid'],
      ['member_id', 'uuid'],
      ['position', 'int'],
      ['service_id', 'uuid'],
      ['service_code', 'text'],
      ['credit_of_line_id', 'uuid'],
      ['label', 'text'],
      ['quantity', 'int'],
      ['unit_cents', 'int'],
      ['total_cents', 'int'],
      ['explanation', 'text'],
    ],
    picks.map((p, k) => ({
      invoice_id: id,
      member_id: invoice.memberId,
      position: k + 1,
      service_id: p.line.serviceId,
      service_code: p.line.serviceCode,
      credit_of_line_id: p.line.id,
      label: `Avoir sur « ${p.line.label} »`,
      quantity: 1,
      unit_cents: -p.amount,
      total_cents: -p.amount,
      explanation: `Facture ${invoice.number}, ligne ${p.line.position}. Motif : ${input.reason}`,
    })),
  );
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
