/**
 * Payments imported from the treasury's CSV (`numéro;date;montant;référence`): every line is checked
 * first; the file is recorded whole or not at all.
 */
import type { PaymentImportReport } from '../../../contracts/billing.js';
import { searchKey } from '../../../contracts/search.js';
import { CsvFileError, parseCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import * as repo from './billing.repository.js';
import { amountDue, statusOf } from './billing.service.js';

type Field = 'number' | 'date' | 'amount' | 'reference';
const HEADERS: Record<Field, string[]> = {
  number: ['numero', 'numero de facture', 'facture', 'n facture', 'numero facture'],
  date: ['date', 'date de paiement', 'date paiement', 'date de reglement'],
  amount: ['montant', 'montant paye', 'montant regle', 'montant en euros'],
  reference: ['reference', 'ref', 'reference du paiement', 'libelle'],
};
const FIELD_OF = new Map<string, Field>(
  Object.entries(HEADERS).flatMap(([field, names]) => names.map((n) => [n, field as Field])),
);
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

export type PaymentImportOutcome =
  | { kind: 'report'; report: PaymentImportReport }
  | { kind: 'refused'; report: PaymentImportReport }
  | { kind: 'recorded'; report: PaymentImportReport };

export async function importPayments(
  db: Executor,
  bytes: Uint8Array,
  options: { dryRun: boolean; actorUserId: string | null },
): Promise<PaymentImportOutcome> {
  const report: PaymentImportReport = {
    dryRun: options.dryRun,
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
    return { kind: options.dryRun ? 'report' : 'refused', report };
  }
  const columns = new Map<Field, number>();
  parsed.headers.forEach((h, i) => {
    const field = FIELD_OF.get(searchKey(h));
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const missing = (['number', 'date', 'amount'] as Field[]).filter((f) => !columns.has(f));
  if (missing.length) {
    report.errors.push({
      line: 1,
      path: 'ligne 1',
      message: `Colonne(s) manquante(s) : ${missing.map((f) => LABEL[f]).join(', ')}. En-tête attendu : numéro;date;montant;référence.`,
    });
    return { kind: options.dryRun ? 'report' : 'refused', report };
  }
  const cell = (cells: string[], f: Field) => (columns.has(f) ? (cells[columns.get(f)!] ?? '').trim() : '');
  report.totalLines = parsed.rows.length;

  const numbers = [...new Set(parsed.rows.map((r) => cell(r.cells, 'number')).filter(Boolean))];
  const invoices = new Map(
    (await repo.invoicesByNumbers(db, numbers, !options.dryRun)).map((i) => [i.number, i]),
  );
  const existing = await repo.existingPayments(
    db,
    [...invoices.values()].map((i) => i.id),
  );
  const known = new Set(existing.map((p) => `${p.invoiceId}|${p.paidOn}|${p.amountCents}|${p.reference}`));
  const inFile = new Map<string, number>();

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
        const already = inFile.get(invoice.id) ?? 0;
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
      inFile.set(invoice.id, (inFile.get(invoice.id) ?? 0) + amountCents);
      known.add(`${invoice.id}|${paidOn}|${amountCents}|${reference}`);
      report.validLines++;
      report.payments.push({ line: row.line, number, invoiceId: invoice.id, paidOn, amountCents, reference });
    }
  }
  if (report.totalLines === 0) {
    report.errors.push({ line: 2, path: 'ligne 2', message: 'Le fichier ne contient aucun paiement.' });
  }
  if (options.dryRun) return { kind: 'report', report };
  if (report.errors.length) return { kind: 'refused', report };

  for (const p of report.payments) {
    await repo.insertPayment(db, {
      invoiceId: p.invoiceId,
      memberId: invoices.get(p.number)!.memberId,
      paidOn: p.paidOn,
      amountCents: p.amountCents,
      reference: p.reference,
      actorUserId: options.actorUserId,
    });
  }
  const byId = new Map([...invoices.values()].map((i) => [i.id, i]));
  for (const [invoiceId, amount] of inFile) {
    const invoice = byId.get(invoiceId)!;
    const paidCents = invoice.paidCents + amount;
    await repo.updateBookkeeping(db, invoice.id, {
      paidCents,
      creditedCents: invoice.creditedCents,
      status: statusOf(invoice.totalCents, invoice.creditedCents, paidCents),
    });
  }
  report.recorded = report.payments.length;
  return { kind: 'recorded', report };
}
