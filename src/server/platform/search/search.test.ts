import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import type { GlobalSearch } from '../../../contracts/search.js';
import { buildService } from '../../modules/catalogue/catalogue.test-support.js';
import { buildFeeRule, buildPool } from '../../modules/pricing/pricing.test-support.js';
import { buildSubscription } from '../../modules/subscriptions/subscriptions.test-support.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOrganisation, buildSignedInCast, sessionAs } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';
import { currentYear } from '../clock.js';
import { organisations } from '../db/schema.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
let allonnes49: { id: string };
let allonnes72: { id: string };
let invoiceA: { id: string; number: string };
let invoiceB: { id: string; number: string };

const search = async (session: Session | null, q: string) => {
  const response = await request(t.app, session, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
  return response;
};
const hitsOf = (body: GlobalSearch, kind: string) =>
  body.groups.find((g) => g.kind === kind)?.hits.map((h) => h.id) ?? [];

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  const db = t.database.db;
  finance = await sessionAs(t, cast.operator, 'agent', ['finance'], 'Fanny Finances');
  // Homonyms in two départements (a commune row must name its commune: the other one is a syndicate).
  allonnes49 = await buildOrganisation(db, {
    name: 'Allonnes',
    departementCode: '49',
  });
  allonnes72 = await buildOrganisation(db, {
    name: 'Allonnes',
    kind: 'commune',
    departementCode: '72',
    // A commune code of the test territory (the sample holds no Allonnes).
    communeCode: SAMPLE.aiguillon,
  });
  // Invoices need SIRETs and the operator's address.
  const siret = (siren: string) => withLuhnDigit(`${siren}0001`);
  for (const org of [cast.operator, cast.memberA, cast.memberB]) {
    await db
      .update(organisations)
      .set({ siret: siret(org.siren), address: '1 rue du Test', postalCode: '85000', city: 'Test' })
      .where(eq(organisations.id, org.id));
  }
  const year = currentYear();
  const service = await buildService(db, { name: 'Service facturé' });
  await buildPool(db, { serviceId: service.id, year });
  await buildFeeRule(db, year);
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: service.id });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: service.id });
  const run = await request(t.app, finance, 'POST', '/api/v1/billing/runs', {
    year,
    mode: 'issue',
    force: true,
  });
  expect(run.statusCode, run.body).toBe(201);
  const list = await request(t.app, finance, 'GET', `/api/v1/invoices?year=${year}`);
  const items: { id: string; number: string; memberId: string }[] = list.json().items;
  const of = (memberId: string) => {
    const found = items.find((i) => i.memberId === memberId);
    if (!found) throw new Error('invoice missing');
    return found;
  };
  invoiceA = of(cast.memberA.id);
  invoiceB = of(cast.memberB.id);
  const processing = await request(
    t.app,
    cast.adminA,
    'POST',
    `/api/v1/members/${cast.memberA.id}/processings`,
    {
      name: 'Gestion de la paie des agents',
      purposes: 'Verser les salaires.',
    },
  );
  expect(processing.statusCode, processing.body).toBe(201);
}, 60_000);
afterAll(() => t?.close());

describe('GET /api/v1/search', () => {
  it('asks for a session and at least 2 characters', async () => {
    expect((await search(null, 'Allonnes')).statusCode).toBe(401);
    const short = await search(cast.operatorAdmin, 'a');
    expect(short.statusCode).toBe(400);
  });

  it('finds homonym communes by name, each with its département, and one by its INSEE code', async () => {
    const byName = (await search(cast.operatorAdmin, 'allonnes')).json() as GlobalSearch;
    const members = byName.groups.find((g) => g.kind === 'member');
    expect(members?.label).toBe('Structures');
    expect(members?.hits.map((h) => h.label).sort()).toEqual(['Allonnes (49)', 'Allonnes (72)']);
    const byCode = (await search(cast.operatorAdmin, SAMPLE.aiguillon)).json() as GlobalSearch;
    expect(hitsOf(byCode, 'member')).toEqual([allonnes72.id]);
    expect(hitsOf(byCode, 'member')).not.toContain(allonnes49.id);
  });

  it('finds an invoice by its number for the finance team, by part of it too', async () => {
    const full = (await search(finance, invoiceA.number)).json() as GlobalSearch;
    expect(hitsOf(full, 'invoice')).toEqual([invoiceA.id]);
    const part = (await search(finance, invoiceB.number.slice(-6))).json() as GlobalSearch;
    expect(hitsOf(part, 'invoice')).toContain(invoiceB.id);
  });

  it("shows a member's users only their own structure, invoices and processings", async () => {
    const other = (await search(cast.adminB, invoiceA.number)).json() as GlobalSearch;
    expect(hitsOf(other, 'invoice')).toEqual([]);
    const own = (await search(cast.readerA, invoiceA.number)).json() as GlobalSearch;
    expect(hitsOf(own, 'invoice')).toEqual([invoiceA.id]);
    const members = (await search(cast.adminB, 'Syndicat des eaux')).json() as GlobalSearch;
    expect(hitsOf(members, 'member')).toEqual([cast.memberB.id]);
    const paieB = (await search(cast.adminB, 'paie')).json() as GlobalSearch;
    expect(hitsOf(paieB, 'processing')).toEqual([]);
    const paieA = (await search(cast.agentA, 'paie')).json() as GlobalSearch;
    expect(paieA.groups.find((g) => g.kind === 'processing')?.hits[0]).toMatchObject({
      label: 'Gestion de la paie des agents',
      memberId: cast.memberA.id,
    });
  });

  it('gives the operator agents what their scope reads: no invoice without finance', async () => {
    // cast.operatorAgent holds the dpo scope only.
    const dpo = (await search(cast.operatorAgent, invoiceA.number)).json() as GlobalSearch;
    expect(hitsOf(dpo, 'invoice')).toEqual([]);
    const paie = (await search(cast.operatorAgent, 'paie')).json() as GlobalSearch;
    expect(hitsOf(paie, 'processing')).toHaveLength(1);
    const financePaie = (await search(finance, 'paie')).json() as GlobalSearch;
    expect(hitsOf(financePaie, 'processing')).toEqual([]);
  });
});

