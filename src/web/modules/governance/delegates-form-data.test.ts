import { describe, expect, it } from 'vitest';
import { readDelegatesForm } from './delegates-form-data.js';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

const DOCUMENT = '0195f3a2-7c1e-7000-8000-0000000000d1';

describe('the designation of delegates read in the browser', () => {
  it('keeps the filled rows, in order, with the deliberation and the term', () => {
    const { body, errors } = readDelegatesForm(
      form({
        designationDocumentId: DOCUMENT,
        termStart: '2026-07-01',
        termEnd: '',
        'delegates.0.kind': 'titular',
        'delegates.0.fullName': 'Marie Durand',
        'delegates.0.email': 'Marie.Durand@aizenay.example',
        'delegates.1.kind': 'substitute',
        'delegates.1.fullName': '',
        'delegates.1.email': '',
        'delegates.2.kind': 'substitute',
        'delegates.2.fullName': 'Paul Martin',
        'delegates.2.email': '',
      }),
      3,
    );
    expect(errors).toEqual({});
    expect(body).toEqual({
      designationDocumentId: DOCUMENT,
      termStart: '2026-07-01',
      termEnd: null,
      delegates: [
        { kind: 'titular', fullName: 'Marie Durand', email: 'marie.durand@aizenay.example' },
        { kind: 'substitute', fullName: 'Paul Martin', email: null },
      ],
    });
  });

  it('asks for the deliberation, a delegate, and names the row at fault', () => {
    expect(readDelegatesForm(form({ termStart: '2026-07-01' }), 2).errors).toEqual({
      'delegates.0.fullName': 'Indiquez au moins un délégué',
      designationDocumentId: 'Choisissez la délibération qui désigne les délégués',
    });
    const { body, errors } = readDelegatesForm(
      form({
        designationDocumentId: DOCUMENT,
        termStart: '2026-07-01',
        'delegates.0.kind': 'titular',
        'delegates.0.fullName': '',
        'delegates.0.email': 'marie@aizenay.example',
        'delegates.1.kind': 'titular',
        'delegates.1.fullName': 'Paul Martin',
        'delegates.1.email': 'pas-une-adresse',
      }),
      2,
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      'delegates.0.fullName': 'Le nom est obligatoire',
      'delegates.1.email': 'adresse électronique invalide',
    });
  });
});
