import { INT4_MAX } from '../../../contracts/common.js';
import {
  type DeclaredUnitsReport,
  LICENCE_ALERT_THRESHOLDS,
  type Licence,
  NEAR_CAP_RATIO,
  type SeatRequest,
  USAGE_COUNT_COLUMNS,
  USAGE_ID_COLUMNS,
  USAGE_IMPORT_MAX_ROWS,
  USAGE_STATUS_COLUMNS,
  type UsageImportReport,
} from '../../../contracts/hosting.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import { CsvFileError, parseCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound, unprocessable } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { pricingAdoption } from '../pricing/pricing.service.js';
import { updateUnits } from '../subscriptions/subscriptions.lifecycle.service.js';
import * as repo from './hosting.repository.js';

/**
 * Licences of the per-unit hosted services: the seats allowed are the subscription's declared units,
 * the seats used are declared by the member or imported from the software's own export (CSV). The
 * member's admins are mailed once per threshold crossed (near the cap, at the cap); more seats are
 * asked for by a request the hosting team approves (the subscriptions' change of units) or refuses;
 * the operator may take the usage as the
 * declared units the pricing engine shares a year's costs by.
 */

export interface LicenceDeps {
  mailer: Mailer;
  publicUrl: string;
}

function presentLicence(row: repo.LicenceRow): Licence {
  const allowed = row.units ?? 0;
  const used = row.seats_used;
  return {
    subscriptionId: row.subscription_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    unitLabel: row.unit_label,
    seatsAllowed: allowed,
    seatsUsed: used,
    source: row.source,
    updatedAt: row.updated_at ? new Date(row.updated_at).toISOString() : null,
    nearCap: used !== null && used >= allowed * NEAR_CAP_RATIO,
    overCap: used !== null && used > allowed,
    pendingRequest:
      row.pending_id && row.pending_additional !== null && row.pending_at
        ? {
            id: row.pending_id,
            additional: row.pending_additional,
            requestedAt: new Date(row.pending_at).toISOString(),
          }
        : null,
  };
}

export async function listLicences(db: Executor, memberId: string): Promise<{ items: Licence[] }> {
  return { items: (await repo.licencesOf(db, memberId)).map(presentLicence) };
}

async function requireLicence(db: Executor, memberId: string, subscriptionId: string) {
  const [row] = await repo.licencesOf(db, memberId, subscriptionId);
  if (!row) throw notFound('Aucun abonnement à un service par licences ne porte cet identifiant.');
  return row;
}

/** The highest alert threshold (percent of the seats allowed) the usage reaches; 0 below the first. */
export function thresholdReached(used: number, allowed: number): number {
  let reached = 0;
  for (const percent of LICENCE_ALERT_THRESHOLDS) {
    if (allowed > 0 ? used * 100 >= percent * allowed : used > 0) reached = percent;
  }
  return reached;
}

/**
 * After the usage changed: a threshold newly reached mails the member's admins (outbox, in the
 * transaction) and is remembered, so each is told once; usage falling back lowers the mark.
 */
async function alertNearCap(db: Executor, deps: LicenceDeps, memberId: string, row: repo.LicenceRow) {
  const used = row.seats_used ?? 0;
  const allowed = row.units ?? 0;
  const reached = thresholdReached(used, allowed);
  const alerted = row.alerted_percent ?? 0;
  if (reached === alerted) return;
  await repo.setAlertedPercent(db, row.subscription_id, reached);
  if (reached < alerted) return;
  const atCap = reached >= 100;
  const subject = `[Socle] Licences ${row.service_name} : ${atCap ? 'plafond atteint' : 'bientôt au plafond'}`;
  const text = [
    'Bonjour,',
    '',
    `Votre structure utilise ${used} ${row.unit_label} sur ${allowed} prévu(e)s par son abonnement à « ${row.service_name} » (${allowed > 0 ? Math.floor((used * 100) / allowed) : 100} %).`,
    atCap
      ? 'Le plafond est atteint : de nouveaux comptes pourraient être refusés.'
      : 'Le plafond sera bientôt atteint.',
    '',
    `Pour demander des licences supplémentaires en un clic, rendez-vous dans la section « Hébergement » de votre espace : ${deps.publicUrl.replace(/\/$/, '')}/espace`,
    '',
    'L’équipe hébergement',
  ].join('\n');
  for (const to of await repo.memberAdminEmails(db, memberId))
    await deps.mailer.send(db, { to, subject, text });
}

