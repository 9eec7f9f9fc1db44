import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import { buildService } from '../../modules/catalogue/catalogue.test-support.js';
import { buildFeeRule, buildPool } from '../../modules/pricing/pricing.test-support.js';
import { buildSubscription } from '../../modules/subscriptions/subscriptions.test-support.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { organisations } from '../db/schema.js';
import { type Column, neutraliseFormula, toCsv, toXlsx } from './spreadsheet.js';

/**
 * CSV injection (OWASP): a text a member controls (its name, a processing's name, a service's name)
 * must reach the operator's spreadsheet as text, never as a formula. Every CSV export goes through
 * toCsv; each one is proved here with a planted formula.
 */

const EVIL = '=HYPERLINK("http://evil","x")';
const NEUTRALISED = `'${EVIL}`;

/** The cells of a CSV download (BOM, `;`, CRLF), header row first. */
const cellsOf = (body: string): string[][] => parse(body.replace(/^\uFEFF/, ''), { delimiter: ';' });

function columnOf(body: string, header: string): string[] {
  const [headers, ...rows] = cellsOf(body);
  const index = headers.indexOf(header);
  expect(index, `no column ${header} in ${headers.join(';')}`).toBeGreaterThanOrEqual(0);
  return rows.map((row) => row[index]);
}

describe('toCsv', () => {
  type Row = { text: string | null; amount: number; count: number | null };
  const columns: Column<Row>[] = [
    { header: 'Texte', width: 10, value: (r) => r.text },
    { header: 'Montant', width: 10, decimals: 2, value: (r) => r.amount },
    { header: 'Nombre', width: 10, value: (r) => r.count },
  ];

  it('prefixes with a quote every text a spreadsheet would read as a formula', () => {
    const texts = [EVIL, '+1+cmd|"/C calc"!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const csv = toCsv(
      columns,
      texts.map((text) => ({ text, amount: 1, count: 1 })),
    ).toString('utf8');
    expect(columnOf(csv, 'Texte')).toEqual(texts.map((text) => `'${text}`));
  });

  it('leaves ordinary texts, numbers and negative numbers as they are', () => {
    const rows: Row[] = [
      { text: 'Commune de Test', amount: -12.5, count: -3 },
      { text: 'a=b, 1+1, x@y', amount: 0, count: null },
      { text: null, amount: 1234.567, count: 42 },
    ];
    const csv = toCsv(columns, rows).toString('utf8');
    expect(cellsOf(csv).slice(1)).toEqual([
      ['Commune de Test', '-12,50', '-3'],
      ['a=b, 1+1, x@y', '0,00', ''],
      ['', '1234,57', '42'],
    ]);
  });

  it('neutraliseFormula touches only the first character', () => {
    expect(neutraliseFormula('=1')).toBe("'=1");
    expect(neutraliseFormula('1=1')).toBe('1=1');
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('toXlsx', () => {
  it('writes a text starting with = as a text cell, not a formula', async () => {
    const columns: Column<{ text: string; amount: number }>[] = [
      { header: 'Texte', width: 10, value: (r) => r.text },
      { header: 'Montant', width: 10, decimals: 2, value: (r) => r.amount },
    ];
    const buffer = await toXlsx('Feuille', columns, [{ text: EVIL, amount: -12.5 }]);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const text = sheet.getCell('A2');
    expect(text.type).toBe(ExcelJS.ValueType.String);
    expect(text.value).toBe(EVIL);
    expect(text.formula).toBeUndefined();
    const amount = sheet.getCell('B2');
    expect(amount.type).toBe(ExcelJS.ValueType.Number);
    expect(amount.value).toBe(-12.5);
  });
});

describe('every CSV export neutralises planted formulas', () => {
  const year = new Date().getUTCFullYear();
  let t: TestApp;
  let opAdmin: Session;
  let dpo: Session;
  let finance: Session;
  let evilMemberId: string;
  let serviceId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    const siret = (siren: string) => withLuhnDigit(`${siren}0001`);
    await db
      .update(organisations)
      .set({ siret: siret(operator.siren), address: '1 rue du Test', postalCode: '85000', city: 'Test' })
      .where(eq(organisations.id, operator.id));
    const member = await buildOrganisation(db, { name: EVIL, status: 'member' });
    await db
      .update(organisations)
      .set({ siret: siret(member.siren) })
      .where(eq(organisations.id, member.id));
    evilMemberId = member.id;
    opAdmin = await sessionAs(t, operator, 'admin');
    dpo = await sessionAs(t, operator, 'agent', ['dpo']);
    finance = await sessionAs(t, operator, 'agent', ['finance']);
    const service = await buildService(db, { name: EVIL });
    serviceId = service.id;
    await buildPool(db, { serviceId, year });
    await buildFeeRule(db, year);
    await buildSubscription(db, { memberId: member.id, serviceId });
  });
  afterAll(() => t?.close());

  const download = async (session: Session, url: string) => {
    const response = await request(t.app, session, 'GET', url);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    return response.body;
  };

  it('members: the member name', async () => {
    const csv = await download(opAdmin, '/api/v1/members/export.csv');
    expect(columnOf(csv, 'Nom')).toContain(NEUTRALISED);
    expect(columnOf(csv, 'Nom')).not.toContain(EVIL);
  });

  it('subscribers: the member name', async () => {
    const csv = await download(opAdmin, `/api/v1/catalogue/services/${serviceId}/subscribers.csv`);
    expect(columnOf(csv, 'Structure')).toEqual([NEUTRALISED]);
  });

  it('invoices: the member name and the line label (the service name)', async () => {
    const run = await request(t.app, finance, 'POST', '/api/v1/billing/runs', {
      year,
      mode: 'issue',
      force: true,
    });
    expect(run.statusCode, run.body).toBe(201);
    const csv = await download(finance, `/api/v1/invoices/export.csv?year=${year}`);
    expect(new Set(columnOf(csv, 'Structure'))).toEqual(new Set([NEUTRALISED]));
    expect(columnOf(csv, 'Désignation')).toContain(NEUTRALISED);
    // Amounts stay numbers with a decimal comma.
    expect(columnOf(csv, 'Montant ligne (€)').every((cell) => /^-?\d+,\d{2}$/.test(cell))).toBe(true);
  });

  it('RGPD registry: the processing name and its purposes', async () => {
    const url = `/api/v1/members/${evilMemberId}/processings`;
    const created = await request(t.app, dpo, 'POST', url, { name: EVIL, purposes: '@SUM(A1)' });
    expect(created.statusCode, created.body).toBe(201);
    const csv = await download(dpo, `/api/v1/members/${evilMemberId}/registry.csv`);
    expect(columnOf(csv, 'Traitement')).toEqual([NEUTRALISED]);
    expect(columnOf(csv, 'Finalités')).toEqual(["'@SUM(A1)"]);
  });

  it('DPO dashboard: the member name', async () => {
    const csv = await download(dpo, '/api/v1/rgpd/dashboard.csv');
    expect(columnOf(csv, 'Structure')).toContain(NEUTRALISED);
    expect(columnOf(csv, 'Structure')).not.toContain(EVIL);
  });
});
