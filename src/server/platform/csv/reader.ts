import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

/**
 * Reading a CSV file as spreadsheets export it, for every import of the platform (members, payments):
 * the encoding (UTF-8 with or without BOM, or Windows-1252), the separator (`;`, `,` or tab, or
 * Excel's `sep=` hint), quoted fields, and the line numbers a spreadsheet shows. What the columns
 * mean is the importing module's business.
 */

export type CsvEncoding = 'utf-8' | 'windows-1252';
export type CsvDelimiter = ';' | ',' | '\t';

export interface CsvRow {
  /** Row number as a spreadsheet shows it: the header is line 1. */
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  /** Data rows, blank rows left out (their numbers are kept by the others). */
  rows: CsvRow[];
}

/** A problem that prevents reading the file at all, with the line where it was found. */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line = 1,
  ) {
    super(message);
  }
}

/**
 * Spreadsheets export UTF-8 (with or without BOM) or, on Windows, Windows-1252. Bytes that are not
 * valid UTF-8 can only be the latter, which maps every byte to a character.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new CsvFileError(
      'Fichier en UTF-16 (« texte Unicode ») non pris en charge : enregistrez-le au format « CSV UTF-8 » ou « CSV (point-virgule) ».',
    );
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new CsvFileError(
      'Ce fichier est un classeur (.xlsx ou .ods), pas un fichier CSV : dans le tableur, choisissez « Enregistrer sous » puis le format CSV.',
    );
  }
  if (bytes.includes(0)) {
    throw new CsvFileError("Ce fichier n'est pas un fichier texte CSV.");
  }
  try {
    // The default decoder drops a leading BOM.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return {
      text: iconv.decode(Buffer.from(bytes), 'win1252').replace(/^\uFEFF/, ''),
      encoding: 'windows-1252',
    };
  }
}

const DELIMITERS: readonly CsvDelimiter[] = [';', ',', '\t'];
const isDelimiter = (char: string): char is CsvDelimiter => (DELIMITERS as readonly string[]).includes(char);

/** The separator most used on the header line, outside quotes; `;` when in doubt (French spreadsheets). */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && isDelimiter(char)) counts[char]++;
  }
  let best: CsvDelimiter = ';';
  for (const d of [',', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/** The line a csv-parse error points at (records read before it, plus the header). */
const lineOf = (error: CsvError) => (typeof error.records === 'number' ? error.records : 0) + 1;

/** Decodes and splits a CSV file; throws `CsvFileError` (in French) when it cannot be read. */
export function parseCsv(bytes: Uint8Array): ParsedCsv {
  const decoded = decodeCsv(bytes);
  let text = decoded.text;
  let delimiter: CsvDelimiter;
  // Excel may write its own separator hint as a first line; it does not show it as a row.
  const hint = /^sep=([;,\t])\r?\n/i.exec(text);
  if (hint && isDelimiter(hint[1])) {
    delimiter = hint[1];
    text = text.slice(hint[0].length);
  } else {
    delimiter = detectDelimiter(text);
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    const line = error instanceof CsvError ? lineOf(error) : 1;
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CsvFileError(
        'Guillemet ouvrant jamais fermé : vérifiez les guillemets de cette ligne (et des suivantes).',
        line,
      );
    }
    const reason = error instanceof Error ? error.message : undefined;
    throw new CsvFileError(`Fichier CSV illisible : ${reason ?? 'format inattendu'}.`, line);
  }
  const [headers = [], ...data] = records;
  if (headers.every((h) => h.trim() === '')) {
    throw new CsvFileError('Le fichier est vide : la première ligne doit contenir les noms de colonnes.');
  }
  const rows: CsvRow[] = [];
  data.forEach((cells, index) => {
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: index + 2, cells });
  });
  return { encoding: decoded.encoding, delimiter, headers, rows };
}
