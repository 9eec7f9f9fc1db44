import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRunResult, InvoiceSummary, PaymentImportReport } from '../../../contracts/billing.js';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import { currentYear } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import {
  auditEvents,
  invoiceSequences,
  invoices,
  organisations,
  subscriptions,
} from '../../platform/db/schema.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { yearModel } from '../pricing/pricing.model.js';
import { buildFeeRule, buildPool } from '../pricing/pricing.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { arrayLiteral, insertIssuedLines } from './billing.bulk.js';
import { buildDrafts, explanationOf } from './billing.drafts.js';
import { runBilling } from './billing.run.js';

const YEAR = currentYear();
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
let operatorSiret: string;
let memberASiret: string;
const ids: Record<string, string> = {};

const run = (session: Session | null, body: Record<string, unknown>) =>
  request(t.app, session, 'POST', '/api/v1/billing/runs', body);

async function numbersOf(year: number) {
  const rows = await t.database.db
    .select({ sequence: invoices.sequence, number: invoices.number })
    .from(invoices)
    .where(eq(invoices.year, year))
    .orderBy(invoices.sequence);
  return rows;
}

async function invoiceOf(memberId: string, year = YEAR) {
  const [row] = await t.database.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), eq(invoices.year, year), eq(invoices.kind, 'invoice')));
  return row;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance']);
  operatorSiret = withLuhnDigit(`${cast.operator.siren}0001`);
  memberASiret = withLuhnDigit(`${cast.memberA.siren}0001`);
  await db
    .update(organisations)
    .set({ siret: operatorSiret, address: '10 rue du Test', postalCode: '85000', city: 'La Roche-sur-Yon' })
    .where(eq(organisations.id, cast.operator.id));
  await db.update(organisations).set({ siret: memberASiret }).where(eq(organisations.id, cast.memberA.id));
  // Chorus Pro needs every debtor's SIRET (issuing refuses members without one: billing.chorus.test.ts).
  await db
    .update(organisations)
    .set({ siret: withLuhnDigit(`${cast.memberB.siren}0001`) })
    .where(eq(organisations.id, cast.memberB.id));
  const actes = await buildService(db, { name: 'Télétransmission des actes', code: 'DEMAT-ACTES' });
  const messagerie = await buildService(db, {
    name: 'Messagerie',
    code: 'MESSAGERIE',
    unitLabel: 'boîtes aux lettres',
  });
  ids.actes = actes.id;
  for (const year of [YEAR, YEAR + 1, YEAR + 2, YEAR + 3]) {
    await buildPool(db, { serviceId: actes.id, year, poolCents: 123_457 });
    await buildPool(db, {
      serviceId: messagerie.id,
      year,
      poolCents: 60_000,
      rule: { kind: 'units', unitLabel: 'boîtes aux lettres' },
    });
    await buildFeeRule(db, year, 50, 10_000);
  }
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: actes.id });
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: messagerie.id, units: 10 });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: actes.id });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: messagerie.id, units: 30 });
});
afterAll(() => t?.close());

