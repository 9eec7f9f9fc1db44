import { describe, expect, it } from 'vitest';
import { trainingSessionUpdateSchema } from '../../../../contracts/support.js';
import { readSessionForm } from './session-form-data.js';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

const required = {
  title: 'Le registre RGPD de la commune',
  audience: 'agents',
  startsAt: '2026-12-14T09:00',
  endsAt: '2026-12-14T16:30',
  place: 'Maison des communes',
  capacity: '12',
};

describe('the training session form read in the browser', () => {
  it('sends every field, the empty ones as null: a PUT keeps nothing the form left out', () => {
    const { body, errors } = readSessionForm(form(required));
    expect(errors).toEqual({});
    expect(body).toEqual({
      title: required.title,
      description: null,
      audience: 'agents',
      startsAt: '2026-12-14T08:00:00.000Z',
      endsAt: '2026-12-14T15:30:00.000Z',
      registrationDeadline: null,
      place: required.place,
      departementCode: null,
      remote: false,
      trainer: null,
      capacity: 12,
      perMemberCap: null,
      serviceId: null,
    });
    // What the form sends is what an edit's PUT accepts.
    expect(trainingSessionUpdateSchema.safeParse(body).success).toBe(true);
  });

  it('reads the filled fields', () => {
    const { body } = readSessionForm(
      form({
        ...required,
        description: ' Tenir le registre. ',
        trainer: 'Anne Chiron',
        departementCode: '85',
        remote: 'on',
        perMemberCap: '2',
        registrationDeadline: '2026-12-10T17:00',
      }),
    );
    expect(body).toMatchObject({
      description: 'Tenir le registre.',
      trainer: 'Anne Chiron',
      departementCode: '85',
      remote: true,
      perMemberCap: 2,
      registrationDeadline: '2026-12-10T16:00:00.000Z',
    });
    expect(trainingSessionUpdateSchema.safeParse(body).success).toBe(true);
  });
});
