import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../contracts/defined.js';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import { MEMBER_IMPORT_MAX_LINES, type MemberImportReport } from '../../../contracts/members-import.js';
import { searchKey } from '../../../contracts/search.js';
import { today } from '../../platform/clock.js';
import { parseCsv } from '../../platform/csv/reader.js';
import type { Db } from '../../platform/db/client.js';
import {
  auditEvents,
  communes,
  epci,
  memberContacts,
  membershipEvents,
  organisations,
} from '../../platform/db/schema.js';
import { createTestApp, type Session, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';
import {
  type ColumnMap,
  mapColumns,
  parseContactRole,
  parseKind,
  parseStatus,
} from './members.import.columns.js';
import type { ImportReferences } from './members.import.repository.js';
import { validateRows } from './members.import.validation.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));

/** The fields of @etalab/decoupage-administratif these tests read. */
interface OfficialCommune {
  type: string;
  code: string;
  nom: string;
  departement: string;
  region: string;
  siren: string;
  codesPostaux?: string[];
  population?: number;
}
interface OfficialEpci {
  code: string;
  nom: string;
  type: string;
  populationTotale: number;
  membres: { code: string }[];
}
const officialCommunes: OfficialCommune[] = require('@etalab/decoupage-administratif/data/communes.json');
const officialEpci: OfficialEpci[] = require('@etalab/decoupage-administratif/data/epci.json');
const official = (code: string) =>
  defined(
    officialCommunes.find((c) => c.type === 'commune-actuelle' && c.code === code),
    `commune ${code}`,
  );
const officialEpciOf = (code: string) =>
  defined(
    officialEpci.find((e) => e.code === code),
    `EPCI ${code}`,
  );

const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** Distinct valid SIRENs that no builder draws (builders draw bodies from 10,000,000). */
const siren = (n: number) => withLuhnDigit(String(n).padStart(8, '0'));

const HEADER =
  'type;nom;siren;siret;code insee;code epci;département;adresse;code postal;commune;population;statut;structure parente (siren);contact nom;contact prénom;contact rôle;contact email;contact téléphone';
const FIELDS = [
  'type',
  'nom',
  'siren',
  'siret',
  'insee',
  'epci',
  'dep',
  'adresse',
  'cp',
  'ville',
  'population',
  'statut',
  'parent',
  'cNom',
  'cPrenom',
  'cRole',
  'cEmail',
  'cTel',
] as const;
type Line = Partial<Record<(typeof FIELDS)[number], string>>;
const csvOf = (lines: Line[], header = HEADER) =>
  [header, ...lines.map((l) => FIELDS.map((f) => l[f] ?? '').join(';'))].join('\r\n');

// ---------------------------------------------------------------------------------------------

describe('reading members files as spreadsheets export them (platform/csv)', () => {
  it('drops a UTF-8 byte order mark so that the first header is recognised as a member column', () => {
    const parsed = parseCsv(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('type;siren\nCommune;1\n')]),
    );
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.headers[0]).toBe('type');
    expect(mapColumns(parsed.headers).index.kind).toBe(0);
  });

  it('decodes the Windows-1252 characters that Latin-1 lacks (Œ, —)', () => {
    const parsed = parseCsv(fixture('adherents-windows-1252.csv'));
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.rows[0].cells[1]).toBe('CCAS de Saint-Étienne-du-Bois');
    expect(parsed.rows[0].cells[5]).toBe("Mairie, 1 place de l'Église");
    expect(parsed.rows[1].cells[1]).toBe("SIVU de l'Œuvre scolaire — Bocage");
  });

  it('keeps separators, quotes and line breaks inside quoted fields, and numbers rows as a spreadsheet does', () => {
    const parsed = parseCsv(fixture('adherents-virgule.csv'));
    expect(parsed.delimiter).toBe(',');
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(parsed.rows[0].cells[1]).toBe('Syndicat mixte "Vendée Numérique"');
    expect(parsed.rows[0].cells[4]).toBe('12 rue des Halles\nBâtiment B, 2e étage');
    expect(parsed.rows[1].cells[1]).toBe('SPL Agence de services, Vendée');
  });
});

