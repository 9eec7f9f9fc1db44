import { describe, expect, it } from 'vitest';
import { readActForm } from './act-form-data.js';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

const valid = {
  nature: 'DE',
  classification: '3.1',
  number: 'del2026_042',
  decidedOn: '2026-11-30',
  subject: '  Dénomination de la place Zéphyrine-Guérin ',
  signatoryName: '',
  signedOn: '',
  sessionOn: '2026-11-30',
  notifiedOn: '',
  votesMembers: '',
  votesPresent: '',
  votesFor: '45',
  votesAgainst: '4',
  votesAbstention: '',
};

describe('the act form read in the browser', () => {
  it('gives the API body: number in capitals, empty fields as null, votes as numbers', () => {
    const { body, errors } = readActForm(form(valid), true);
    expect(errors).toEqual({});
    expect(body).toMatchObject({
      nature: 'DE',
      classification: '3.1',
      number: 'DEL2026_042',
      subject: 'Dénomination de la place Zéphyrine-Guérin',
      signatoryName: null,
      signedOn: null,
      sessionOn: '2026-11-30',
      transmissionRequired: true,
      votesFor: 45,
      votesAgainst: 4,
      votesMembers: null,
    });
    expect(body).not.toHaveProperty('correctsActId');
  });

  it('names every wrong field in French, as the API would', () => {
    const { body, errors } = readActForm(
      form({
        ...valid,
        number: 'del-42',
        decidedOn: '',
        subject: ' ',
        classification: '',
        votesFor: '-1',
        signatoryName: 'x'.repeat(201),
      }),
      true,
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      number: 'Le numéro ne contient que des majuscules, des chiffres et « _ »',
      decidedOn: 'La date de décision est obligatoire',
      subject: "L'objet est obligatoire",
      classification: 'Choisissez la matière de l’acte',
      votesFor: 'nombre entier positif ou nul attendu',
      signatoryName: '200 caractères au plus',
    });
  });

  it('refuses a number longer than 15 characters and a malformed classification', () => {
    const { errors } = readActForm(form({ ...valid, number: 'A'.repeat(16), classification: '7.x' }), false);
    expect(errors.number).toBe('Le numéro compte au plus 15 caractères');
    expect(errors.classification).toBe('Code de classification attendu (ex. 7.1)');
  });
});
