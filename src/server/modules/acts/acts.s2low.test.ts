import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClock } from '../../platform/clock.js';
import { acts, jobs } from '../../platform/db/schema.js';
import { renderPdf } from '../../seed/pdf.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/bodies.js';
import { buildOrganisation, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { POLL_BASE_MS, runDailyJob, TRANSMISSION_SERVICE_CODE } from './acts.transmission.service.js';
import { createS2lowClient } from './transmission/s2low.client.js';
import { type FakeS2low, startFakeS2low } from './transmission/s2low.fake-server.js';
import { S2LOW_PATHS } from './transmission/s2low.protocol.js';

/**
 * The acts module end to end through the S²LOW HTTP client and the fake S²LOW server: what the demo
 * runs. Acknowledgement after the fake's delay, a process killed between the tiers' answer and its
 * recording, an outage then recovery, a refusal, and a demande de pièces answered.
 */

const ACK_MS = 3000;
let clock = new Date('2026-12-04T09:00:00Z').getTime();
const advance = (ms: number) => {
  clock += ms;
};

let t: TestApp;
let fake: FakeS2low;
let connector: ReturnType<typeof createS2lowClient>;
let restoreClock: () => void;
let admin: Session;
let memberId: string;
const SIREN = '218501914';
let n = 0;

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date(clock) });
  fake = await startFakeS2low({ ackDelayMs: ACK_MS });
  connector = createS2lowClient({ baseUrl: fake.url, timeoutMs: 2000 });
  t = await createTestApp({}, { actsConnector: connector });
  const db = t.database.db;
  const member = await buildOrganisation(db, {
    kind: 'commune',
    name: 'La Roche-sur-Yon',
    siren: SIREN,
    communeCode: '85191',
  });
  memberId = member.id;
  const service = await buildService(db, { code: TRANSMISSION_SERVICE_CODE });
  await buildSubscription(db, { memberId, serviceId: service.id });
  admin = await sessionAs(t, member, 'admin');
  const refreshed = await request(
    t.app,
    admin,
    'POST',
    `/api/v1/members/${memberId}/acts/classification/refresh`,
  );
  expect(refreshed.statusCode, refreshed.body).toBe(200);
});

afterAll(async () => {
  restoreClock();
  await t?.close();
  connector?.close();
  await fake?.close();
});

const base = () => `/api/v1/members/${memberId}/acts`;

