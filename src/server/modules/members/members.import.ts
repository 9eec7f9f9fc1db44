import {
  MEMBER_IMPORT_MAX_LINES,
  MEMBER_IMPORT_PREVIEW_SIZE,
  type MemberImportIssue,
  type MemberImportReport,
  type MemberImportResponse,
} from '../../../contracts/members-import.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import { CsvFileError, type ParsedCsv, parseCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, uniqueOr } from '../../platform/errors.js';
import { issue, mapColumns } from './members.import.columns.js';
import {
  emptyReferences,
  insertMembers,
  loadReferences,
  referenceKeys,
} from './members.import.repository.js';
import { type ValidationResult, validateRows } from './members.import.validation.js';

/**
 * The members import use case: a CSV file is read (platform/csv), its columns recognised
 * (members.import.columns), every line checked against the official territory and the registry
 * (members.import.validation, with references from members.import.repository), then, unless it is a
 * dry run or anything is wrong, recorded whole in the caller's transaction, or not at all.
 */

/** Reads, checks and (unless `dryRun` or any error) records a file of members, and audits the import. */
export async function importMembers(
  db: Executor,
  bytes: Uint8Array,
  options: { dryRun: boolean },
  source: AuditSource,
): Promise<MemberImportResponse> {
  const result = await checkFile(db, bytes);
  const report = toReport(result.validation);
  if (options.dryRun) return report;
  if (report.errors.length > 0) throw refused(report);
  const created = await uniqueOr(
    () => insertMembers(db, result.validation.lines, result.refs, source.actorUserId, today()),
    () =>
      conflict(
        "Une structure du fichier vient d'être enregistrée par ailleurs : relancez la vérification du fichier.",
      ),
  );
  await recordAudit(db, {
    action: 'members.imported',
    ...source,
    targetType: 'organisation',
    details: { created },
  });
  return { dryRun: false, created };
}

/** The 422 answer of a commit with errors: nothing is written, the report says what to correct. */
function refused(report: MemberImportReport): DomainError {
  const count = report.totalLines - report.validLines;
  return new DomainError(
    'unprocessable',
    'Import refusé',
    `Aucune structure n'a été enregistrée : le fichier comporte ${report.errors.length} erreur(s)${count > 0 ? ` sur ${count} ligne(s)` : ''}. Corrigez-les puis importez à nouveau le fichier.`,
    undefined,
    { ...report, dryRun: false },
  );
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

/** A file refused as a whole (unreadable, too long): one problem, no line checked. */
function fileLevel(totalLines: number, problem: MemberImportIssue) {
  const validation: ValidationResult = { totalLines, lines: [], errors: [problem], warnings: [] };
  return { validation, refs: emptyReferences() };
}
