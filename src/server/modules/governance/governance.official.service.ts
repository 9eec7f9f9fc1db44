import { parisDay } from '../../../contracts/french.js';
import type { OfficialSpace, OperatorOverview } from '../../../contracts/governance.js';
import type { PublicPrices } from '../../../contracts/pricing.js';
import type { Actor } from '../../platform/auth/context.js';
import { currentYear, now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { forbidden } from '../../platform/errors.js';
import { pricingAdoption } from '../pricing/pricing.service.js';
import { convocationPdf } from './governance.pdf.js';
import { governancePolicy } from './governance.policy.js';
import * as repo from './governance.repository.js';
import { presentConvocation, presentSummary, sessionFor } from './governance.sessions.service.js';

/** The official's own space, the operator's one-page view, and the printed convocations. */

export async function officialSpace(db: Executor, actor: Actor): Promise<OfficialSpace> {
  const seats = await repo.seatsOfUser(db, actor.userId);
  const assemblyIds = [...new Set(seats.map((s) => s.assembly.id))];
  const at = now();
  const [upcoming, past] = await Promise.all([
    repo.sessionsOfAssemblies(db, assemblyIds, at, null),
    repo.pastItemsOfAssemblies(db, assemblyIds, at),
  ]);
  const seatIds = new Set(seats.map((s) => s.seat.id));
  const upcomingWithConvocations = await Promise.all(
    upcoming.map(async (row) => {
      const own = await repo.listConvocations(db, row.session.memberId, row.session.id, [...seatIds]);
      const mine = own[0] ? presentConvocation(own[0]) : null;
      return {
        ...presentSummary(row.session, row.assemblyName, row.itemCount),
        convocation: mine
          ? { sentAt: mine.sentAt, receivedAt: mine.receivedAt, openedAt: mine.openedAt }
          : null,
      };
    }),
  );
  return {
    seats: seats.map((s) => ({
      seatId: s.seat.id,
      assemblyId: s.assembly.id,
      assemblyName: s.assembly.name,
      assemblyKind: s.assembly.kind,
      organisationId: s.assembly.memberId,
      organisationName: s.organisationName,
      kind: s.seat.kind,
      collegeName: s.collegeName,
      isChair: s.seat.isChair,
      operatorAssembly: s.organisationKind === 'operator',
    })),
    upcoming: upcomingWithConvocations,
    deliberations: past.map((row) => ({
      itemId: row.item.id,
      sessionId: row.session.id,
      assemblyName: row.assemblyName,
      sessionStartsAt: row.session.startsAt.toISOString(),
      title: row.item.title,
      status: row.item.status,
      actId: row.item.actId,
      actNumber: row.actNumber,
      publishedAt: row.publishedAt?.toISOString() ?? null,
    })),
  };
}

/**
 * The operator at a glance, for the officials of its assemblies and its `governance` staff: members
 * by département and kind, and whether the comité adopted the year's tariffs (read in the request's
 * transaction, after the access check); `withPrices` adds services and their subscribers, the year's
 * budget (cost pools) and what sharing saves members, read by the pricing module as its reader once
 * that transaction is over.
 */
export async function operatorOverview(db: Executor, actor: Actor) {
  const allowed =
    governancePolicy(actor, 'governance:overview') ||
    (await repo.seatsOfUser(db, actor.userId)).some((s) => s.organisationKind === 'operator');
  if (!allowed) throw forbidden("Cette vue est réservée aux élus des assemblées de l'opérateur.");
  const year = currentYear();
  const [byDepartement, adoption] = await Promise.all([
    repo.membersByDepartement(db),
    pricingAdoption(db, year),
  ]);
  return {
    year,
    membersTotal: byDepartement.reduce((sum, row) => sum + Number(row.count), 0),
    membersByDepartement: byDepartement.map((r) => ({
      departement: r.departement,
      kind: r.kind,
      count: Number(r.count),
    })),
    pricingAdoptedOn: adoption?.adoptedOn ?? null,
  };
}

export function withPrices(
  base: Awaited<ReturnType<typeof operatorOverview>>,
  prices: PublicPrices | null,
): OperatorOverview {
  return {
    ...base,
    services: (prices?.services ?? []).map((s) => ({
      id: s.serviceId,
      name: s.name,
      subscribers: s.subscribers,
    })),
    budgetCents: (prices?.services ?? []).reduce((sum, s) => sum + s.poolCents, 0),
    savingsCents: prices ? prices.savings.totalSavingsCents : null,
  };
}

/** The printed convocation of a session: every titular asking for paper, or one seat. */
export async function printedConvocations(
  db: Executor,
  actor: Actor,
  sessionId: string,
  seatId: string | undefined,
) {
  const { session, access } = await sessionFor(db, actor, sessionId, 'manage');
  const day = parisDay(session.startsAt);
  const seats = (await repo.seatsInOffice(db, session.memberId, session.assemblyId, day)).map((r) => r.seat);
  const recipients = seatId
    ? seats.filter((s) => s.id === seatId)
    : seats.filter((s) => s.kind === 'titular' && (s.paperConvocation || !s.email));
  const chosen = recipients.length ? recipients : seats.filter((s) => s.kind === 'titular').slice(0, 1);
  const items = await repo.listItems(db, session.memberId, sessionId);
  return convocationPdf({
    organisationName: access.organisationName,
    assemblyName: access.assembly.name,
    startsAt: session.startsAt,
    place: session.place,
    remote: session.remote,
    urgent: session.urgent,
    urgencyReason: session.urgencyReason,
    sentOn: session.convocationsSentAt ? parisDay(session.convocationsSentAt) : today(),
    items: items.map((i) => ({
      position: i.item.position,
      title: i.item.title,
      explanatoryNote: i.item.explanatoryNote,
    })),
    recipients: chosen.length
      ? chosen.map((s) => ({ fullName: s.fullName, seatKind: s.kind }))
      : [{ fullName: '', seatKind: 'titular' as const }],
  });
}
