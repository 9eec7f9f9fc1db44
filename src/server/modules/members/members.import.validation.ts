import type { z } from 'zod';
import { compactIdentifier, isValidSiren } from '../../../contracts/identifiers.js';
import {
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  contactInputSchema,
  MEMBER_KIND_LABELS,
  MEMBER_KINDS,
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_STATUSES,
  memberInputSchema,
} from '../../../contracts/members.js';
import type {
  MemberImportField,
  MemberImportIssue,
  MemberImportLine,
} from '../../../contracts/members-import.js';
import { searchKey } from '../../../contracts/search.js';
import type { CsvRow, ParsedCsv } from '../../platform/csv/reader.js';
import {
  accepted,
  type ColumnMap,
  issue,
  padDigits,
  parseContactRole,
  parseKind,
  parseStatus,
} from './members.import.columns.js';
import type { ImportReferences } from './members.import.repository.js';

/**
 * The members import, pure part two: every line checked against the official territory and the
 * registry (loaded beforehand in a few batched queries), all problems reported at once, and the good
 * lines normalised into what will be written.
 */

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