async function writeUsage(
  db: Executor,
  deps: LicenceDeps,
  memberId: string,
  subscriptionId: string,
  usage: { seatsUsed: number; source: 'declared' | 'import' },
  source: AuditSource,
  details: Record<string, unknown> = {},
): Promise<Licence> {
  await repo.upsertLicenceUsage(db, {
    subscriptionId,
    memberId,
    seatsUsed: usage.seatsUsed,
    source: usage.source,
    updatedBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: usage.source === 'import' ? 'hosting.licence.import' : 'hosting.licence.usage',
    memberId,
    targetType: 'subscription',
    targetId: subscriptionId,
    details: { seatsUsed: usage.seatsUsed, ...details },
  });
  const row = await requireLicence(db, memberId, subscriptionId);
  await alertNearCap(db, deps, memberId, row);
  return presentLicence(row);
}

/** The member (or the team) declares the seats it uses. */
export async function declareUsage(
  db: Executor,
  deps: LicenceDeps,
  memberId: string,
  subscriptionId: string,
  seatsUsed: number,
  source: AuditSource,
): Promise<Licence> {
  await requireLicence(db, memberId, subscriptionId);
  return writeUsage(db, deps, memberId, subscriptionId, { seatsUsed, source: 'declared' }, source);
}

function presentSeatRequest(row: repo.SeatRequestRow): SeatRequest {
  return {
    id: row.id,
    memberId: row.member_id,
    memberName: row.member_name,
    subscriptionId: row.subscription_id,
    serviceName: row.service_name,
    unitLabel: row.unit_label,
    additional: row.additional,
    unitsBefore: row.units_before,
    status: row.status,
    requestedAt: new Date(row.requested_at).toISOString(),
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    decisionNote: row.decision_note,
  };
}

/** Mails the hosting team of a new request for more seats (hosting.jobs.ts, run as the system). */
export const SEAT_REQUEST_NOTIFY_JOB = 'hosting.seat-request.notify';

/**
 * More seats in one click: a request the hosting team approves or refuses (the seats allowed do not
 * change until then); one pending request per subscription. The team is told by mail: the job that
 * writes it is queued in this transaction (the team's addresses are not the member's to read under
 * RLS), so a request exists if and only if its mail does.
 */
export async function askForMoreSeats(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  additional: number,
  source: AuditSource,
): Promise<SeatRequest> {
  const row = await requireLicence(db, memberId, subscriptionId);
  const id = await repo.insertSeatRequest(db, {
    memberId,
    subscriptionId,
    additional,
    unitsBefore: row.units ?? 0,
    requestedAt: now(),
    requestedBy: source.actorUserId,
  });
  if (!id) {
    throw conflict(
      'Une demande de licences supplémentaires est déjà en attente pour cet abonnement : l’équipe hébergement y répondra.',
    );
  }
  await recordAudit(db, {
    ...source,
    action: 'hosting.seat-request.create',
    memberId,
    targetType: 'hosting_seat_request',
    targetId: id,
    details: { subscriptionId, additional },
  });
  await enqueue(db, SEAT_REQUEST_NOTIFY_JOB, { requestId: id });
  const created = await repo.findSeatRequest(db, id);
  if (!created) throw notFound();
  return presentSeatRequest(created);
}

/**
 * Tells the hosting team (operator admins and the `hosting` scope) of a pending request, once: the
 * request is locked and marked in the transaction of the mails (a job run again sends nothing more; a
 * request decided meanwhile needs no mail). Returns how many were mailed.
 */
