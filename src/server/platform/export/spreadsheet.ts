import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import { sendDownload } from '../http/download.js';

/** One exported column: its French header, its width in XLSX, and how a row gives its value. */
export interface Column<Row> {
  header: string;
  width: number;
  value: (row: Row) => string | number | null | undefined;
  /** Fixed decimals for amounts: a decimal comma in CSV, a `#,##0.00`-like number format in XLSX. */
  decimals?: number;
}

/** What a download holds besides its rows: the XLSX sheet's name and the columns of both formats. */
export interface Sheet<Row> {
  name: string;
  columns: Column<Row>[];
  /** Columns kept in view when scrolling sideways in XLSX (the header row always is). */
  frozenColumns?: number;
}

export type SpreadsheetFormat = 'csv' | 'xlsx';

/** What makes a spreadsheet read a cell as a formula (or, for tab and CR, hide one behind it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text that a spreadsheet would read as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) is
 * prefixed with `'` so it stays text (OWASP, CSV injection). Only texts: a number keeps its sign,
 * so real negative amounts stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * How a CSV is written: `excel` (the default) for people, `rfc4180` for software (open data: what
 * data.gouv.fr, Validata and every CSV library read without guessing).
 */
export type CsvDialect = 'excel' | 'rfc4180';

const csvCell = <Row>(column: Column<Row>, row: Row, dialect: CsvDialect) => {
  const value = column.value(row);
  if (typeof value === 'string') return neutraliseFormula(value);
  if (column.decimals === undefined || typeof value !== 'number') return value ?? '';
  const fixed = value.toFixed(column.decimals);
  return dialect === 'excel' ? fixed.replace('.', ',') : fixed;
};

/**
 * `excel` (default): UTF-8 with a BOM, `;` separators and CRLF line ends, decimal commas: what Excel
 * (French locale) and LibreOffice open correctly with a double click. `rfc4180`: UTF-8 without BOM,
 * `,` separators, CRLF line ends, decimal points (RFC 4180, Table Schema's default dialect). Either
 * way, texts that would start a formula are neutralised (neutraliseFormula); numbers are written as
 * numbers.
 */
export function toCsv<Row>(
  columns: Column<Row>[],
  rows: Row[],
  options: { dialect?: CsvDialect } = {},
): Buffer {
  const dialect = options.dialect ?? 'excel';
  const text = stringify(
    rows.map((row) => columns.map((c) => csvCell(c, row, dialect))),
    {
      bom: dialect === 'excel',
      delimiter: dialect === 'excel' ? ';' : ',',
      record_delimiter: 'windows',
      header: true,
      columns: columns.map((c) => c.header),
    },
  );
  return Buffer.from(text, 'utf8');
}

/**
 * One sheet with a bold, frozen, filterable header row. exceljs is loaded on first use: it weighs
 * ~27 MB of memory that a server which never exports should not pay. Texts are written as text cells
 * (exceljs makes a formula only of `{ formula }` objects, which no column returns), so a text starting
 * with `=` is shown, never evaluated: no neutralisation is needed, and none is applied.
 */
export async function toXlsx<Row>(
  sheetName: string,
  columns: Column<Row>[],
  rows: Row[],
  options: { frozenColumns?: number } = {},
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Socle';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), {
    views: [
      { state: 'frozen', ySplit: 1, ...(options.frozenColumns ? { xSplit: options.frozenColumns } : {}) },
    ],
  });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((c, i) => {
    if (c.decimals !== undefined)
      sheet.getColumn(i + 1).numFmt = `#,##0${c.decimals ? `.${'0'.repeat(c.decimals)}` : ''}`;
  });
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? null));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers an export route: `rows` as a `<fileBase>.csv` or `<fileBase>.xlsx` download. */
export async function sendSpreadsheet<Row>(
  reply: FastifyReply,
  format: SpreadsheetFormat,
  fileBase: string,
  sheet: Sheet<Row>,
  rows: Row[],
) {
  const body =
    format === 'csv'
      ? toCsv(sheet.columns, rows)
      : await toXlsx(sheet.name, sheet.columns, rows, { frozenColumns: sheet.frozenColumns });
  return sendDownload(reply, {
    type: format === 'csv' ? CSV_TYPE : XLSX_TYPE,
    filename: `${fileBase}.${format}`,
    body,
  });
}
