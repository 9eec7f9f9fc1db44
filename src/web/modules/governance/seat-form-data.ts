/** The seat form read from the browser's FormData, checked with the API's own schema. */
import { type SeatInput, seatInputSchema } from '../../../contracts/governance.js';

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();
const orNull = (value: string) => (value === '' ? null : value);

/** Fields whose schema keeps zod's default message: the form says it in French. */
const FRENCH: Record<string, string> = {
  termStart: 'Indiquez la date de début du mandat',
  termEnd: 'Date de fin attendue au format JJ/MM/AAAA',
};

/** A seat as the API expects it: empty optional fields as null, a substitute tied to its titular. */
export function readSeatForm(data: FormData) {
  const kind = text(data, 'kind');
  const body = {
    kind,
    fullName: text(data, 'fullName'),
    email: orNull(text(data, 'email')),
    designatedById: orNull(text(data, 'designatedById')),
    collegeId: orNull(text(data, 'collegeId')),
    substituteForSeatId: kind === 'substitute' ? orNull(text(data, 'substituteForSeatId')) : null,
    isChair: data.get('isChair') === 'on',
    paperConvocation: data.get('paperConvocation') === 'on',
    termStart: text(data, 'termStart'),
    termEnd: orNull(text(data, 'termEnd')),
  };
  const errors: Record<string, string> = {};
  if (!body.email && !body.paperConvocation) {
    errors.email = 'Indiquez une adresse électronique, ou cochez la convocation sur papier';
  }
  if (body.termEnd && body.termStart && body.termEnd < body.termStart) {
    errors.termEnd = 'La fin du mandat suit son début';
  }
  const parsed = seatInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      if (key && !errors[key]) errors[key] = FRENCH[key] ?? issue.message;
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data as SeatInput, errors }
    : { body: null, errors };
}
