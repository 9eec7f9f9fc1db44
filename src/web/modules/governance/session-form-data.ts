/** The new session form read from the browser's FormData, checked with the API's own schema. */
import { type SessionInput, sessionInputSchema } from '../../../contracts/governance.js';
import { fromParisLocalInput } from '../rgpd/format.js';

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();
const checked = (data: FormData, key: string) => data.get(key) === 'on';

/** `YYYY-MM-DD` plus `days` calendar days, on civil dates (no time zone). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The last day convocations may be sent for a session typed as Paris wall time (`2026-12-14T18:30`):
 * `days` jours francs lie between the sending day and the session's day, neither of which counts
 * (1 in urgency). The server's answer is the reference; this is the form's preview.
 */
export function convocationDueByPreview(startsAtLocal: string, days: number, urgent: boolean): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}$/.exec(startsAtLocal.trim());
  if (!m?.[1]) return null;
  return addDays(m[1], -((urgent ? 1 : days) + 1));
}

/** Fields whose schema keeps zod's default (English) message: the form says it in French. */
const FRENCH: Record<string, string> = {
  startsAt: 'Indiquez la date et l’heure de la séance',
};

type Decision = NonNullable<SessionInput['agenda'][number]['decision']>;

function decisionOf(data: FormData, prefix: string, errors: Record<string, string>): Decision | null {
  const kind = text(data, `${prefix}.decisionKind`);
  if (kind === 'accept_membership' || kind === 'member_withdrawal') {
    const memberId = text(data, `${prefix}.memberId`);
    if (!memberId) errors[`${prefix}.memberId`] = 'Choisissez la structure concernée';
    return { kind, memberId };
  }
  if (kind === 'adopt_minutes') {
    const sessionId = text(data, `${prefix}.minutesSessionId`);
    if (!sessionId)
      errors[`${prefix}.minutesSessionId`] = 'Choisissez la séance dont le procès-verbal est adopté';
    return { kind, sessionId };
  }
  if (kind === 'adopt_pricing') {
    const year = Number(text(data, `${prefix}.year`));
    if (!Number.isInteger(year) || year < 2000 || year > 2200) {
      errors[`${prefix}.year`] = 'Indiquez l’année des tarifs (ex. 2027)';
    }
    return { kind, year };
  }
  return null;
}

/**
 * The form's values as the API expects them. Agenda items are named `agenda.<n>.<field>` so that the
 * server's field errors (`agenda.0.title`) land on the right input; `itemCount` is how many the form shows.
 */
export function readSessionForm(data: FormData, itemCount: number) {
  const errors: Record<string, string> = {};
  const startsAtLocal = text(data, 'startsAt');
  const startsAt = fromParisLocalInput(startsAtLocal);
  if (!startsAt) errors.startsAt = FRENCH.startsAt ?? '';
  const urgent = checked(data, 'urgent');
  // The schema's own check of the reason runs only once every other field is valid: said at once here.
  if (urgent && !text(data, 'urgencyReason')) {
    errors.urgencyReason = "Le motif de l'urgence est obligatoire pour une séance urgente";
  }
  const agenda = Array.from({ length: itemCount }, (_, i) => {
    const prefix = `agenda.${i}`;
    const decision = decisionOf(data, prefix, errors);
    return {
      title: text(data, `${prefix}.title`),
      explanatoryNote: text(data, `${prefix}.explanatoryNote`),
      secretBallot: checked(data, `${prefix}.secretBallot`),
      namedVote: checked(data, `${prefix}.namedVote`),
      ...(decision ? { decision } : {}),
    };
  });
  const body = {
    startsAt: startsAt ?? '',
    place: text(data, 'place'),
    remote: checked(data, 'remote'),
    urgent,
    urgencyReason: urgent ? text(data, 'urgencyReason') || null : null,
    agenda,
  };
  const parsed = sessionInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      if (key && !errors[key]) errors[key] = FRENCH[key] ?? issue.message;
      if (!key && !errors.agenda) errors.agenda = issue.message;
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data as SessionInput, errors }
    : { body: null, errors };
}
