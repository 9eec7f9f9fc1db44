import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACT_NATURES, publicActListSchema } from '../../../contracts/acts.js';
import { defined } from '../../../contracts/defined.js';
import { withLuhnDigit } from '../../../contracts/identifiers.js';
import { useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { acts, auditEvents, jobs, organisations } from '../../platform/db/schema.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { renderPdf } from '../../seed/pdf.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/bodies.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { MEMBER_NOT_FOUND } from '../members/members.service.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { PUBLIC_MEMBERS_PREFIX } from './acts.present.js';
import { executoryOnSql, findAct, publicActsPage } from './acts.repository.js';
import { MemoryActsConnector, presentPublicAct, TEST_CLASSIFICATION } from './acts.test-support.js';
import {
  POLL_BASE_MS,
  runDailyJob,
  TRANSMISSION_SERVICE_CODE,
  transmitMany,
} from './acts.transmission.service.js';
import { executoryState } from './publication/executory.js';
import { validateScdlDeliberations } from './publication/scdl.js';
import type { ActsConnector } from './transmission/connector.js';

/**
 * The acts module through its HTTP API, with the in-memory tiers: the register and its French
 * refusals, transmission as durable jobs (acknowledgement, refusal, outage, a process killed between
 * the tiers' answer and its recording), messages of the prefecture, publication, the public portal,
 * the operator's view, and RLS.
 */

const START = new Date('2026-12-04T09:00:00Z');
let clock = START.getTime();
const advance = (ms: number) => {
  clock += ms;
};

/** A connector that can be made to fail once after the tiers recorded a transaction. */
class KillableConnector extends MemoryActsConnector {
  killAfterCreate = false;
  override async create(...args: Parameters<ActsConnector['create']>) {
    const answer = await super.create(...args);
    if (this.killAfterCreate) {
      this.killAfterCreate = false;
      throw new Error('process killed before the transaction id was recorded');
    }
    return answer;
  }
}

let t: TestApp;
let connector: KillableConnector;
let restoreClock: () => void;
let adminA: Session;
let actesA: Session;
let agentA: Session;
let readerA: Session;
let adminB: Session;
let opDemat: Session;
let opAgent: Session;
let opGovernance: Session;
let operatorId: string;
let A: { id: string; siren: string };
let B: { id: string };
const pdf = (title = 'Délibération') => renderPdf(title, [{ text: title, bold: true }]);
const base = () => `/api/v1/members/${A.id}/acts`;

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date(clock) });
  connector = new KillableConnector();
  t = await createTestApp({}, { actsConnector: connector });
  const db = t.database.db;
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Commune de Réaumur-sur-Lay' });
  // Open data names the deliberating body by its SIRET.
  await db
    .update(organisations)
    .set({ siret: withLuhnDigit(`${memberA.siren}0001`) })
    .where(eq(organisations.id, memberA.id));
  const memberB = await buildOrganisation(db, { name: 'Commune B' });
  A = memberA;
  B = memberB;
  const service = await buildService(db, {
    code: TRANSMISSION_SERVICE_CODE,
    name: 'Télétransmission des actes',
  });
  await buildSubscription(db, { memberId: memberA.id, serviceId: service.id });
  adminA = await sessionAs(t, memberA, 'admin', [], 'Hélène Admin');
  actesA = await sessionAs(t, memberA, 'actes', [], 'Paul Actes');
  agentA = await sessionAs(t, memberA, 'agent');
  readerA = await sessionAs(t, memberA, 'reader');
  adminB = await sessionAs(t, memberB, 'admin');
  opDemat = await sessionAs(t, operator, 'agent', ['demat'], 'Opératrice Démat');
  opAgent = await sessionAs(t, operator, 'agent', ['support']);
  opGovernance = await sessionAs(t, operator, 'agent', ['governance'], 'Secrétaire du comité');
  operatorId = operator.id;
});

afterAll(async () => {
  restoreClock();
  await t.close();
});

afterEach(() => {
  connector.down = false;
  connector.ackDelayMs = 0;
});

let numbers = 0;
const nextNumber = () => `DEL2026_${String(++numbers).padStart(3, '0')}`;

async function createAct(session: Session, overrides: Record<string, unknown> = {}, memberUrl = base()) {
  const body = {
    nature: 'DE',
    classification: '7.1',
    number: nextNumber(),
    decidedOn: '2026-12-01',
    subject: 'Budget primitif de l’exercice 2027 : adoption',
    signatoryName: 'Maire de Réaumur',
    signedOn: '2026-12-02',
    sessionOn: '2026-12-01',
    ...overrides,
  };
  const response = await request(t.app, session, 'POST', memberUrl, body);
  expect(response.statusCode, response.body).toBe(201);
  return { id: response.json().id as string, number: body.number as string };
}

async function upload(
  session: Session,
  actId: string,
  role: string,
  file: { name: string; data: Buffer; type?: string },
  url = `${base()}/${actId}/documents`,
) {
  const body = multipart({ role }, file);
  return request(t.app, session, 'POST', url, body.payload, body.headers);
}

/** An act with its main PDF, marked ready. */
async function readyAct(overrides: Record<string, unknown> = {}) {
  const act = await createAct(adminA, overrides);
  const main = await upload(adminA, act.id, 'main', { name: 'acte.pdf', data: pdf() });
  expect(main.statusCode, main.body).toBe(201);
  const ready = await request(t.app, actesA, 'POST', `${base()}/${act.id}/ready`);
  expect(ready.statusCode, ready.body).toBe(200);
  return act;
}

