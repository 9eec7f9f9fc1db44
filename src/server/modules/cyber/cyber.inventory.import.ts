import {
  ASSET_KIND_LABELS,
  ASSET_KINDS,
  EXPOSURES,
  INVENTORY_IMPORT_COLUMNS,
  INVENTORY_IMPORT_MAX_ROWS,
  type InventoryImportReport,
  type InventoryItem,
  type InventoryItemInput,
  inventoryItemInputSchema,
  RUNNERS,
} from '../../../contracts/cyber.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { CsvFileError, parseCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, unprocessable } from '../../platform/errors.js';
import type { Column, Sheet } from '../../platform/export/spreadsheet.js';
import * as repo from './cyber.inventory.repository.js';
import { assetValues } from './cyber.inventory.service.js';

/**
 * The inventory's CSV import, with the members import's conventions: the same reader (encoding,
 * separator, line numbers), a dry run first, one French message per faulty line, and nothing
 * written unless every line is right.
 */

type ImportColumn = (typeof INVENTORY_IMPORT_COLUMNS)[number];

/** Words accepted for each code, compared without accents, case or punctuation. */
const KIND_WORDS = new Map<string, (typeof ASSET_KINDS)[number]>([
  ...ASSET_KINDS.map((k) => [searchKey(k), k] as const),
  ...ASSET_KINDS.map((k) => [searchKey(ASSET_KIND_LABELS[k]), k] as const),
  [searchKey('poste'), 'workstation'],
  [searchKey('postes'), 'workstation'],
  [searchKey('reseau'), 'network'],
  [searchKey('site'), 'website'],
  [searchKey('domaine'), 'domain'],
  [searchKey('messagerie'), 'mailbox'],
]);
const RUNNER_WORDS = new Map<string, (typeof RUNNERS)[number]>([
  ...RUNNERS.map((r) => [searchKey(r), r] as const),
  [searchKey('structure'), 'member'],
  [searchKey('la structure'), 'member'],
  [searchKey('operateur'), 'operator'],
  [searchKey('prestataire'), 'vendor'],
  [searchKey('editeur'), 'vendor'],
]);
const EXPOSURE_WORDS = new Map<string, (typeof EXPOSURES)[number]>([
  ...EXPOSURES.map((e) => [searchKey(e), e] as const),
  [searchKey('interne'), 'internal'],
  [searchKey('inconnue'), 'unknown'],
  [searchKey('oui'), 'internet'],
  [searchKey('non'), 'internal'],
]);

const FIELD_OF: Record<string, ImportColumn> = {
  kind: 'type',
  name: 'nom',
  quantity: 'quantite',
  vendor: 'editeur',
  product: 'produit',
  version: 'version',
  cpe: 'cpe',
  runner: 'exploitant',
  exposure: 'exposition',
  notes: 'notes',
};

interface LineError {
  line: number;
  column: string | null;
  message: string;
}

