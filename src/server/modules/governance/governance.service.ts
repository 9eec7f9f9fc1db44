import {
  type AssemblyDetail,
  type AssemblyInput,
  type AssemblySummary,
  CONVOCATIONS_SERVICE_CODE,
  CONVOCATIONS_SERVICE_NAME,
  type CollegeInput,
  type DelegateDesignation,
  type Seat,
  type SeatInput,
  type SeatPatch,
} from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, forbidden, invalid, notFound, uniqueOr, unprocessable } from '../../platform/errors.js';
import { holdsService } from '../subscriptions/subscriptions.service.js';
import * as minutesRepo from './governance.minutes.repository.js';
import { governancePolicy } from './governance.policy.js';
import * as repo from './governance.repository.js';
import { addDays, convocationDays } from './governance.rules.js';

/**
 * Assemblies, their colleges and seats, and who may reach them. Sessions, convocations and votes
 * have their own services (governance.sessions, governance.convocations, governance.votes).
 */

export const ASSEMBLY_NOT_FOUND = "Cette assemblée n'existe pas ou ne vous est pas accessible.";
export const SUBSCRIPTION_REQUIRED = `Votre structure n'a pas souscrit au service « ${CONVOCATIONS_SERVICE_NAME} » : elle ne peut pas gérer ses assemblées dans Socle. Demandez ce service dans le catalogue.`;

export type AssemblyAccess = NonNullable<Awaited<ReturnType<typeof repo.findAssembly>>> & {
  canManage: boolean;
  operatorHeld: boolean;
};

/**
 * The assembly as `actor` may reach it: managing it (the policy, plus the member's subscription to
 * « Convocations électroniques des élus »), or reading it (the policy, or a seat in it). Unknown or
 * hidden assemblies answer 404; readers asking to manage, 403.
 */
export async function assemblyFor(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  need: 'read' | 'manage',
): Promise<AssemblyAccess> {
  const found = await repo.findAssembly(db, assemblyId);
  if (!found) throw notFound(ASSEMBLY_NOT_FOUND);
  const memberId = found.assembly.memberId;
  const operatorHeld = found.organisationKind === 'operator';
  const mayManage = governancePolicy(actor, 'governance:manage', memberId);
  const canRead =
    mayManage ||
    governancePolicy(actor, 'governance:read', memberId) ||
    (await repo.userSitsIn(db, actor.userId, assemblyId));
  // Who may not read an assembly does not learn it exists.
  if (!canRead) throw notFound(ASSEMBLY_NOT_FOUND);
  const subscribed =
    operatorHeld || !mayManage || (await holdsService(db, memberId, CONVOCATIONS_SERVICE_CODE));
  const canManage = mayManage && subscribed;
  if (need === 'manage' && !canManage) {
    throw forbidden(mayManage ? SUBSCRIPTION_REQUIRED : 'Votre rôle ne permet pas de gérer cette assemblée.');
  }
  return { ...found, canManage, operatorHeld };
}

// Assemblies -------------------------------------------------------------------------------------

/** The assemblies the actor may see: their current organisation's, and those they sit in. */
export async function listAssemblies(db: Executor, actor: Actor) {
  const organisationIds: string[] = [];
  const current = actor.current?.organisationId;
  if (current && governancePolicy(actor, 'governance:read', current)) organisationIds.push(current);
  const seated = await repo.seatedAssemblyIds(db, actor.userId);
  const day = today();
  const rows = await repo.listAssemblies(db, organisationIds, seated, day);
  const subscribed = new Map<string, boolean>();
  const items: AssemblySummary[] = [];
  for (const row of rows) {
    const memberId = row.assembly.memberId;
    let canManage = governancePolicy(actor, 'governance:manage', memberId);
    if (canManage && memberId !== current) canManage = false;
    if (canManage && !actor.isOperator) {
      if (!subscribed.has(memberId)) {
        subscribed.set(memberId, await holdsService(db, memberId, CONVOCATIONS_SERVICE_CODE));
      }
      canManage = subscribed.get(memberId) ?? false;
    }
    items.push({
      id: row.assembly.id,
      name: row.assembly.name,
      organisationId: memberId,
      organisationName: row.organisationName,
      kind: row.assembly.kind,
      inOffice: Number(row.inOffice),
      canManage,
      nextSessionAt: row.nextSessionAt ? new Date(row.nextSessionAt).toISOString() : null,
    });
  }
  return { items, total: items.length, nextCursor: null };
}