const get = async (actId: string, session = adminA) => {
  const response = await request(t.app, session, 'GET', `${base()}/${actId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

/** Lets the first status poll come due and runs the queue. */
async function poll() {
  advance(POLL_BASE_MS + 1);
  await t.runJobs();
}

describe('the register', () => {
  it('creates a draft, refuses a reused number (409 naming number), a future decision, a bad number', async () => {
    const act = await createAct(adminA);
    const detail = await get(act.id);
    expect(detail).toMatchObject({
      status: 'draft',
      classification: '7.1',
      number: act.number,
      sessionOn: '2026-12-01',
    });
    expect(detail.history.map((h: { label: string; by: string }) => [h.label, h.by])).toEqual([
      ['Acte créé (brouillon)', 'Hélène Admin'],
    ]);

    const again = await request(t.app, actesA, 'POST', base(), {
      nature: 'DE',
      classification: '7.1',
      number: act.number,
      decidedOn: '2026-12-01',
      subject: 'Autre',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ path: 'body.number', message: 'numéro déjà utilisé' }]);
    expect(again.json().detail).toContain(act.number);

    const future = await request(t.app, adminA, 'POST', base(), {
      nature: 'AR',
      classification: '7.1',
      number: nextNumber(),
      decidedOn: '2026-12-05',
      subject: 'Arrêté de demain',
    });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors[0].path).toBe('body.decidedOn');

    const bad = await request(t.app, adminA, 'POST', base(), {
      nature: 'XX',
      classification: 'sept',
      number: 'del-1',
      decidedOn: '2026-12-01',
      subject: '',
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.nature', 'body.classification', 'body.number', 'body.subject']),
    );
    expect(bad.json().errors.find((e: { path: string }) => e.path === 'body.number').message).toContain(
      'majuscules',
    );
    const badPatch = await request(t.app, adminA, 'PATCH', `${base()}/${act.id}`, {
      number: 'trop-long-et-minuscule',
      votesFor: -1,
    });
    expect(badPatch.statusCode).toBe(400);
    expect(new Set(badPatch.json().errors.map((e: { path: string }) => e.path))).toEqual(
      new Set(['body.number', 'body.votesFor']),
    );
    const badQuery = await request(
      t.app,
      null,
      'GET',
      `/api/v1/public/members/${A.id}/acts?nature=XX&from=hier`,
    );
    expect(badQuery.statusCode).toBe(400);
    expect(new Set(badQuery.json().errors.map((e: { path: string }) => e.path))).toEqual(
      new Set(['query.from', 'query.nature']),
    );
    expect(badQuery.json().errors.find((e: { path: string }) => e.path === 'query.nature').message).toContain(
      'valeur',
    );
  });

  it('checks codes against the stored classification once fetched, and refuses an outdated one', async () => {
    const early = await createAct(adminA, { classification: '9.1' });
    const refreshed = await request(t.app, actesA, 'POST', `${base()}/classification/refresh`);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ classificationDate: TEST_CLASSIFICATION.date });
    expect(
      refreshed
        .json()
        .entries.map((e: { code: string }) => e.code)
        .slice(0, 3),
    ).toEqual(['1', '1.1', '2']);
    const read = await request(t.app, readerA, 'GET', `${base()}/classification`);
    expect(read.json().entries).toHaveLength(TEST_CLASSIFICATION.entries.length);

    const unknown = await request(t.app, adminA, 'POST', base(), {
      nature: 'DE',
      classification: '3.2',
      number: nextNumber(),
      decidedOn: '2026-12-01',
      subject: 'Domaine',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      { path: 'body.classification', message: 'classification inconnue' },
    ]);
    expect((await get((await createAct(adminA, { classification: '2.1' })).id)).classificationLabel).toBe(
      "Documents d'urbanisme",
    );

    // The prefecture publishes a new classification without 9.1: the early act's code is outdated.
    connector.classification = {
      date: '2026-11-30',
      entries: TEST_CLASSIFICATION.entries.filter((e) => e.code !== '9.1'),
    };
    try {
      await request(t.app, actesA, 'POST', `${base()}/classification/refresh`);
      await upload(adminA, early.id, 'main', { name: 'a.pdf', data: pdf() });
      const ready = await request(t.app, adminA, 'POST', `${base()}/${early.id}/ready`);
      expect(ready.statusCode).toBe(422);
      expect(ready.json().errors).toEqual([
        { path: 'body.classification', message: 'classification périmée' },
      ]);
      expect(ready.json().detail).toContain('9.1');
      const fixed = await request(t.app, adminA, 'PATCH', `${base()}/${early.id}`, { classification: '9' });
      expect(fixed.statusCode, fixed.body).toBe(200);
      expect((await request(t.app, adminA, 'POST', `${base()}/${early.id}/ready`)).statusCode).toBe(200);
    } finally {
      connector.classification = TEST_CLASSIFICATION;
      await request(t.app, actesA, 'POST', `${base()}/classification/refresh`);
    }
  });

  it('takes a PDF main document (by its bytes), PDF/PNG/JPEG annexes, XML only for budget documents', async () => {
    const act = await createAct(adminA);
    const renamed = await upload(adminA, act.id, 'main', {
      name: 'acte.pdf',
      data: Buffer.from('PK\u0003\u0004 not a pdf at all, a zip renamed'),
    });
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json().errors).toEqual([{ path: 'body.file', message: 'PDF attendu' }]);
    expect((await upload(adminA, act.id, 'main', { name: 'acte.pdf', data: pdf() })).statusCode).toBe(201);
    const second = await upload(adminA, act.id, 'main', { name: 'autre.pdf', data: pdf() });
    expect(second.statusCode).toBe(409);
    expect(second.json().errors[0].path).toBe('body.role');

    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      crypto.randomBytes(64),
    ]);
    expect(
      (await upload(actesA, act.id, 'annex', { name: 'plan.png', data: png, type: 'image/png' })).statusCode,
    ).toBe(201);
    const xml = Buffer.from('<?xml version="1.0"?><DocumentBudgetaire/>');
    const xmlForDe = await upload(adminA, act.id, 'annex', {
      name: 'budget.xml',
      data: xml,
      type: 'text/xml',
    });
    expect(xmlForDe.statusCode).toBe(415);
    expect(xmlForDe.json().errors).toEqual([{ path: 'body.file', message: 'PDF, PNG ou JPEG attendu' }]);
    const budget = await createAct(adminA, { nature: 'BF' });
    expect((await upload(adminA, budget.id, 'annex', { name: 'budget.xml', data: xml })).statusCode).toBe(
      201,
    );

    // Two files in one upload: one at a time.
    const boundary = '----socleDeuxFichiers';
    const part = (name: string) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf(),
        Buffer.from('\r\n'),
      ]);
    const twoFiles = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="role"\r\n\r\nannex\r\n`),
      part('a.pdf'),
      part('b.pdf'),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const two = await request(t.app, adminA, 'POST', `${base()}/${act.id}/documents`, twoFiles, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(two.statusCode, two.body).toBe(400);
    expect(two.json().errors).toEqual([{ path: 'body.file', message: '1 fichier au plus' }]);
    const noRole = await upload(adminA, act.id, 'principal', { name: 'a.pdf', data: pdf() });
    expect(noRole.statusCode).toBe(400);
    expect(noRole.json().errors[0].path).toBe('body.role');
    const tooLarge = await upload(adminA, act.id, 'annex', {
      name: 'gros.pdf',
      data: Buffer.alloc(21 * 1024 * 1024, 0x20),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().errors[0].path).toBe('body.file');

    const detail = await get(act.id, readerA);
    expect(detail.documents.map((d: { role: string; mediaType: string }) => [d.role, d.mediaType])).toEqual([
      ['main', 'application/pdf'],
      ['annex', 'image/png'],
    ]);
    const download = await request(
      t.app,
      readerA,
      'GET',
      `${base()}/${act.id}/documents/${detail.documents[1].id}`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
  });

  it('lets readers read, not write; other members and other operator agents see nothing', async () => {
    const act = await createAct(actesA);
    expect(
      (await request(t.app, agentA, 'PATCH', `${base()}/${act.id}`, { subject: 'Non' })).statusCode,
    ).toBe(403);
    const valid = {
      nature: 'DE',
      classification: '7.1',
      number: nextNumber(),
      decidedOn: '2026-12-01',
      subject: 'Lu',
    };
    expect((await request(t.app, readerA, 'POST', base(), valid)).statusCode).toBe(403);
    expect((await request(t.app, agentA, 'POST', base(), valid)).statusCode).toBe(403);
    expect((await request(t.app, adminB, 'GET', `${base()}/${act.id}`)).statusCode).toBe(403);
    expect((await request(t.app, adminB, 'GET', `/api/v1/members/${B.id}/acts/${act.id}`)).statusCode).toBe(
      404,
    );
    expect((await request(t.app, opAgent, 'GET', base())).statusCode).toBe(403);
    expect((await request(t.app, opDemat, 'GET', `${base()}/${act.id}`)).statusCode).toBe(200);
    expect((await request(t.app, null, 'GET', base())).statusCode).toBe(401);
  });
});

