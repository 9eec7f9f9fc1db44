/**
 * French text for people, in one place for the web pages, the e-mails and the PDFs: plurals
 * (Intl.PluralRules), « 1er », elision and contraction before names (« la demande d'Auvers-le-Hamon »,
 * « de La Roche », « du Mans »), non-breaking spaces before « : ; ? ! » and inside amounts, and dates
 * always read in Europe/Paris whatever the zone of the machine or the browser.
 */

/** No-break space (U+00A0): before « : », after « « », between a number and its unit or currency. */
export const NBSP = '\u00a0';
/** Narrow no-break space (U+202F): before « ; ? ! » and between groups of digits, as ICU writes fr-FR. */
export const NNBSP = '\u202f';

export const PARIS = 'Europe/Paris';

const pluralRules = new Intl.PluralRules('fr-FR');
const integer = new Intl.NumberFormat('fr-FR');

/**
 * The form of a word for a count, by the French plural rules (0 and 1 take the singular):
 * `plural(1, 'facture', 'factures')` → « facture ».
 */
export function plural(count: number, one: string, other: string): string {
  return pluralRules.select(count) === 'one' ? one : other;
}

/** « 1 facture », « 2 factures », « 1 234 factures » (the number and the noun never split). */
export function countOf(count: number, one: string, other: string): string {
  return `${integer.format(count)}${NBSP}${plural(count, one, other)}`;
}

/**
 * A list's count (`{ total, totalIsExact, totalIsEstimate }`, contracts/common.ts): « 1 234 structures »,
 * « environ 6 500 structures » for the database's estimate, or « plus de 1 000 structures » when the
 * list stopped counting at its cap.
 */
export function countOfTotal(
  list: { total: number; totalIsExact?: boolean; totalIsEstimate?: boolean },
  one: string,
  other: string,
): string {
  if (list.totalIsExact !== false) return countOf(list.total, one, other);
  return `${list.totalIsEstimate ? 'environ' : 'plus de'} ${countOf(list.total, other, other)}`;
}

/** « 1er », « 2 », « 31 »: the first day of a month is written as an ordinal. */
export function dayOfMonth(day: number): string {
  return day === 1 ? '1er' : String(day);
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

const parisParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'long',
  hourCycle: 'h23',
});
const WEEKDAYS: Record<string, string> = {
  Monday: 'lundi',
  Tuesday: 'mardi',
  Wednesday: 'mercredi',
  Thursday: 'jeudi',
  Friday: 'vendredi',
  Saturday: 'samedi',
  Sunday: 'dimanche',
};

const DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

interface CalendarParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: string;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (`2026-03-01`, read as is) or an instant (ISO string or Date, read in Paris) as its
 * parts; null when it cannot be read.
 */
function partsOf(value: string | Date): CalendarParts | null {
  if (typeof value === 'string') {
    const m = CALENDAR_DATE.exec(value);
    if (m) {
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const weekday = DAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
      return { year, month, day, hour: 0, minute: 0, weekday };
    }
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  const parts: Record<string, string> = {};
  for (const p of parisParts.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday] ?? '',
  };
}

export interface DateOptions {
  /** « lundi 1er mars 2026 ». */
  weekday?: boolean;
  /** false: « 1er mars ». */
  year?: boolean;
}

/**
 * « 1er mars 2026 »: a calendar date as written, an instant as the day it is in Paris. '—' for
 * nothing; the input itself when it cannot be read.
 */
export function frenchDate(value: string | Date | null | undefined, options: DateOptions = {}): string {
  if (value == null || value === '') return '—';
  const p = partsOf(value);
  if (!p) return String(value);
  const text = `${dayOfMonth(p.day)} ${MONTHS[p.month - 1]}${options.year === false ? '' : ` ${p.year}`}`;
  return options.weekday ? `${p.weekday} ${text}` : text;
}

/** « 1er mars 2026 à 09:05 » (Paris time), for an instant. */
export function frenchDateTime(value: string | Date | null | undefined, options: DateOptions = {}): string {
  if (value == null || value === '') return '—';
  const p = partsOf(value);
  if (!p) return String(value);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return `${frenchDate(value, options)} à ${time}`;
}

