import { describe, expect, it } from 'vitest';
import { readSeatForm } from './seat-form-data.js';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

const COLLEGE = '0195f3a2-7c1e-7000-8000-0000000000c1';
const TITULAR = '0195f3a2-7c1e-7000-8000-0000000000a1';

describe('the seat form read in the browser', () => {
  it('gives the API body: the address in lower case, empty fields as null', () => {
    const { body, errors } = readSeatForm(
      form({
        kind: 'titular',
        fullName: ' Marie Durand ',
        email: 'Marie.Durand@Aizenay.example',
        collegeId: COLLEGE,
        substituteForSeatId: TITULAR,
        termStart: '2026-07-01',
        termEnd: '',
      }),
    );
    expect(errors).toEqual({});
    expect(body).toEqual({
      kind: 'titular',
      fullName: 'Marie Durand',
      email: 'marie.durand@aizenay.example',
      designatedById: null,
      collegeId: COLLEGE,
      // A titular replaces nobody, whatever the hidden field held.
      substituteForSeatId: null,
      isChair: false,
      paperConvocation: false,
      termStart: '2026-07-01',
      termEnd: null,
    });
  });

  it('ties a substitute to its titular and accepts a paper convocation without address', () => {
    const { body } = readSeatForm(
      form({
        kind: 'substitute',
        fullName: 'Paul Martin',
        email: '',
        paperConvocation: 'on',
        substituteForSeatId: TITULAR,
        termStart: '2026-07-01',
      }),
    );
    expect(body).toMatchObject({
      kind: 'substitute',
      email: null,
      paperConvocation: true,
      substituteForSeatId: TITULAR,
    });
  });

  it('names every wrong field in French', () => {
    const { body, errors } = readSeatForm(
      form({ kind: 'titular', fullName: '', email: '', termStart: '2026-07-01', termEnd: '2026-06-30' }),
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      fullName: 'Le nom est obligatoire',
      email: 'Indiquez une adresse électronique, ou cochez la convocation sur papier',
      termEnd: 'La fin du mandat suit son début',
    });
    expect(
      readSeatForm(form({ kind: 'titular', fullName: 'A', email: 'pas-une-adresse', termStart: '' })).errors,
    ).toEqual({
      email: 'adresse électronique invalide',
      termStart: 'Indiquez la date de début du mandat',
    });
  });
});
