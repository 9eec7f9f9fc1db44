import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { MEMBER_KIND_LABELS } from '../../../contracts/members.js';
import { SUBSCRIPTION_STATUS_LABELS } from '../../../contracts/subscriptions.js';
import type { subscriberExport } from './subscriptions.service.js';

type Export = Awaited<ReturnType<typeof subscriberExport>>;
type ExportRow = Export['rows'][number];

/** French column names, in order, and how each is read from a row. */
function columns(unitLabel: string | null) {
  const list: { header: string; width: number; value: (row: ExportRow) => string | number | null }[] = [
    { header: 'Structure', width: 40, value: (r) => r.memberName },
    { header: 'Type', width: 24, value: (r) => MEMBER_KIND_LABELS[r.kind] ?? r.kind },
    { header: 'SIREN', width: 12, value: (r) => r.siren },
    { header: 'SIRET', width: 16, value: (r) => r.siret },
    { header: 'Département', width: 8, value: (r) => r.departementCode },
    { header: 'Population', width: 12, value: (r) => r.population },
    { header: 'Statut', width: 22, value: (r) => SUBSCRIPTION_STATUS_LABELS[r.status] ?? r.status },
    { header: 'Demandée le', width: 12, value: (r) => r.requestedOn },
    { header: 'Début', width: 12, value: (r) => r.startDate },
    { header: 'Fin', width: 12, value: (r) => r.endDate },
  ];
  if (unitLabel) list.push({ header: `Nombre de ${unitLabel}`, width: 14, value: (r) => r.units });
  list.push(
    { header: 'Identifiant structure', width: 38, value: (r) => r.memberId },
    { header: 'Identifiant souscription', width: 38, value: (r) => r.subscriptionId },
  );
  return list;
}

/** UTF-8 with a BOM, `;` and CRLF, like the members export: opens in Excel (French locale). */
export function subscribersCsv({ service, rows }: Export): Buffer {
  const cols = columns(service.unitLabel);
  const text = stringify(
    rows.map((row) => cols.map((c) => c.value(row) ?? '')),
    {
      bom: true,
      delimiter: ';',
      record_delimiter: 'windows',
      header: true,
      columns: cols.map((c) => c.header),
    },
  );
  return Buffer.from(text, 'utf8');
}

export async function subscribersXlsx({ service, rows }: Export): Promise<Buffer> {
  const cols = columns(service.unitLabel);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Socle';
  const sheet = workbook.addWorksheet('Souscripteurs', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = cols.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(cols.map((c) => c.value(row)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
