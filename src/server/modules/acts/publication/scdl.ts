import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ActNature } from '../../../../contracts/acts.js';
import { compactIdentifier, isValidSiret } from '../../../../contracts/identifiers.js';
import { neutraliseFormula } from '../../../platform/export/spreadsheet.js';
import { isCalendarDate, parisDateOf } from './dates.js';
import {
  ACTES_MATIERES,
  SCDL_COLUMNS,
  SCDL_DELIBERATIONS_CUSTOM_CHECKS,
  SCDL_DELIBERATIONS_FIELDS,
  type ScdlColumn,
  type ScdlCustomCheck,
} from './scdl-schema.js';

/**
 * Open data of deliberations in the SCDL « Délibérations » format, version 2.1.5 (scdl-schema.ts has
 * the rules and where they come from).
 *
 * The file: UTF-8 without BOM, comma separators, double quotes where a cell needs them, CRLF line
 * ends (RFC 4180 and Table Schema's default CSV dialect, what Validata and data.gouv.fr read), a
 * header row with the 17 columns in the schema's order, dates as AAAA-MM-JJ, integers without
 * separators. Only deliberations (nature DE) are written.
 *
 * How Socle fills the columns:
 * - COLL_NOM, COLL_SIRET: the member's name and SIRET. The schema wants the 14-digit SIRET of the
 *   deliberating body, with a valid check digit (`french-siret-value`); the SIREN alone is not
 *   enough and a NIC cannot be guessed. A member whose SIRET is not in its record (or is invalid)
 *   has its deliberations left out of the file, each listed in `omitted` with the reason, so that
 *   the file published stays valid: the member completes its SIRET and the next export has them.
 * - DELIB_ID, DELIB_DATE, DELIB_OBJET: the act's number, decision date and subject (whitespace runs,
 *   line breaks included, become one space).
 * - DELIB_MATIERE_CODE: the classification cut to its sub-matière (`7.1.2` → `7.1`, the schema's
 *   level 2). An act classified at level 1 only (`7`) cannot be described and is left out.
 * - DELIB_MATIERE_NOM: « matière/sous-matière » in lower case, without comma nor parenthesis, as the
 *   schema asks: the matière is the national name the check accepts; the sous-matière is the label of
 *   the level-2 entry of the member's classification file (`subMatiereLabel`).
 * - BUDGET_ANNEE, BUDGET_NOM: left empty (Socle does not record the budget a deliberation charges).
 * - PREF_ID, PREF_DATE: the prefecture that received the act, coded `PREFNNN` as the schema defines it
 *   (NNN = the département on 3 characters, read from the act's official identifier
 *   `DDD-SIREN-…`), and the Paris date of its acknowledgement. Empty when not transmitted.
 * - VOTE_*: written only when the members in office and the for/against/abstention counts are all
 *   known (`cohesive-columns-value`); VOTE_REEL is for + against + abstention, which the schema
 *   requires (`sum-columns-value`), so members present who did not take part are not counted.
 * - DELIB_URL: the public address of the published PDF; the service gives it absolute (its public
 *   base URL + the document's path), a relative one is left out of the cell.
 *
 * Each record is checked against the schema's rules before it is written (the same checks
 * `validateScdlDeliberations` runs on a whole file); a record that breaks one (inconsistent votes, an
 * acknowledgement before the decision…) is left out and listed in `omitted` with the reasons.
 *
 * Spreadsheet formulas: the free-text columns (COLL_NOM, DELIB_OBJET) go through the platform's
 * `neutraliseFormula`, as every Socle CSV does: a text starting with `=`, `+`, `-` or `@` is prefixed
 * with `'` so that a spreadsheet opening the file shows it instead of evaluating it (OWASP, CSV
 * injection). The schema sets no pattern on those columns, so the file stays valid; the subject keeps
 * its words, with an apostrophe in front in those rare cases (the JSON feed and the portal give it
 * unchanged). The other columns cannot start with those characters: dates, non-negative integers, a
 * SIRET, codes, the `PREF…` identifier, an `https:` address, and a matière name that starts with one
 * of the nine national names.
 */

