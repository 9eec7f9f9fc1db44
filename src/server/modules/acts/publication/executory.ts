import type { ActNature } from '../../../../contracts/acts.js';
import { addCalendarDays, addCalendarMonths, parisDateOf, parseCalendarDate } from './dates.js';

/**
 * The dates of an act, as pure rules (code général des collectivités territoriales, CGCT, in the
 * wording in force since the ordonnance n° 2021-1310 of 7 October 2021, applicable 1 July 2022).
 * Calendar dates are `YYYY-MM-DD`; instants (acknowledgement, publication) are read in Europe/Paris.
 */

/**
 * CGCT L2131-1 and L2131-2: individual decisions subject to the legality check are transmitted to the
 * prefecture within fifteen days of their signature.
 */
export const INDIVIDUAL_TRANSMISSION_DAYS = 15;
/** CGCT L2131-6: the prefect may refer an act to the administrative court within two months of its transmission. */
export const LEGALITY_CHECK_MONTHS = 2;
/** CGCT L2121-25: the list of the deliberations of a session is posted and put online within one week. */
export const DELIBERATIONS_LIST_DAYS = 7;

/** The date an individual act (AI) must be transmitted by: signature + 15 days; null for other natures. */
export function transmissionDueOn(
  nature: ActNature,
  signedOn: string | null,
  transmissionRequired = true,
): string | null {
  if (nature !== 'AI' || !signedOn || !transmissionRequired) return null;
  return addCalendarDays(signedOn, INDIVIDUAL_TRANSMISSION_DAYS);
}

/** The end of the legality-check period: acknowledgement (Paris date) + 2 months, null before it. */
export function legalityCheckEndsOn(acknowledgedAt: Date | null): string | null {
  return acknowledgedAt ? addCalendarMonths(parisDateOf(acknowledgedAt), LEGALITY_CHECK_MONTHS) : null;
}

/** The date the list of a session's deliberations must be online by: session + 7 days. */
export function deliberationsListDueOn(sessionOn: string): string {
  return addCalendarDays(sessionOn, DELIBERATIONS_LIST_DAYS);
}

/**
 * How an act becomes enforceable against third parties besides its transmission (CGCT L2131-1):
 * deliberations, regulatory acts and budget documents by their publication; individual decisions by
 * their publication or their notification to the person concerned. Contracts and other acts are
 * treated as individual ones (they bind the parties they are notified to).
 */
export const PUBLICATION_ONLY_NATURES: readonly ActNature[] = ['DE', 'AR', 'BF'];
export const mayBeNotified = (nature: ActNature) => !PUBLICATION_ONLY_NATURES.includes(nature);

export interface ExecutoryInput {
  nature: ActNature;
  /** False for acts not subject to the legality check. */
  transmissionRequired: boolean;
  /** When the prefecture acknowledged receipt (the act is then « transmis »). */
  acknowledgedAt: Date | null;
  publishedAt: Date | null;
  /** Individual acts: the date the person concerned was notified. */
  notifiedOn: string | null;
}

export interface ExecutoryState {
  /** The date the act became executory, or null. */
  executoryOn: string | null;
  /** Why it is not executory yet, in French; null once it is. */
  reason: string | null;
}

export const REASON_AWAITING_ACKNOWLEDGEMENT = "En attente de l'accusé de réception de la préfecture";
export const REASON_TO_PUBLISH = 'À publier';
export const REASON_TO_PUBLISH_OR_NOTIFY = 'À publier ou à notifier';

/** ISO calendar dates sort as text. */
const sorted = (dates: string[]) => [...dates].sort();
const latest = (dates: string[]) => sorted(dates)[dates.length - 1];
const earliest = (dates: string[]) => sorted(dates)[0];

/**
 * An act is executory once it is transmitted (when it must be: the date of the prefecture's
 * acknowledgement) and made known (published; or, for individual acts, published or notified,
 * whichever came first). It becomes executory on the later of the two dates.
 */
export function executoryState(input: ExecutoryInput): ExecutoryState {
  if (input.notifiedOn) parseCalendarDate(input.notifiedOn);
  const missing: string[] = [];
  const conditions: string[] = [];

  if (input.transmissionRequired) {
    if (input.acknowledgedAt) conditions.push(parisDateOf(input.acknowledgedAt));
    else missing.push(REASON_AWAITING_ACKNOWLEDGEMENT);
  }

  const madeKnown: string[] = [];
  if (input.publishedAt) madeKnown.push(parisDateOf(input.publishedAt));
  const notifiable = mayBeNotified(input.nature);
  if (notifiable && input.notifiedOn) madeKnown.push(input.notifiedOn);
  if (madeKnown.length > 0) conditions.push(earliest(madeKnown));
  else missing.push(notifiable ? REASON_TO_PUBLISH_OR_NOTIFY : REASON_TO_PUBLISH);

  if (missing.length > 0) {
    const [first, ...rest] = missing;
    return { executoryOn: null, reason: [first, ...rest.map((r) => r.toLowerCase())].join(' ; ') };
  }
  return { executoryOn: latest(conditions), reason: null };
}