/** « 01/03/2026 » (Paris), the short form of forms and PDFs. */
export function shortDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '—';
  const p = partsOf(value);
  if (!p) return String(value);
  return `${String(p.day).padStart(2, '0')}/${String(p.month).padStart(2, '0')}/${p.year}`;
}

/** The calendar date (`YYYY-MM-DD`) it is in Paris at an instant (now by default). */
export function parisDay(instant: Date = new Date()): string {
  const p = partsOf(instant);
  if (!p) throw new RangeError('invalid date');
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * Words beginning with a mute h, which elide as a vowel does (« l'hébergement », « d'Hérouville »).
 * Every other word in h keeps its article whole (h aspiré: « le hameau », « de Hautefort »).
 */
const MUTE_H = new Set([
  'habitant',
  'habitants',
  'habitat',
  'habitation',
  'hébergement',
  'hébergeur',
  'herbier',
  'héritage',
  'heure',
  'heures',
  'histoire',
  'historique',
  'homme',
  'homologation',
  'honneur',
  'hôpital',
  'hôpitaux',
  'horaire',
  'horaires',
  'horizon',
  'hôtel',
  'huile',
  'humain',
  'hygiène',
  'hérouville',
  'hyères',
]);

/** Does this word take the elided article (l', d', qu')? Vowels, mute h, and y before a consonant. */
export function elides(word: string): boolean {
  const w = word.trim();
  if (!w) return false;
  const lower = w.toLocaleLowerCase('fr');
  const first = lower.normalize('NFD').charAt(0);
  if ('aeiou'.includes(first)) return true;
  if (first === 'y') return !/^y[aeiouy]/.test(lower.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
  if (first === 'h') return MUTE_H.has(lower.split(/[\s'’-]/)[0]);
  return false;
}

/**
 * « de » before a name or a noun: « d'Auvers-le-Hamon », « de Saint-Jean », « de La Roche » (the
 * article of a name is kept), « du Mans » (de + Le), « des Sables-d'Olonne » (de + Les).
 */
export function de(name: string): string {
  const n = name.trim();
  const le = /^Le\s+(.*)$/.exec(n);
  if (le) return `du ${le[1]}`;
  const les = /^Les\s+(.*)$/.exec(n);
  if (les) return `des ${les[1]}`;
  return elides(n) ? `d'${n}` : `de ${n}`;
}

/** « à » before a name: « au Mans », « aux Sables-d'Olonne », « à La Roche », « à Angers ». */
export function a(name: string): string {
  const n = name.trim();
  const le = /^Le\s+(.*)$/.exec(n);
  if (le) return `au ${le[1]}`;
  const les = /^Les\s+(.*)$/.exec(n);
  if (les) return `aux ${les[1]}`;
  return `à ${n}`;
}

/** The definite article with elision: `the('la', 'adresse')` → « l'adresse », `the('le', 'SIREN')` → « le SIREN ». */
export function the(article: 'le' | 'la', noun: string): string {
  return elides(noun) ? `l'${noun}` : `${article} ${noun}`;
}

/** Same, capitalised at the start of a sentence: « L'adresse », « Le SIREN ». */
export function The(article: 'le' | 'la', noun: string): string {
  const text = the(article, noun);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * French typography's spaces: a no-break space before « : » and inside « », a narrow one before
 * « ; ? ! ». Spaces typed before these signs become no-break ones; none is added where there was none
 * (« 10:30 », « https://… » are left alone).
 */
export function frenchSpaces(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]+:/g, `${NBSP}:`)
    .replace(/[ \u00a0\u202f]+([;?!])/g, `${NNBSP}$1`)
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`);
}

/**
 * « 25 000,00 € » from integer cents: digits grouped by a narrow no-break space, a no-break space
 * before the euro sign, so an amount never breaks across lines.
 */
export function euros(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  return `${negative ? '-' : ''}${grouped},${rest < 10 ? '0' : ''}${rest}${NBSP}€`;
}

/**
 * Text for the standard PDF fonts (WinAnsi), which have the no-break space but not the narrow one:
 * every narrow no-break space becomes a no-break space, so nothing that was glued comes apart.
 */
export function forPdf(text: string): string {
  return text.replace(/\u202f/g, NBSP);
}