/** One published act, as the acts service gives it. */
export interface ScdlActSource {
  nature: ActNature;
  memberName: string;
  /** The member's SIRET (its head office), null when its record has none. */
  memberSiret: string | null;
  number: string;
  decidedOn: string;
  /** The classification code (`7.1`, `7.1.2`…). */
  classification: string;
  /** The label of the level-2 entry (`7.1`) of the member's classification file: `subMatiereLabel`. */
  subMatiereLabel: string | null;
  subject: string;
  prefectureId: string | null;
  acknowledgedAt: Date | null;
  votesMembers: number | null;
  votesFor: number | null;
  votesAgainst: number | null;
  votesAbstention: number | null;
  /** The public, absolute address of the published PDF (`https://…`). */
  documentUrl: string | null;
}

export type ScdlRecord = Record<ScdlColumn, string>;

export interface ScdlOmission {
  memberName: string;
  number: string;
  reasons: string[];
}

export interface ScdlExport {
  csv: string;
  /** Records written (header excluded). */
  rows: number;
  /** Deliberations that could not be written, with why. */
  omitted: ScdlOmission[];
}

/** A broken rule: `line` is the CSV record's number (1 is the header). */
export interface ScdlError {
  line: number;
  column: ScdlColumn | null;
  check: string;
  message: string;
}

/** The label of the level-2 entry (`7.1` for `7.1.2`) among the member's classification entries. */
export function subMatiereLabel(
  classification: string,
  entries: readonly { code: string; label: string }[],
): string | null {
  const code = subMatiereCode(classification);
  return code ? (entries.find((e) => e.code === code)?.label ?? null) : null;
}

/** `7.1.2` → `7.1`; null for a level-1 code. */
export function subMatiereCode(classification: string): string | null {
  const match = /^(\d)\.(\d{1,2})(?:\.|$)/.exec(classification.trim());
  return match ? `${match[1]}.${match[2]}` : null;
}

