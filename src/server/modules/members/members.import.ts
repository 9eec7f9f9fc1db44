import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { asc, count, desc, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import iconv from 'iconv-lite';
import type { z } from 'zod';
import { compactIdentifier, isValidSiren } from '../../../contracts/identifiers.js';
import {
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  type ContactRole,
  contactInputSchema,
  MEMBER_KIND_LABELS,
  MEMBER_KINDS,
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_STATUSES,
  type MemberKind,
  type MembershipStatus,
  memberInputSchema,
} from '../../../contracts/members.js';
import {
  MEMBER_IMPORT_COLUMNS,
  MEMBER_IMPORT_MAX_LINES,
  MEMBER_IMPORT_PREVIEW_SIZE,
  type MemberImportField,
  type MemberImportIssue,
  type MemberImportLine,
  type MemberImportReport,
} from '../../../contracts/members-import.js';
import { searchKey } from '../../../contracts/search.js';
import { communes, departements, epci } from '../../kernel/territory.schema.js';
import { type Actor, isOperatorAdmin } from '../../platform/auth/context.js';
import { today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { memberContacts, membershipEvents, organisations } from './members.schema.js';

/** Importing creates members across the whole registry: the operator's administrators only. */
export const canImportMembers = (actor: Actor | null) => isOperatorAdmin(actor);

// ---------------------------------------------------------------------------------------------
// Reading the file (pure)
// ---------------------------------------------------------------------------------------------

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

/** A problem that prevents reading the file at all. */
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

/** The separator most used on the header line, outside quotes; `;` when in doubt (French spreadsheets). */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as CsvDelimiter]++;
  }
  let best: CsvDelimiter = ';';
  for (const d of [',', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

export function parseCsv(bytes: Uint8Array): ParsedCsv {
  const decoded = decodeCsv(bytes);
  let text = decoded.text;
  let delimiter: CsvDelimiter;
  // Excel may write its own separator hint as a first line; it does not show it as a row.
  const hint = /^sep=([;,\t])\r?\n/i.exec(text);
  if (hint) {
    delimiter = hint[1] as CsvDelimiter;
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
    }) as string[][];
  } catch (error: any) {
    if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CsvFileError(
        'Guillemet ouvrant jamais fermé : vérifiez les guillemets de cette ligne (et des suivantes).',
        (error.records ?? 0) + 1,
      );
    }
    throw new CsvFileError(
      `Fichier CSV illisible : ${error?.message ?? 'format inattendu'}.`,
      (error?.records ?? 0) + 1,
    );
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

// ---------------------------------------------------------------------------------------------
// Columns (pure)
// ---------------------------------------------------------------------------------------------

const HEADER_ALIASES: Record<MemberImportField, string[]> = {
  kind: ['type', 'nature', 'type de structure', 'nature juridique', 'kind'],
  name: ['nom', 'nom de la structure', 'denomination', 'raison sociale', 'libelle', 'name'],
  siren: ['siren', 'n siren', 'numero siren'],
  siret: ['siret', 'n siret', 'numero siret'],
  communeCode: [
    'code insee',
    'insee',
    'code commune',
    'code commune insee',
    'code officiel geographique',
    'cog',
  ],
  epciCode: ['code epci', 'siren epci', 'epci'],
  departementCode: ['departement', 'code departement', 'dept', 'dep'],
  address: ['adresse', 'adresse postale'],
  postalCode: ['code postal', 'cp'],
  city: ['commune', 'ville', 'localite'],
  population: ['population', 'habitants', 'nombre d habitants'],
  status: ['statut', 'statut d adhesion', 'status'],
  parentSiren: [
    'structure parente siren',
    'structure parente',
    'siren structure parente',
    'siren parent',
    'siren de la structure parente',
  ],
  contactLastName: ['contact nom'],
  contactFirstName: ['contact prenom'],
  contactRole: ['contact role', 'contact fonction'],
  contactEmail: [
    'contact email',
    'contact e mail',
    'contact courriel',
    'contact mel',
    'contact adresse electronique',
  ],
  contactPhone: ['contact telephone', 'contact tel'],
};

const FIELD_BY_HEADER = new Map<string, MemberImportField>(
  Object.entries(HEADER_ALIASES).flatMap(([field, aliases]) =>
    aliases.map((alias) => [alias, field as MemberImportField]),
  ),
);

const TEMPLATE_HEADER = Object.fromEntries(MEMBER_IMPORT_COLUMNS.map((c) => [c.field, c.header])) as Record<
  MemberImportField,
  string
>;

export interface ColumnMap {
  /** Field → index of its column in the file. */
  index: Partial<Record<MemberImportField, number>>;
  /** Field → header as the file writes it (the template's when the column is absent). */
  header: Record<MemberImportField, string>;
  errors: MemberImportIssue[];
  warnings: MemberImportIssue[];
}

/** Recognises headers written any way a person might: accents, case, punctuation and aliases. */
export function mapColumns(headers: string[]): ColumnMap {
  const index: ColumnMap['index'] = {};
  const header = { ...TEMPLATE_HEADER };
  const errors: MemberImportIssue[] = [];
  const warnings: MemberImportIssue[] = [];
  headers.forEach((raw, i) => {
    const written = raw.trim();
    if (written === '') return;
    const field = FIELD_BY_HEADER.get(searchKey(written));
    if (!field) {
      warnings.push(issue(1, written, null, 'colonne non reconnue : elle est ignorée'));
    } else if (index[field] !== undefined) {
      errors.push(
        issue(
          1,
          written,
          null,
          `colonne en double : « ${header[field]} » et « ${written} » désignent la même donnée`,
        ),
      );
    } else {
      index[field] = i;
      header[field] = written;
    }
  });
  if (index.kind === undefined) {
    errors.push(issue(1, 'type', null, 'colonne obligatoire absente : « type » (ou « nature »)'));
  }
  if (index.siren === undefined) {
    errors.push(issue(1, 'siren', null, 'colonne obligatoire absente : « siren »'));
  }
  if (index.status === undefined) {
    warnings.push(
      issue(
        1,
        'statut',
        null,
        'colonne « statut » absente : les structures seront enregistrées comme « Adhérent »',
      ),
    );
  }
  return { index, header, errors, warnings };
}

const issue = (
  line: number,
  column: string | null,
  value: string | null,
  message: string,
): MemberImportIssue => ({
  line,
  column,
  value: value === '' ? null : value,
  message,
});

// ---------------------------------------------------------------------------------------------
// Values written as people write them (pure)
// ---------------------------------------------------------------------------------------------

const labelMap = <T extends string>(
  codes: readonly T[],
  labels: Record<string, string>,
  extra: Record<string, T>,
) => {
  const map = new Map<string, T>();
  for (const code of codes) {
    map.set(searchKey(code), code);
    if (labels[code]) map.set(searchKey(labels[code]), code);
  }
  for (const [label, code] of Object.entries(extra)) map.set(searchKey(label), code);
  return map;
};

const KIND_BY_LABEL = labelMap<MemberKind>(MEMBER_KINDS, MEMBER_KIND_LABELS, {
  mairie: 'commune',
  CC: 'epci',
  CA: 'epci',
  CU: 'epci',
  Métropole: 'epci',
  'Communauté de communes': 'epci',
  "Communauté d'agglomération": 'epci',
  'Communauté urbaine': 'epci',
  'EPCI à fiscalité propre': 'epci',
  'Syndicat mixte ouvert': 'syndicat_mixte',
  'Syndicat mixte fermé': 'syndicat_mixte',
  SIVU: 'syndicat_intercommunal',
  SIVOM: 'syndicat_intercommunal',
  Syndicat: 'syndicat_intercommunal',
  CCAS: 'ccas',
  CIAS: 'ccas',
  "Centre communal d'action sociale": 'ccas',
  "Centre intercommunal d'action sociale": 'ccas',
  EHPAD: 'medico_social',
  'Médico-social': 'medico_social',
  'Établissement médico-social': 'medico_social',
  SDIS: 'structure_departementale',
  SPL: 'spl',
  SEM: 'spl',
  'Société publique locale': 'spl',
  "Société d'économie mixte": 'spl',
  Autre: 'autre',
});

const STATUS_BY_LABEL = labelMap<MembershipStatus>(MEMBERSHIP_STATUSES, MEMBERSHIP_STATUS_LABELS, {
  Adhérente: 'member',
  Demande: 'requested',
  'Demande en cours': 'requested',
  'Adhésion demandée': 'requested',
  Acceptée: 'accepted',
  Accepté: 'accepted',
  'Demande de retrait': 'withdrawal_requested',
  Retirée: 'withdrawn',
  Retrait: 'withdrawn',
});

const CONTACT_ROLE_BY_LABEL = labelMap<ContactRole>(CONTACT_ROLES, CONTACT_ROLE_LABELS, {
  Maire: 'maire_president',
  Président: 'maire_president',
  Présidente: 'maire_president',
  'Maire / Président': 'maire_president',
  DGS: 'dgs_secretaire',
  'Directeur général des services': 'dgs_secretaire',
  'Directrice générale des services': 'dgs_secretaire',
  'Secrétaire de mairie': 'dgs_secretaire',
  Secrétaire: 'dgs_secretaire',
  'Référent numérique': 'referent_numerique',
  'Référente numérique': 'referent_numerique',
  'Référent RGPD': 'referent_rgpd',
  'Référente RGPD': 'referent_rgpd',
  'Délégué titulaire': 'delegue_titulaire',
  'Déléguée titulaire': 'delegue_titulaire',
  Titulaire: 'delegue_titulaire',
  'Délégué suppléant': 'delegue_suppleant',
  'Déléguée suppléante': 'delegue_suppleant',
  Suppléant: 'delegue_suppleant',
  Suppléante: 'delegue_suppleant',
});

const accepted = (labels: Record<string, string>, codes: readonly string[]) =>
  codes.map((c) => labels[c]).join(', ');

export const parseKind = (value: string): MemberKind | null => KIND_BY_LABEL.get(searchKey(value)) ?? null;
export const parseStatus = (value: string): MembershipStatus | null =>
  STATUS_BY_LABEL.get(searchKey(value)) ?? null;
export const parseContactRole = (value: string): ContactRole | null =>
  CONTACT_ROLE_BY_LABEL.get(searchKey(value)) ?? null;

/** Spreadsheets drop leading zeros of codes they take for numbers ("1001" for 01001). */
const padDigits = (value: string, length: number) =>
  /^\d+$/.test(value) && value.length < length ? value.padStart(length, '0') : value;

// ---------------------------------------------------------------------------------------------
// Validation against the official data and the registry (pure once references are loaded)
// ---------------------------------------------------------------------------------------------

export interface ImportReferences {
  communes: Map<
    string,
    {
      name: string;
      departementCode: string;
      population: number | null;
      siren: string | null;
      epciCode: string | null;
      abolished: boolean;
    }
  >;
  epci: Map<
    string,
    {
      name: string;
      type: string;
      population: number;
      departementCodes: string[];
      /** Where most of its communes lie. */
      mainDepartementCode: string | null;
      abolished: boolean;
    }
  >;
  /** Code → name, every département (a small table). */
  departements: Map<string, string>;
  /** SIREN → already registered organisation. */
  registered: Map<string, { id: string; name: string }>;
}

export interface ReferenceKeys {
  communeCodes: string[];
  epciCodes: string[];
  sirens: string[];
}

/** The codes a file mentions, so that references are fetched in a few batched queries. */
export function referenceKeys(parsed: ParsedCsv, columns: ColumnMap): ReferenceKeys {
  const communeCodes = new Set<string>();
  const epciCodes = new Set<string>();
  const sirens = new Set<string>();
  const cell = (row: CsvRow, field: MemberImportField) => {
    const i = columns.index[field];
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  for (const row of parsed.rows) {
    const commune = padDigits(cell(row, 'communeCode').toUpperCase(), 5);
    if (commune) communeCodes.add(commune);
    const siren = compactIdentifier(cell(row, 'siren'));
    const epciCode = compactIdentifier(cell(row, 'epciCode')) || siren;
    if (epciCode) epciCodes.add(epciCode);
    if (siren) sirens.add(siren);
    const parent = compactIdentifier(cell(row, 'parentSiren'));
    if (parent) sirens.add(parent);
  }
  return { communeCodes: [...communeCodes], epciCodes: [...epciCodes], sirens: [...sirens] };
}

export interface ValidationResult {
  totalLines: number;
  lines: MemberImportLine[];
  errors: MemberImportIssue[];
  warnings: MemberImportIssue[];
}

const INPUT_FIELDS: Partial<Record<string, MemberImportField>> = {
  kind: 'kind',
  name: 'name',
  siren: 'siren',
  siret: 'siret',
  communeCode: 'communeCode',
  epciCode: 'epciCode',
  departementCode: 'departementCode',
  address: 'address',
  postalCode: 'postalCode',
  city: 'city',
  population: 'population',
  status: 'status',
};

/** A union ("an e-mail, or empty") reports only "invalid input": show why its main branch failed. */
const firstMessage = (zodIssue: z.core.$ZodIssue): string =>
  zodIssue.code === 'invalid_union'
    ? (zodIssue.errors[0]?.[0]?.message ?? zodIssue.message)
    : zodIssue.message;

const CONTACT_FIELDS: Partial<Record<string, MemberImportField>> = {
  role: 'contactRole',
  firstName: 'contactFirstName',
  lastName: 'contactLastName',
  email: 'contactEmail',
  phone: 'contactPhone',
};

/** "85", "Vendée", "85 - Vendée" or a spreadsheet's "1" for 01. */
function resolveDepartement(text: string, known: Map<string, string>, byName: Map<string, string>) {
  const code = padDigits(text.toUpperCase(), 2);
  if (known.has(code)) return code;
  const named = byName.get(searchKey(text));
  if (named) return named;
  const leading = /^(\d{2,3}|2[AB])\b/.exec(code)?.[1];
  return leading && known.has(leading) ? leading : undefined;
}

interface RowContext {
  columns: ColumnMap;
  refs: ImportReferences;
  departementByName: Map<string, string>;
  /** Filled as lines are read, to name both lines of a duplicate. */
  firstLineOfSiren: Map<string, number>;
  headerCount: number;
  nameColumnMissing: boolean;
}

type Fail = (field: MemberImportField | null, message: string, value?: string) => void;
type Raw = (field: MemberImportField) => string;

/** Checks every line (all of them, not only up to the first bad one) and normalises the good ones. */
export function validateRows(
  parsed: ParsedCsv,
  columns: ColumnMap,
  refs: ImportReferences,
): ValidationResult {
  const errors: MemberImportIssue[] = [...columns.errors];
  const warnings: MemberImportIssue[] = [...columns.warnings];
  const totalLines = parsed.rows.length;
  if (columns.index.kind === undefined || columns.index.siren === undefined) {
    return { totalLines, lines: [], errors, warnings };
  }
  if (totalLines === 0) {
    errors.push(issue(2, null, null, 'aucune ligne de données sous la ligne des noms de colonnes'));
    return { totalLines, lines: [], errors, warnings };
  }

  const ctx: RowContext = {
    columns,
    refs,
    departementByName: new Map([...refs.departements].map(([code, name]) => [searchKey(name), code])),
    firstLineOfSiren: new Map(),
    headerCount: parsed.headers.length,
    nameColumnMissing: columns.index.name === undefined,
  };
  const candidates: { line: MemberImportLine; bad: boolean }[] = [];
  let linesNeedingName = 0;
  for (const row of parsed.rows) {
    const checked = checkRow(row, ctx);
    errors.push(...checked.errors);
    warnings.push(...checked.warnings);
    if (checked.needsNameColumn) linesNeedingName++;
    candidates.push({ line: checked.line, bad: checked.errors.length > 0 });
  }
  if (ctx.nameColumnMissing && linesNeedingName > 0) {
    errors.unshift(
      issue(
        1,
        'nom',
        null,
        `colonne obligatoire absente : « nom » (${linesNeedingName} ligne(s) ne sont ni des communes ni des EPCI, dont le nom ne peut pas venir du référentiel)`,
      ),
    );
  }
  errors.push(...checkParents(candidates, refs, columns));
  errors.sort((a, b) => a.line - b.line);
  return { totalLines, lines: candidates.filter((c) => !c.bad).map((c) => c.line), errors, warnings };
}

/** One line on its own: its values, the official data it names, and SIRENs seen before it. */
function checkRow(row: CsvRow, ctx: RowContext) {
  const { columns } = ctx;
  const errors: MemberImportIssue[] = [];
  const warnings: MemberImportIssue[] = [];
  let needsNameColumn = false;
  const raw: Raw = (field) => {
    const i = columns.index[field];
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  const fail: Fail = (field, message, value) =>
    errors.push(
      issue(row.line, field ? columns.header[field] : null, value ?? (field ? raw(field) : null), message),
    );
  const warn = (field: MemberImportField | null, message: string) =>
    warnings.push(issue(row.line, field ? columns.header[field] : null, field ? raw(field) : null, message));

  if (row.cells.slice(ctx.headerCount).some((c) => c.trim() !== '')) {
    warn(null, 'cellules au-delà de la dernière colonne nommée : elles sont ignorées');
  }

  const kind = raw('kind') ? parseKind(raw('kind')) : null;
  if (!raw('kind')) fail('kind', 'champ obligatoire vide : type de structure');
  else if (!kind) {
    fail(
      'kind',
      `type de structure inconnu ; valeurs acceptées : ${accepted(MEMBER_KIND_LABELS, MEMBER_KINDS)}`,
    );
  }
  const status = raw('status') ? parseStatus(raw('status')) : 'member';
  if (!status) {
    fail(
      'status',
      `statut inconnu ; valeurs acceptées : ${accepted(MEMBERSHIP_STATUS_LABELS, MEMBERSHIP_STATUSES)}`,
    );
  }
  if (!raw('siren')) fail('siren', 'champ obligatoire vide : SIREN');

  let population: number | undefined;
  const populationText = raw('population').replace(/[\s\u00a0\u202f]/g, '');
  if (populationText !== '') {
    if (/^\d+$/.test(populationText)) population = Number(populationText);
    else fail('population', 'population : nombre entier positif attendu (sans décimales ni texte)');
  }

  let departementCode: string | undefined;
  const departementText = raw('departementCode');
  if (departementText) {
    departementCode = resolveDepartement(departementText, ctx.refs.departements, ctx.departementByName);
    if (!departementCode)
      fail('departementCode', 'département inconnu : indiquez son code (85) ou son nom (Vendée)');
  }

  const siren = compactIdentifier(raw('siren'));
  const communeCode = padDigits(raw('communeCode').toUpperCase(), 5);
  const epciCode = compactIdentifier(raw('epciCode')) || (kind === 'epci' ? siren : '');
  const optional = (v: string) => (v === '' ? undefined : v);
  const input = {
    kind: kind ?? raw('kind'),
    name: optional(raw('name')),
    siren,
    siret: optional(raw('siret')),
    communeCode: optional(communeCode),
    epciCode: optional(epciCode),
    departementCode,
    address: optional(raw('address')),
    postalCode: optional(padDigits(raw('postalCode'), 5)),
    city: optional(raw('city')),
    population,
    status: status ?? undefined,
  };
  const checked = memberInputSchema.safeParse(input);
  if (!checked.success) {
    for (const zodIssue of checked.error.issues) {
      const field = INPUT_FIELDS[String(zodIssue.path[0])];
      if (field === 'kind' || field === 'status') continue;
      if (field === 'siren' && !siren) continue;
      if (field === 'name' && !raw('name') && (!kind || ctx.nameColumnMissing)) {
        needsNameColumn = !!kind;
        continue;
      }
      fail(field ?? null, firstMessage(zodIssue));
    }
  }
  const value = checked.success ? checked.data : null;

  const line: MemberImportLine = {
    line: row.line,
    kind: kind ?? 'autre',
    epciType: null,
    name: value?.name ?? '',
    siren,
    siret: value?.siret ?? null,
    communeCode: value?.communeCode ?? null,
    epciCode: value?.epciCode ?? null,
    departementCode: departementCode ?? null,
    address: value?.address ?? null,
    postalCode: value?.postalCode ?? null,
    city: value?.city ?? null,
    population: population ?? null,
    status: status ?? 'member',
    parentSiren: null,
    contact: null,
  };

  if (population !== undefined && (kind === 'commune' || kind === 'epci')) {
    warn('population', "population ignorée : celle d'une commune ou d'un EPCI vient des données officielles");
  }

  if (line.siret && isValidSiren(siren) && !line.siret.startsWith(siren)) {
    fail('siret', `le SIRET doit commencer par le SIREN de la structure (${siren})`);
  }

  checkTerritory(line, ctx, raw, fail);

  if (siren && isValidSiren(siren)) {
    const first = ctx.firstLineOfSiren.get(siren);
    if (first !== undefined) {
      fail('siren', `SIREN en double dans le fichier : lignes ${first} et ${row.line}`);
    } else {
      ctx.firstLineOfSiren.set(siren, row.line);
    }
    const registered = ctx.refs.registered.get(siren);
    if (registered) fail('siren', `SIREN déjà enregistré : la structure « ${registered.name} » existe déjà`);
  }

  const parentText = raw('parentSiren');
  if (parentText) {
    const parent = compactIdentifier(parentText);
    if (!isValidSiren(parent)) {
      fail(
        'parentSiren',
        'SIREN de la structure parente invalide : 9 chiffres avec une clé de contrôle correcte (Luhn)',
      );
    } else if (parent === siren) {
      fail('parentSiren', 'une structure ne peut pas être sa propre structure parente');
    } else {
      line.parentSiren = parent;
    }
  }

  line.contact = readContact(raw, fail);
  return { line, errors, warnings, needsNameColumn };
}

/** The commune or EPCI a line names must exist; a commune's or EPCI's name and figures come from it. */
function checkTerritory(line: MemberImportLine, ctx: RowContext, raw: Raw, fail: Fail) {
  const { kind, siren } = line;
  if (line.communeCode) {
    const commune = ctx.refs.communes.get(line.communeCode);
    if (!commune) {
      fail(
        'communeCode',
        `code INSEE inconnu : aucune commune ${line.communeCode} dans le référentiel officiel`,
      );
    } else if (commune.abolished) {
      fail(
        'communeCode',
        `la commune ${line.communeCode} (${commune.name}) n'existe plus dans le référentiel officiel`,
      );
    } else {
      if (kind === 'commune') {
        if (commune.siren && isValidSiren(siren) && commune.siren !== siren) {
          fail(
            'siren',
            `ce SIREN n'est pas celui de la commune ${line.communeCode} (${commune.name}), dont le SIREN officiel est ${commune.siren}`,
          );
        }
        line.name ||= commune.name;
        line.population = commune.population;
      }
      if (!line.departementCode && ctx.refs.departements.has(commune.departementCode)) {
        line.departementCode = commune.departementCode;
      }
    }
  }

  if (line.epciCode) {
    const official = ctx.refs.epci.get(line.epciCode);
    if (!official) {
      if (raw('epciCode') || kind === 'epci') {
        fail(
          'epciCode',
          `code EPCI inconnu : aucun EPCI de SIREN ${line.epciCode} dans le référentiel officiel`,
          line.epciCode,
        );
      }
    } else if (official.abolished) {
      fail(
        'epciCode',
        `l'EPCI ${line.epciCode} (${official.name}) n'existe plus dans le référentiel officiel`,
      );
    } else if (kind === 'epci') {
      if (line.epciCode !== siren && isValidSiren(siren)) {
        fail('epciCode', `le code d'un EPCI est son SIREN : ${siren} attendu`);
      }
      line.epciType = official.type;
      line.name ||= official.name;
      line.population = official.population;
      if (!line.departementCode) {
        line.departementCode =
          [official.mainDepartementCode, ...official.departementCodes].find(
            (d) => d && ctx.refs.departements.has(d),
          ) ?? null;
      }
    }
  }
}

/** The optional contact columns: all or nothing of a person, with a known role. */
function readContact(raw: Raw, fail: Fail): MemberImportLine['contact'] {
  const given = (
    ['contactLastName', 'contactFirstName', 'contactRole', 'contactEmail', 'contactPhone'] as const
  ).some((f) => raw(f) !== '');
  if (!given) return null;
  const role = raw('contactRole') ? parseContactRole(raw('contactRole')) : null;
  if (!raw('contactRole')) {
    fail('contactRole', 'rôle du contact obligatoire quand un contact est indiqué');
  } else if (!role) {
    fail(
      'contactRole',
      `rôle du contact inconnu ; valeurs acceptées : ${accepted(CONTACT_ROLE_LABELS, CONTACT_ROLES)}`,
    );
  }
  const contact = contactInputSchema.safeParse({
    role: role ?? undefined,
    firstName: raw('contactFirstName'),
    lastName: raw('contactLastName'),
    email: raw('contactEmail'),
    phone: raw('contactPhone'),
  });
  if (!contact.success) {
    for (const zodIssue of contact.error.issues) {
      const field = CONTACT_FIELDS[String(zodIssue.path[0])];
      if (field && field !== 'contactRole') fail(field, `contact : ${firstMessage(zodIssue)}`);
    }
    return null;
  }
  const { firstName, lastName, email, phone } = contact.data;
  return { role: contact.data.role, firstName, lastName, email: email ?? null, phone: phone ?? null };
}

/** Parents must exist in the file or the registry, without loops. */
function checkParents(
  candidates: { line: MemberImportLine; bad: boolean }[],
  refs: ImportReferences,
  columns: ColumnMap,
): MemberImportIssue[] {
  const errors: MemberImportIssue[] = [];
  const lineOfSiren = new Map(candidates.map((c) => [c.line.siren, c.line]));
  for (const candidate of candidates) {
    const parent = candidate.line.parentSiren;
    if (!parent || lineOfSiren.has(parent) || refs.registered.has(parent)) continue;
    candidate.bad = true;
    errors.push(
      issue(
        candidate.line.line,
        columns.header.parentSiren,
        parent,
        `structure parente introuvable : aucun SIREN ${parent} dans le fichier ni parmi les structures enregistrées`,
      ),
    );
  }
  for (const candidate of candidates) {
    const seen = new Set<string>([candidate.line.siren]);
    let parent = candidate.line.parentSiren;
    while (parent && lineOfSiren.has(parent)) {
      if (seen.has(parent)) {
        candidate.bad = true;
        errors.push(
          issue(
            candidate.line.line,
            columns.header.parentSiren,
            candidate.line.parentSiren,
            'structures parentes en boucle : une structure ne peut pas être sa propre parente, même indirectement',
          ),
        );
        break;
      }
      seen.add(parent);
      parent = lineOfSiren.get(parent)?.parentSiren ?? null;
    }
  }

  return errors;
}

export function toReport(result: ValidationResult): MemberImportReport {
  return {
    dryRun: true,
    totalLines: result.totalLines,
    validLines: result.lines.length,
    errors: result.errors,
    warnings: result.warnings,
    preview: result.lines.slice(0, MEMBER_IMPORT_PREVIEW_SIZE),
  };
}

// ---------------------------------------------------------------------------------------------
// Database: batched lookups and the all-or-nothing write
// ---------------------------------------------------------------------------------------------

const LOOKUP_CHUNK = 5_000;
const INSERT_CHUNK = 2_000;

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export async function loadReferences(db: Executor, keys: ReferenceKeys): Promise<ImportReferences> {
  const refs: ImportReferences = {
    communes: new Map(),
    epci: new Map(),
    departements: new Map(),
    registered: new Map(),
  };
  for (const row of await db
    .select({ code: departements.code, name: departements.name })
    .from(departements)) {
    refs.departements.set(row.code, row.name);
  }
  for (const codes of chunks(keys.communeCodes, LOOKUP_CHUNK)) {
    const rows = await db
      .select({
        code: communes.code,
        name: communes.name,
        departementCode: communes.departementCode,
        population: communes.population,
        siren: communes.siren,
        epciCode: communes.epciCode,
        abolishedAt: communes.abolishedAt,
      })
      .from(communes)
      .where(inArray(communes.code, codes));
    for (const { code, abolishedAt, ...rest } of rows)
      refs.communes.set(code, { ...rest, abolished: !!abolishedAt });
  }
  for (const codes of chunks(keys.epciCodes, LOOKUP_CHUNK)) {
    const rows = await db
      .select({
        code: epci.code,
        name: epci.name,
        type: epci.type,
        population: epci.population,
        departementCodes: epci.departementCodes,
        abolishedAt: epci.abolishedAt,
      })
      .from(epci)
      .where(inArray(epci.code, codes));
    const main = new Map<string, string>();
    if (rows.length > 0) {
      const spread = await db
        .select({ epciCode: communes.epciCode, departementCode: communes.departementCode, n: count() })
        .from(communes)
        .where(
          inArray(
            communes.epciCode,
            rows.map((r) => r.code),
          ),
        )
        .groupBy(communes.epciCode, communes.departementCode)
        .orderBy(desc(count()), asc(communes.departementCode));
      for (const row of spread)
        if (row.epciCode && !main.has(row.epciCode)) main.set(row.epciCode, row.departementCode);
    }
    for (const { code, abolishedAt, ...rest } of rows) {
      refs.epci.set(code, { ...rest, mainDepartementCode: main.get(code) ?? null, abolished: !!abolishedAt });
    }
  }
  for (const sirens of chunks(keys.sirens, LOOKUP_CHUNK)) {
    const rows = await db
      .select({ id: organisations.id, name: organisations.name, siren: organisations.siren })
      .from(organisations)
      .where(inArray(organisations.siren, sirens));
    for (const row of rows) refs.registered.set(row.siren, { id: row.id, name: row.name });
  }
  return refs;
}

/**
 * Inserts rows sent as one JSON parameter per batch (`json_to_recordset`) rather than as thousands of
 * bound values: half the time on PGlite, and far from PostgreSQL's 65,535-parameter limit. Rows are
 * keyed by the table's property names; rows of one batch may reference each other (a parent and its
 * CCAS) because foreign keys are checked at the end of the statement.
 */
async function bulkInsert<T extends PgTable>(
  db: Executor,
  table: T,
  rows: Partial<Record<keyof T['_']['columns'] & string, unknown>>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const target = sql.join(
    keys.map((k) => sql.identifier(columns[k].name)),
    sql`, `,
  );
  const picked = sql.join(
    keys.map((k) => sql.identifier(k)),
    sql`, `,
  );
  const shape = sql.join(
    keys.map((k) => sql`${sql.identifier(k)} ${sql.raw(columns[k].getSQLType())}`),
    sql`, `,
  );
  for (const batch of chunks(rows, INSERT_CHUNK)) {
    await db.execute(
      sql`INSERT INTO ${table} (${target}) SELECT ${picked} FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(${shape})`,
    );
  }
}

/**
 * Writes every line (members, their contact, the initial step of their history). The caller runs it
 * in the transaction that validated the file, so a failure leaves nothing written.
 */
export async function insertMembers(
  db: Executor,
  lines: MemberImportLine[],
  refs: ImportReferences,
  actorUserId: string,
  effectiveOn: string,
): Promise<number> {
  const idOf = new Map(lines.map((l) => [l.siren, crypto.randomUUID()]));
  const bySiren = new Map(lines.map((l) => [l.siren, l]));
  // Parents inside the file are written before their children so each batch's foreign keys hold.
  const depth = new Map<string, number>();
  const depthOf = (line: MemberImportLine): number => {
    const known = depth.get(line.siren);
    if (known !== undefined) return known;
    const parent = line.parentSiren ? bySiren.get(line.parentSiren) : undefined;
    const d = parent ? depthOf(parent) + 1 : 0;
    depth.set(line.siren, d);
    return d;
  };
  const ordered = [...lines].sort((a, b) => depthOf(a) - depthOf(b) || a.line - b.line);

  await bulkInsert(
    db,
    organisations,
    ordered.map((l) => ({
      id: idOf.get(l.siren) as string,
      kind: l.kind,
      epciType: l.epciType,
      name: l.name,
      searchName: searchKey(l.name),
      siren: l.siren,
      siret: l.siret,
      communeCode: l.communeCode,
      epciCode: l.epciCode,
      departementCode: l.departementCode,
      address: l.address,
      postalCode: l.postalCode,
      city: l.city,
      // Read from the territory tables for communes and EPCI, so that a new vintage updates it.
      population: l.kind === 'commune' || l.kind === 'epci' ? null : l.population,
      parentId: l.parentSiren
        ? (idOf.get(l.parentSiren) ?? refs.registered.get(l.parentSiren)?.id ?? null)
        : null,
      status: l.status,
    })),
  );
  await bulkInsert(
    db,
    memberContacts,
    ordered.filter((l) => l.contact).map((l) => ({ memberId: idOf.get(l.siren) as string, ...l.contact! })),
  );
  await bulkInsert(
    db,
    membershipEvents,
    ordered.map((l) => ({
      memberId: idOf.get(l.siren) as string,
      toStatus: l.status,
      effectiveOn,
      note: 'Import CSV',
      actorUserId,
    })),
  );
  return ordered.length;
}

// ---------------------------------------------------------------------------------------------
// The use case
// ---------------------------------------------------------------------------------------------

export type ImportOutcome =
  | { kind: 'report'; report: MemberImportReport }
  | { kind: 'refused'; report: MemberImportReport }
  | { kind: 'created'; created: number };

/** Reads, checks and (unless `dryRun` or any error) records a file of members. */
export async function importMembers(
  db: Executor,
  bytes: Uint8Array,
  options: { dryRun: boolean; actorUserId: string; today?: string },
): Promise<ImportOutcome> {
  const result = await checkFile(db, bytes);
  const report = toReport(result.validation);
  if (options.dryRun) return { kind: 'report', report };
  if (report.errors.length > 0) return { kind: 'refused', report };
  const created = await insertMembers(
    db,
    result.validation.lines,
    result.refs,
    options.actorUserId,
    options.today ?? today(),
  );
  return { kind: 'created', created };
}

const EMPTY_REFS: ImportReferences = {
  communes: new Map(),
  epci: new Map(),
  departements: new Map(),
  registered: new Map(),
};

async function checkFile(db: Executor, bytes: Uint8Array) {
  let parsed: ParsedCsv;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    return fileLevel(0, issue(error.line, null, null, error.message));
  }
  if (parsed.rows.length > MEMBER_IMPORT_MAX_LINES) {
    return fileLevel(
      parsed.rows.length,
      issue(
        1,
        null,
        null,
        `le fichier compte ${parsed.rows.length.toLocaleString('fr-FR')} lignes : ${MEMBER_IMPORT_MAX_LINES.toLocaleString('fr-FR')} au plus par import. Découpez-le en plusieurs fichiers.`,
      ),
    );
  }
  const columns = mapColumns(parsed.headers);
  const refs = await loadReferences(db, referenceKeys(parsed, columns));
  return { validation: validateRows(parsed, columns, refs), refs };
}

const fileLevel = (totalLines: number, problem: MemberImportIssue) => ({
  validation: { totalLines, lines: [], errors: [problem], warnings: [] } as ValidationResult,
  refs: EMPTY_REFS,
});
