import { describe, expect, it } from 'vitest';
import { installFrenchErrors } from '../../../contracts/validation.js';
import {
  readIncidentDatesForm,
  readIncidentForm,
  readInventoryForm,
  readManualAdvisoryForm,
  readRemediationForm,
  readServiceSoftwareForm,
  readSettingsForm,
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

describe('the remediation delays form', () => {
  const days = {
    'remediationDays.critical': '7',
    'remediationDays.high': '30',
    'remediationDays.medium': '90',
    'remediationDays.low': '180',
    'remediationDays.none': '365',
  };

  it('gives the days per severity', () => {
    expect(readSettingsForm(form(days)).body).toEqual({
      remediationDays: { critical: 7, high: 30, medium: 90, low: 180, none: 365 },
    });
  });

  it('names the severity whose days are wrong', () => {
    const read = readSettingsForm(
      form({ ...days, 'remediationDays.critical': 'sept', 'remediationDays.high': '0' }),
    );
    expect(read.body).toBeNull();
    expect(read.errors).toEqual({
      'remediationDays.critical': 'Nombre de jours attendu (nombre entier)',
      'remediationDays.high': 'Au moins 1 jour',
    });
  });
});

describe('the software of an operator service', () => {
  it('keeps the filled rows, drops the empty ones, and names a faulty field by its row', () => {
    const data = form({
      'items.0.name': 'Portail',
      'items.0.vendor': 'Nextcloud',
      'items.0.product': 'Nextcloud Server',
      'items.0.version': '28.0.4',
      'items.0.cpe': '',
      'items.0.exposure': 'internet',
      'items.1.name': '',
      'items.1.vendor': '',
      'items.1.product': '',
      'items.1.version': '',
      'items.1.cpe': '',
      'items.2.name': 'Base',
      'items.2.vendor': 'PostgreSQL',
      'items.2.product': 'PostgreSQL',
      'items.2.version': '',
      'items.2.cpe': '',
    });
    const read = readServiceSoftwareForm(data, 3);
    expect(read.body).toBeNull();
    expect(read.errors).toEqual({ 'items.2.version': 'La version est obligatoire' });
    data.set('items.2.version', '16.2');
    expect(readServiceSoftwareForm(data, 3).body).toEqual([
      {
        name: 'Portail',
        vendor: 'Nextcloud',
        product: 'Nextcloud Server',
        version: '28.0.4',
        cpe: null,
        exposure: 'internet',
      },
      {
        name: 'Base',
        vendor: 'PostgreSQL',
        product: 'PostgreSQL',
        version: '16.2',
        cpe: null,
        exposure: 'internet',
      },
    ]);
  });
});

describe('an advisory written by hand', () => {
  const base = {
    title: 'Faille critique de FortiOS (SSL-VPN)',
    reference: 'CERTFR-2024-ALE-005',
    severity: 'critical',
    summary: '',
    cves: 'cve-2024-21762, CVE-2024-23113',
    url: '',
    'products.0.vendor': 'Fortinet',
    'products.0.product': 'FortiOS',
    'products.0.version': '',
    'products.0.versionRange': 'vers:semver/>=7.0.0|<7.0.14',
    'products.0.cpe': '',
    'products.1.vendor': '',
    'products.1.product': '',
    'products.1.version': '',
    'products.1.versionRange': '',
    'products.1.cpe': '',
  };

  it('gives the CVEs in capitals and the filled product rows', () => {
    expect(readManualAdvisoryForm(form(base), 2)).toEqual({
      body: {
        title: 'Faille critique de FortiOS (SSL-VPN)',
        reference: 'CERTFR-2024-ALE-005',
        severity: 'critical',
        summary: null,
        cves: ['CVE-2024-21762', 'CVE-2024-23113'],
        url: null,
        products: [
          {
            vendor: 'Fortinet',
            product: 'FortiOS',
            version: null,
            versionRange: 'vers:semver/>=7.0.0|<7.0.14',
            cpe: null,
          },
        ],
      },
      errors: {},
    });
  });

  it('names the row of a product without version, and a malformed CVE', () => {
    const read = readManualAdvisoryForm(
      form({
        ...base,
        cves: 'CVE-24-1',
        'products.1.vendor': 'Drupal',
        'products.1.product': 'Drupal core',
      }),
      2,
    );
    expect(read.body).toBeNull();
    expect(read.errors['products.1.version']).toBe(
      'Indiquez une version, un intervalle « vers » ou un nom CPE',
    );
    expect(read.errors.cves).toBe('Identifiant CVE attendu (ex. CVE-2024-3400)');
  });

  it('asks for at least one product', () => {
    const empty = Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith('products.0')));
    expect(readManualAdvisoryForm(form(empty), 2).errors['products.0.vendor']).toBe(
      'Indiquez au moins un produit concerné',
    );
  });
});
