/**
 * Payments imported from the treasury's CSV (`numéro;date;montant;référence`): every line is checked
 * first; the file is recorded whole or not at all.
 */
import type { PaymentImportReport } from '../../../contracts/billing.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { CsvFileError, parseCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors.js';
import { emitIfPaid } from './billing.events.js';
import { amountDue, statusOf } from './billing.invoices.js';
import * as repo from './billing.repository.js';

const FIELDS = ['number', 'date', 'amount', 'reference'] as const;
type Field = (typeof FIELDS)[number];
const REQUIRED: Field[] = ['number', 'date', 'amount'];
const HEADERS: Record<Field, string[]> = {
  number: ['numero', 'numero de facture', 'facture', 'n facture', 'numero facture'],
  date: ['date', 'date de paiement', 'date paiement', 'date de reglement'],
  amount: ['montant', 'montant paye', 'montant regle', 'montant en euros'],
  reference: ['reference', 'ref', 'reference du paiement', 'libelle'],
};
const FIELD_OF = new Map<string, Field>(FIELDS.flatMap((field) => HEADERS[field].map((n) => [n, field])));
const LABEL: Record<Field, string> = {
  number: 'numéro',
  date: 'date',
  amount: 'montant',
  reference: 'référence',
};

/** "15/03/2026" or "2026-03-15" → "2026-03-15"; null when it is not a real date. */
export function parseFrenchDate(value: string): string | null {
  const v = value.trim();
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const parts = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : null;
  if (!parts) return null;
  const [y, m, d] = parts;
  const text = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : text;
}

/** "1 234,56", "1234.56", "1 234,56 €" → 123456 cents; null when it is not an amount. */
export function parseAmountCents(value: string): number | null {
  const v = value.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/**
 * Checks every line of the file; unless `dryRun`, records the payments and the import in the audit log.
 * A file with errors records nothing: 422 with the report (a dry run just returns it).
 */
export async function importPayments(
  db: Executor,
  bytes: Uint8Array,
  dryRun: boolean,
  source: AuditSource,
): Promise<PaymentImportReport> {
  const report: PaymentImportReport = {
    dryRun,
    totalLines: 0,
    validLines: 0,
    errors: [],
    payments: [],
    recorded: 0,
  };
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    report.errors.push({ line: error.line, path: `ligne ${error.line}`, message: error.message });
    return dryRun ? report : refuse(report);
  }
  const columns = new Map<Field, number>();
  parsed.headers.forEach((h, i) => {
    const field = FIELD_OF.get(searchKey(h));
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length) {
    report.errors.push({
      line: 1,
      path: 'ligne 1',
      message: `Colonne(s) manquante(s) : ${missing.map((f) => LABEL[f]).join(', ')}. En-tête attendu : numéro;date;montant;référence.`,
    });
    return dryRun ? report : refuse(report);
  }
  const cell = (cells: string[], f: Field) => {
    const column = columns.get(f);
    return column === undefined ? '' : (cells[column] ?? '').trim();
  };
  report.totalLines = parsed.rows.length;

  const numbers = [...new Set(parsed.rows.map((r) => cell(r.cells, 'number')).filter(Boolean))];
  const invoices = new Map((await repo.invoicesByNumbers(db, numbers, !dryRun)).map((i) => [i.number, i]));
  const existing = await repo.existingPayments(
    db,
    [...invoices.values()].map((i) => i.id),
  );
  const known = new Set(existing.map((p) => `${p.invoiceId}|${p.paidOn}|${p.amountCents}|${p.reference}`));
  /** What the file pays per invoice, in its valid lines. */
  const inFile = new Map<string, { invoice: repo.InvoiceRow; cents: number }>();
  /** The valid lines' payments, with the member of their invoice. */
  const accepted: { memberId: string; payment: PaymentImportReport['payments'][number] }[] = [];

  for (const row of parsed.rows) {
    const errorsBefore = report.errors.length;
    const fail = (field: Field, message: string) =>
      report.errors.push({ line: row.line, path: `ligne ${row.line} / ${LABEL[field]}`, message });
    const number = cell(row.cells, 'number');
    const paidOn = parseFrenchDate(cell(row.cells, 'date'));
    const amountCents = parseAmountCents(cell(row.cells, 'amount'));
    const reference = cell(row.cells, 'reference').slice(0, 140);
    const invoice = invoices.get(number);
    if (!number) fail('number', 'numéro de facture manquant');
    else if (!invoice) fail('number', `aucune facture ne porte le numéro « ${number} »`);
    if (!paidOn) fail('date', 'date invalide : JJ/MM/AAAA attendu, par exemple 15/03/2026');
    if (amountCents === null || amountCents === 0) {
      fail('amount', 'montant invalide : un montant positif en euros est attendu, par exemple 1 234,56');
    }
    if (invoice && amountCents) {
      if (invoice.kind !== 'invoice') fail('number', `${number} est un avoir, pas une facture`);
      else if (invoice.status === 'cancelled') fail('number', `la facture ${number} est annulée`);
      else {
        const already = inFile.get(invoice.id)?.cents ?? 0;
        const due = amountDue(invoice) - already;
        if (amountCents > due) {
          fail(
            'amount',
            `le montant dépasse le reste à payer de la facture (${(due / 100).toFixed(2).replace('.', ',')} €)`,
          );
        }
      }
      if (paidOn && known.has(`${invoice.id}|${paidOn}|${amountCents}|${reference}`)) {
        fail('reference', 'ce paiement est déjà enregistré (même facture, date, montant et référence)');
      }
    }
    if (report.errors.length === errorsBefore && invoice && paidOn && amountCents) {
      inFile.set(invoice.id, { invoice, cents: (inFile.get(invoice.id)?.cents ?? 0) + amountCents });
      known.add(`${invoice.id}|${paidOn}|${amountCents}|${reference}`);
      report.validLines++;
      const payment = { line: row.line, number, invoiceId: invoice.id, paidOn, amountCents, reference };
      report.payments.push(payment);
      accepted.push({ memberId: invoice.memberId, payment });
    }
  }
  if (report.totalLines === 0) {
    report.errors.push({ line: 2, path: 'ligne 2', message: 'Le fichier ne contient aucun paiement.' });
  }
  if (dryRun) return report;
  if (report.errors.length) return refuse(report);

  for (const { memberId, payment: p } of accepted) {
    await repo.insertPayment(db, {
      invoiceId: p.invoiceId,
      memberId,
      paidOn: p.paidOn,
      amountCents: p.amountCents,
      reference: p.reference,
      actorUserId: source.actorUserId,
    });
  }
  for (const { invoice, cents } of inFile.values()) {
    const paidCents = invoice.paidCents + cents;
    const status = statusOf(invoice.totalCents, invoice.creditedCents, paidCents);
    await repo.updateBookkeeping(db, invoice.id, { paidCents, creditedCents: invoice.creditedCents, status });
    await emitIfPaid(db, invoice, status);
  }
  report.recorded = report.payments.length;
  await recordAudit(db, {
    action: 'billing.payments_imported',
    ...source,
    details: { recorded: report.recorded },
  });
  return report;
}

/** Nothing is recorded: 422, with the report of every error for the person to fix the file. */
function refuse(report: PaymentImportReport): never {
  throw new DomainError(
    'unprocessable',
    'Import refusé',
    `Aucun paiement n'a été enregistré : le fichier comporte ${report.errors.length} erreur(s). Corrigez-les puis importez à nouveau le fichier.`,
    undefined,
    { ...report },
  );
}
