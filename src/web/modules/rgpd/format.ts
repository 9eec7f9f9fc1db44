/** Dates of the RGPD pages are read in Paris whatever the browser's zone: deadlines are legal ones. */
import { frenchDate, frenchDateTime } from '../../../contracts/french.js';

const TZ = 'Europe/Paris';

const partsFmt = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TZ,
});

/** `2026-03-01` → « 1er mars 2026 » (a calendar date: no zone shift; an instant: its day in Paris). */
export function formatParisDate(value: string | null | undefined): string {
  return frenchDate(value);
}

/** An instant → « lundi 30 mars 2026 à 11:00 » in Paris. */
export function formatParisDateTime(value: string | null | undefined): string {
  return frenchDateTime(value, { weekday: true });
}

function parisParts(d: Date) {
  const parts = Object.fromEntries(partsFmt.formatToParts(d).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Today's date in Paris, `AAAA-MM-JJ`. */
export const parisToday = () => parisParts(new Date()).date;

/** An instant → the `datetime-local` value it shows in Paris (`2026-03-30T11:00`). */
export function toParisLocalInput(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const p = parisParts(d);
  return `${p.date}T${p.time}`;
}

/** A `datetime-local` value read as Paris wall time → ISO instant with offset; null when empty or invalid. */
export function fromParisLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Paris is UTC+1 or UTC+2: find the offset that maps back onto the same wall time.
  for (const offset of [60, 120]) {
    const instant = new Date(asUtc - offset * 60_000);
    const p = parisParts(instant);
    if (p.date === value.slice(0, 10) && p.time === value.slice(11, 16)) return instant.toISOString();
  }
  return new Date(asUtc - 60 * 60_000).toISOString();
}

/** Whole minutes left → « 2 jours 5 h 12 min », stable for a minute so it is not re-announced. */
export function formatDuration(totalMinutes: number): string {
  const minutes = Math.max(0, Math.floor(totalMinutes));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} jour${days > 1 ? 's' : ''}`);
  if (hours > 0) parts.push(`${hours} h`);
  if (rest > 0 || parts.length === 0) parts.push(`${rest} min`);
  return parts.join(' ');
}

export const percent = (n: number | null | undefined) => (n == null ? '—' : `${n} %`);