function readRows(bytes: Buffer): {
  rows: { line: number; input: InventoryItemInput | null }[];
  errors: LineError[];
} {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (error instanceof CsvFileError) {
      return { rows: [], errors: [{ line: error.line, column: null, message: error.message }] };
    }
    throw error;
  }
  const index = new Map<ImportColumn, number>();
  parsed.headers.forEach((header, i) => {
    const key = searchKey(header).replace(/\s+/g, '');
    const column = INVENTORY_IMPORT_COLUMNS.find((c) => c === key);
    if (column && !index.has(column)) index.set(column, i);
  });
  const errors: LineError[] = [];
  for (const required of ['type', 'nom'] as const) {
    if (!index.has(required)) {
      errors.push({
        line: 1,
        column: required,
        message: `Colonne « ${required} » absente de la première ligne.`,
      });
    }
  }
  if (errors.length > 0) return { rows: [], errors };
  if (parsed.rows.length > INVENTORY_IMPORT_MAX_ROWS) {
    return {
      rows: [],
      errors: [
        {
          line: 1,
          column: null,
          message: `Le fichier compte ${parsed.rows.length} lignes : ${INVENTORY_IMPORT_MAX_ROWS} au plus par import.`,
        },
      ],
    };
  }
  const rows = parsed.rows.map(({ line, cells }) => {
    const cell = (c: ImportColumn) => {
      const i = index.get(c);
      const value = i === undefined ? '' : (cells[i] ?? '').trim();
      return value === '' ? undefined : value;
    };
    const lineErrors: LineError[] = [];
    const word = <T>(column: ImportColumn, words: Map<string, T>, what: string): T | undefined => {
      const value = cell(column);
      if (value === undefined) return undefined;
      const found = words.get(searchKey(value));
      if (found === undefined) lineErrors.push({ line, column, message: `${what} « ${value} » inconnu(e).` });
      return found;
    };
    const quantityText = cell('quantite');
    const quantity = quantityText === undefined ? undefined : Number(quantityText.replace(/\s/g, ''));
    const candidate = {
      kind: word('type', KIND_WORDS, 'Type'),
      name: cell('nom'),
      quantity,
      vendor: cell('editeur') ?? null,
      product: cell('produit') ?? null,
      version: cell('version') ?? null,
      cpe: cell('cpe') ?? null,
      runner: word('exploitant', RUNNER_WORDS, 'Exploitant'),
      exposure: word('exposition', EXPOSURE_WORDS, 'Exposition'),
      notes: cell('notes') ?? null,
    };
    if (lineErrors.length > 0) {
      errors.push(...lineErrors);
      return { line, input: null };
    }
    const result = inventoryItemInputSchema.safeParse(candidate);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? '');
        errors.push({ line, column: FIELD_OF[field] ?? null, message: issue.message });
      }
      return { line, input: null };
    }
    return { line, input: result.data };
  });
  return { rows, errors };
}

export async function importInventory(
  db: Executor,
  memberId: string,
  bytes: Buffer,
  options: { dryRun: boolean; mode: 'append' | 'replace' },
  source: AuditSource,
): Promise<InventoryImportReport> {
  const { rows, errors } = readRows(bytes);
  const report: InventoryImportReport = {
    dryRun: options.dryRun,
    rows: rows.length,
    created: rows.filter((r) => r.input).length,
    removed: 0,
    errors,
  };
  if (errors.length > 0) {
    if (options.dryRun) return report;
    throw unprocessable(
      `Le fichier contient ${errors.length} erreur(s) : rien n'a été enregistré. Corrigez-les puis importez de nouveau.`,
      errors.slice(0, 50).map((e) => ({
        path: `file.line${e.line}${e.column ? `.${e.column}` : ''}`,
        message: `Ligne ${e.line} : ${e.message}`,
      })),
    );
  }
  if (rows.length === 0) {
    throw invalid('Le fichier ne contient aucune ligne à importer.', [
      { path: 'body.file', message: 'aucune ligne' },
    ]);
  }
  if (options.dryRun) return report;
  if (options.mode === 'replace') report.removed = await repo.deleteMemberLines(db, memberId);
  await repo.insertAssets(
    db,
    rows.flatMap((r) => (r.input ? [assetValues(memberId, r.input)] : [])),
  );
  await recordAudit(db, {
    ...source,
    action: 'cyber.inventory.import',
    memberId,
    details: { created: report.created, removed: report.removed, mode: options.mode },
  });
  return report;
}

export const INVENTORY_SHEET: Sheet<InventoryItem> = {
  name: 'Inventaire',
  frozenColumns: 2,
  columns: [
    { header: 'type', width: 18, value: (r) => r.kind },
    { header: 'nom', width: 30, value: (r) => r.name },
    { header: 'quantite', width: 10, value: (r) => r.quantity },
    { header: 'editeur', width: 20, value: (r) => r.vendor },
    { header: 'produit', width: 20, value: (r) => r.product },
    { header: 'version', width: 12, value: (r) => r.version },
    { header: 'cpe', width: 40, value: (r) => r.cpe },
    {
      header: 'exploitant',
      width: 14,
      value: (r) => ({ member: 'structure', operator: 'operateur', vendor: 'prestataire' })[r.runner],
    },
    {
      header: 'exposition',
      width: 12,
      value: (r) => ({ internet: 'internet', internal: 'interne', unknown: 'inconnue' })[r.exposure],
    },
    { header: 'notes', width: 30, value: (r) => r.notes },
    {
      header: 'origine',
      width: 28,
      value: (r) => (r.source === 'catalogue' ? `Service : ${r.serviceName ?? ''}` : 'Saisie'),
    },
  ] satisfies Column<InventoryItem>[],
};
