import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import {
  INVOICE_KIND_LABELS,
  INVOICE_STATUS_LABELS,
  type InvoiceKind,
  type InvoiceStatus,
} from '../../../contracts/billing.js';
import type { exportRows } from './billing.repository.js';

type ExportRow = Awaited<ReturnType<typeof exportRows>>[number];

const euros = (cents: number) => Number(cents) / 100;

/** One row per invoice line, with its invoice's fields repeated: what accounting tools import. */
const COLUMNS: { header: string; width: number; value: (row: ExportRow) => string | number | null }[] = [
  { header: 'Numéro', width: 16, value: (r) => r.number },
  { header: 'Type', width: 9, value: (r) => INVOICE_KIND_LABELS[r.kind as InvoiceKind] ?? r.kind },
  { header: 'Exercice', width: 9, value: (r) => Number(r.year) },
  { header: "Date d'émission", width: 13, value: (r) => r.issued_on },
  { header: "Date d'échéance", width: 13, value: (r) => r.due_on },
  { header: 'Statut', width: 18, value: (r) => INVOICE_STATUS_LABELS[r.status as InvoiceStatus] ?? r.status },
  { header: 'Structure', width: 36, value: (r) => r.member_name },
  { header: 'SIREN', width: 11, value: (r) => r.member_siren },
  { header: 'SIRET', width: 16, value: (r) => r.member_siret },
  { header: 'Code service (Chorus Pro)', width: 14, value: (r) => r.service_code },
  { header: "N° d'engagement", width: 14, value: (r) => r.engagement_number },
  { header: 'Facture corrigée', width: 16, value: (r) => r.credit_of_number },
  { header: 'Ligne', width: 6, value: (r) => Number(r.position) },
  { header: 'Code prestation', width: 16, value: (r) => r.line_service_code ?? 'COTISATION' },
  { header: 'Désignation', width: 40, value: (r) => r.label },
  { header: 'Montant ligne (€)', width: 14, value: (r) => euros(r.line_total) },
  { header: 'Total pièce (€)', width: 14, value: (r) => euros(r.invoice_total) },
  { header: 'Crédité (€)', width: 12, value: (r) => euros(r.credited_cents) },
  { header: 'Payé (€)', width: 12, value: (r) => euros(r.paid_cents) },
];

const frenchDecimal = (value: string | number | null) =>
  typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2).replace('.', ',') : (value ?? '');

/** UTF-8 with BOM, `;`, CRLF and decimal commas: opens as-is in a French spreadsheet. */
export function invoicesCsv(rows: ExportRow[]): Buffer {
  const text = stringify(
    rows.map((row) =>
      COLUMNS.map((c) => {
        const v = c.value(row);
        return c.header.includes('(€)') && typeof v === 'number'
          ? v.toFixed(2).replace('.', ',')
          : frenchDecimal(v);
      }),
    ),
    {
      bom: true,
      delimiter: ';',
      record_delimiter: 'windows',
      header: true,
      columns: COLUMNS.map((c) => c.header),
    },
  );
  return Buffer.from(text, 'utf8');
}

export async function invoicesXlsx(rows: ExportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Socle';
  const sheet = workbook.addWorksheet('Factures et lignes', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  COLUMNS.forEach((c, i) => {
    if (c.header.includes('(€)')) sheet.getColumn(i + 1).numFmt = '#,##0.00';
  });
  for (const row of rows) sheet.addRow(COLUMNS.map((c) => c.value(row)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