export async function notifySeatRequest(db: Executor, deps: LicenceDeps, requestId: string): Promise<number> {
  const row = await repo.seatRequestToNotify(db, requestId);
  if (!row) return 0;
  const team = await repo.hostingTeamEmails(db);
  const subject = `[Socle] Demande de licences : ${row.member_name} (${row.service_name})`;
  const text = [
    'Bonjour,',
    '',
    `${row.member_name} demande ${row.additional} ${row.unit_label} supplémentaires pour « ${row.service_name} » : son abonnement en prévoit ${row.units_before} aujourd’hui.`,
    ...(row.requested_by_name ? [`Demande faite par ${row.requested_by_name}.`] : []),
    '',
    `Pour l’accepter ou la refuser : ${deps.publicUrl.replace(/\/$/, '')}/operateur/hebergement`,
  ].join('\n');
  for (const to of team) await deps.mailer.send(db, { to, subject, text });
  await repo.markSeatRequestNotified(db, row.id, now());
  return team.length;
}

/** The requests for more seats, for the hosting team (pending ones by default, oldest first). */
export async function listSeatRequests(
  db: Executor,
  status: SeatRequest['status'] = 'pending',
): Promise<{ items: SeatRequest[] }> {
  return { items: (await repo.seatRequests(db, { status })).map(presentSeatRequest) };
}

async function pendingRequest(db: Executor, requestId: string) {
  const row = await repo.findSeatRequest(db, requestId, true);
  if (!row) throw notFound("Cette demande de licences n'existe pas.");
  if (row.status !== 'pending') throw unprocessable('Cette demande a déjà été traitée.');
  return row;
}

async function tellMember(
  db: Executor,
  deps: LicenceDeps,
  row: repo.SeatRequestRow,
  units: number | null,
  note: string | null,
) {
  const approved = units !== null;
  const subject = `[Socle] Licences ${row.service_name} : demande ${approved ? 'acceptée' : 'refusée'}`;
  const text = [
    'Bonjour,',
    '',
    approved
      ? `Votre demande de ${row.additional} ${row.unit_label} supplémentaires pour « ${row.service_name} » est acceptée : votre abonnement en prévoit désormais ${units}.`
      : `Votre demande de ${row.additional} ${row.unit_label} supplémentaires pour « ${row.service_name} » est refusée.`,
    ...(note ? ['', `Motif : ${note}`] : []),
    '',
    `Vos licences : ${deps.publicUrl.replace(/\/$/, '')}/espace?onglet=hebergement`,
    '',
    'L’équipe hébergement',
  ].join('\n');
  for (const to of await repo.memberAdminEmails(db, row.member_id))
    await deps.mailer.send(db, { to, subject, text });
}

/**
 * The team approves: the subscription's declared units grow by the seats asked (subscriptions'
 * updateUnits, in its history), from the units of the day; the member's admins are mailed.
 */
export async function approveSeatRequest(
  db: Executor,
  deps: LicenceDeps,
  requestId: string,
  source: AuditSource,
): Promise<SeatRequest> {
  const row = await pendingRequest(db, requestId);
  const [licence] = await repo.licencesOf(db, row.member_id, row.subscription_id);
  if (!licence) throw unprocessable("L'abonnement de cette demande n'est plus actif : refusez-la.");
  const units = (licence.units ?? 0) + row.additional;
  await updateUnits(db, row.member_id, row.subscription_id, { units }, source);
  await repo.decideSeatRequest(db, row.id, {
    status: 'approved',
    decidedAt: now(),
    decidedBy: source.actorUserId,
    decisionNote: null,
  });
  await recordAudit(db, {
    ...source,
    action: 'hosting.seat-request.approve',
    memberId: row.member_id,
    targetType: 'hosting_seat_request',
    targetId: row.id,
    details: { subscriptionId: row.subscription_id, units },
  });
  await tellMember(db, deps, row, units, null);
  // The usage against the new cap: the near-cap mark falls back as the seats grow.
  const updated = await requireLicence(db, row.member_id, row.subscription_id);
  await alertNearCap(db, deps, row.member_id, updated);
  const decided = await repo.findSeatRequest(db, row.id);
  if (!decided) throw notFound();
  return presentSeatRequest(decided);
}