describe('POST /api/v1/billing/runs', () => {
  it('previews one invoice per member (a line per service and the fee) and writes nothing', async () => {
    const response = await run(finance, { year: YEAR, mode: 'preview' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<BillingRunResult>();
    expect(body).toMatchObject({ mode: 'preview', invoiceCount: 2, alreadyInvoiced: 0, runId: null });
    // 123,457 + 60,000 + two fees of 50,000 (1,000 inhabitants × 0.50 €, above the minimum).
    expect(body.totalCents).toBe(123_457 + 60_000 + 100_000);
    const a = body.invoices.find((i) => i.memberId === cast.memberA.id);
    expect(a?.lines.map((l) => l.label)).toEqual([
      'Messagerie',
      'Télétransmission des actes',
      `Cotisation d'adhésion ${YEAR}`,
    ]);
    expect(a?.lines[0].totalCents).toBe(15_000);
    expect(await numbersOf(YEAR)).toEqual([]);
  });

  it('needs the finance scope and a valid body', async () => {
    expect((await run(null, { year: YEAR, mode: 'issue' })).statusCode).toBe(401);
    expect((await run(cast.adminA, { year: YEAR, mode: 'issue' })).statusCode).toBe(403);
    expect((await run(cast.operatorAgent, { year: YEAR, mode: 'preview' })).statusCode).toBe(403);
    const bad = await run(finance, { year: YEAR, mode: 'print' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.mode');
    const early = await run(finance, { year: YEAR, mode: 'issue', dueOn: '2000-01-01' });
    expect(early.statusCode).toBe(400);
    expect(await numbersOf(YEAR)).toEqual([]);
  });

  it('issues numbered invoices once: a second run creates nothing and says so', async () => {
    const first = await run(finance, {
      year: YEAR,
      mode: 'issue',
      engagementNumbers: { [cast.memberA.id]: 'EJ-2026-42' },
      serviceCodes: { [cast.memberA.id]: 'SERV-FIN' },
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      invoiceCount: 2,
      firstNumber: `F-${YEAR}-000001`,
      lastNumber: `F-${YEAR}-000002`,
    });
    const second = await run(finance, { year: YEAR, mode: 'issue' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ invoiceCount: 0, alreadyInvoiced: 2 });
    expect(second.json().message).toContain('Aucune nouvelle facture');
    expect((await numbersOf(YEAR)).map((r) => r.sequence)).toEqual([1, 2]);
    const a = await invoiceOf(cast.memberA.id);
    expect(a).toMatchObject({
      engagementNumber: 'EJ-2026-42',
      serviceCode: 'SERV-FIN',
      operatorSiret,
      memberSiret: memberASiret,
    });
  });

  it('numbers 1..N without a gap when two runs are issued at the same time', async () => {
    const responses = await Promise.all([
      run(finance, { year: YEAR + 1, mode: 'issue' }),
      run(finance, { year: YEAR + 1, mode: 'issue' }),
    ]);
    const statuses = responses.map((r) => r.statusCode).sort();
    // One wins; the other either waited and found nothing left to issue, or was turned away.
    expect([
      [200, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    const refused = responses.find((r) => r.statusCode === 409);
    if (refused) expect(refused.json().detail).toContain('déjà en cours');
    expect((await numbersOf(YEAR + 1)).map((r) => r.sequence)).toEqual([1, 2]);
  });

  it('leaves no number used when a run fails before committing', async () => {
    const failing = withTenant(t.database.db, SYSTEM_OPERATOR, async (tx) =>
      runBilling(tx, await yearModel(t.database, tx, YEAR + 2), {
        year: YEAR + 2,
        mode: 'issue',
        previewLimit: 0,
        actorUserId: null,
        beforeCommit: async () => {
          throw new Error('panne simulée');
        },
      }),
    );
    await expect(failing).rejects.toThrow('panne simulée');
    expect(await numbersOf(YEAR + 2)).toEqual([]);
    const [sequence] = await t.database.db
      .select()
      .from(invoiceSequences)
      .where(eq(invoiceSequences.year, YEAR + 2));
    expect(sequence).toBeUndefined();
    const retry = await run(finance, { year: YEAR + 2, mode: 'issue' });
    expect(retry.json().firstNumber).toBe(`F-${YEAR + 2}-000001`);
  });
});

describe('issued invoices are immutable', () => {
  it('refuses any change of amount and any deletion, even from the owner connection', async () => {
    const a = await invoiceOf(cast.memberA.id);
    await expect(
      t.database.db.update(invoices).set({ totalCents: 1 }).where(eq(invoices.id, a.id)),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`DELETE FROM invoice_lines WHERE invoice_id = ${a.id}`),
    ).rejects.toThrow();
    await expect(t.database.db.delete(invoices).where(eq(invoices.id, a.id))).rejects.toThrow();
  });
});

describe('reading invoices', () => {
  it('lists every invoice for the finance team, newest number first, paginated', async () => {
    const page = await request(t.app, finance, 'GET', `/api/v1/invoices?year=${YEAR}&limit=1`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ total: 2 });
    expect(page.json().items[0]).toMatchObject({
      number: `F-${YEAR}-000002`,
      kind: 'invoice',
      status: 'issued',
    });
    const next = await request(
      t.app,
      finance,
      'GET',
      `/api/v1/invoices?year=${YEAR}&limit=1&cursor=${page.json().nextCursor}`,
    );
    expect(next.json().items[0].number).toBe(`F-${YEAR}-000001`);
    expect(next.json().nextCursor).toBeNull();
  });

  it('shows a member only its own invoices', async () => {
    const mine = await request(t.app, cast.readerA, 'GET', '/api/v1/invoices');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total).toBe(3);
    const items = mine.json<{ items: InvoiceSummary[] }>().items;
    expect(new Set(items.map((i) => i.memberId))).toEqual(new Set([cast.memberA.id]));
    expect(
      (await request(t.app, cast.adminA, 'GET', `/api/v1/invoices?memberId=${cast.memberB.id}`)).statusCode,
    ).toBe(403);
    expect((await request(t.app, cast.operatorAgent, 'GET', '/api/v1/invoices')).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', '/api/v1/invoices')).statusCode).toBe(401);
    expect((await request(t.app, finance, 'GET', '/api/v1/invoices?status=unpaid')).statusCode).toBe(400);

    const b = await invoiceOf(cast.memberB.id);
    expect((await request(t.app, cast.adminA, 'GET', `/api/v1/invoices/${b.id}`)).statusCode).toBe(404);
    expect((await request(t.app, cast.adminA, 'GET', `/api/v1/invoices/${b.id}/pdf`)).statusCode).toBe(404);
    const a = await invoiceOf(cast.memberA.id);
    const detail = await request(t.app, cast.adminA, 'GET', `/api/v1/invoices/${a.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().lines).toHaveLength(3);
    expect(detail.json().lines[0].explanation).toContain('Unités déclarées : 10');
  });

  it('renders a French PDF carrying both SIRETs, the Chorus Pro fields and the right total', async () => {
    const a = await invoiceOf(cast.memberA.id);
    const response = await request(t.app, cast.adminA, 'GET', `/api/v1/invoices/${a.id}/pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const { PDFParse } = await import('pdf-parse');
    const text = (await new PDFParse({ data: response.rawPayload }).getText()).text.replace(/\u00a0/g, ' ');
    expect(text).toContain(`Facture n° F-${YEAR}-00000`);
    expect(text).toContain(operatorSiret);
    expect(text).toContain(memberASiret);
    expect(text).toContain('EJ-2026-42');
    expect(text).toContain('SERV-FIN');
    expect(text).toContain('DEMAT-ACTES');
    // 15,000 (messagerie) + 61,729 or 61,728 (actes: 123,457 / 2) + 50,000 (fee).
    expect(a.totalCents).toBeGreaterThanOrEqual(126_728);
    const total = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })
      .format(a.totalCents / 100)
      .replace(/[\u202f\u00a0]/g, ' ');
    expect(text).toContain(`Total ${total}`);
    expect(text).toContain(`Reste à payer ${total}`);
    expect(text).toContain('IBAN : FR76 3000 1000 6400 0000 1234 559');
  });
});

describe('credit notes', () => {
  it('credits part of a line with a numbered credit note in the same sequence', async () => {
    const b = await invoiceOf(cast.memberB.id);
    const detail = (await request(t.app, finance, 'GET', `/api/v1/invoices/${b.id}`)).json();
    const line = detail.lines[0];
    const response = await request(t.app, finance, 'POST', `/api/v1/invoices/${b.id}/credit-notes`, {
      lines: [{ lineId: line.id, amountCents: 1_000 }],
      reason: 'Boîtes aux lettres déclarées en trop',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'credit_note',
      number: `F-${YEAR}-000003`,
      totalCents: -1_000,
      creditOf: b.id,
      creditOfNumber: b.number,
    });
    const after = (await request(t.app, finance, 'GET', `/api/v1/invoices/${b.id}`)).json();
    expect(after).toMatchObject({ status: 'issued', creditedCents: 1_000, dueCents: b.totalCents - 1_000 });
    const tooMuch = await request(t.app, finance, 'POST', `/api/v1/invoices/${b.id}/credit-notes`, {
      lines: [{ lineId: line.id, amountCents: line.totalCents }],
      reason: 'Erreur',
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0].path).toBe('body.lines.0.amountCents');
  });

  it('cancels an invoice with a full credit note; nothing more can be credited or paid', async () => {
    const b = await invoiceOf(cast.memberB.id);
    const full = await request(t.app, finance, 'POST', `/api/v1/invoices/${b.id}/credit-notes`, {
      full: true,
      reason: 'Adhésion annulée',
    });
    expect(full.statusCode, full.body).toBe(201);
    expect(full.json()).toMatchObject({ number: `F-${YEAR}-000004`, totalCents: -(b.totalCents - 1_000) });
    expect((await invoiceOf(cast.memberB.id)).status).toBe('cancelled');
    const again = await request(t.app, finance, 'POST', `/api/v1/invoices/${b.id}/credit-notes`, {
      full: true,
      reason: 'Encore',
    });
    expect(again.statusCode).toBe(422);
    const pay = await request(t.app, finance, 'POST', `/api/v1/invoices/${b.id}/payments`, {
      paidOn: `${YEAR}-03-01`,
      amountCents: 100,
    });
    expect(pay.statusCode).toBe(422);
    const pdf = await request(t.app, cast.adminB, 'GET', `/api/v1/invoices/${full.json().id}/pdf`);
    const { PDFParse } = await import('pdf-parse');
    const text = (await new PDFParse({ data: pdf.rawPayload }).getText()).text.replace(/\u00a0/g, ' ');
    expect(text).toContain(`Avoir n° F-${YEAR}-000004`);
    expect(text).toContain(b.number);
  });

  it('needs the finance scope and a reason', async () => {
    const a = await invoiceOf(cast.memberA.id);
    const url = `/api/v1/invoices/${a.id}/credit-notes`;
    expect((await request(t.app, null, 'POST', url, { full: true, reason: 'Erreur' })).statusCode).toBe(401);
    expect(
      (await request(t.app, cast.adminA, 'POST', url, { full: true, reason: 'Erreur' })).statusCode,
    ).toBe(403);
    expect((await request(t.app, finance, 'POST', url, { full: true })).statusCode).toBe(400);
    expect(
      (
        await request(
          t.app,
          finance,
          'POST',
          '/api/v1/invoices/00000000-0000-4000-8000-000000000000/credit-notes',
          { full: true, reason: 'Erreur' },
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('payments', () => {
  it('records a payment and moves the invoice to partly paid, refusing overpayment', async () => {
    const a = await invoiceOf(cast.memberA.id);
    const url = `/api/v1/invoices/${a.id}/payments`;
    const response = await request(t.app, finance, 'POST', url, {
      paidOn: `${YEAR}-02-01`,
      amountCents: 5_000,
      reference: 'VIR 1',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'partly_paid',
      paidCents: 5_000,
      dueCents: a.totalCents - 5_000,
    });
    const over = await request(t.app, finance, 'POST', url, {
      paidOn: `${YEAR}-02-02`,
      amountCents: a.totalCents,
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().detail).toContain('dépasse le reste à payer');
    expect(
      (await request(t.app, cast.adminA, 'POST', url, { paidOn: `${YEAR}-02-02`, amountCents: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, finance, 'POST', url, { paidOn: '01/02/2026', amountCents: 1 })).statusCode,
    ).toBe(400);
  });

  it('imports a payments CSV: dry run, all-or-nothing with French line errors, then records it', async () => {
    const a = await invoiceOf(cast.memberA.id);
    const rest = ((a.totalCents - 5_000) / 100).toFixed(2).replace('.', ',');
    const upload = (csv: string, dryRun: boolean) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/billing/payments/import?dryRun=${dryRun}`,
        headers: {
          cookie: finance.cookie,
          'x-csrf-token': finance.csrfToken,
          'content-type': 'multipart/form-data; boundary=X',
        },
        payload: `--X\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--X--\r\n`,
      });
    const bad = `numéro;date;montant;référence\n${a.number};15/03/${YEAR};${rest};VIR 2\nF-1999-000001;32/13/${YEAR};abc;X\n`;
    const refused = await upload(bad, false);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<PaymentImportReport>().errors.map((e) => e.path)).toEqual([
      'ligne 3 / numéro',
      'ligne 3 / date',
      'ligne 3 / montant',
    ]);
    expect((await invoiceOf(cast.memberA.id)).paidCents).toBe(5_000);

    const good = `numéro;date;montant;référence\n${a.number};15/03/${YEAR};${rest};VIR 2\n`;
    const dry = await upload(good, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, validLines: 1, recorded: 0 });
    expect((await invoiceOf(cast.memberA.id)).paidCents).toBe(5_000);
    const done = await upload(good, false);
    expect(done.json()).toMatchObject({ recorded: 1 });
    expect(await invoiceOf(cast.memberA.id)).toMatchObject({ status: 'paid', paidCents: a.totalCents });
    const twice = await upload(good, false);
    expect(twice.statusCode).toBe(422);
  });
});

describe('audit log', () => {
  it('records every billing write with its author, and nothing of a refused one', async () => {
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(like(auditEvents.action, 'billing.%'))
      .orderBy(auditEvents.occurredAt);
    const of = (action: string) => events.filter((e) => e.action === action);
    const b = await invoiceOf(cast.memberB.id);
    const a = await invoiceOf(cast.memberA.id);
    expect(new Set(events.map((e) => e.actorUserId))).toEqual(new Set([finance.userId]));
    expect(of('billing.issued').length).toBeGreaterThanOrEqual(3);
    expect(of('billing.issued')[0]).toMatchObject({
      targetType: 'billing_run',
      details: { year: YEAR, invoices: 2 },
    });
    expect(of('billing.credit_note_issued')).toHaveLength(2);
    expect(of('billing.credit_note_issued')[0]).toMatchObject({
      memberId: cast.memberB.id,
      targetType: 'invoice',
      details: { creditOf: b.id, totalCents: -1_000 },
    });
    // The overpayment and the refused files wrote nothing, their audit entry included.
    expect(of('billing.payment_recorded')).toHaveLength(1);
    expect(of('billing.payment_recorded')[0]).toMatchObject({
      memberId: cast.memberA.id,
      targetId: a.id,
      details: { amountCents: 5_000 },
    });
    expect(of('billing.payments_imported')).toHaveLength(1);
    expect(of('billing.payments_imported')[0].details).toEqual({ recorded: 1 });
  });
});

describe('accounting exports', () => {
  it('exports invoices, credit notes and lines over a period as CSV and XLSX for finance only', async () => {
    const csv = await request(t.app, finance, 'GET', `/api/v1/invoices/export.csv?year=${YEAR}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`F-${YEAR}-000004`);
    expect(csv.body).toContain('Avoir');
    expect(csv.body.split('\r\n')[0]).toContain('Numéro;Type;Exercice');
    const xlsx = await request(
      t.app,
      finance,
      'GET',
      `/api/v1/invoices/export.xlsx?from=${YEAR}-01-01&to=${YEAR}-12-31`,
    );
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].rowCount).toBeGreaterThan(6);
    expect((await request(t.app, cast.adminA, 'GET', '/api/v1/invoices/export.csv')).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', '/api/v1/invoices/export.csv')).statusCode).toBe(401);
    expect(
      (await request(t.app, finance, 'GET', '/api/v1/invoices/export.csv?from=2026-13-01')).statusCode,
    ).toBe(400);
  });
});

describe('row level security on billing tables', () => {
  it('lets a member read only its own invoices and lines, and write none', async () => {
    const asMember = { userId: null, memberId: cast.memberA.id, operatorRole: null };
    const seen = await withTenant(t.database.db, asMember, async (tx) => ({
      invoices: rowsOf<{ member_id: string }>(await tx.execute(sql`SELECT member_id FROM invoices`)),
      lines: rowsOf<{ member_id: string }>(await tx.execute(sql`SELECT member_id FROM invoice_lines`)),
    }));
    expect(seen.invoices.length).toBeGreaterThan(0);
    expect(new Set([...seen.invoices, ...seen.lines].map((r) => r.member_id))).toEqual(
      new Set([cast.memberA.id]),
    );
    const a = await invoiceOf(cast.memberA.id);
    await expect(
      withTenant(t.database.db, asMember, (tx) =>
        tx.execute(sql`UPDATE invoices SET status = 'paid' WHERE id = ${a.id} RETURNING id`).then((r) => {
          if (rowsOf(r).length === 0) throw new Error('no row updated');
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('issuing at scale: batches, ordered ids, line keys checked per statement', () => {
  const year = YEAR + 3;
  /** The database's message (drizzle wraps it in "Failed query: …"). */
  const failureOf = (work: Promise<unknown>) =>
    work.then(
      () => 'no error',
      (error) => String(error?.cause?.message ?? error?.message),
    );

  it('writes in many statements exactly the invoices and lines of the preview, in number order', async () => {
    const model = await yearModel(t.database, t.database.db, year);
    const drafts = buildDrafts(model);
    const issued = await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      // Two rows per statement: one invoice per statement, each invoice's three lines in two.
      runBilling(tx, model, { year, mode: 'issue', previewLimit: 0, actorUserId: null, batchSize: 2 }),
    );
    expect(issued).toMatchObject({
      invoiceCount: 2,
      firstNumber: `F-${year}-000001`,
      lastNumber: `F-${year}-000002`,
    });
    const rows = rowsOf<{
      id: string;
      number: string;
      member_id: string;
      line_id: string;
      line_member_id: string;
      position: number;
      service_id: string | null;
      service_code: string | null;
      label: string;
      unit_cents: number;
      total_cents: number;
      explanation: string;
    }>(
      await t.database.db.execute(sql`
        SELECT i.id, i.number, i.member_id, l.id AS line_id, l.member_id AS line_member_id, l.position,
          l.service_id, l.service_code, l.label, l.unit_cents, l.total_cents, l.explanation
        FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
        WHERE i.year = ${year} ORDER BY i.number, l.position`),
    );
    const expected = drafts.flatMap((d, k) =>
      d.lines.map((l, p) => ({
        number: `F-${year}-00000${k + 1}`,
        member_id: d.memberId,
        line_member_id: d.memberId,
        position: p + 1,
        service_id: l.serviceId,
        service_code: l.serviceCode,
        label: l.label,
        unit_cents: l.totalCents,
        total_cents: l.totalCents,
        explanation: explanationOf(l),
      })),
    );
    expect(rows).toHaveLength(6);
    expect(rows).toMatchObject(expected);
    expect(rows[0].explanation).toMatch(/^Règle : .+\. Unités déclarées : 10\.$/);
    // Time-ordered ids: invoices in number order, lines in (number, position) order.
    const invoiceIds = [...new Set(rows.map((r) => r.id))];
    expect(invoiceIds).toEqual([...invoiceIds].sort());
    expect(rows.map((r) => r.line_id)).toEqual(rows.map((r) => r.line_id).sort());

    const again = await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      runBilling(tx, model, { year, mode: 'issue', previewLimit: 0, actorUserId: null, batchSize: 2 }),
    );
    expect(again).toMatchObject({ invoiceCount: 0, alreadyInvoiced: 2 });
    expect((await numbersOf(year)).map((r) => r.sequence)).toEqual([1, 2]);
  });

  it('refuses a line whose invoice belongs to another member, or that corrects no existing line', async () => {
    const a = await invoiceOf(cast.memberA.id, year);
    const line = (values: { memberId: string; creditOf?: string }) =>
      withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
        tx.execute(sql`
          INSERT INTO invoice_lines (invoice_id, member_id, position, label, unit_cents, total_cents, credit_of_line_id)
          VALUES (${a.id}, ${values.memberId}, 9, 'Ligne ajoutée', 1, 1, ${values.creditOf ?? null})`),
      );
    expect(await failureOf(line({ memberId: cast.memberB.id }))).toContain('même structure');
    expect(
      await failureOf(line({ memberId: cast.memberA.id, creditOf: '00000000-0000-4000-8000-000000000000' })),
    ).toContain('ligne de facture existante');
    // Also from the owner connection, which RLS does not restrict.
    expect(
      await failureOf(
        t.database.db.execute(sql`
          INSERT INTO invoice_lines (invoice_id, member_id, position, label, unit_cents, total_cents)
          VALUES (gen_random_uuid(), ${cast.memberA.id}, 1, 'Orpheline', 1, 1)`),
      ),
    ).toContain('même structure');
    const [{ n }] = rowsOf<{ n: unknown }>(
      await t.database.db.execute(sql`SELECT count(*) AS n FROM invoice_lines WHERE invoice_id = ${a.id}`),
    );
    expect(Number(n)).toBe(3);
  });

  it('rolls every statement back when a later batch fails, and reports that failure', async () => {
    const a = await invoiceOf(cast.memberA.id, year);
    const failing = withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      insertIssuedLines(
        tx,
        {
          // The second invoice does not exist: the second statement fails, after the first succeeded.
          invoiceIds: [a.id, '00000000-0000-4000-8000-000000000000'],
          memberIds: [cast.memberA.id, cast.memberA.id],
          firstLines: [0, 1, 2],
          sources: { serviceIds: [null], serviceCodes: [null], rules: ['Règle : test.'] },
          lines: {
            ids: ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002'],
            positions: [10, 11],
            sources: [0, 0],
            labels: ['Première', 'Seconde'],
            cents: [1, 1],
            details: ['', ''],
          },
        },
        1,
      ),
    );
    expect(await failureOf(failing)).toContain('même structure');
    const [{ n }] = rowsOf<{ n: unknown }>(
      await t.database.db.execute(sql`SELECT count(*) AS n FROM invoice_lines WHERE invoice_id = ${a.id}`),
    );
    expect(Number(n)).toBe(3);
  });

  it('refuses to truncate invoices, as the foreign key did', async () => {
    expect(await failureOf(t.database.db.execute(sql`TRUNCATE invoices, invoice_lines, payments`))).toContain(
      'ne peut pas être supprimée',
    );
    expect((await numbersOf(year)).length).toBe(2);
  });

  it('sends text through array literals unchanged, whatever it contains', async () => {
    const values = [
      '"guillemets"',
      'barre \\ oblique',
      'a,b',
      '{accolades}',
      'NULL',
      '',
      ' espaces ',
      'été € œ',
      null,
    ];
    const rows = rowsOf<{ v: string | null }>(
      await t.database.db.execute(
        sql`SELECT v FROM unnest(${arrayLiteral(values, 0, values.length, true)}::text[]) WITH ORDINALITY AS x(v, n) ORDER BY n`,
      ),
    );
    expect(rows.map((r) => r.v)).toEqual(values);
    const numbers = rowsOf<{ v: number | null }>(
      await t.database.db.execute(
        sql`SELECT v FROM unnest(${arrayLiteral([3, null, -7], 0, 3, false)}::int[]) WITH ORDINALITY AS x(v, n) ORDER BY n`,
      ),
    );
    expect(numbers.map((r) => r.v)).toEqual([3, null, -7]);
  });
});

describe('complementary call', () => {
  const year = YEAR + 4;
  const complementary = (mode: 'preview' | 'issue') => run(finance, { year, mode, call: 'complementary' });
  const labels = (body: BillingRunResult, memberId: string) =>
    body.invoices.find((i) => i.memberId === memberId)?.lines.map((l) => [l.label, l.totalCents]);

  it('bills what the shares grew by since the annual call, once, and reports what was billed above them', async () => {
    const db = t.database.db;
    const backup = await buildService(db, {
      name: 'Sauvegarde externalisée',
      code: 'SAUVEGARDE',
      unitLabel: 'To',
    });
    await buildPool(db, {
      serviceId: backup.id,
      year,
      poolCents: 60_000,
      rule: { kind: 'units', unitLabel: 'To' },
    });
    await buildFeeRule(db, year, 50, 10_000);
    await buildSubscription(db, {
      memberId: cast.memberA.id,
      serviceId: backup.id,
      units: 10,
      startDate: `${year}-01-01`,
    });
    const backupB = await buildSubscription(db, {
      memberId: cast.memberB.id,
      serviceId: backup.id,
      units: 30,
      startDate: `${year}-01-01`,
    });
    expect((await run(finance, { year, mode: 'issue' })).json()).toMatchObject({
      invoiceCount: 2,
      call: 'annual',
    });
    const nothingYet = await complementary('preview');
    expect(nothingYet.statusCode, nothingYet.body).toBe(200);
    expect(nothingYet.json()).toMatchObject({ invoiceCount: 0, alreadyInvoiced: 2, overbilledMembers: 0 });
    expect(nothingYet.json().message).toContain('Aucun complément');

    // Since the annual call: B declares 50 units instead of 30, A subscribes to a new service in July.
    await db.update(subscriptions).set({ units: 50 }).where(eq(subscriptions.id, backupB.id));
    const parapheur = await buildService(db, { name: 'Parapheur électronique', code: 'PARAPHEUR' });
    await buildPool(db, { serviceId: parapheur.id, year, poolCents: 90_000 });
    await buildSubscription(db, {
      memberId: cast.memberA.id,
      serviceId: parapheur.id,
      startDate: `${year}-07-01`,
    });

    const preview = (await complementary('preview')).json();
    expect(preview).toMatchObject({
      call: 'complementary',
      invoiceCount: 2,
      totalCents: 95_000,
      alreadyInvoiced: 0,
    });
    expect(labels(preview, cast.memberA.id)).toEqual([
      ['Complément — Parapheur électronique (6 mois)', 90_000],
    ]);
    // B's share of the 60,000: 30/40 = 45,000 → 50/60 = 50,000; A's fell from 15,000 to 10,000.
    expect(labels(preview, cast.memberB.id)).toEqual([['Complément — Sauvegarde externalisée', 5_000]]);
    expect(preview).toMatchObject({ overbilledMembers: 1, overbilledCents: 5_000 });
    expect(preview.message).toMatch(/1 structure a été facturée de 50,00\s€ de plus que sa part actuelle/);
    expect(await numbersOf(year)).toHaveLength(2);

    const issued = await complementary('issue');
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({
      invoiceCount: 2,
      firstNumber: `F-${year}-000003`,
      lastNumber: `F-${year}-000004`,
    });
    const calls = await db
      .select({ memberId: invoices.memberId, call: invoices.call, total: invoices.totalCents })
      .from(invoices)
      .where(and(eq(invoices.year, year), eq(invoices.call, 2)));
    expect(calls.sort((x, y) => x.total - y.total)).toEqual([
      { memberId: cast.memberB.id, call: 2, total: 5_000 },
      { memberId: cast.memberA.id, call: 2, total: 90_000 },
    ]);
    const [line] = rowsOf<{ explanation: string }>(
      await db.execute(sql`SELECT l.explanation FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
        WHERE i.member_id = ${cast.memberB.id} AND i.year = ${year} AND i.call = 2`),
    );
    expect(line.explanation).toContain(`Part ${year} : 500,00 € ; déjà facturé : 450,00 €.`);

    // Nothing left: neither call creates anything more.
    expect((await complementary('issue')).json()).toMatchObject({ invoiceCount: 0, alreadyInvoiced: 2 });
    expect((await run(finance, { year, mode: 'issue' })).json()).toMatchObject({ invoiceCount: 0 });
    expect(await numbersOf(year)).toHaveLength(4);

    // A credit note gives back what it credits: cancelling B's complement puts it in the next call again.
    const complementB = calls.find((c) => c.memberId === cast.memberB.id);
    if (!complementB) throw new Error("B's complementary invoice is missing");
    const [b2] = await db
      .select({ id: invoices.id, number: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.memberId, complementB.memberId), eq(invoices.year, year), eq(invoices.call, 2)));
    const credit = await request(t.app, finance, 'POST', `/api/v1/invoices/${b2.id}/credit-notes`, {
      full: true,
      reason: 'Erreur de saisie',
    });
    expect(credit.statusCode, credit.body).toBe(201);
    expect(labels((await complementary('preview')).json(), cast.memberB.id)).toEqual([
      ['Complément — Sauvegarde externalisée', 5_000],
    ]);
    const detail = await request(t.app, finance, 'GET', `/api/v1/invoices/${b2.id}`);
    expect(detail.json()).toMatchObject({ number: b2.number, call: 2 });
  });

  it('needs the finance scope and a known call', async () => {
    expect((await run(cast.adminA, { year, mode: 'preview', call: 'complementary' })).statusCode).toBe(403);
    const bad = await run(finance, { year, mode: 'preview', call: 'semester' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.call');
  });
});