async function readyAct() {
  const number = `DEL2026_${String(++n).padStart(3, '0')}`;
  const created = await request(t.app, admin, 'POST', base(), {
    nature: 'DE',
    classification: '7.1',
    number,
    decidedOn: '2026-12-03',
    subject: 'Décision modificative n° 2 du budget principal',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const body = multipart({ role: 'main' }, { name: 'acte.pdf', data: renderPdf('Acte', [{ text: number }]) });
  expect(
    (await request(t.app, admin, 'POST', `${base()}/${id}/documents`, body.payload, body.headers)).statusCode,
  ).toBe(201);
  expect((await request(t.app, admin, 'POST', `${base()}/${id}/ready`)).statusCode).toBe(200);
  return { id, number };
}

const detail = async (id: string) => (await request(t.app, admin, 'GET', `${base()}/${id}`)).json();
const held = (number: string) => fake.transmissions().filter((tr) => tr.number === number);

describe('transmission through S²LOW', () => {
  it('is acknowledged after the fake’s delay, with the official identifier', async () => {
    const act = await readyAct();
    expect((await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`)).statusCode).toBe(202);
    expect(held(act.number)).toHaveLength(1);
    advance(POLL_BASE_MS + 1);
    await t.runJobs();
    expect((await detail(act.id)).status).toBe('transmitting');
    // The next poll comes twice as late (4 s), after the acknowledgement (3 s).
    advance(2 * POLL_BASE_MS);
    await t.runJobs();
    const acknowledged = await detail(act.id);
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.prefectureId).toBe(`085-${SIREN}-20261203-${act.number}-DE`);
  });

  it('holds one transaction when the tiers’ answer is lost with its connection (sent again, recognised)', async () => {
    const act = await readyAct();
    fake.dropNextResponse(S2LOW_PATHS.create);
    await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`);
    expect(held(act.number)).toHaveLength(1);
    // The client sent the envelope again at once; S²LOW refused the number, the client found its act.
    expect((await detail(act.id)).transmittedAt).not.toBeNull();
    advance(POLL_BASE_MS + ACK_MS);
    await t.runJobs();
    expect(held(act.number)).toHaveLength(1);
    expect((await detail(act.id)).status).toBe('acknowledged');
  });

  it('waits through an outage and transmits once S²LOW is back', async () => {
    const act = await readyAct();
    await fake.outage(true);
    try {
      await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`);
      const [job] = await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, 'acts.transmit'), sql`${jobs.payload}->>'actId' = ${act.id}`));
      expect(job.state).toBe('pending');
      expect(held(act.number)).toHaveLength(0);
    } finally {
      await fake.outage(false);
    }
    advance(31_000);
    await t.runJobs();
    advance(POLL_BASE_MS + ACK_MS);
    await t.runJobs();
    expect(held(act.number)).toHaveLength(1);
    expect((await detail(act.id)).status).toBe('acknowledged');
  });

  it('puts the act in error with S²LOW’s message when the prefecture rejects it', async () => {
    const act = await readyAct();
    await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`);
    const [transaction] = held(act.number);
    fake.reject(transaction.id, 'Le document principal est illisible');
    advance(POLL_BASE_MS + 1);
    await t.runJobs();
    const failed = await detail(act.id);
    expect(failed.status).toBe('error');
    expect(failed.errorMessage).toContain('illisible');
  });

  it('records a demande de pièces from the daily follow-up; the member answers it through S²LOW', async () => {
    const act = await readyAct();
    await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`);
    advance(POLL_BASE_MS + ACK_MS);
    await t.runJobs();
    const [transaction] = held(act.number);
    const messageId = fake.sendMessage(transaction.id, {
      kind: 'demande_pieces',
      description: 'Merci de transmettre le rapport de présentation.',
      documents: [
        { filename: 'demande.pdf', mediaType: 'application/pdf', content: renderPdf('Demande', []) },
      ],
    });
    await runDailyJob(t.database.db, { connector: t.actsConnector, storage: t.storage });
    const withMessage = await detail(act.id);
    expect(withMessage.messages).toHaveLength(1);
    expect(withMessage.messages[0].kind).toBe('demande_pieces');
    expect(withMessage.messages[0].documents).toHaveLength(1);
    // The daily follow-up twice records the message once.
    await runDailyJob(t.database.db, { connector: t.actsConnector, storage: t.storage });
    expect((await detail(act.id)).messages).toHaveLength(1);

    const body = multipart({}, { name: 'rapport.pdf', data: renderPdf('Rapport', [{ text: 'Rapport' }]) });
    const answered = await request(
      t.app,
      admin,
      'POST',
      `${base()}/${act.id}/messages/${withMessage.messages[0].id}/answer`,
      body.payload,
      body.headers,
    );
    expect(answered.statusCode, answered.body).toBe(200);
    expect(fake.answers(messageId)).toHaveLength(1);
  });

  // Last: it moves the clock by hours (sessions of the other tests would expire).
  it('resumes a transmission whose job died: the daily follow-up sends it again', async () => {
    const act = await readyAct();
    await fake.outage(true);
    try {
      await request(t.app, admin, 'POST', `${base()}/${act.id}/transmit`);
    } finally {
      await fake.outage(false);
    }
    // Every attempt failed: the job is dead, the act still says transmitting.
    await t.database.db
      .update(jobs)
      .set({ state: 'dead' })
      .where(and(eq(jobs.name, 'acts.transmit'), sql`${jobs.payload}->>'actId' = ${act.id}`));
    advance(7 * 3_600_000);
    const report = await runDailyJob(t.database.db, { connector: t.actsConnector, storage: t.storage });
    expect(report.resumed).toBe(1);
    await t.runJobs();
    advance(POLL_BASE_MS + ACK_MS);
    await t.runJobs();
    expect(held(act.number)).toHaveLength(1);
    const [row] = await t.database.db.select().from(acts).where(eq(acts.id, act.id));
    expect(row.status).toBe('acknowledged');
    // Nothing is stalled any more.
    expect(
      (await runDailyJob(t.database.db, { connector: t.actsConnector, storage: t.storage })).resumed,
    ).toBe(0);
  });
});