/** « finances locales/décisions budgétaires »: lower case, no comma, parenthesis nor inner « / ». */
export function scdlMatiereName(classification: string, subLabel: string): string | null {
  const matiere = ACTES_MATIERES[Number(classification.trim()[0]) - 1];
  const sub = subLabel
    .toLocaleLowerCase('fr')
    .replace(/[,()/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return matiere && sub ? `${matiere.toLocaleLowerCase('fr')}/${sub}` : null;
}

/** `085-218501914-…` → `PREF085`; `02A-…` → `PREF02A`. */
export function scdlPrefectureCode(prefectureId: string | null): string {
  const match = prefectureId ? /^(\d{2}[\dAB])-/.exec(prefectureId) : null;
  return match ? `PREF${match[1]}` : '';
}

const singleLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const count = (n: number) => String(n);

/** The record for one deliberation, or why it cannot be written. */
export function scdlRecord(act: ScdlActSource): { record: ScdlRecord } | { reasons: string[] } {
  const reasons: string[] = [];
  const siret = act.memberSiret ? compactIdentifier(act.memberSiret) : null;
  if (!siret) reasons.push('SIRET de la structure inconnu : renseignez-le dans sa fiche.');
  else if (!isValidSiret(siret)) reasons.push(`SIRET de la structure invalide : « ${siret} ».`);
  const code = subMatiereCode(act.classification);
  const matiereName = code && act.subMatiereLabel ? scdlMatiereName(code, act.subMatiereLabel) : null;
  if (!code)
    reasons.push(
      `Classification « ${act.classification} » sans sous-matière : le format SCDL demande une sous-matière (ex. 7.1).`,
    );
  else if (!matiereName)
    reasons.push(`Libellé de la sous-matière ${code} introuvable dans la classification de la structure.`);
  if (reasons.length > 0) return { reasons };

  const { votesMembers, votesFor, votesAgainst, votesAbstention } = act;
  const votes =
    votesMembers !== null && votesFor !== null && votesAgainst !== null && votesAbstention !== null
      ? {
          VOTE_EFFECTIF: count(votesMembers),
          VOTE_REEL: count(votesFor + votesAgainst + votesAbstention),
          VOTE_POUR: count(votesFor),
          VOTE_CONTRE: count(votesAgainst),
          VOTE_ABSTENTION: count(votesAbstention),
        }
      : { VOTE_EFFECTIF: '', VOTE_REEL: '', VOTE_POUR: '', VOTE_CONTRE: '', VOTE_ABSTENTION: '' };
  const prefId = scdlPrefectureCode(act.prefectureId);
  const record: ScdlRecord = {
    COLL_NOM: neutraliseFormula(singleLine(act.memberName)),
    COLL_SIRET: siret ?? '',
    DELIB_ID: act.number,
    DELIB_DATE: act.decidedOn,
    DELIB_MATIERE_CODE: code ?? '',
    DELIB_MATIERE_NOM: matiereName ?? '',
    DELIB_OBJET: neutraliseFormula(singleLine(act.subject)),
    BUDGET_ANNEE: '',
    BUDGET_NOM: '',
    PREF_ID: prefId,
    PREF_DATE: prefId && act.acknowledgedAt ? parisDateOf(act.acknowledgedAt) : '',
    ...votes,
    // An address that is not absolute (`/api/v1/public/…`) cannot be followed from the file: left empty.
    DELIB_URL: act.documentUrl && isUri(act.documentUrl) ? act.documentUrl : '',
  };
  const broken = checkRecord(record);
  if (broken.length > 0) return { reasons: broken.map((e) => `${e.column ?? 'ligne'} : ${e.message}`) };
  return { record };
}

const CSV_OPTIONS = { delimiter: ',', record_delimiter: 'windows', quoted_match: /^\s|\s$/ } as const;

/** The header line, CRLF-terminated: write it first when streaming `scdlCsvLine`s. */
export const SCDL_CSV_HEADER = stringify([SCDL_COLUMNS as ScdlColumn[]], CSV_OPTIONS);

/** One record as a CSV line, CRLF-terminated. */
export const scdlCsvLine = (record: ScdlRecord): string =>
  stringify([SCDL_COLUMNS.map((c) => record[c])], CSV_OPTIONS);

/** The SCDL file of the deliberations among `acts`, and the ones that had to be left out. */
export function toScdlDeliberationsCsv(acts: Iterable<ScdlActSource>): ScdlExport {
  let csv = SCDL_CSV_HEADER;
  let rows = 0;
  const omitted: ScdlOmission[] = [];
  for (const act of acts) {
    if (act.nature !== 'DE') continue;
    const result = scdlRecord(act);
    if ('reasons' in result) {
      omitted.push({ memberName: act.memberName, number: act.number, reasons: result.reasons });
      continue;
    }
    csv += scdlCsvLine(result.record);
    rows++;
  }
  return { csv, rows, omitted };
}

// Validation ------------------------------------------------------------------------------------

const FIELDS = new Map<ScdlColumn, (typeof SCDL_DELIBERATIONS_FIELDS)[number]>(
  SCDL_DELIBERATIONS_FIELDS.map((f) => [f.name, f]),
);
const valued = (v: string | undefined): v is string => v !== undefined && v !== '';
const quote = (v: string) => `« ${v} »`;
const INTEGER = /^[+-]?\d+$/;
const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

function isUri(value: string): boolean {
  if (!/^[a-z][a-z\d+.-]*:[^\s]+$/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The field constraints of one cell: required, type, format, pattern. */
function checkCell(column: ScdlColumn, value: string): Omit<ScdlError, 'line'>[] {
  const field:
    | { type: string; format?: string; constraints?: { required?: boolean; pattern?: string } }
    | undefined = FIELDS.get(column);
  if (!field) return [];
  if (!valued(value)) {
    return field.constraints?.required
      ? [{ column, check: 'required', message: 'valeur obligatoire manquante' }]
      : [];
  }
  const errors: Omit<ScdlError, 'line'>[] = [];
  if (field.type === 'date' && !isCalendarDate(value))
    errors.push({ column, check: 'type', message: `date attendue au format AAAA-MM-JJ : ${quote(value)}` });
  if (field.type === 'integer' && !INTEGER.test(value))
    errors.push({ column, check: 'type', message: `nombre entier attendu : ${quote(value)}` });
  if (field.format === 'uri' && !isUri(value))
    errors.push({ column, check: 'format', message: `adresse (URI) invalide : ${quote(value)}` });
  const pattern = field.constraints?.pattern;
  if (pattern && !new RegExp(pattern).test(value))
    errors.push({
      column,
      check: 'pattern',
      message: `la valeur ${quote(value)} ne respecte pas le motif ${pattern}`,
    });
  return errors;
}

const normalised = (s: string) => s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
const MATIERES = new Set(ACTES_MATIERES.map(normalised));

const OP_LABELS = {
  '>': 'supérieure',
  '>=': 'supérieure ou égale',
  '==': 'égale',
  '<=': 'inférieure ou égale',
  '<': 'inférieure',
} as const;

function compare(a: string, op: keyof typeof OP_LABELS, b: string): boolean {
  const [x, y]: [number | string, number | string] =
    isNumber(a) && isNumber(b) ? [Number(a), Number(b)] : [a, b];
  switch (op) {
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      return x === y;
    case '<=':
      return x <= y;
    case '<':
      return x < y;
  }
}

/** One custom check of the schema on one record, read as Validata reads it. */
function checkCustom(check: ScdlCustomCheck, r: Partial<ScdlRecord>): Omit<ScdlError, 'line'>[] {
  const fail = (column: ScdlColumn, message: string) => [{ column, check: check.name, message }];
  switch (check.name) {
    case 'french-siret-value': {
      const v = r[check.params.column];
      return valued(v) && !isValidSiret(v)
        ? fail(check.params.column, `numéro SIRET invalide (clé de contrôle) : ${quote(v)}`)
        : [];
    }
    case 'year-interval-value': {
      const v = r[check.params.column];
      if (!valued(v)) return [];
      const interval = /^(\d{4})\/(\d{4})$/.exec(v);
      if (!interval) {
        if (check.params['allow-year-only'] === 'yes' && /^\d{4}$/.test(v)) return [];
        return fail(
          check.params.column,
          `format attendu : année (AAAA) ou intervalle (AAAA/AAAA) : ${quote(v)}`,
        );
      }
      const [first, second] = [Number(interval[1]), Number(interval[2])];
      if (first === second) return fail(check.params.column, 'les deux années doivent être différentes');
      if (first > second)
        return fail(
          check.params.column,
          `la deuxième année (${second}) doit être postérieure à la première (${first})`,
        );
      return [];
    }
    case 'cohesive-columns-value': {
      const columns = [check.params.column, ...check.params.othercolumns];
      const filled = columns.map((c) => valued(r[c]));
      return filled.every((f) => f === filled[0])
        ? []
        : fail(
            check.params.column,
            `les colonnes ${columns.join(', ')} doivent toutes comporter une valeur ou toutes être vides`,
          );
    }
    case 'compare-columns-value': {
      const { column, op, column2 } = check.params;
      const [a, b] = [r[column], r[column2]];
      if (!valued(a) || !valued(b)) return [];
      return compare(a, op, b)
        ? []
        : fail(
            column,
            `la valeur de la colonne ${column} ${quote(a)} devrait être ${OP_LABELS[op]} à la valeur de la colonne ${column2} ${quote(b)}`,
          );
    }
    case 'sum-columns-value': {
      const { column, columns } = check.params;
      const cells = [column, ...columns].map((c) => r[c]);
      if (!cells.every(valued) || !cells.every((v) => INTEGER.test(v ?? ''))) return [];
      const sum = columns.reduce((s, c) => s + Number(r[c]), 0);
      return sum === Number(r[column])
        ? []
        : fail(
            column,
            `la somme des colonnes ${columns.map((c) => `${c} (${r[c]})`).join(', ')} est ${sum}, différente de ${column} (${r[column]})`,
          );
    }
    case 'nomenclature-actes-value': {
      const v = r[check.params.column];
      if (!valued(v)) return [];
      const slash = v.indexOf('/');
      if (slash < 0) return fail(check.params.column, `le signe oblique « / » est manquant : ${quote(v)}`);
      const prefix = v.slice(0, slash);
      if (MATIERES.has(normalised(prefix)) && !v.includes('/ ')) return [];
      if (MATIERES.has(normalised(prefix.trimEnd())) || v.includes('/ '))
        return fail(
          check.params.column,
          `le signe oblique ne doit être ni précédé ni suivi d'une espace : ${quote(v)}`,
        );
      return fail(check.params.column, `le préfixe de nomenclature Actes ${quote(prefix)} n'est pas reconnu`);
    }
  }
}

/** Every rule of the schema that `record` breaks: its cells' constraints, then the custom checks. */
export function checkRecord(record: Partial<ScdlRecord>): Omit<ScdlError, 'line'>[] {
  return [
    ...SCDL_COLUMNS.flatMap((c) => checkCell(c, record[c] ?? '')),
    ...SCDL_DELIBERATIONS_CUSTOM_CHECKS.flatMap((check) => checkCustom(check, record)),
  ];
}

/**
 * Validates a CSV file against the SCDL « Délibérations » rules (scdl-schema.ts): UTF-8, comma
 * separators, the header (the 17 columns, in order), each row's cell count, blank rows, then each
 * field's constraints and the schema's custom checks. Answers every broken rule; none when valid.
 */
export function validateScdlDeliberations(file: string | Uint8Array): ScdlError[] {
  let text: string;
  if (typeof file === 'string') text = file;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file);
    } catch {
      return [{ line: 0, column: null, check: 'encoding', message: "le fichier n'est pas encodé en UTF-8" }];
    }
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: ',', relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    return [
      { line: 0, column: null, check: 'format', message: `CSV illisible : ${(error as Error).message}` },
    ];
  }
  const [header, ...rows] = records;
  if (!header)
    return [{ line: 1, column: null, check: 'header', message: 'fichier vide : en-tête manquant' }];
  if (header.length !== SCDL_COLUMNS.length || header.some((name, i) => name !== SCDL_COLUMNS[i])) {
    const message =
      header.length === 1 && header[0].includes(';')
        ? 'le séparateur attendu est la virgule « , », pas le point-virgule'
        : `en-tête attendu : ${SCDL_COLUMNS.join(',')} ; reçu : ${header.join(',')}`;
    return [{ line: 1, column: null, check: 'header', message }];
  }
  const errors: ScdlError[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c === '')) {
      errors.push({ line, column: null, check: 'blank-row', message: 'ligne vide' });
      return;
    }
    if (cells.length !== SCDL_COLUMNS.length) {
      errors.push({
        line,
        column: null,
        check: 'cell-count',
        message: `la ligne compte ${cells.length} cellules au lieu de ${SCDL_COLUMNS.length}`,
      });
      return;
    }
    const record = Object.fromEntries(SCDL_COLUMNS.map((c, j) => [c, cells[j]])) as ScdlRecord;
    for (const error of checkRecord(record)) errors.push({ line, ...error });
  });
  return errors;
}