export async function createAssembly(db: Executor, actor: Actor, input: AssemblyInput, source: AuditSource) {
  if (!governancePolicy(actor, 'governance:manage', input.organisationId)) {
    throw forbidden('Votre rôle ne permet pas de créer une assemblée pour cette organisation.');
  }
  const organisation = await repo.findOrganisation(db, input.organisationId);
  if (!organisation) throw notFound("Cette organisation n'existe pas.");
  const operatorHeld = organisation.kind === 'operator';
  if (!operatorHeld && !(await holdsService(db, input.organisationId, CONVOCATIONS_SERVICE_CODE))) {
    throw forbidden(SUBSCRIPTION_REQUIRED);
  }
  if (operatorHeld !== (input.kind === 'comite_syndical' || input.kind === 'bureau')) {
    throw invalid(
      operatorHeld
        ? "L'opérateur tient un comité syndical et un bureau : choisissez l'un de ces types."
        : "Un comité syndical ou un bureau d'adhérent se crée pour un syndicat ; choisissez le conseil de votre structure.",
      [{ path: 'body.kind', message: "type d'assemblée impossible pour cette organisation" }],
    );
  }
  const row = await uniqueOr(
    () => repo.insertAssembly(db, { memberId: input.organisationId, kind: input.kind, name: input.name }),
    () =>
      conflict(`Une assemblée « ${input.name} » existe déjà pour cette organisation.`, [
        { path: 'body.name', message: 'nom déjà utilisé' },
      ]),
  );
  await recordAudit(db, {
    action: 'governance.assembly_created',
    ...source,
    memberId: input.organisationId,
    targetType: 'governance_assembly',
    targetId: row.id,
    details: { kind: input.kind },
  });
  return { id: row.id };
}

export async function getAssembly(db: Executor, actor: Actor, assemblyId: string): Promise<AssemblyDetail> {
  const access = await assemblyFor(db, actor, assemblyId, 'read');
  const { assembly } = access;
  const day = today();
  const [colleges, seats, upcoming, awaitingMinutes] = await Promise.all([
    repo.listColleges(db, assembly.memberId, assembly.id),
    repo.listSeats(db, assembly.memberId, assembly.id),
    repo.listSessions(db, assembly.memberId, assembly.id, 'upcoming', now()),
    minutesRepo.sessionsAwaitingMinutes(db, assembly.memberId, assembly.id),
  ]);
  const presented = seats.map((s) => presentSeat(s, day));
  const filled = new Map<string, number>();
  for (const seat of presented) {
    if (seat.collegeId && seat.kind === 'titular' && seat.inOffice) {
      filled.set(seat.collegeId, (filled.get(seat.collegeId) ?? 0) + 1);
    }
  }
  return {
    id: assembly.id,
    name: assembly.name,
    organisationId: assembly.memberId,
    organisationName: access.organisationName,
    kind: assembly.kind,
    inOffice: presented.filter((s) => s.kind === 'titular' && s.inOffice).length,
    canManage: access.canManage,
    nextSessionAt: upcoming[0]?.session.startsAt.toISOString() ?? null,
    colleges: colleges.map((c) => ({
      id: c.id,
      name: c.name,
      seats: c.seats,
      voteWeight: c.voteWeight,
      filled: filled.get(c.id) ?? 0,
    })),
    seats: presented,
    convocationDays: convocationDays(assembly.kind, access.population, false),
    minutesToAdopt: awaitingMinutes.map((s) => ({ sessionId: s.id, startsAt: s.startsAt.toISOString() })),
  };
}