describe('GET /api/v1/invoices?q=', () => {
  it("filters by number or by words of the member's name, accents aside", async () => {
    const year = currentYear();
    const byName = await request(t.app, finance, 'GET', `/api/v1/invoices?year=${year}&q=eaux%20b`);
    expect(byName.json().items.map((i: { id: string }) => i.id)).toEqual([invoiceB.id]);
    const byNumber = await request(t.app, finance, 'GET', `/api/v1/invoices?q=${invoiceA.number}`);
    expect(byNumber.json()).toMatchObject({ total: 1, items: [{ id: invoiceA.id }] });
    const none = await request(t.app, finance, 'GET', '/api/v1/invoices?q=introuvable');
    expect(none.json().total).toBe(0);
  });
});

describe('name search in the long lists', () => {
  it('finds subscriptions by member name in the queue', async () => {
    const response = await request(
      t.app,
      cast.operatorAdmin,
      'GET',
      '/api/v1/subscriptions?status=active&q=eaux%20b',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items.map((s: { memberId: string }) => s.memberId)).toEqual([cast.memberB.id]);
    expect(response.json().total).toBe(1);
  });

  it("finds a member's users by name or address", async () => {
    const response = await request(
      t.app,
      cast.adminA,
      'GET',
      `/api/v1/members/${cast.memberA.id}/users?q=dominique`,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ total: 1, items: [{ displayName: 'Dominique Référente' }] });
  });

  it('filters the DPO dashboard by words of the member name', async () => {
    const response = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/dashboard?q=allonnes');
    expect(response.statusCode, response.body).toBe(200);
    const names = response.json().members.items.map((m: { name: string }) => m.name);
    expect(names).toEqual(['Allonnes', 'Allonnes']);
    expect(response.json().totals.members).toBe(2);
  });
});

describe('acts and support tickets in the global search', () => {
  let actA: string;
  let ticketA: { id: string; number: number };
  let ticketOfAgentA: string;
  beforeAll(async () => {
    const act = await request(t.app, cast.adminA, 'POST', `/api/v1/members/${cast.memberA.id}/acts`, {
      nature: 'DE',
      classification: '7.1',
      number: 'DEL2026_777',
      decidedOn: '2026-11-02',
      subject: 'Subvention à l’école élémentaire Jules-Verne',
    });
    expect(act.statusCode, act.body).toBe(201);
    actA = act.json().id;
    const ticket = await request(t.app, cast.adminA, 'POST', `/api/v1/members/${cast.memberA.id}/tickets`, {
      subject: 'Messagerie inaccessible depuis la mairie',
      description: 'Plus aucun courriel depuis ce matin.',
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    ticketA = { id: ticket.json().id, number: ticket.json().number };
    const own = await request(t.app, cast.agentA, 'POST', `/api/v1/members/${cast.memberA.id}/tickets`, {
      subject: 'Imprimante de l’accueil',
      description: 'Elle ne répond plus.',
    });
    ticketOfAgentA = own.json().id;
  });

  it("finds a member's act by words of its subject, accents aside, and by its number", async () => {
    expect(hitsOf((await search(cast.readerA, 'ecole elementaire')).json(), 'act')).toEqual([actA]);
    expect(hitsOf((await search(cast.adminA, 'DEL2026_777')).json(), 'act')).toEqual([actA]);
    expect(hitsOf((await search(cast.adminB, 'ecole elementaire')).json(), 'act')).toEqual([]);
    // The operator's demat team finds every member's acts; the finance team none.
    const demat = await sessionAs(t, cast.operator, 'agent', ['demat']);
    expect(hitsOf((await search(demat, 'Jules-Verne')).json(), 'act')).toEqual([actA]);
    expect(hitsOf((await search(finance, 'Jules-Verne')).json(), 'act')).toEqual([]);
  });

  it('finds tickets by number for the support team and by subject within the member', async () => {
    const team = await sessionAs(t, cast.operator, 'agent', ['support']);
    const reference = `T-${String(ticketA.number).padStart(6, '0')}`;
    const byReference = await search(team, reference);
    expect(byReference.statusCode, byReference.body).toBe(200);
    expect(hitsOf(byReference.json(), 'ticket')).toEqual([ticketA.id]);
    expect(hitsOf((await search(team, String(ticketA.number).padStart(4, '0'))).json(), 'ticket')).toEqual([
      ticketA.id,
    ]);
    // The member's admin sees every ticket of the member; an agent only their own.
    expect(hitsOf((await search(cast.adminA, 'messagerie mairie')).json(), 'ticket')).toEqual([ticketA.id]);
    expect(hitsOf((await search(cast.adminA, 'imprimante')).json(), 'ticket')).toEqual([ticketOfAgentA]);
    expect(hitsOf((await search(cast.agentA, 'messagerie')).json(), 'ticket')).toEqual([]);
    expect(hitsOf((await search(cast.agentA, 'accueil')).json(), 'ticket')).toEqual([ticketOfAgentA]);
    expect(hitsOf((await search(cast.adminB, reference)).json(), 'ticket')).toEqual([]);
  });
});
