import { INVOICE_KIND_LABELS, INVOICE_STATUS_LABELS } from '../../../contracts/billing.js';
import type { Column, Sheet } from '../../platform/export/spreadsheet.js';
import type { exportRows } from './billing.repository.js';

type ExportRow = Awaited<ReturnType<typeof exportRows>>[number];

const euros = (cents: number) => Number(cents) / 100;

/** One row per invoice line, with its invoice's fields repeated: what accounting tools import. */
const COLUMNS: Column<ExportRow>[] = [
  { header: 'Numéro', width: 16, value: (r) => r.number },
  { header: 'Type', width: 9, value: (r) => INVOICE_KIND_LABELS[r.kind] },
  { header: 'Exercice', width: 9, value: (r) => Number(r.year) },
  { header: "Date d'émission", width: 13, value: (r) => r.issued_on },
  { header: "Date d'échéance", width: 13, value: (r) => r.due_on },
  { header: 'Statut', width: 18, value: (r) => INVOICE_STATUS_LABELS[r.status] },
  { header: 'Structure', width: 36, value: (r) => r.member_name },
  { header: 'SIREN', width: 11, value: (r) => r.member_siren },
  { header: 'SIRET', width: 16, value: (r) => r.member_siret },
  { header: 'Code service (Chorus Pro)', width: 14, value: (r) => r.service_code },
  { header: "N° d'engagement", width: 14, value: (r) => r.engagement_number },
  { header: 'Facture corrigée', width: 16, value: (r) => r.credit_of_number },
  { header: 'Ligne', width: 6, value: (r) => Number(r.position) },
  { header: 'Code prestation', width: 16, value: (r) => r.line_service_code ?? 'COTISATION' },
  { header: 'Désignation', width: 40, value: (r) => r.label },
  { header: 'Montant ligne (€)', width: 14, decimals: 2, value: (r) => euros(r.line_total) },
  { header: 'Total pièce (€)', width: 14, decimals: 2, value: (r) => euros(r.invoice_total) },
  { header: 'Crédité (€)', width: 12, decimals: 2, value: (r) => euros(r.credited_cents) },
  { header: 'Payé (€)', width: 12, decimals: 2, value: (r) => euros(r.paid_cents) },
];

/** Amounts with a decimal comma in CSV and a `#,##0.00` format in XLSX: as-is in a French spreadsheet. */
export const INVOICES_SHEET: Sheet<ExportRow> = { name: 'Factures et lignes', columns: COLUMNS };
