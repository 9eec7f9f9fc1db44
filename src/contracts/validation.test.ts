import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memberInputSchema } from './members.js';
import { describeFieldError, fieldErrorsOf, installFrenchErrors, isSentence } from './validation.js';

beforeAll(() => installFrenchErrors());

const errorsOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a refusal');
  return fieldErrorsOf(result.error);
};

describe('the French error map', () => {
  it('tells every missing field of an empty new structure at once, in sentences naming them', () => {
    expect(errorsOf(memberInputSchema, { kind: 'commune' })).toEqual({
      siren: 'Le SIREN est obligatoire',
      communeCode: 'La commune est obligatoire',
    });
    expect(errorsOf(memberInputSchema, { kind: 'ccas' })).toEqual({
      siren: 'Le SIREN est obligatoire',
      name: 'Le nom est obligatoire',
    });
  });

  it('says what a SIREN is', () => {
    expect(errorsOf(memberInputSchema, { kind: 'commune', communeCode: '85191', siren: '1234' })).toEqual({
      siren: 'Le SIREN compte 9 chiffres',
    });
    expect(
      errorsOf(memberInputSchema, { kind: 'commune', communeCode: '85191', siren: '123456789' }).siren,
    ).toMatch(/^Le SIREN n'est pas valide : sa clé de contrôle/);
  });

  it('names known fields and leaves fragments for the others', () => {
    const schema = z.object({
      email: z.email(),
      name: z.string().max(5),
      population: z.number().min(0),
      colour: z.string(),
      size: z.string().min(3),
    });
    expect(errorsOf(schema, { email: 'x', name: 'abcdefgh', population: -1, size: 'a' })).toEqual({
      email: "L'adresse électronique n'est pas une adresse électronique valide",
      name: 'Le nom compte au plus 5 caractères',
      population: 'La population doit être au moins égale à 0',
      colour: 'champ obligatoire',
      size: 'au moins 3 caractères',
    });
    expect(errorsOf(z.object({ year: z.number() }), { year: 'deux mille' })).toEqual({
      year: "L'exercice doit être un nombre",
    });
  });

  it('leaves the messages a schema sets itself', () => {
    expect(errorsOf(z.object({ name: z.string({ message: 'à vous de le dire' }) }), {})).toEqual({
      name: 'à vous de le dire',
    });
  });

  it('lets a form put fragments after their label, sentences alone', () => {
    expect(isSentence('Le SIREN est obligatoire')).toBe(true);
    expect(isSentence('champ obligatoire')).toBe(false);
    expect(isSentence('« x » inconnu')).toBe(false);
    expect(describeFieldError('Nom du service', 'champ obligatoire')).toBe(
      'Nom du service : champ obligatoire',
    );
    expect(describeFieldError('SIREN', 'Le SIREN est obligatoire')).toBe('Le SIREN est obligatoire');
  });
});
