import { describe, expect, it } from 'vitest';
import { installFrenchErrors } from '../../../contracts/validation.js';
import {
  readIncidentDatesForm,
  readIncidentForm,
  readInventoryForm,
  readRemediationForm,
  splitServices,
} from './form-data.js';

installFrenchErrors();

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

describe('the remediation form', () => {
  it('gives the new state, an empty reason as null', () => {
    expect(readRemediationForm(form({ state: 'patched', reason: '  ' }))).toEqual({
      body: { state: 'patched', reason: null },
      errors: {},
    });
  });

  it('asks for a reason when the risk is accepted', () => {
    const read = readRemediationForm(form({ state: 'risk_accepted', reason: '' }));
    expect(read.body).toBeNull();
    expect(read.errors).toEqual({ reason: 'Justifiez l’acceptation du risque' });
    expect(
      readRemediationForm(form({ state: 'risk_accepted', reason: 'Serveur isolé, retiré en janvier' })).body,
    ).toEqual({ state: 'risk_accepted', reason: 'Serveur isolé, retiré en janvier' });
  });
});

describe('the inventory form', () => {
  const software = {
    kind: 'software',
    name: ' Pare-feu de la mairie ',
    quantity: '',
    vendor: 'Fortinet',
    product: 'FortiOS',
    version: '7.2.4',
    cpe: '',
    runner: 'vendor',
    exposure: 'internet',
    notes: '',
  };

  it('gives a software line with its version, quantity 1, empty fields as null', () => {
    expect(readInventoryForm(form(software))).toEqual({
      body: {
        kind: 'software',
        name: 'Pare-feu de la mairie',
        quantity: 1,
        vendor: 'Fortinet',
        product: 'FortiOS',
        version: '7.2.4',
        cpe: null,
        runner: 'vendor',
        exposure: 'internet',
        notes: null,
      },
      errors: {},
    });
  });

  it('counts workstations and refuses a count that is not a whole number', () => {
    const base = { ...software, kind: 'workstation', name: 'Postes des services', product: '', vendor: '' };
    expect(readInventoryForm(form({ ...base, quantity: '42' })).body?.quantity).toBe(42);
    expect(readInventoryForm(form({ ...base, quantity: 'quarante' })).errors).toEqual({
      quantity: 'Indiquez le nombre de postes (nombre entier)',
    });
  });

  it('names the fields at fault in French', () => {
    const read = readInventoryForm(form({ ...software, name: '', product: '', cpe: 'fortios 7.2' }));
    expect(read.body).toBeNull();
    expect(read.errors.name).toBe('Le nom est obligatoire');
    expect(read.errors.product).toBe('Indiquez le produit du logiciel');
    expect(read.errors.cpe).toMatch(/^Nom CPE 2\.3 attendu/);
  });
});

describe('the incident declaration', () => {
  it('reads the detection as Paris wall time and the services as a list', () => {
    const read = readIncidentForm(
      form({
        category: 'ransomware',
        detectedAt: '2026-03-29T01:30',
        personalData: 'yes',
        title: 'Serveur de fichiers chiffré',
        description: '',
        servicesAffected: 'état civil, messagerie ;\nurbanisme',
      }),
    );
    expect(read.errors).toEqual({});
    expect(read.body).toEqual({
      category: 'ransomware',
      // 29 March 2026 at 01:30 in Paris is still winter time (UTC+1): the change is at 02:00.
      detectedAt: '2026-03-29T00:30:00.000Z',
      personalData: true,
      title: 'Serveur de fichiers chiffré',
      description: null,
      servicesAffected: ['état civil', 'messagerie', 'urbanisme'],
    });
  });

  it('asks for the detection, the category and the personal data question', () => {
    const read = readIncidentForm(form({ category: '', detectedAt: '', title: 'x' }));
    expect(read.body).toBeNull();
    expect(Object.keys(read.errors).sort()).toEqual(['category', 'detectedAt', 'personalData']);
  });

  it('refuses a detection in the future', () => {
    const read = readIncidentForm(
      form({ category: 'phishing', detectedAt: '2999-01-01T10:00', personalData: 'no' }),
    );
    expect(read.errors.detectedAt).toBe('La détection ne peut pas être dans le futur');
  });

  it('splits the services on commas, semicolons and lines', () => {
    expect(splitServices(' a ,, b;c\n\n d ')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('the incident steps form', () => {
  it('sends the dates given, an emptied one as null, the others untouched', () => {
    const read = readIncidentDatesForm(
      form({ status: 'contained', earlyWarningSentAt: '2026-07-01T09:15', policeComplaintAt: '' }),
    );
    expect(read.errors).toEqual({});
    expect(read.body).toEqual({
      status: 'contained',
      earlyWarningSentAt: '2026-07-01T07:15:00.000Z',
      policeComplaintAt: null,
    });
  });
});
