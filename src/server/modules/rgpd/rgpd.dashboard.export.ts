import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { MEMBER_KIND_LABELS, type MemberKind } from '../../../contracts/members.js';
import type { DashboardMember } from '../../../contracts/rgpd-cases.js';

/** French column names, in order, and how each is read from a dashboard row. */
const COLUMNS: { header: string; width: number; value: (row: DashboardMember) => string | number | null }[] =
  [
    { header: 'Structure', width: 40, value: (r) => r.name },
    { header: 'Type', width: 24, value: (r) => MEMBER_KIND_LABELS[r.kind as MemberKind] ?? r.kind },
    { header: 'Département', width: 12, value: (r) => r.departementCode },
    { header: 'Traitements', width: 12, value: (r) => r.processings },
    { header: 'Complétude du registre (%)', width: 14, value: (r) => r.completion },
    { header: 'Revues à faire', width: 12, value: (r) => r.reviewDue },
    { header: 'AIPD requises non faites', width: 14, value: (r) => r.dpiaToDo },
    { header: 'Demandes en cours', width: 12, value: (r) => r.openRequests },
    { header: 'Demandes en retard', width: 12, value: (r) => r.overdueRequests },
    { header: 'Prochaine échéance', width: 14, value: (r) => r.nextDueOn },
    { header: 'Violations à notifier (72 h)', width: 14, value: (r) => r.breachesInWindow },
    { header: 'Référent RGPD', width: 10, value: (r) => (r.hasReferent ? 'oui' : 'non') },
    { header: 'Identifiant Socle', width: 38, value: (r) => r.memberId },
  ];

/** UTF-8 with a BOM, `;` and CRLF: what Excel (French locale) and LibreOffice open with a double click. */
export function dashboardCsv(rows: DashboardMember[]): Buffer {
  const text = stringify(
    rows.map((row) => COLUMNS.map((c) => c.value(row) ?? '')),
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

export async function dashboardXlsx(rows: DashboardMember[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Socle';
  const sheet = workbook.addWorksheet('Tableau de bord RGPD', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(COLUMNS.map((c) => c.value(row)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
