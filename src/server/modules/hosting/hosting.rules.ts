import {
  DOWNTIME_STATES,
  type IncidentState,
  type ServiceState,
  worstState,
} from '../../../contracts/hosting.js';

/** Pure rules of hosting: intervals, availability, the days of the status history. */

export interface Interval {
  start: number;
  end: number;
}

/** The union of intervals, sorted and merged (empty ones dropped). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** `a` minus the union of `cut`. */
export function subtractIntervals(a: readonly Interval[], cut: readonly Interval[]): Interval[] {
  let rest = mergeIntervals(a);
  for (const c of mergeIntervals(cut)) {
    rest = rest.flatMap((r) => {
      if (c.end <= r.start || c.start >= r.end) return [r];
      const parts: Interval[] = [];
      if (c.start > r.start) parts.push({ start: r.start, end: c.start });
      if (c.end < r.end) parts.push({ start: c.end, end: r.end });
      return parts;
    });
  }
  return rest;
}

const clip = (i: Interval, window: Interval): Interval => ({
  start: Math.max(i.start, window.start),
  end: Math.min(i.end, window.end),
});
const length = (intervals: readonly Interval[]) => intervals.reduce((sum, i) => sum + (i.end - i.start), 0);

/** An incident's timeline: its state from each update on, until it was resolved (or now). */
export interface IncidentTimeline {
  updates: readonly { at: number; state: IncidentState }[];
  resolvedAt: number | null;
}

/** The stretches of an incident during which its state counted as downtime. */
export function downtimeOf(incident: IncidentTimeline, until: number): Interval[] {
  const updates = [...incident.updates].sort((a, b) => a.at - b.at);
  const end = incident.resolvedAt ?? until;
  return updates
    .map((u, i) => ({
      state: u.state,
      start: u.at,
      end: Math.min(updates[i + 1]?.at ?? end, end),
    }))
    .filter((s) => DOWNTIME_STATES.includes(s.state))
    .map(({ start, end: e }) => ({ start, end: e }));
}

export interface AvailabilityFigures {
  availability: number;
  downtimeMinutes: number;
  maintenanceMinutes: number;
}

/**
 * The share of `window` (up to `now` for a month under way) the service was up, planned maintenance
 * left out of both the downtime and the time counted.
 */
export function availabilityOf(
  window: Interval,
  incidents: readonly IncidentTimeline[],
  maintenances: readonly Interval[],
  now: number,
): AvailabilityFigures {
  const counted = { start: window.start, end: Math.min(window.end, Math.max(now, window.start)) };
  const maintenance = mergeIntervals(maintenances.map((m) => clip(m, counted)));
  const downtime = subtractIntervals(
    incidents.flatMap((i) => downtimeOf(i, now)).map((d) => clip(d, counted)),
    maintenance,
  );
  const minutes = (ms: number) => Math.round((ms / 60_000) * 100) / 100;
  const total = counted.end - counted.start - length(maintenance);
  const down = length(downtime);
  return {
    availability: total <= 0 ? 1 : Math.max(0, 1 - down / total),
    downtimeMinutes: minutes(down),
    maintenanceMinutes: minutes(length(maintenance)),
  };
}

/** `YYYY-MM` → its first instant and the next month's, in UTC. */
export function monthWindow(month: string): Interval {
  const [year, m] = month.split('-').map(Number);
  return { start: Date.UTC(year, m - 1, 1), end: Date.UTC(year, m, 1) };
}

/** `YYYY-MM-DD` moved by `days`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The days (calendar dates, as `dayOf` gives them) of the last `days` up to `today` that were not
 * operational, each with its worst state.
 */
export function historyOf(
  spans: readonly { start: Date; end: Date; state: ServiceState }[],
  today: string,
  days: number,
  dayOf: (at: Date) => string,
): { date: string; state: ServiceState }[] {
  const first = addDays(today, -(days - 1));
  const worst = new Map<string, ServiceState>();
  for (const span of spans) {
    const latest = (a: string, b: string) => (a.localeCompare(b) >= 0 ? a : b);
    const earliest = (a: string, b: string) => (a.localeCompare(b) <= 0 ? a : b);
    let day = latest(dayOf(span.start), first);
    const last = earliest(dayOf(span.end), today);
    while (day <= last) {
      worst.set(day, worstState([worst.get(day) ?? 'operational', span.state]));
      day = addDays(day, 1);
    }
  }
  return [...worst.entries()]
    .filter(([, state]) => state !== 'operational')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, state]) => ({ date, state }));
}

/** Whether a restore test is due: none, or the last older than `everyDays`. */
export const restoreTestOverdue = (lastTestedAt: Date | null, everyDays: number, at: Date): boolean =>
  lastTestedAt === null || at.getTime() - lastTestedAt.getTime() > everyDays * 86_400_000;