export function presentSeat(row: Awaited<ReturnType<typeof repo.listSeats>>[number], day: string): Seat {
  const { seat } = row;
  return {
    id: seat.id,
    kind: seat.kind,
    fullName: seat.fullName,
    email: seat.email,
    userId: seat.userId,
    designatedBy:
      seat.designatedBy && row.designatedByName
        ? { id: seat.designatedBy, name: row.designatedByName }
        : null,
    collegeId: seat.collegeId,
    substituteForSeatId: seat.substituteFor,
    isChair: seat.isChair,
    paperConvocation: seat.paperConvocation,
    termStart: seat.termStart,
    termEnd: seat.termEnd,
    designationDocument:
      seat.designationDocumentId && row.documentTitle
        ? { id: seat.designationDocumentId, title: row.documentTitle }
        : null,
    inOffice: seat.termStart <= day && (seat.termEnd === null || seat.termEnd >= day),
  };
}

// Colleges and seats -----------------------------------------------------------------------------

export async function addCollege(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  input: CollegeInput,
  source: AuditSource,
) {
  const { assembly } = await assemblyFor(db, actor, assemblyId, 'manage');
  const row = await uniqueOr(
    () => repo.insertCollege(db, { memberId: assembly.memberId, assemblyId, ...input }),
    () =>
      conflict(`Un collège « ${input.name} » existe déjà dans cette assemblée.`, [
        { path: 'body.name', message: 'nom déjà utilisé' },
      ]),
  );
  await recordAudit(db, {
    action: 'governance.college_created',
    ...source,
    memberId: assembly.memberId,
    targetType: 'governance_college',
    targetId: row.id,
  });
  return { id: row.id, name: row.name, seats: row.seats, voteWeight: row.voteWeight, filled: 0 };
}

/** Checks a seat's references: its college and substituted titular in this assembly. */
async function checkSeatRefs(
  db: Executor,
  memberId: string,
  assemblyId: string,
  input: SeatPatch,
  kind: 'titular' | 'substitute',
) {
  if (input.collegeId) {
    const colleges = await repo.listColleges(db, memberId, assemblyId);
    if (!colleges.some((c) => c.id === input.collegeId)) {
      throw invalid("Ce collège n'appartient pas à l'assemblée.", [
        { path: 'body.collegeId', message: 'collège inconnu dans cette assemblée' },
      ]);
    }
  }
  if (input.substituteForSeatId) {
    if (kind !== 'substitute') {
      throw invalid('Seul un suppléant remplace un titulaire.', [
        { path: 'body.substituteForSeatId', message: 'réservé aux suppléants' },
      ]);
    }
    const titular = await repo.findSeat(db, memberId, assemblyId, input.substituteForSeatId);
    if (titular?.kind !== 'titular') {
      throw invalid("Le titulaire remplacé n'appartient pas à l'assemblée.", [
        { path: 'body.substituteForSeatId', message: 'titulaire inconnu dans cette assemblée' },
      ]);
    }
  }
  if (input.designationDocumentId && input.designatedById) {
    const [document] = await repo.memberDocumentTitle(db, input.designatedById, input.designationDocumentId);
    if (!document) {
      throw invalid("La délibération de désignation n'existe pas pour l'organisation qui désigne.", [
        { path: 'body.designationDocumentId', message: 'document introuvable' },
      ]);
    }
  }
}

