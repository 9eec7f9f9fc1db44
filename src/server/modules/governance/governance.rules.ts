import { parisDay } from '../../../contracts/french.js';
import type { AssemblyKind, AttendanceStatus, Quorum, VoteChoice } from '../../../contracts/governance.js';

/**
 * The rules of assemblies, pure: convocation deadlines in jours francs (CGCT L2121-11, L2121-12,
 * L5211-1, L5711-1), quorum (L2121-17), proxies (L2121-20), majority of votes cast (L2121-20) and
 * weighted votes where the statutes define them. No database, no clock: every input is a value.
 */

// Convocations in jours francs -------------------------------------------------------------------

/** Communes of at least this many inhabitants convene 5 jours francs ahead (3 below). */
export const LARGE_COMMUNE_POPULATION = 3500;
/** A second convocation after a session without quorum sits at least this many days later. */
export const SECOND_CONVOCATION_MIN_DAYS = 3;

/**
 * Jours francs of an ordinary convocation: 5 for communes of 3,500 inhabitants or more, for EPCI
 * (conseil communautaire) and syndicats (comité syndical, bureau); 3 for smaller communes and for a
 * CCAS' conseil d'administration; 1 in urgency, whatever the assembly.
 */
export function convocationDays(kind: AssemblyKind, population: number | null, urgent: boolean): number {
  if (urgent) return 1;
  if (kind === 'conseil_municipal') return (population ?? 0) >= LARGE_COMMUNE_POPULATION ? 5 : 3;
  if (kind === 'conseil_administration') return 3;
  return 5;
}

/** `YYYY-MM-DD` plus `days` calendar days (negative to go back), on civil dates (no time zone). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const utc = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) + days * 86_400_000);
  return utc.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  const parse = (s: string) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
  };
  return Math.round((parse(to) - parse(from)) / 86_400_000);
}

/**
 * The last day (Europe/Paris) convocations may be sent for a session starting at `startsAt`: `days`
 * jours francs must lie between the sending day and the session's day, neither of which counts.
 * A session on the 10th with 5 jours francs (5th…9th) is convened on the 4th at the latest. Days are
 * calendar days: weekends and holidays count, and no deadline is carried over.
 */
export function convocationDueBy(startsAt: Date, days: number): string {
  return addDays(parisDay(startsAt), -(days + 1));
}

/** Whether sending on `sentOn` (a Paris date) keeps the deadline of a session at `startsAt`. */
export function sentInTime(sentOn: string, startsAt: Date, days: number): boolean {
  return sentOn <= convocationDueBy(startsAt, days);
}

/** The earliest day a second convocation's session may sit after a first one without quorum. */
export function secondConvocationEarliest(firstStartsAt: Date): string {
  return addDays(parisDay(firstStartsAt), SECOND_CONVOCATION_MIN_DAYS);
}

/**
 * The day a second convocation, prepared when a session closes without quorum, sits: at least three
 * days after the first session, and late enough for its convocations to be sent from `today` within
 * the assembly's ordinary deadline (`days` jours francs): ready to convene.
 */
export function secondConvocationDay(firstStartsAt: Date, days: number, today: string): string {
  const earliest = secondConvocationEarliest(firstStartsAt);
  const convenable = addDays(today, days + 1);
  if (earliest > convenable) return earliest;
  return convenable;
}

const parisClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const parisMinutes = (instant: Date) => {
  const [h, m] = parisClock.format(instant).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The instant at `instant`'s Paris wall-clock time on `day` (a Paris date), across DST changes. */
export function sameParisTimeOn(instant: Date, day: string): Date {
  const shifted = new Date(instant.getTime() + daysBetween(parisDay(instant), day) * 86_400_000);
  return new Date(shifted.getTime() + (parisMinutes(instant) - parisMinutes(shifted)) * 60_000);
}

// Quorum and proxies -----------------------------------------------------------------------------

/**
 * Quorum: a majority of members in office present in person, `floor(inOffice / 2) + 1`; proxies do
 * not count. A second convocation deliberates whatever the number present.
 */
export function quorum(inOffice: number, present: number, secondConvocation = false): Quorum {
  const required = secondConvocation ? 0 : Math.floor(inOffice / 2) + 1;
  return { inOffice, required, present, reached: inOffice > 0 ? present >= required : false };
}

export interface AttendanceLine {
  seatId: string;
  status: AttendanceStatus;
  proxySeatId?: string | null;
}

export interface RuleError {
  /** Index of the line at fault. */
  index: number;
  field: 'status' | 'proxySeatId' | 'seatId';
  message: string;
}

/**
 * Checks attendance lines: each seat once; a represented member names the present member holding
 * their proxy (not themselves); a member holds at most one proxy; only represented members name one.
 * Lines for seats outside `knownSeats` are refused.
 */
export function checkAttendance(lines: AttendanceLine[], knownSeats: ReadonlySet<string>): RuleError[] {
  const errors: RuleError[] = [];
  const statusOf = new Map<string, AttendanceStatus>();
  lines.forEach((line, index) => {
    if (!knownSeats.has(line.seatId)) {
      errors.push({ index, field: 'seatId', message: "ce siège n'appartient pas à l'assemblée" });
    } else if (statusOf.has(line.seatId)) {
      errors.push({ index, field: 'seatId', message: 'ce siège figure deux fois' });
    }
    statusOf.set(line.seatId, line.status);
  });
  const proxiesHeld = new Map<string, number>();
  lines.forEach((line, index) => {
    const proxy = line.proxySeatId ?? null;
    if (line.status !== 'represented') {
      if (proxy)
        errors.push({ index, field: 'proxySeatId', message: 'seul un membre représenté donne un pouvoir' });
      return;
    }
    if (!proxy) {
      errors.push({
        index,
        field: 'proxySeatId',
        message: 'indiquez le membre présent qui reçoit le pouvoir',
      });
      return;
    }
    if (proxy === line.seatId) {
      errors.push({
        index,
        field: 'proxySeatId',
        message: 'un membre ne peut pas se donner pouvoir à lui-même',
      });
      return;
    }
    if (statusOf.get(proxy) !== 'present') {
      errors.push({ index, field: 'proxySeatId', message: 'le pouvoir est donné à un membre présent' });
      return;
    }
    const held = (proxiesHeld.get(proxy) ?? 0) + 1;
    proxiesHeld.set(proxy, held);
    if (held > 1) {
      errors.push({
        index,
        field: 'proxySeatId',
        message: 'ce membre détient déjà un pouvoir (un seul par personne)',
      });
    }
  });
  return errors;
}

/** Present in person: what the quorum counts. */
export const presentCount = (lines: readonly { status: AttendanceStatus | null }[]) =>
  lines.filter((line) => line.status === 'present').length;

/** Votes that may be cast: present members, plus the proxies they hold. */
export const votingCount = (
  lines: readonly { status: AttendanceStatus | null; proxySeatId?: string | null }[],
) =>
  lines.filter((line) => line.status === 'present' || (line.status === 'represented' && line.proxySeatId))
    .length;

// Votes ------------------------------------------------------------------------------------------

export interface VoteCounts {
  for: number;
  against: number;
  abstention: number;
  notVoting: number;
}

export interface VoteOutcome {
  adopted: boolean;
  /** Votes cast: for + against (abstentions and members not taking part do not count). */
  cast: number;
  chairPrevailed: boolean;
}

/**
 * Majority of votes cast: adopted when `for` exceeds `against`. On a tie the chair's vote prevails
 * (`chairVote`), except for a secret ballot, where a tie rejects. Without votes cast nothing is adopted.
 */
export function voteOutcome(
  counts: VoteCounts,
  options: { secretBallot: boolean; chairVote?: 'for' | 'against' | null },
): VoteOutcome {
  const cast = counts.for + counts.against;
  if (cast === 0) return { adopted: false, cast, chairPrevailed: false };
  if (counts.for !== counts.against)
    return { adopted: counts.for > counts.against, cast, chairPrevailed: false };
  if (options.secretBallot || !options.chairVote) return { adopted: false, cast, chairPrevailed: false };
  return { adopted: options.chairVote === 'for', cast, chairPrevailed: true };
}

/** Sums ballots by choice, each weighing its college's votes (1 where the statutes weigh nothing). */
export function tallyBallots(ballots: readonly { choice: VoteChoice; weight: number }[]): VoteCounts {
  const counts: VoteCounts = { for: 0, against: 0, abstention: 0, notVoting: 0 };
  for (const ballot of ballots) {
    const key = ballot.choice === 'not_voting' ? 'notVoting' : ballot.choice;
    counts[key] += ballot.weight;
  }
  return counts;
}

/** Checks counts against the votes that may be cast; an error message in French, or null. */
export function checkCounts(counts: VoteCounts, voters: number): string | null {
  const total = counts.for + counts.against + counts.abstention + counts.notVoting;
  if (total > voters) {
    return `Les voix exprimées, abstentions comprises (${total}), dépassent le nombre de votants (${voters} : présents et pouvoirs).`;
  }
  return null;
}