/** The team refuses, with the reason the member's admins are mailed; the units do not change. */
export async function refuseSeatRequest(
  db: Executor,
  deps: LicenceDeps,
  requestId: string,
  reason: string,
  source: AuditSource,
): Promise<SeatRequest> {
  const row = await pendingRequest(db, requestId);
  await repo.decideSeatRequest(db, row.id, {
    status: 'refused',
    decidedAt: now(),
    decidedBy: source.actorUserId,
    decisionNote: reason,
  });
  await recordAudit(db, {
    ...source,
    action: 'hosting.seat-request.refuse',
    memberId: row.member_id,
    targetType: 'hosting_seat_request',
    targetId: row.id,
    details: { subscriptionId: row.subscription_id },
  });
  await tellMember(db, deps, row, null, reason);
  const decided = await repo.findSeatRequest(db, row.id);
  if (!decided) throw notFound();
  return presentSeatRequest(decided);
}

// The software's export (CSV) ---------------------------------------------------------------------

interface LineError {
  line: number;
  column: string | null;
  message: string;
}

const ACTIVE_WORDS = new Set(
  [
    'oui',
    'o',
    'vrai',
    'true',
    '1',
    'actif',
    'active',
    'activé',
    'enabled',
    'yes',
    'y',
    'ouvert',
    'valide',
  ].map(searchKey),
);
const INACTIVE_WORDS = new Set(
  [
    'non',
    'n',
    'faux',
    'false',
    '0',
    'inactif',
    'inactive',
    'désactivé',
    'disabled',
    'no',
    'suspendu',
    'bloqué',
    'verrouillé',
    'fermé',
    'archivé',
  ].map(searchKey),
);

/** Reads a software's export: the seats it counts, or one French message per faulty line. */
export function readUsageExport(bytes: Uint8Array): {
  encoding: string | null;
  rows: number;
  seatsUsed: number;
  inactive: number;
  errors: LineError[];
} {
  const empty = { encoding: null, rows: 0, seatsUsed: 0, inactive: 0 };
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (error instanceof CsvFileError)
      return { ...empty, errors: [{ line: error.line, column: null, message: error.message }] };
    throw error;
  }
  const find = (names: readonly string[]) => {
    const i = parsed.headers.findIndex((h) => names.includes(searchKey(h).replace(/\s+/g, '')));
    return i < 0 ? null : { index: i, name: parsed.headers[i]?.trim() ?? '' };
  };
  const countColumn = find(USAGE_COUNT_COLUMNS);
  const statusColumn = countColumn ? null : find(USAGE_STATUS_COLUMNS);
  const idColumn = countColumn ? null : find(USAGE_ID_COLUMNS);
  const base = { ...empty, encoding: parsed.encoding, rows: parsed.rows.length };
  if (parsed.rows.length > USAGE_IMPORT_MAX_ROWS) {
    return {
      ...base,
      errors: [
        {
          line: 1,
          column: null,
          message: `Le fichier compte ${parsed.rows.length} lignes : ${USAGE_IMPORT_MAX_ROWS} au plus par import.`,
        },
      ],
    };
  }
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  let seatsUsed = 0;
  let inactive = 0;
  for (const { line, cells } of parsed.rows) {
    const cell = (column: { index: number }) => (cells[column.index] ?? '').trim();
    if (countColumn) {
      const value = cell(countColumn).replace(/[\s\u00a0\u202f]/g, '');
      if (!/^\d+$/.test(value)) {
        errors.push({
          line,
          column: countColumn.name,
          message:
            value === ''
              ? `nombre manquant dans la colonne « ${countColumn.name} ».`
              : `« ${cell(countColumn)} » n'est pas un nombre entier positif (colonne « ${countColumn.name} »).`,
        });
        continue;
      }
      seatsUsed += Number(value);
      continue;
    }
    if (idColumn) {
      const id = searchKey(cell(idColumn));
      if (id === '') {
        errors.push({
          line,
          column: idColumn.name,
          message: `identifiant manquant (colonne « ${idColumn.name} »).`,
        });
        continue;
      }
      const first = seen.get(id);
      if (first !== undefined) {
        errors.push({
          line,
          column: idColumn.name,
          message: `le compte « ${cell(idColumn)} » figure déjà ligne ${first}.`,
        });
        continue;
      }
      seen.set(id, line);
    }
    if (statusColumn) {
      const value = searchKey(cell(statusColumn));
      if (INACTIVE_WORDS.has(value)) {
        inactive++;
        continue;
      }
      if (!ACTIVE_WORDS.has(value)) {
        errors.push({
          line,
          column: statusColumn.name,
          message:
            value === ''
              ? `état du compte manquant (colonne « ${statusColumn.name} » : actif ou inactif).`
              : `état « ${cell(statusColumn)} » inconnu (colonne « ${statusColumn.name} » : actif ou inactif, oui ou non).`,
        });
        continue;
      }
    }
    seatsUsed++;
  }
  if (seatsUsed > INT4_MAX)
    errors.push({ line: 1, column: null, message: 'Le nombre de licences du fichier est trop grand.' });
  return { ...base, seatsUsed, inactive, errors };
}