export async function addSeat(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  input: SeatInput,
  source: AuditSource,
) {
  const { assembly } = await assemblyFor(db, actor, assemblyId, 'manage');
  await checkSeatRefs(db, assembly.memberId, assemblyId, input, input.kind);
  const [row] = await repo.insertSeats(db, [
    {
      memberId: assembly.memberId,
      assemblyId,
      kind: input.kind,
      fullName: input.fullName,
      email: input.email,
      userId: input.userId ?? null,
      designatedBy: input.designatedById ?? null,
      collegeId: input.collegeId ?? null,
      substituteFor: input.substituteForSeatId ?? null,
      isChair: input.isChair ?? false,
      paperConvocation: input.paperConvocation ?? false,
      termStart: input.termStart,
      termEnd: input.termEnd ?? null,
      designationDocumentId: input.designationDocumentId ?? null,
    },
  ]);
  if (!row) throw new Error('seat insert returned nothing');
  await recordAudit(db, {
    action: 'governance.seat_created',
    ...source,
    memberId: assembly.memberId,
    targetType: 'governance_seat',
    targetId: row.id,
  });
  return presentSeat({ seat: row, designatedByName: null, documentTitle: null }, today());
}

export async function updateSeat(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  seatId: string,
  patch: SeatPatch,
  source: AuditSource,
) {
  const { assembly } = await assemblyFor(db, actor, assemblyId, 'manage');
  const seat = await repo.findSeat(db, assembly.memberId, assemblyId, seatId);
  if (!seat) throw notFound("Ce siège n'existe pas dans l'assemblée.");
  const kind = patch.kind ?? seat.kind;
  await checkSeatRefs(
    db,
    assembly.memberId,
    assemblyId,
    { designatedById: seat.designatedBy, ...patch },
    kind,
  );
  const termStart = patch.termStart ?? seat.termStart;
  const termEnd = patch.termEnd === undefined ? seat.termEnd : patch.termEnd;
  if (termEnd !== null && termEnd < termStart) {
    throw invalid('La fin du mandat précède son début.', [
      { path: 'body.termEnd', message: 'date antérieure au début' },
    ]);
  }
  const updated = await repo.updateSeat(db, assembly.memberId, seatId, {
    kind,
    ...(patch.fullName !== undefined && { fullName: patch.fullName }),
    ...(patch.email !== undefined && { email: patch.email }),
    ...(patch.userId !== undefined && { userId: patch.userId }),
    ...(patch.designatedById !== undefined && { designatedBy: patch.designatedById }),
    ...(patch.collegeId !== undefined && { collegeId: patch.collegeId }),
    ...(patch.substituteForSeatId !== undefined && { substituteFor: patch.substituteForSeatId }),
    ...(patch.isChair !== undefined && { isChair: patch.isChair }),
    ...(patch.paperConvocation !== undefined && { paperConvocation: patch.paperConvocation }),
    ...(patch.designationDocumentId !== undefined && { designationDocumentId: patch.designationDocumentId }),
    termStart,
    termEnd,
  });
  if (!updated) throw notFound("Ce siège n'existe pas dans l'assemblée.");
  await recordAudit(db, {
    action: 'governance.seat_updated',
    ...source,
    memberId: assembly.memberId,
    targetType: 'governance_seat',
    targetId: seatId,
  });
  return presentSeat({ seat: updated, designatedByName: null, documentTitle: null }, today());
}

export async function removeSeat(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  seatId: string,
  source: AuditSource,
) {
  const { assembly } = await assemblyFor(db, actor, assemblyId, 'manage');
  const seat = await repo.findSeat(db, assembly.memberId, assemblyId, seatId);
  if (!seat) throw notFound("Ce siège n'existe pas dans l'assemblée.");
  // A seat that was convened or sat keeps its record: its term is ended instead of deleting it.
  const endOn = addDays(today(), -1);
  const ended = seat.termStart <= endOn;
  if (ended) {
    await repo.updateSeat(db, assembly.memberId, seatId, { termEnd: endOn });
  } else {
    await repo.deleteSeat(db, assembly.memberId, seatId);
  }
  await recordAudit(db, {
    action: ended ? 'governance.seat_ended' : 'governance.seat_deleted',
    ...source,
    memberId: assembly.memberId,
    targetType: 'governance_seat',
    targetId: seatId,
  });
}