describe('recognising columns and values', () => {
  it('accepts headers whatever their accents, case and alias', () => {
    const columns = mapColumns([
      'NATURE',
      'Raison sociale',
      'N° SIREN',
      'Code INSEE',
      'SIREN EPCI',
      'Département',
      'Ville',
      'Structure parente (SIREN)',
      'Contact Prénom',
      'Contact téléphone',
      'Contact e-mail',
      'Statut',
      'Commentaire',
    ]);
    expect(columns.index).toEqual({
      kind: 0,
      name: 1,
      siren: 2,
      communeCode: 3,
      epciCode: 4,
      departementCode: 5,
      city: 6,
      parentSiren: 7,
      contactFirstName: 8,
      contactPhone: 9,
      contactEmail: 10,
      status: 11,
    });
    expect(columns.errors).toEqual([]);
    expect(columns.warnings).toEqual([
      { line: 1, column: 'Commentaire', value: null, message: 'colonne non reconnue : elle est ignorée' },
    ]);
  });

  it('reports missing mandatory columns and duplicated ones at file level', () => {
    const columns = mapColumns(['nom', 'ville', 'commune']);
    expect(columns.errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 'commune',
        message: expect.stringMatching(/colonne en double/),
      }),
      expect.objectContaining({
        line: 1,
        column: 'type',
        message: expect.stringMatching(/colonne obligatoire absente/),
      }),
      expect.objectContaining({
        line: 1,
        column: 'siren',
        message: expect.stringMatching(/colonne obligatoire absente/),
      }),
    ]);
    expect(columns.warnings.map((w) => w.column)).toEqual(['statut']);
  });

  it('understands French labels and code names of kinds, statuses and contact roles', () => {
    expect(parseKind('Commune')).toBe('commune');
    expect(parseKind('epci')).toBe('epci');
    expect(parseKind("Communauté d'agglomération")).toBe('epci');
    expect(parseKind('CCAS')).toBe('ccas');
    expect(parseKind('syndicat MIXTE')).toBe('syndicat_mixte');
    expect(parseKind('syndicat_mixte')).toBe('syndicat_mixte');
    expect(parseKind('EHPAD')).toBe('medico_social');
    expect(parseKind('Établissement médico-social')).toBe('medico_social');
    expect(parseKind('SPL')).toBe('spl');
    expect(parseKind('Association')).toBeNull();
    expect(parseStatus('Adhérent')).toBe('member');
    expect(parseStatus("demande d'adhesion")).toBe('requested');
    expect(parseStatus('withdrawal_requested')).toBe('withdrawal_requested');
    expect(parseStatus('Suspendu')).toBeNull();
    expect(parseContactRole('Maire')).toBe('maire_president');
    expect(parseContactRole('Secrétaire de mairie')).toBe('dgs_secretaire');
    expect(parseContactRole('référente RGPD')).toBe('referent_rgpd');
  });

  it('reads départements by code or name, and refuses parents in a loop', () => {
    const refs: ImportReferences = {
      communes: new Map(),
      epci: new Map(),
      departements: new Map([
        ['01', 'Ain'],
        ['85', 'Vendée'],
      ]),
      registered: new Map(),
    };
    const [a, b, c] = [siren(11), siren(12), siren(13)];
    const parsed = parseCsv(
      utf8(
        [
          'type;nom;siren;département;structure parente (siren)',
          `SPL;Un;${a};vendee;${b}`,
          `SPL;Deux;${b};85 - Vendée;${a}`,
          `SPL;Trois;${c};1;`,
          `SPL;Quatre;${siren(14)};Atlantide;`,
        ].join('\n'),
      ),
    );
    const result = validateRows(parsed, mapColumns(parsed.headers), refs);
    expect(result.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 'structure parente (siren)', expect.stringMatching(/en boucle/)],
      [3, 'structure parente (siren)', expect.stringMatching(/en boucle/)],
      [5, 'département', 'département inconnu : indiquez son code (85) ou son nom (Vendée)'],
    ]);
    expect(result.lines.map((l) => [l.name, l.departementCode])).toEqual([['Trois', '01']]);
  });

  it('requires the nom column when some lines are neither communes nor EPCI', () => {
    const refs: ImportReferences = {
      communes: new Map(),
      epci: new Map(),
      departements: new Map([['85', 'Vendée']]),
      registered: new Map(),
    };
    const parsed = parseCsv(utf8(`type;siren\nCCAS;${siren(1)}\nSPL;${siren(2)}\n`));
    const columns: ColumnMap = mapColumns(parsed.headers);
    const result = validateRows(parsed, columns, refs);
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 'nom',
        message: expect.stringMatching(/colonne obligatoire absente/),
      }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

function upload(
  t: TestApp,
  session: Session | null,
  content: string | Buffer,
  options: { dryRun?: boolean; csrf?: boolean; field?: string } = {},
) {
  const boundary = '----socle-test-boundary';
  const payload = Buffer.concat([
    utf8(
      `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="adherents.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    typeof content === 'string' ? utf8(content) : content,
    utf8(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/members/import${options.dryRun ? '?dryRun=true' : ''}`,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(session ? { cookie: session.cookie } : {}),
      ...(session && options.csrf !== false ? { 'x-csrf-token': session.csrfToken } : {}),
    },
  });
}

/** Adds real communes (and their EPCI) beyond the shared test sample. */
async function seedOfficialCommunes(db: Db, codes: string[]) {
  const rows = officialCommunes.filter((c) => c.type === 'commune-actuelle' && codes.includes(c.code));
  for (const c of rows) {
    const e = officialEpci.find((x) => x.membres.some((m) => m.code === c.code));
    if (e) {
      await db
        .insert(epci)
        .values({
          code: e.code,
          name: e.nom,
          searchName: searchKey(e.nom),
          type: e.type,
          population: e.populationTotale,
          memberCount: e.membres.length,
          regionCodes: ['52'],
          departementCodes: [...new Set<string>(e.membres.map((m) => m.code.slice(0, 2)))].sort(),
          vintage: 'test',
        })
        .onConflictDoNothing();
    }
    await db
      .insert(communes)
      .values({
        code: c.code,
        name: c.nom,
        searchName: searchKey(c.nom),
        departementCode: c.departement,
        regionCode: c.region,
        siren: c.siren,
        postalCodes: c.codesPostaux ?? [],
        population: c.population ?? null,
        epciCode: e?.code ?? null,
        vintage: 'test',
      })
      .onConflictDoNothing();
  }
}

const countOrganisations = async (db: Db) => (await db.select({ n: count() }).from(organisations))[0].n;

describe('POST /api/v1/members/import', () => {
  let t: TestApp;
  let db: Db;
  let admin: Session;
  let agent: Session;
  let memberAdmin: Session;
  let registered: Awaited<ReturnType<typeof buildOrganisation>>;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_BYTES: String(3_000_000) });
    db = t.database.db;
    const operator = await buildOperator(db);
    admin = await sessionAs(t, operator, 'admin');
    agent = await sessionAs(t, operator, 'agent', ['dpo']);
    registered = await buildOrganisation(db, { name: 'Syndicat déjà là', siren: siren(9_000_001) });
    memberAdmin = await sessionAs(t, registered, 'admin');
  });
  afterAll(() => t.close());

  describe('access', () => {
    const file = csvOf([{ type: 'SPL', nom: 'SPL Accès', siren: siren(1_000) }]);

    it('asks anonymous callers to log in', async () => {
      const response = await upload(t, null, file, { dryRun: true });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses operator agents and members', async () => {
      for (const session of [agent, memberAdmin]) {
        const response = await upload(t, session, file, { dryRun: true });
        expect(response.statusCode).toBe(403);
        expect(response.json().detail).toMatch(/administrateurs de l'opérateur/);
      }
    });

    it('requires the anti-CSRF header', async () => {
      const response = await upload(t, admin, file, { dryRun: true, csrf: false });
      expect(response.statusCode).toBe(403);
      expect(response.json().detail).toMatch(/CSRF/);
    });
  });

  describe('upload', () => {
    it('asks for a multipart upload in the field "file"', async () => {
      const notMultipart = await t.app.inject({
        method: 'POST',
        url: '/api/v1/members/import?dryRun=true',
        payload: { file: 'x' },
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      });
      expect(notMultipart.statusCode).toBe(400);
      expect(notMultipart.json().detail).toMatch(/multipart\/form-data/);
      const wrongField = await upload(t, admin, 'type;siren\n', { dryRun: true, field: 'fichier' });
      expect(wrongField.statusCode).toBe(400);
      expect(wrongField.json().errors).toEqual([{ path: 'body.file', message: 'fichier manquant' }]);
    });

    it('validates the dryRun flag', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/members/import?dryRun=peut-etre',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].path).toBe('query.dryRun');
    });

    it('refuses a file above UPLOAD_MAX_BYTES with a French message', async () => {
      const response = await upload(t, admin, Buffer.alloc(3_100_000, 'a'), { dryRun: true });
      expect(response.statusCode).toBe(413);
      expect(response.json().detail).toMatch(
        /« adherents.csv » dépasse la taille maximale autorisée \(\d+(,\d)? Mo\)/,
      );
    });

    it(`refuses more than ${MEMBER_IMPORT_MAX_LINES} lines`, async () => {
      const lines = Array.from({ length: MEMBER_IMPORT_MAX_LINES + 1 }, (_, i) => `SPL;S${i};${siren(i)}`);
      const response = await upload(t, admin, `type;nom;siren\n${lines.join('\n')}`, { dryRun: true });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        totalLines: MEMBER_IMPORT_MAX_LINES + 1,
        validLines: 0,
        errors: [{ line: 1, column: null, message: expect.stringMatching(/20\s000 au plus par import/) }],
      });
    });

    it('reports an unreadable file instead of failing', async () => {
      const response = await upload(t, admin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), {
        dryRun: true,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().errors[0].message).toMatch(/classeur/);
    });
  });

  describe('dry run', () => {
    const good = siren(2_000);
    const laRoche = official(SAMPLE.laRocheSurYon);
    const lines: Line[] = [
      /* 2 */ {
        type: 'Syndicat mixte',
        nom: 'Syndicat du Marais',
        siren: good,
        dep: '85',
        statut: 'Adhérent',
      },
      /* 3 */ { type: 'Syndicat mixte', nom: 'Syndicat Luhn', siren: '123456789' },
      /* 4 */ { type: 'SPL', nom: 'SPL Siret', siren: siren(2_001), siret: '12345678901234' },
      /* 5 */ { type: 'Commune', siren: siren(2_002), insee: '85999' },
      /* 6 */ { type: 'EPCI', siren: siren(2_003), epci: siren(2_003) },
      /* 7 */ { type: 'SPL', nom: 'SPL Doublon', siren: good },
      /* 8 */ { type: 'SPL', nom: 'SPL Existante', siren: siren(9_000_001) },
      /* 9 */ { type: 'Association', nom: 'Amicale', siren: siren(2_004) },
      /* 10 */ { type: 'SPL', nom: 'SPL Statut', siren: siren(2_005), statut: 'Suspendu' },
      /* 11 */ { type: 'CCAS', nom: 'CCAS Décimal', siren: siren(2_006), population: '12,5' },
      /* 12 */ { type: 'CCAS', nom: 'CCAS Orphelin', siren: siren(2_007), parent: siren(2_999) },
      /* 13 */ { type: 'CCAS', nom: '', siren: siren(2_008) },
      /* 14 */ { type: '', nom: 'Sans type', siren: siren(2_009) },
      /* 15 */ { type: 'SPL', nom: 'Sans SIREN', siren: '' },
      /* 16 */ { type: 'Commune', siren: laRoche.siren, insee: SAMPLE.laRocheSurYon, statut: 'Prospect' },
      /* 17 */ {
        type: 'CCAS',
        nom: 'CCAS du Marais',
        siren: siren(2_010),
        parent: good,
        population: '1 234',
      },
      /* 18 */ {
        type: 'CCAS',
        nom: 'CCAS enfant du registre',
        siren: siren(2_011),
        parent: siren(9_000_001),
      },
      /* 19 */ { type: 'EPCI', siren: SAMPLE.epciLaRoche, population: '1' },
      /* 20 */ { type: 'Commune', siren: official(SAMPLE.lesSablesDOlonne).siren, insee: SAMPLE.aizenay },
      /* 21 */ {
        type: 'SPL',
        nom: 'SPL Contact',
        siren: siren(2_012),
        cNom: 'Durand',
        cRole: 'Trésorier',
        cEmail: 'pas-une-adresse',
      },
    ];

    it('reports every bad line with its line, column and reason, and writes nothing', async () => {
      const before = await countOrganisations(db);
      const response = await upload(t, admin, csvOf(lines), { dryRun: true });
      expect(response.statusCode).toBe(200);
      const report = response.json<MemberImportReport>();
      expect(report.dryRun).toBe(true);
      expect(report.totalLines).toBe(20);
      const errors = report.errors.map((e) => [e.line, e.column, e.message]);
      expect(errors).toEqual([
        [3, 'siren', expect.stringMatching(/^Le SIREN (compte 9 chiffres|n'est pas valide)/)],
        [4, 'siret', expect.stringMatching(/^Le SIRET (compte 14 chiffres|n'est pas valide)/)],
        [5, 'code insee', 'code INSEE inconnu : aucune commune 85999 dans le référentiel officiel'],
        [
          6,
          'code epci',
          `code EPCI inconnu : aucun EPCI de SIREN ${siren(2_003)} dans le référentiel officiel`,
        ],
        [7, 'siren', 'SIREN en double dans le fichier : lignes 2 et 7'],
        [8, 'siren', 'SIREN déjà enregistré : la structure « Syndicat déjà là » existe déjà'],
        [9, 'type', expect.stringMatching(/^type de structure inconnu ; valeurs acceptées : Commune, EPCI/)],
        [10, 'statut', expect.stringMatching(/^statut inconnu/)],
        [11, 'population', expect.stringMatching(/nombre entier/)],
        [
          12,
          'structure parente (siren)',
          `structure parente introuvable : aucun SIREN ${siren(2_999)} dans le fichier ni parmi les structures enregistrées`,
        ],
        [13, 'nom', 'Le nom est obligatoire'],
        [14, 'type', 'champ obligatoire vide : type de structure'],
        [15, 'siren', 'champ obligatoire vide : SIREN'],
        [20, 'siren', expect.stringMatching(/^ce SIREN n'est pas celui de la commune 85003 \(Aizenay\)/)],
        [21, 'contact rôle', expect.stringMatching(/^rôle du contact inconnu ; valeurs acceptées : Maire/)],
        [21, 'contact prénom', 'contact : prénom obligatoire'],
        [21, 'contact email', 'contact : adresse e-mail invalide'],
      ]);
      const bad = report.errors.find((e) => e.line === 3);
      expect(bad?.value).toBe('123456789');
      expect(report.validLines).toBe(5);
      expect(report.preview.map((p) => p.line)).toEqual([2, 16, 17, 18, 19]);
      expect(await countOrganisations(db)).toBe(before);
    });

    it('previews valid lines normalised, with official names, départements and populations', async () => {
      const report = (await upload(t, admin, csvOf(lines), { dryRun: true })).json<MemberImportReport>();
      const [syndicat, commune, ccas, , epciLine] = report.preview;
      expect(syndicat).toMatchObject({ kind: 'syndicat_mixte', status: 'member', departementCode: '85' });
      expect(commune).toMatchObject({
        kind: 'commune',
        name: 'La Roche-sur-Yon',
        communeCode: '85191',
        epciCode: null,
        departementCode: '85',
        population: laRoche.population,
        status: 'prospect',
      });
      expect(ccas).toMatchObject({ kind: 'ccas', population: 1234, parentSiren: good });
      expect(epciLine).toMatchObject({
        kind: 'epci',
        epciType: 'CA',
        epciCode: SAMPLE.epciLaRoche,
        name: 'CA La Roche-sur-Yon - Agglomération',
        departementCode: '85',
        population: officialEpciOf(SAMPLE.epciLaRoche).populationTotale,
      });
      expect(report.warnings).toEqual([
        {
          line: 19,
          column: 'population',
          value: '1',
          message: "population ignorée : celle d'une commune ou d'un EPCI vient des données officielles",
        },
      ]);
    });

    it('warns about unknown columns and a missing status column', async () => {
      const file = `type;nom;siren;remarques\nSPL;SPL Avertie;${siren(2_100)};à rappeler\n`;
      const report = (await upload(t, admin, file, { dryRun: true })).json<MemberImportReport>();
      expect(report.errors).toEqual([]);
      expect(report.warnings.map((w) => [w.line, w.column])).toEqual([
        [1, 'remarques'],
        [1, 'statut'],
      ]);
      expect(report.preview[0].status).toBe('member');
    });

    it('reads the comma-separated and Windows-1252 fixtures', async () => {
      const comma = (
        await upload(t, admin, fixture('adherents-virgule.csv'), { dryRun: true })
      ).json<MemberImportReport>();
      expect(comma.totalLines).toBe(3);
      expect(comma.errors.map((e) => [e.line, e.column])).toEqual([[4, 'N° SIREN']]);
      expect(comma.preview[0]).toMatchObject({
        name: 'Syndicat mixte "Vendée Numérique"',
        address: '12 rue des Halles\nBâtiment B, 2e étage',
      });
      const win = (
        await upload(t, admin, fixture('adherents-windows-1252.csv'), { dryRun: true })
      ).json<MemberImportReport>();
      expect(win.errors).toEqual([]);
      expect(win.preview.map((p) => [p.name, p.departementCode, p.status])).toEqual([
        ['CCAS de Saint-Étienne-du-Bois', '85', 'member'],
        ["SIVU de l'Œuvre scolaire — Bocage", '85', 'prospect'],
      ]);
    });
  });

  describe('commit', () => {
    const parent = siren(3_000);
    const aizenay = official(SAMPLE.aizenay);
    const valid: Line[] = [
      {
        type: 'CCAS',
        nom: 'CCAS du Bocage',
        siren: siren(3_001),
        parent,
        dep: '85',
        cNom: 'Durand',
        cPrenom: 'Léa',
        cRole: 'Référent RGPD',
        cEmail: 'Lea.Durand@bocage.example',
        cTel: '02 51 00 00 00',
      },
      {
        type: 'Syndicat intercommunal',
        nom: "Syndicat de l'Yon",
        siren: parent,
        siret: withLuhnDigit(`${parent}0001`),
        statut: "Demande d'adhésion",
      },
      { type: 'Commune', nom: '', siren: aizenay.siren, insee: '85003', cp: '85190', ville: 'Aizenay' },
    ];

    it('writes nothing when one line is bad, and answers 422 with the report', async () => {
      const before = await countOrganisations(db);
      const withBadLine = [...valid, { type: 'SPL', nom: 'SPL fautive', siren: '218501915' }];
      const response = await upload(t, admin, csvOf(withBadLine));
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const body = response.json();
      expect(body).toMatchObject({
        status: 422,
        title: 'Import refusé',
        dryRun: false,
        totalLines: 4,
        validLines: 3,
      });
      expect(body.detail).toMatch(/Aucune structure n'a été enregistrée/);
      expect(body.errors).toEqual([
        {
          line: 5,
          column: 'siren',
          value: '218501915',
          message: expect.stringMatching(/^Le SIREN (compte 9 chiffres|n'est pas valide)/),
        },
      ]);
      expect(await countOrganisations(db)).toBe(before);
      expect(await db.select().from(organisations).where(eq(organisations.siren, parent))).toEqual([]);
    });

    it('writes every line, its contact and its history, in one go once the file is corrected', async () => {
      const before = await countOrganisations(db);
      const response = await upload(t, admin, csvOf(valid));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ dryRun: false, created: 3 });
      expect(await countOrganisations(db)).toBe(before + 3);

      const rows = await db
        .select()
        .from(organisations)
        .where(inArray(organisations.siren, [siren(3_001), parent, aizenay.siren]));
      const bySiren = new Map(rows.map((r) => [r.siren, r]));
      const ccas = defined(bySiren.get(siren(3_001)), 'the CCAS');
      const syndicat = defined(bySiren.get(parent), 'the syndicat');
      const commune = defined(bySiren.get(aizenay.siren), 'the commune');
      expect(ccas).toMatchObject({
        kind: 'ccas',
        parentId: syndicat.id,
        status: 'member',
        searchName: 'ccas du bocage',
      });
      expect(syndicat).toMatchObject({
        status: 'requested',
        searchName: searchKey("Syndicat de l'Yon"),
        parentId: null,
      });
      expect(commune).toMatchObject({
        kind: 'commune',
        name: 'Aizenay',
        communeCode: '85003',
        departementCode: '85',
        // The official population (communes.json), copied by the database trigger whatever the file says.
        population: 10_365,
        postalCode: '85190',
      });

      const contacts = await db.select().from(memberContacts).where(eq(memberContacts.memberId, ccas.id));
      expect(contacts).toEqual([
        expect.objectContaining({
          role: 'referent_rgpd',
          firstName: 'Léa',
          lastName: 'Durand',
          email: 'lea.durand@bocage.example',
          phone: '0251000000',
        }),
      ]);
      const events = await db
        .select()
        .from(membershipEvents)
        .where(inArray(membershipEvents.memberId, [ccas.id, syndicat.id, commune.id]));
      expect(events).toHaveLength(3);
      for (const event of events) {
        expect(event).toMatchObject({
          fromStatus: null,
          effectiveOn: today(),
          actorUserId: admin.userId,
        });
      }
      expect(events.find((e) => e.memberId === syndicat.id)?.toStatus).toBe('requested');

      const audit = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'members.imported'), eq(auditEvents.actorUserId, admin.userId)));
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toEqual({ created: 3 });
    });

    it('refuses the same file a second time: its SIRENs are now registered', async () => {
      const response = await upload(t, admin, csvOf(valid));
      expect(response.statusCode).toBe(422);
      expect(response.json().errors).toHaveLength(3);
    });

    it('imports the published template (docs/exemples/import-adherents.csv)', async () => {
      await seedOfficialCommunes(db, ['85153', '85182', '85222', '72154', '72264', '72180']);
      // Aizenay came in with the previous test.
      await db.delete(organisations).where(eq(organisations.siren, aizenay.siren));
      const template = fs.readFileSync(path.resolve(here, '../../../../docs/exemples/import-adherents.csv'));
      expect([...template.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const dry = (await upload(t, admin, template, { dryRun: true })).json<MemberImportReport>();
      expect(dry.errors).toEqual([]);
      expect(dry.warnings).toEqual([]);
      const response = await upload(t, admin, template);
      expect(response.statusCode).toBe(200);
      expect(response.json().created).toBe(11);
      const [ccas] = await db.select().from(organisations).where(eq(organisations.siren, '268500030'));
      const [mairie] = await db.select().from(organisations).where(eq(organisations.siren, aizenay.siren));
      expect(ccas.parentId).toBe(mairie.id);
    });
  });

  describe('realistic files', () => {
    it('reports on a 200-line file with a few mistakes', async () => {
      const kinds = ['CCAS', 'EHPAD', 'Syndicat mixte', 'Syndicat intercommunal', 'SPL', 'CIAS'];
      const statuses = ['Adhérent', 'Prospect', "Demande d'adhésion", 'Retrait demandé'];
      const deps = ['44', '49', '53', '72', '85'];
      const lines: Line[] = [];
      for (const code of [SAMPLE.laRocheSurYon, SAMPLE.lesSablesDOlonne, SAMPLE.nantes, SAMPLE.aiguillon]) {
        lines.push({
          type: 'Commune',
          siren: official(code).siren,
          insee: code,
          statut: 'Adhérent',
          cNom: 'Maire',
          cPrenom: 'Dominique',
          cRole: 'Maire',
        });
      }
      lines.push({ type: 'EPCI', siren: SAMPLE.epciSables, statut: 'Adhérent' });
      lines.push({ type: 'EPCI', siren: SAMPLE.epciNantes, statut: 'Prospect' });
      for (let i = lines.length; i < 200; i++) {
        const kind = kinds[i % kinds.length];
        lines.push({
          type: kind,
          nom: `${kind} n° ${i}`,
          siren: siren(50_000 + i),
          dep: deps[i % deps.length],
          population: String(100 + i * 37),
          statut: statuses[i % statuses.length],
          parent: kind === 'CCAS' && i > 10 ? siren(50_000 + i - 2) : '',
          adresse: `${i} rue de la République`,
          cp: `${deps[i % deps.length]}${String(i).padStart(3, '0')}`,
          cNom: `Nom${i}`,
          cPrenom: `Prénom${i}`,
          cRole: i % 2 ? 'Référent numérique' : 'DGS',
          cEmail: `contact${i}@structure.example`,
        });
      }
      const mistakes: Record<number, [Line, string]> = {
        30: [{ siren: '200000000' }, 'siren'],
        60: [{ population: 'environ 300' }, 'population'],
        90: [{ insee: '85000' }, 'code insee'],
        120: [{ siren: siren(50_000 + 100) }, 'siren'],
        150: [{ statut: 'En pause' }, 'statut'],
        180: [{ cEmail: 'contact@' }, 'contact email'],
        199: [{ type: 'Amicale' }, 'type'],
      };
      for (const [index, [patch]] of Object.entries(mistakes)) Object.assign(lines[Number(index)], patch);

      const report = (await upload(t, admin, csvOf(lines), { dryRun: true })).json<MemberImportReport>();
      expect(report.totalLines).toBe(200);
      expect(report.errors.map((e) => [e.line, e.column])).toEqual(
        Object.entries(mistakes).map(([index, [, column]]) => [Number(index) + 2, column]),
      );
      expect(report.validLines).toBe(193);
      expect(report.preview).toHaveLength(20);
      expect(report.preview[0]).toMatchObject({
        name: 'La Roche-sur-Yon',
        contact: { role: 'maire_president' },
      });
    });

    it('checks then imports 5,000 lines with parents in one transaction', async () => {
      const kinds = ['CCAS', 'EHPAD', 'Syndicat mixte', 'SPL'];
      // Children listed before their parents, to show that order in the file does not matter.
      const lines: Line[] = Array.from({ length: 5_000 }, (_, i) => ({
        type: kinds[i % kinds.length],
        nom: `Structure ${i}`,
        siren: siren(100_000 + i),
        dep: '85',
        population: String(i),
        parent: i % 10 === 0 && i + 5 < 5_000 ? siren(100_000 + i + 5) : '',
        cNom: 'Martin',
        cPrenom: 'Alex',
        cRole: 'Référent numérique',
      }));
      const file = csvOf(lines);
      const before = await countOrganisations(db);

      const dry = (await upload(t, admin, file, { dryRun: true })).json<MemberImportReport>();
      expect(dry.errors).toEqual([]);
      expect(dry.validLines).toBe(5_000);

      const response = await upload(t, admin, file);
      expect(response.json()).toEqual({ dryRun: false, created: 5_000 });
      expect(await countOrganisations(db)).toBe(before + 5_000);
      const [child] = await db
        .select()
        .from(organisations)
        .where(eq(organisations.siren, siren(100_000)));
      const [parentRow] = await db
        .select()
        .from(organisations)
        .where(eq(organisations.siren, siren(100_005)));
      expect(child.parentId).toBe(parentRow.id);
    }, 120_000);
  });
});