describe('transmission', () => {
  it('transmits as durable jobs: transmitting, then acknowledged with the official identifier', async () => {
    const act = await readyAct();
    const sent = await request(t.app, actesA, 'POST', `${base()}/${act.id}/transmit`);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().status).toBe('transmitting');
    // The request's jobs ran before its answer: the envelope left, the first poll waits.
    expect(connector.count('create')).toBeGreaterThan(0);
    const sentDetail = await get(act.id);
    expect(sentDetail.status).toBe('transmitting');
    expect(sentDetail.transmittedAt).not.toBeNull();
    expect(sentDetail.executoryReason).toContain('accusé de réception');

    await poll();
    const detail = await get(act.id);
    expect(detail.status).toBe('acknowledged');
    expect(detail.prefectureId).toBe(`085-${A.siren}-20261201-${act.number}-DE`);
    expect(detail.legalityCheckEndsOn).toBe('2027-02-04');
    expect(detail.executoryOn).toBeNull();
    expect(detail.executoryReason).toBe('À publier');
    expect(detail.history.map((h: { label: string }) => h.label)).toEqual(
      expect.arrayContaining([
        'Transmission demandée',
        'Envoyé au tiers de télétransmission',
        'Accusé de réception de la préfecture',
      ]),
    );
    expect(detail.history.find((h: { label: string }) => h.label.startsWith('Accusé')).by).toBe('Préfecture');
  });

  it('keeps polling with a growing delay until the prefecture acknowledges', async () => {
    connector.ackDelayMs = 60_000;
    const act = await readyAct();
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    await poll();
    expect((await get(act.id)).status).toBe('transmitting');
    const [next] = await t.database.db
      .select({ runAt: jobs.runAt, payload: jobs.payload })
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'acts.poll'),
          eq(jobs.state, 'pending'),
          sql`${jobs.payload}->>'actId' = ${act.id}`,
        ),
      );
    expect(next.payload).toMatchObject({ round: 1 });
    expect(next.runAt.getTime() - clock).toBe(2 * POLL_BASE_MS);
    advance(60_000);
    await t.runJobs();
    expect((await get(act.id)).status).toBe('acknowledged');
  });

  it('refuses to transmit without the « Télétransmission des actes » subscription (422), publication stays open', async () => {
    const act = await createAct(adminB, {}, `/api/v1/members/${B.id}/acts`);
    const url = `/api/v1/members/${B.id}/acts/${act.id}`;
    await upload(adminB, act.id, 'main', { name: 'a.pdf', data: pdf() }, `${url}/documents`);
    expect((await request(t.app, adminB, 'POST', `${url}/ready`)).statusCode).toBe(200);
    const refused = await request(t.app, adminB, 'POST', `${url}/transmit`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('« Télétransmission des actes »');
    const published = await request(t.app, adminB, 'POST', `${url}/publish`);
    expect(published.statusCode, published.body).toBe(200);
  });

  it('lets the operator keep, transmit and publish its own acts (its comité’s deliberations) without a subscription', async () => {
    const url = `/api/v1/members/${operatorId}/acts`;
    const act = await createAct(opGovernance, { signatoryName: 'Président du syndicat' }, url);
    const main = await upload(
      opGovernance,
      act.id,
      'main',
      { name: 'd.pdf', data: pdf() },
      `${url}/${act.id}/documents`,
    );
    expect(main.statusCode, main.body).toBe(201);
    expect((await request(t.app, opGovernance, 'POST', `${url}/${act.id}/ready`)).statusCode).toBe(200);
    const sent = await request(t.app, opGovernance, 'POST', `${url}/${act.id}/transmit`);
    expect(sent.statusCode, sent.body).toBe(202);
    await poll();
    const detail = await request(t.app, opGovernance, 'GET', `${url}/${act.id}`);
    expect(detail.json().status).toBe('acknowledged');
    const published = await request(t.app, opGovernance, 'POST', `${url}/${act.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const register = await request(t.app, opGovernance, 'GET', url);
    expect(register.json().items.map((a: { number: string }) => a.number)).toContain(act.number);
    // Nobody else writes the operator's register, and its governance agent reads no member's.
    expect((await request(t.app, adminA, 'GET', url)).statusCode).toBe(403);
    expect((await request(t.app, opAgent, 'GET', url)).statusCode).toBe(403);
    expect((await request(t.app, opGovernance, 'GET', base())).statusCode).toBe(403);
  });

  it('refuses a transmission before the act is ready, and one the tiers refuses goes to error; the operator retries', async () => {
    const draft = await createAct(adminA);
    const early = await request(t.app, adminA, 'POST', `${base()}/${draft.id}/transmit`);
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toContain('prêt');

    const act = await readyAct();
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    const transactionId = [...connector.transactions.values()].find(
      (tr) => tr.envelope.number === act.number,
    )?.id;
    expect(transactionId).toBeDefined();
    connector.refuse(String(transactionId), 'Le document principal n’est pas signé');
    await poll();
    const failed = await get(act.id);
    expect(failed).toMatchObject({ status: 'error', errorMessage: 'Le document principal n’est pas signé' });

    expect((await request(t.app, adminA, 'POST', `${base()}/${act.id}/retry`)).statusCode).toBe(403);
    const transmissions = await request(t.app, opDemat, 'GET', `/api/v1/acts/transmissions?status=error`);
    expect(transmissions.statusCode).toBe(200);
    expect(transmissions.json().items.map((i: { id: string }) => i.id)).toContain(act.id);
    expect(transmissions.json().items[0].memberName).toBeTruthy();
    const retried = await request(t.app, opDemat, 'POST', `${base()}/${act.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(202);
    await poll();
    const after = await get(act.id);
    expect(after.status).toBe('acknowledged');
    const mine = [...connector.transactions.values()].filter((tr) => tr.envelope.number === act.number);
    expect(mine.map((tr) => tr.state)).toEqual(['error', 'acknowledged']);
  });

  it('waits through an outage (job retried) and never creates two transactions, even if killed after create', async () => {
    const act = await readyAct();
    connector.down = true;
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.name, 'acts.transmit'), sql`${jobs.payload}->>'actId' = ${act.id}`));
    expect(job).toMatchObject({ state: 'pending', attempts: 1 });
    expect(job.lastError).toContain('503');
    expect((await get(act.id)).status).toBe('transmitting');

    connector.down = false;
    connector.killAfterCreate = true;
    advance(31_000);
    await t.runJobs(); // the tiers records the transaction, then the process "dies"
    expect(connector.transactions.size).toBeGreaterThan(0);
    const created = [...connector.transactions.values()].filter((tr) => tr.envelope.number === act.number);
    expect(created).toHaveLength(1);
    expect((await get(act.id)).transmittedAt).toBeNull();

    advance(61_000);
    await t.runJobs(); // the job runs again: the tiers answers the same transaction
    await poll();
    expect(
      [...connector.transactions.values()].filter((tr) => tr.envelope.number === act.number),
    ).toHaveLength(1);
    expect((await get(act.id)).status).toBe('acknowledged');

    // Transmitting again is refused: the act is no longer ready.
    expect((await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`)).statusCode).toBe(422);
  });

  it('records the prefecture’s messages; the member answers a demande de pièces once; cancels', async () => {
    const act = await readyAct();
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    const transaction = [...connector.transactions.values()].find((tr) => tr.envelope.number === act.number);
    const id = String(transaction?.id);
    connector.addMessage(id, {
      id: 'M1',
      kind: 'demande_pieces',
      receivedAt: new Date(clock),
      documents: [{ filename: 'courrier.pdf', mediaType: 'application/pdf', content: pdf('Courrier') }],
    });
    await poll();
    const detail = await get(act.id);
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0]).toMatchObject({
      kind: 'demande_pieces',
      answerDueOn: '2027-01-04',
      answeredAt: null,
    });
    expect(detail.messages[0].documents[0].filename).toBe('courrier.pdf');

    const messageUrl = `${base()}/${act.id}/messages/${detail.messages[0].id}/answer`;
    const empty = multipart({});
    const none = await request(t.app, adminA, 'POST', messageUrl, empty.payload, empty.headers);
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].path).toBe('body.file');
    const body = multipart({}, { name: 'piece.pdf', data: pdf('Pièce') });
    const answered = await request(t.app, actesA, 'POST', messageUrl, body.payload, body.headers);
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().messages.map((m: { kind: string }) => m.kind)).toEqual([
      'demande_pieces',
      'reponse_pieces',
    ]);
    expect(transaction?.answers).toHaveLength(1);
    const twice = await request(t.app, actesA, 'POST', messageUrl, body.payload, body.headers);
    expect(twice.statusCode).toBe(422);

    const cancelled = await request(t.app, adminA, 'POST', `${base()}/${act.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(transaction?.state).toBe('cancelled');
    expect((await request(t.app, adminA, 'POST', `${base()}/${act.id}/cancel`)).statusCode).toBe(422);
  });
});

describe('transmitting several acts at once', () => {
  const batchUrl = () => `${base()}/transmissions`;
  const jobsOf = (actId: string) =>
    t.database.db
      .select({ state: jobs.state })
      .from(jobs)
      .where(and(eq(jobs.name, 'acts.transmit'), sql`${jobs.payload}->>'actId' = ${actId}`));

  it('queues the ready ones in one go and reports each refusal naming the act; twice queues nothing more', async () => {
    const first = await readyAct();
    const second = await readyAct();
    const draft = await createAct(adminA);
    const sent = await readyAct();
    expect((await request(t.app, adminA, 'POST', `${base()}/${sent.id}/transmit`)).statusCode).toBe(202);
    const foreign = await createAct(adminB, {}, `/api/v1/members/${B.id}/acts`);
    const unknown = crypto.randomUUID();
    const ids = [first.id, draft.id, sent.id, foreign.id, second.id, unknown, first.id];
    const creates = connector.count('create');

    const response = await request(t.app, actesA, 'POST', batchUrl(), { actIds: ids });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ queued: 2, refused: 4 });
    // One line per distinct id, in the order asked.
    expect(report.items).toEqual([
      { actId: first.id, number: first.number, outcome: 'queued', reason: null },
      {
        actId: draft.id,
        number: draft.number,
        outcome: 'refused',
        reason: `Acte ${draft.number} : Marquez d'abord l'acte prêt à transmettre.`,
      },
      {
        actId: sent.id,
        number: sent.number,
        outcome: 'refused',
        reason: `Acte ${sent.number} : L'acte est « en cours de transmission » : seul un acte prêt se transmet.`,
      },
      {
        actId: foreign.id,
        number: null,
        outcome: 'refused',
        reason: `Aucun acte de cette structure ne porte l'identifiant ${foreign.id}.`,
      },
      { actId: second.id, number: second.number, outcome: 'queued', reason: null },
      {
        actId: unknown,
        number: null,
        outcome: 'refused',
        reason: `Aucun acte de cette structure ne porte l'identifiant ${unknown}.`,
      },
    ]);
    // The request's jobs ran before its answer: both envelopes left, once each.
    expect(connector.count('create') - creates).toBe(2);
    for (const act of [first, second]) {
      const detail = await get(act.id);
      expect(detail.status).toBe('transmitting');
      expect(detail.history.filter((h: { label: string }) => h.label === 'Transmission demandée')).toEqual([
        expect.objectContaining({ status: 'transmitting', by: 'Paul Actes' }),
      ]);
      expect(await jobsOf(act.id)).toEqual([{ state: 'done' }]);
    }
    const audited = await t.database.db
      .select({ targetId: auditEvents.targetId, actorUserId: auditEvents.actorUserId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'act.transmitted'), eq(auditEvents.memberId, A.id)));
    expect(audited.filter((a) => a.targetId === first.id || a.targetId === second.id)).toHaveLength(2);
    expect(audited.find((a) => a.targetId === first.id)?.actorUserId).toBe(actesA.userId);
    // Member B's act, named through A's path, is untouched.
    const [foreignRow] = await t.database.db.select().from(acts).where(eq(acts.id, foreign.id));
    expect(foreignRow.status).toBe('draft');
    expect(await jobsOf(draft.id)).toEqual([]);

    // Asked again (a double click, a retried request): every act is on its way already.
    const again = await request(t.app, actesA, 'POST', batchUrl(), { actIds: [first.id, second.id] });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ queued: 0, refused: 2 });
    expect(again.json().items[0].reason).toContain(
      `Acte ${first.number} : L'acte est « en cours de transmission »`,
    );
    expect(connector.count('create') - creates).toBe(2);
    expect(await jobsOf(first.id)).toHaveLength(1);

    await poll();
    for (const act of [first, second]) expect((await get(act.id)).status).toBe('acknowledged');
  });

  it('checks the classification of each act against the stored one: outdated refused, current moved', async () => {
    const outdated = await readyAct({ classification: '9.1' });
    const current = await readyAct({ classification: '2.1' });
    connector.classification = {
      date: '2026-11-30',
      entries: TEST_CLASSIFICATION.entries
        .filter((e) => e.code !== '9.1')
        .map((e) => (e.code === '2.1' ? { ...e, label: "Documents d'urbanisme (PLU, cartes)" } : e)),
    };
    try {
      await request(t.app, actesA, 'POST', `${base()}/classification/refresh`);
      const response = await request(t.app, adminA, 'POST', batchUrl(), {
        actIds: [outdated.id, current.id],
      });
      expect(response.statusCode, response.body).toBe(200);
      const [refused, queued] = response.json().items;
      expect(refused.outcome).toBe('refused');
      expect(refused.reason).toBe(
        `Acte ${outdated.number} : La classification 9.1 du 2026-01-15 est périmée : elle n'existe plus dans la classification de la préfecture du 2026-11-30. Choisissez un nouveau code.`,
      );
      expect(queued.outcome).toBe('queued');
      const [moved] = await t.database.db.select().from(acts).where(eq(acts.id, current.id));
      expect(moved).toMatchObject({
        status: 'transmitting',
        classificationDate: '2026-11-30',
        classificationLabel: "Documents d'urbanisme (PLU, cartes)",
      });
      expect((await get(outdated.id)).status).toBe('ready');
    } finally {
      connector.classification = TEST_CLASSIFICATION;
      await request(t.app, actesA, 'POST', `${base()}/classification/refresh`);
    }
    await poll();
  });

  it('writes nothing when the batch fails half-way (one transaction)', async () => {
    const act = await readyAct();
    const ghost = { actorUserId: crypto.randomUUID(), ipAddress: null };
    // A person unknown to the database: the first write of the batch breaks a foreign key.
    await expect(
      withTenant(t.database.db, SYSTEM_OPERATOR, (tx) => transmitMany(tx, A.id, [act.id], ghost)),
    ).rejects.toThrow();
    const detail = await get(act.id);
    expect(detail.status).toBe('ready');
    expect(detail.history.map((h: { label: string }) => h.label)).not.toContain('Transmission demandée');
    expect(await jobsOf(act.id)).toEqual([]);
  });

  it('keeps one job per act when one was queued already (the batch insert falls back act by act)', async () => {
    const [left, other] = [await readyAct(), await readyAct()];
    // A job left pending for a ready act (its earlier run ended between two writes).
    await enqueue(
      t.database.db,
      'acts.transmit',
      { memberId: A.id, actId: left.id },
      {
        singletonKey: `acts.transmit:${left.id}`,
        runAt: new Date(clock + 3_600_000),
      },
    );
    const response = await request(t.app, adminA, 'POST', batchUrl(), { actIds: [left.id, other.id] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ queued: 2, refused: 0 });
    expect(await jobsOf(left.id)).toEqual([{ state: 'pending' }]);
    expect(await jobsOf(other.id)).toEqual([{ state: 'done' }]);
    await t.database.db
      .update(jobs)
      .set({ runAt: new Date(clock) })
      .where(and(eq(jobs.state, 'pending'), sql`${jobs.payload}->>'actId' = ${left.id}`));
    await t.runJobs();
    await poll();
    for (const act of [left, other]) expect((await get(act.id)).status).toBe('acknowledged');
  });

  it('refuses without the subscription, past 500 acts, and to people who do not transmit', async () => {
    const url = `/api/v1/members/${B.id}/acts/transmissions`;
    const act = await createAct(adminB, {}, `/api/v1/members/${B.id}/acts`);
    const refused = await request(t.app, adminB, 'POST', url, { actIds: [act.id] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('« Télétransmission des actes »');

    const tooMany = Array.from({ length: 501 }, () => crypto.randomUUID());
    const large = await request(t.app, adminA, 'POST', batchUrl(), { actIds: tooMany });
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('500 actes au plus par transmission groupée');
    const empty = await request(t.app, adminA, 'POST', batchUrl(), { actIds: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('choisissez au moins un acte');

    for (const session of [agentA, readerA, adminB, opDemat]) {
      const denied = await request(t.app, session, 'POST', batchUrl(), { actIds: [act.id] });
      expect(denied.statusCode).toBe(403);
    }
  });
});

describe('the daily follow-up', () => {
  it('skips a transaction the tiers no longer knows and still follows the others', async () => {
    const act = await readyAct();
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    await poll();
    const lost = await readyAct();
    await request(t.app, adminA, 'POST', `${base()}/${lost.id}/transmit`);
    await poll();
    await t.database.db.update(acts).set({ transactionId: 'inconnue' }).where(eq(acts.id, lost.id));
    const transaction = [...connector.transactions.values()].find((tr) => tr.envelope.number === act.number);
    connector.addMessage(String(transaction?.id), {
      id: 'OBS1',
      kind: 'lettre_observations',
      receivedAt: new Date(clock),
      documents: [],
    });
    const report = await runDailyJob(t.database.db, { connector, storage: t.storage });
    expect(report.skipped).toBe(1);
    expect(report.messages).toBeGreaterThanOrEqual(1);
    expect((await get(act.id)).messages.map((m: { kind: string }) => m.kind)).toEqual([
      'lettre_observations',
    ]);
    connector.down = true;
    await expect(runDailyJob(t.database.db, { connector, storage: t.storage })).rejects.toThrow('503');
  });
});

describe('publication and the public portal', () => {
  it('publishes once with a stamped PDF and its SHA-256; executory; never withdrawn', async () => {
    const act = await readyAct({ subject: 'Création d’un espace numérique à l’ÉCOLE Jules-Ferry' });
    await request(t.app, adminA, 'POST', `${base()}/${act.id}/transmit`);
    await poll();
    advance(60_000);
    const published = await request(t.app, actesA, 'POST', `${base()}/${act.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const detail = published.json();
    expect(detail.publishedAt).toBe(new Date(clock).toISOString());
    expect(detail.executoryOn).toBe('2026-12-04');
    expect(detail.executoryReason).toBeNull();
    expect(detail.sha256).toMatch(/^[0-9a-f]{64}$/);

    const again = await request(t.app, actesA, 'POST', `${base()}/${act.id}/publish`);
    expect(again.statusCode).toBe(422);
    const edit = await request(t.app, adminA, 'PATCH', `${base()}/${act.id}`, { subject: 'Autre objet' });
    expect(edit.statusCode).toBe(422);
    await expect(
      t.database.db.update(acts).set({ publishedAt: null }).where(eq(acts.id, act.id)),
    ).rejects.toThrow();

    const list = await request(t.app, null, 'GET', `/api/v1/public/members/${A.id}/acts?q=ecole%20jules`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(1);
    const item = list.json().items[0];
    expect(item).toMatchObject({ id: act.id, sha256: detail.sha256, prefectureId: detail.prefectureId });
    const document = await request(t.app, null, 'GET', item.documentUrl);
    expect(document.statusCode).toBe(200);
    expect(document.headers['content-type']).toContain('application/pdf');
    expect(crypto.createHash('sha256').update(document.rawPayload).digest('hex')).toBe(detail.sha256);
  });

  it('shows the public only published acts, filtered by nature, matière and dates; a correction beside its original', async () => {
    const draft = await createAct(adminA, { subject: 'Brouillon secret' });
    const original = await readyAct({
      nature: 'AR',
      classification: '2.1',
      decidedOn: '2026-06-01',
      subject: 'Arrêté de voirie',
    });
    await request(t.app, adminA, 'POST', `${base()}/${original.id}/publish`);
    const correction = await readyAct({
      nature: 'AR',
      classification: '2.1',
      decidedOn: '2026-06-10',
      subject: 'Arrêté de voirie rectificatif',
      correctsActId: original.id,
    });
    await request(t.app, adminA, 'POST', `${base()}/${correction.id}/publish`);
    const url = `/api/v1/public/members/${A.id}/acts`;
    const anonymous = await request(
      t.app,
      null,
      'GET',
      `${url}?nature=AR&classification=2&from=2026-06-01&to=2026-06-30`,
    );
    const items = anonymous.json().items;
    expect(items.map((i: { id: string }) => i.id)).toEqual([correction.id, original.id]);
    expect(items[0].correctsActId).toBe(original.id);
    expect(items[1].correctedByActId).toBe(correction.id);
    // The register's page of one act names its correction too (a one-table select: the sub-select
    // must name the outer row's table).
    const detail = await request(t.app, adminA, 'GET', `${base()}/${original.id}`);
    expect(detail.json().correctedByActId).toBe(correction.id);
    const all = await request(t.app, null, 'GET', `${url}?limit=200`);
    expect(all.json().items.map((i: { id: string }) => i.id)).not.toContain(draft.id);
    expect((await request(t.app, null, 'GET', `${url}/${draft.id}/document`)).statusCode).toBe(404);
    expect((await request(t.app, null, 'GET', `${url}?cursor=forged`)).statusCode).toBe(400);

    const page1 = await request(t.app, null, 'GET', `${url}?limit=1`);
    const page2 = await request(t.app, null, 'GET', `${url}?limit=1&cursor=${page1.json().nextCursor}`);
    expect(page2.json().items[0].id).not.toBe(page1.json().items[0].id);
  });

  it('answers the portal in one statement, byte for byte what the presenter gave; 404 when nobody holds the register', async () => {
    const notified = await readyAct({
      nature: 'AI',
      classification: '4.1',
      decidedOn: '2026-11-10',
      signedOn: '2026-11-12',
      sessionOn: null,
      notifiedOn: '2026-11-20',
      transmissionRequired: false,
      subject: 'Arrêté « nomination » de M. "Dupont" \\ agent',
    });
    await request(t.app, adminA, 'POST', `${base()}/${notified.id}/publish`);
    // An instant with microseconds: written to the millisecond, as a JavaScript Date would be.
    await t.database.db
      .update(acts)
      .set({ acknowledgedAt: sql`'2026-11-21T08:15:30.123999Z'::timestamptz` })
      .where(eq(acts.id, notified.id));
    const url = `/api/v1/public/members/${A.id}/acts`;
    const all = await request(t.app, null, 'GET', `${url}?limit=200`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.headers['content-type']).toBe('application/json; charset=utf-8');
    const parsed = publicActListSchema.parse(all.json());
    expect(parsed.items.length).toBeGreaterThanOrEqual(4);
    const rows = await Promise.all(parsed.items.map((i) => findAct(t.database.db, A.id, i.id)));
    const presented = rows.map((r) => presentPublicAct(defined(r, 'published act')));
    const expected = { items: presented, total: presented.length, nextCursor: null, totalIsExact: true };
    expect(all.body).toBe(JSON.stringify(z.encode(publicActListSchema, expected)));
    // Not transmitted, notified before its publication: executory on its notification.
    expect(parsed.items.find((i) => i.id === notified.id)).toMatchObject({
      executoryOn: '2026-11-20',
      acknowledgedAt: '2026-11-21T08:15:30.123Z',
    });
    expect(parsed.items.find((i) => i.id === notified.id)?.subject).toContain('"Dupont" \\ agent');

    // Page after page (keyset), each with the whole count, the same acts in the same order.
    const walked: string[] = [];
    let next: string | null = null;
    do {
      const page = await request(t.app, null, 'GET', `${url}?limit=1${next ? `&cursor=${next}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json()).toMatchObject({ total: presented.length, totalIsExact: true });
      walked.push(...page.json().items.map((i: { id: string }) => i.id));
      next = page.json().nextCursor;
    } while (next);
    expect(walked).toEqual(presented.map((p) => p.id));

    // Nothing matching: an empty page; nobody holding the register: 404; a cursor naming no real date: 400.
    const empty = await request(t.app, null, 'GET', `${url}?q=introuvable&nature=AR`);
    expect(empty.body).toBe('{"items":[],"total":0,"nextCursor":null,"totalIsExact":true}');
    const nobody = await request(t.app, null, 'GET', `/api/v1/public/members/${crypto.randomUUID()}/acts`);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().detail).toBe(MEMBER_NOT_FOUND);
    const forged = encodeCursor('2026-02-30', notified.id);
    expect((await request(t.app, null, 'GET', `${url}?cursor=${forged}`)).statusCode).toBe(400);
  });

  it("counts the portal's matches up to the cap, and finds no page for a register nobody holds", async () => {
    const db = t.database.db;
    const published = await publicActsPage(db, A.id, {}, null, 1, PUBLIC_MEMBERS_PREFIX);
    const n = defined(published, 'page').total.total;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(published?.total.totalIsExact).toBe(true);
    expect(published?.items).toHaveLength(1);
    expect(published?.last).not.toBeNull();
    const capped = await publicActsPage(db, A.id, {}, null, 1, PUBLIC_MEMBERS_PREFIX, n - 1);
    expect(capped?.total).toEqual({ total: n - 1, totalIsExact: false });
    const atCap = await publicActsPage(db, A.id, {}, null, 50, PUBLIC_MEMBERS_PREFIX, n);
    expect(atCap?.total).toEqual({ total: n, totalIsExact: true });
    expect(atCap?.last).toBeNull();
    // After a cursor the page is not the whole list: counted again, whole.
    const last = defined(published?.last, 'cursor');
    const second = await publicActsPage(
      db,
      A.id,
      {},
      { sortValue: last.decidedOn, id: last.id },
      1,
      PUBLIC_MEMBERS_PREFIX,
    );
    expect(second?.total).toEqual({ total: n, totalIsExact: true });
    expect(second?.items).toHaveLength(1);
    expect(second?.items[0]).not.toBe(published?.items[0]);
    expect(await publicActsPage(db, crypto.randomUUID(), {}, null, 20, PUBLIC_MEMBERS_PREFIX)).toBeNull();
  });

  it('dates executory acts in SQL (the portal) exactly as executory.ts does', async () => {
    const instant = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
    // Around Paris midnight, in winter (UTC+1) and summer (UTC+2).
    const edges = [
      '2026-01-15T22:59:59Z',
      '2026-01-15T23:00:00Z',
      '2026-07-15T21:59:59Z',
      '2026-07-15T22:00:00Z',
    ].map((iso) => new Date(iso));
    const calendarDate = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const cases = fc.sample(
      fc.record({
        nature: fc.constantFrom(...ACT_NATURES),
        transmissionRequired: fc.boolean(),
        acknowledgedAt: fc.option(fc.oneof(instant, fc.constantFrom(...edges))),
        publishedAt: fc.option(fc.oneof(instant, fc.constantFrom(...edges))),
        notifiedOn: fc.option(
          fc.oneof(calendarDate, fc.constantFrom('2026-01-15', '2026-01-16', '2026-07-16')),
        ),
      }),
      { numRuns: 400, seed: 11 },
    );
    const values = sql.join(
      cases.map(
        (c, i) =>
          sql`(${i}::int, ${c.nature}::text, ${c.transmissionRequired}::boolean, ${c.acknowledgedAt?.toISOString() ?? null}::timestamptz, ${c.publishedAt?.toISOString() ?? null}::timestamptz, ${c.notifiedOn}::date)`,
      ),
      sql`, `,
    );
    const on = executoryOnSql({
      nature: sql`c.nature`,
      transmissionRequired: sql`c.tr`,
      acknowledgedAt: sql`c.ack`,
      publishedAt: sql`c.pub`,
      notifiedOn: sql`c.notified`,
    });
    const rows = rowsOf<{ i: number; on: string | null }>(
      await t.database.db.execute(
        sql`SELECT c.i, to_char(${on}, 'YYYY-MM-DD') AS on FROM (VALUES ${values}) AS c(i, nature, tr, ack, pub, notified) ORDER BY c.i`,
      ),
    );
    expect(rows.map((r) => r.on)).toEqual(cases.map((c) => executoryState(c).executoryOn));
    expect(rows.filter((r) => r.on !== null).length).toBeGreaterThan(50);
  });

  it('gives open data as SCDL « Délibérations » (valid, published deliberations only) and the session list as a PDF', async () => {
    const published = await readyAct({
      subject: 'Tarifs de la restauration scolaire',
      votesMembers: 27,
      votesFor: 20,
      votesAgainst: 2,
      votesAbstention: 1,
    });
    await request(t.app, adminA, 'POST', `${base()}/${published.id}/publish`);
    const unpublished = await readyAct({ subject: 'Non publiée' });
    for (const url of [`/api/v1/public/members/${A.id}/acts.csv`, '/api/v1/public/acts.csv']) {
      const csv = await request(t.app, null, 'GET', url);
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(validateScdlDeliberations(csv.body)).toEqual([]);
      expect(csv.body).toContain(published.number);
      expect(csv.body).not.toContain(unpublished.number);
      expect(csv.body).toContain(`/api/v1/public/members/${A.id}/acts/${published.id}/document`);
    }

    const list = await request(t.app, readerA, 'GET', `${base()}/sessions/2026-12-01/deliberations.pdf`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.headers['content-type']).toBe('application/pdf');
    expect(list.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const none = await request(t.app, readerA, 'GET', `${base()}/sessions/2020-01-01/deliberations.pdf`);
    expect(none.statusCode).toBe(404);
    expect(
      (await request(t.app, readerA, 'GET', `${base()}/sessions/hier/deliberations.pdf`)).statusCode,
    ).toBe(400);
  });

  it('answers the operator’s volumes', async () => {
    const volumes = await request(t.app, opDemat, 'GET', '/api/v1/acts/volumes');
    expect(volumes.statusCode).toBe(200);
    expect(volumes.json().byStatus.acknowledged).toBeGreaterThan(0);
    expect(volumes.json().byMonth).toEqual([{ month: '2026-12', count: expect.any(Number) }]);
    expect((await request(t.app, adminA, 'GET', '/api/v1/acts/volumes')).statusCode).toBe(403);
  });
});

describe('row-level security', () => {
  it('hides a member’s unpublished acts from another member even without the member filter', async () => {
    const rows = await withTenant(t.database.db, { userId: null, memberId: B.id, operatorRole: null }, (tx) =>
      tx.select({ memberId: acts.memberId, publishedAt: acts.publishedAt }).from(acts),
    );
    const ofA = rows.filter((r) => r.memberId === A.id);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.every((r) => r.publishedAt !== null)).toBe(true);
    const own = await withTenant(t.database.db, { userId: null, memberId: A.id, operatorRole: null }, (tx) =>
      tx.select({ id: acts.id }).from(acts).where(sql`published_at IS NULL`),
    );
    expect(own.length).toBeGreaterThan(0);
  });
});
