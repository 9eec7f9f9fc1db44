/**
 * Credit notes (avoirs): partial, line by line, or full (the invoice is then cancelled). A credit note
 * takes the next number of its invoice's year and snapshots the invoice's parties.
 */
import type { CreditNoteInput, InvoiceDetail } from '../../../contracts/billing.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import * as clock from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, notFound, unprocessable } from '../../platform/errors.js';
import { insertColumns } from './billing.bulk.js';
import { euros } from './billing.format.js';
import { orderedIds } from './billing.ids.js';
import { invoiceDetail, statusOf } from './billing.invoices.js';
import * as repo from './billing.repository.js';

/**
 * Issues a credit note on `invoiceId` (an invoice, not cancelled) and records it in the audit log;
 * returns the credit note.
 */
export async function createCreditNote(
  db: Executor,
  invoiceId: string,
  input: CreditNoteInput,
  source: AuditSource,
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
          `Le montant à créditer sur « ${line.label} » doit être compris entre 0,01 € et ${euros(left)} (reste non crédité).`,
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
  await insertColumns(db, 'invoices', 1, [
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
    { name: 'created_by', type: 'uuid', value: source.actorUserId },
  ]);
  await insertColumns(db, 'invoice_lines', picks.length, [
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
  await recordAudit(db, {
    action: 'billing.credit_note_issued',
    ...source,
    memberId: invoice.memberId,
    targetType: 'invoice',
    targetId: id,
    details: { creditOf: invoice.id, totalCents: -total },
  });
  return invoiceDetail(db, id, invoice.memberId);
}