/**
 * Imports the seats used from the software's own export: a dry run first (the report), then the
 * whole file or nothing (422 with one message per faulty line).
 */
export async function importUsage(
  db: Executor,
  deps: LicenceDeps,
  memberId: string,
  subscriptionId: string,
  bytes: Uint8Array,
  options: { dryRun: boolean },
  source: AuditSource,
): Promise<UsageImportReport> {
  const row = await requireLicence(db, memberId, subscriptionId);
  const read = readUsageExport(bytes);
  const report: UsageImportReport = {
    dryRun: options.dryRun,
    encoding: read.encoding,
    rows: read.rows,
    seatsUsed: read.seatsUsed,
    seatsAllowed: row.units ?? 0,
    inactive: read.inactive,
    errors: read.errors,
    licence: null,
  };
  if (read.errors.length > 0) {
    if (options.dryRun) return report;
    throw unprocessable(
      `Le fichier contient ${read.errors.length} erreur(s) : rien n'a été enregistré. Corrigez-les puis importez de nouveau.`,
      read.errors.slice(0, 50).map((e) => ({
        path: `file.line${e.line}`,
        message: `Ligne ${e.line} : ${e.message}`,
      })),
    );
  }
  if (read.rows === 0) {
    throw invalid('Le fichier ne contient aucune ligne après la ligne d’en-tête.', [
      { path: 'body.file', message: 'aucune ligne' },
    ]);
  }
  if (options.dryRun) return report;
  report.licence = await writeUsage(
    db,
    deps,
    memberId,
    subscriptionId,
    { seatsUsed: read.seatsUsed, source: 'import' },
    source,
    { rows: read.rows, inactive: read.inactive },
  );
  return report;
}

// Usage as the pricing engine's declared units -----------------------------------------------------

/**
 * The seats used as the declared units the pricing engine shares year `year`'s costs by: the
 * preview lists the subscriptions whose units differ from their usage; confirmed, each one's units
 * are set by the subscriptions' change of units (in its history). Refused once the year's tariffs
 * are adopted.
 */
export async function usageAsDeclaredUnits(
  db: Executor,
  input: { year: number; confirm: boolean },
  source: AuditSource,
): Promise<DeclaredUnitsReport> {
  const adoption = await pricingAdoption(db, input.year);
  if (adoption) {
    throw unprocessable(
      `Les tarifs ${input.year} sont adoptés depuis le ${adoption.adoptedOn} : leurs unités déclarées ne changent plus.`,
      [{ path: 'body.year', message: 'tarifs de cette année déjà adoptés' }],
    );
  }
  const rows = await repo.usageDifferingFromUnits(db, input.year);
  const changes = rows.map((r) => ({
    subscriptionId: r.subscription_id,
    memberId: r.member_id,
    memberName: r.member_name,
    serviceName: r.service_name,
    unitLabel: r.unit_label,
    units: r.units,
    seatsUsed: r.seats_used,
  }));
  if (input.confirm) {
    for (const change of changes) {
      await updateUnits(db, change.memberId, change.subscriptionId, { units: change.seatsUsed }, source);
    }
    await recordAudit(db, {
      ...source,
      action: 'hosting.licence.declared-units',
      details: { year: input.year, subscriptions: changes.length },
    });
  }
  return { year: input.year, confirmed: input.confirm, changes };
}