// A member designates its delegates to the operator's comité syndical -------------------------

export async function designateDelegates(
  db: Executor,
  actor: Actor,
  memberId: string,
  input: DelegateDesignation,
  source: AuditSource,
) {
  if (!governancePolicy(actor, 'governance:designate', memberId)) throw forbidden();
  const comite = (await repo.listAssembliesOfOperator(db)).find((a) => a.kind === 'comite_syndical');
  if (!comite) throw unprocessable("L'opérateur n'a pas encore de comité syndical dans Socle.");
  const [document] = await repo.memberDocumentTitle(db, memberId, input.designationDocumentId);
  if (!document) {
    throw invalid("La délibération de désignation n'existe pas pour votre structure : déposez-la d'abord.", [
      { path: 'body.designationDocumentId', message: 'document introuvable pour cette structure' },
    ]);
  }
  if (document.kind !== 'deliberation') {
    throw invalid('Le document joint doit être une délibération.', [
      { path: 'body.designationDocumentId', message: "le document n'est pas une délibération" },
    ]);
  }
  if (input.termEnd && input.termEnd < input.termStart) {
    throw invalid('La fin du mandat précède son début.', [
      { path: 'body.termEnd', message: 'date antérieure au début' },
    ]);
  }
  // The member's college: the one its delegates sat in before, if any.
  const previous = await repo.designatedSeats(db, comite.memberId, comite.id, memberId);
  const collegeId = previous.find((s) => s.collegeId)?.collegeId ?? null;
  await repo.endDesignatedSeats(
    db,
    comite.memberId,
    comite.id,
    memberId,
    addDays(input.termStart, -1),
    input.termStart,
  );
  const titulars = input.delegates.filter((d) => d.kind === 'titular');
  const inserted = await repo.insertSeats(
    db,
    titulars.map((d) => seatValues(d, comite, memberId, collegeId, input, null)),
  );
  // Substitutes replace the titulars in order (the first substitute the first titular…).
  const substitutes = input.delegates.filter((d) => d.kind === 'substitute');
  const insertedSubstitutes = await repo.insertSeats(
    db,
    substitutes.map((d, i) => seatValues(d, comite, memberId, collegeId, input, inserted[i]?.id ?? null)),
  );
  await recordAudit(db, {
    action: 'governance.delegates_designated',
    ...source,
    memberId,
    targetType: 'governance_assembly',
    targetId: comite.id,
    details: { titulars: titulars.length, substitutes: substitutes.length },
  });
  const day = today();
  return {
    seats: [...inserted, ...insertedSubstitutes].map((seat) =>
      presentSeat({ seat, designatedByName: null, documentTitle: document.title }, day),
    ),
  };
}

function seatValues(
  delegate: DelegateDesignation['delegates'][number],
  comite: { id: string; memberId: string },
  memberId: string,
  collegeId: string | null,
  input: DelegateDesignation,
  substituteFor: string | null,
) {
  return {
    memberId: comite.memberId,
    assemblyId: comite.id,
    kind: delegate.kind,
    fullName: delegate.fullName,
    email: delegate.email,
    designatedBy: memberId,
    collegeId,
    substituteFor,
    termStart: input.termStart,
    termEnd: input.termEnd ?? null,
    designationDocumentId: input.designationDocumentId,
  };
}

/** The member's delegates in the operator's comité syndical (its own space). */
export async function memberDelegates(db: Executor, memberId: string) {
  const comite = (await repo.listAssembliesOfOperator(db)).find((a) => a.kind === 'comite_syndical');
  if (!comite) return { seats: [] };
  const rows = await repo.listSeats(db, comite.memberId, comite.id);
  const day = today();
  return {
    seats: rows.filter((r) => r.seat.designatedBy === memberId).map((r) => presentSeat(r, day)),
  };
}
