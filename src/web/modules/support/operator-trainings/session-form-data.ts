/** The training session form read in the browser (pure: tested without a browser). */
import type { TrainingSessionUpdate } from '../../../../contracts/support.js';
import { fromParisLocalInput } from '../../rgpd/format.js';

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const whole = (value: string) => (/^\d+$/.test(value) ? Number(value) : Number.NaN);

/**
 * Reads the form: dates typed in Paris time become instants; what cannot be read is named. The body
 * carries every field, an empty one as null (no description, no trainer, no cap, the deadline at the
 * start, no service): an edit's PUT requires them all and clears what is null.
 */
export function readSessionForm(data: FormData): {
  body?: TrainingSessionUpdate;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const instant = (name: string, label: string, required: boolean) => {
    const value = text(data, name);
    if (!value) {
      if (required) errors[name] = `${label} est obligatoire`;
      return undefined;
    }
    const iso = fromParisLocalInput(value);
    if (!iso) errors[name] = `${label} : date et heure attendues`;
    return iso ?? undefined;
  };
  const startsAt = instant('startsAt', 'Le début', true);
  const endsAt = instant('endsAt', 'La fin', true);
  const registrationDeadline = instant('registrationDeadline', "La date limite d'inscription", false);
  const capacity = whole(text(data, 'capacity'));
  if (Number.isNaN(capacity)) errors.capacity = 'La capacité est un nombre entier de places';
  const capText = text(data, 'perMemberCap');
  const perMemberCap = capText ? whole(capText) : null;
  if (Number.isNaN(perMemberCap)) errors.perMemberCap = 'Le maximum par structure est un nombre entier';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    body: {
      title: text(data, 'title'),
      description: text(data, 'description') || null,
      audience: (text(data, 'audience') || 'tous') as TrainingSessionUpdate['audience'],
      startsAt: startsAt ?? '',
      endsAt: endsAt ?? '',
      registrationDeadline: registrationDeadline ?? null,
      place: text(data, 'place'),
      departementCode: text(data, 'departementCode') || null,
      remote: data.get('remote') === 'on',
      trainer: text(data, 'trainer') || null,
      capacity,
      perMemberCap,
      serviceId: text(data, 'serviceId') || null,
    },
  };
}
