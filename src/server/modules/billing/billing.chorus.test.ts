/**
 * Invoices fit for Chorus Pro: the preview lists the members without SIRET, issuing refuses them until
 * their record is fixed or the run is forced (recorded in the audit log), and the PDF carries its
 * number and « page x/y » on every page with amounts that never split.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRunResult, InvoiceDetail } from '../../../contracts/billing.js';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import { currentYear } from '../../platform/clock.js';
import { auditEvents, invoices, organisations } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildFeeRule, buildPool } from '../pricing/pricing.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { renderInvoicePdf } from './billing.pdf.js';

const YEAR = currentYear() + 6;
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;

const run = (body: Record<string, unknown>) =>
  request(t.app, finance, 'POST', '/api/v1/billing/runs', { year: YEAR, ...body });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance']);
  await db
    .update(organisations)
    .set({ siret: withLuhnDigit(`${cast.operator.siren}0001`) })
    .where(eq(organisations.id, cast.operator.id));
  // Member A has its SIRET, member B has none.
  await db
    .update(organisations)
    .set({ siret: withLuhnDigit(`${cast.memberA.siren}0001`) })
    .where(eq(organisations.id, cast.memberA.id));
  await db.update(organisations).set({ siret: null }).where(eq(organisations.id, cast.memberB.id));
  const service = await buildService(db, { name: 'Hébergement', code: 'HEBERG' });
  await buildPool(db, { serviceId: service.id, year: YEAR, poolCents: 5_000_000 });
  await buildFeeRule(db, YEAR, 50, 10_000);
  for (const member of [cast.memberA, cast.memberB]) {
    await buildSubscription(db, { memberId: member.id, serviceId: service.id, startDate: `${YEAR}-01-01` });
  }
});
afterAll(() => t?.close());

describe('members without SIRET', () => {
  it('are listed by the preview, by name', async () => {
    const preview = await run({ mode: 'preview' });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json<BillingRunResult>();
    expect(body.incompleteCount).toBe(1);
    expect(body.incomplete).toEqual([
      { memberId: cast.memberB.id, memberName: cast.memberB.name, missing: ['siret'] },
    ]);
    expect(body.message).toContain('1\u00a0structure sans SIRET');
  });

  it('make issuing refuse, naming them, then accept when forced, recorded in the audit log', async () => {
    const refused = await run({ mode: 'issue' });
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = refused.json();
    expect(problem.detail).toContain('1\u00a0structure n’a pas de SIRET');
    expect(problem.detail).toContain(cast.memberB.name);
    expect(problem.incomplete).toEqual([
      { memberId: cast.memberB.id, memberName: cast.memberB.name, missing: ['siret'] },
    ]);
    const none = await t.database.db.select().from(invoices).where(eq(invoices.year, YEAR));
    expect(none).toEqual([]);

    const forced = await run({ mode: 'issue', force: true });
    expect(forced.statusCode, forced.body).toBe(201);
    expect(forced.json<BillingRunResult>().invoiceCount).toBe(2);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'billing.issued'), eq(auditEvents.targetId, forced.json().runId)));
    expect(audit.details).toMatchObject({ year: YEAR, force: true, withoutSiret: [cast.memberB.id] });
  });

  it('issue without force once every member has its SIRET', async () => {
    const db = t.database.db;
    const other = YEAR + 1;
    const service = await buildService(db, { name: 'Messagerie', code: 'MSG' });
    await buildPool(db, { serviceId: service.id, year: other, poolCents: 10_000 });
    await buildSubscription(db, {
      memberId: cast.memberA.id,
      serviceId: service.id,
      startDate: `${other}-01-01`,
    });
    await db
      .update(organisations)
      .set({ siret: withLuhnDigit(`${cast.memberB.siren}0001`) })
      .where(eq(organisations.id, cast.memberB.id));
    const issued = await request(t.app, finance, 'POST', '/api/v1/billing/runs', {
      year: other,
      mode: 'issue',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json<BillingRunResult>().incompleteCount).toBe(0);
  });
});

describe('members whose Chorus Pro structure requires a service code', () => {
  const year = YEAR + 2;
  beforeAll(async () => {
    const db = t.database.db;
    const service = await buildService(db, { name: 'Comptabilité', code: 'COMPTA' });
    await buildPool(db, { serviceId: service.id, year, poolCents: 20_000 });
    await buildSubscription(db, {
      memberId: cast.memberA.id,
      serviceId: service.id,
      startDate: `${year}-01-01`,
    });
    // Both members have their SIRET by now (the test above); A's structure requires a service code.
    await db
      .update(organisations)
      .set({ chorusServiceCodeRequired: true, chorusServiceCode: null })
      .where(eq(organisations.id, cast.memberA.id));
  });
  const runFor = (body: Record<string, unknown>) =>
    request(t.app, finance, 'POST', '/api/v1/billing/runs', { year, ...body });

  it('are listed by the preview unless the run gives their code', async () => {
    const preview = (await runFor({ mode: 'preview' })).json<BillingRunResult>();
    expect(preview.incomplete).toEqual([
      { memberId: cast.memberA.id, memberName: cast.memberA.name, missing: ['serviceCode'] },
    ]);
    expect(preview.message).toContain('1\u00a0structure sans code service');
    const given = await runFor({ mode: 'preview', serviceCodes: { [cast.memberA.id]: 'SERV-COMPTA' } });
    expect(given.json<BillingRunResult>().incompleteCount).toBe(0);
  });

  it('make issuing refuse with the field named, until the member enters its code itself', async () => {
    const refused = await runFor({ mode: 'issue' });
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = refused.json();
    expect(problem.title).toBe('Émission refusée : fiches incomplètes pour Chorus Pro');
    expect(problem.detail).toContain('1\u00a0structure n’a pas de code service');
    expect(problem.errors).toEqual([
      {
        path: `members.${cast.memberA.id}.chorusServiceCode`,
        message: `code service Chorus Pro manquant pour ${cast.memberA.name}`,
      },
    ]);

    const patched = await request(t.app, cast.adminA, 'PATCH', `/api/v1/members/${cast.memberA.id}`, {
      chorusServiceCode: 'SERV-COMPTA',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().private).toMatchObject({
      chorusServiceCode: 'SERV-COMPTA',
      chorusServiceCodeRequired: true,
    });
    const issued = await runFor({ mode: 'issue' });
    expect(issued.statusCode, issued.body).toBe(201);
    const [invoice] = await t.database.db
      .select({ serviceCode: invoices.serviceCode })
      .from(invoices)
      .where(and(eq(invoices.year, year), eq(invoices.memberId, cast.memberA.id)));
    expect(invoice.serviceCode).toBe('SERV-COMPTA');
  });
});

describe('the invoice PDF', () => {
  const invoice = (lineCount: number): InvoiceDetail => ({
    id: '00000000-0000-4000-8000-000000000001',
    number: 'F-2030-000042',
    memberId: '00000000-0000-4000-8000-000000000002',
    memberName: 'Commune d’Auvers-le-Hamon',
    year: 2030,
    totalCents: 2_500_000 * lineCount,
    paidCents: 0,
    creditedCents: 0,
    status: 'issued',
    issuedOn: '2030-03-01',
    dueOn: '2030-03-31',
    kind: 'invoice',
    call: 1,
    creditOf: null,
    creditOfNumber: null,
    reason: null,
    serviceCode: null,
    engagementNumber: null,
    operatorName: 'Syndicat numérique',
    operatorSiret: '12345678200010',
    memberSiren: '213500010',
    memberSiret: '21350001000017',
    dueCents: 2_500_000 * lineCount,
    lines: Array.from({ length: lineCount }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      position: i + 1,
      serviceId: null,
      serviceCode: `SERV-${i + 1}`,
      creditOfLineId: null,
      label: `Service mutualisé numéro ${i + 1}`,
      quantity: 1,
      unitCents: 2_500_000,
      totalCents: 2_500_000,
      explanation: 'Règle : répartition par strates de population. Population : 1 234 habitants.',
    })),
    payments: [],
    creditNotes: [],
  });

  it('carries the invoice number and « page x/y » on every page, amounts on one line', async () => {
    const pdf = await renderInvoicePdf(
      invoice(40),
      { operatorAddress: '1 rue du Test, 85000 La Roche-sur-Yon', memberAddress: null },
      { iban: 'FR7630001007941234567890185', bic: 'BDFEFRPPCCT' },
    );
    const { PDFParse } = await import('pdf-parse');
    const result = await new PDFParse({ data: pdf }).getText();
    expect(result.pages.length).toBeGreaterThanOrEqual(2);
    const total = result.pages.length;
    result.pages.forEach((page, i) => {
      const text = page.text.replace(/\u00a0/g, ' ');
      expect(text).toContain(`Facture n° F-2030-000042 — page ${i + 1}/${total}`);
    });
    const all = result.text.replace(/\u00a0/g, ' ');
    // Each line's amount and the total (1 000 000,00 €) are whole on their line.
    expect(all).toContain('25 000,00 €');
    expect(all).toContain('Total 1 000 000,00 €');
    expect(all).not.toMatch(/25 000,00\n€|25\n000,00/);
    expect(all).toContain('au plus tard le 31 mars 2030');
  });
});
