import http from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart, tinyPdf } from '../../test/bodies.js';
import {
  buildOperator,
  buildOrganisation,
  buildUser,
  sessionAs,
  TEST_PASSWORD,
} from '../../test/builders.js';

/**
 * Bad input is refused with a 4xx problem document in French, never a 500 (the fuzz pass in
 * src/server/test/fuzz.test.ts tries every route; these are the cases the issue named).
 */

let t: TestApp;
let opAdmin: Session;
let dpo: Session;
let memberId: string;
const loginEmail = 'entrees@test.example';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const operator = await buildOperator(db);
  memberId = (await buildOrganisation(db)).id;
  opAdmin = await sessionAs(t, operator, 'admin');
  dpo = await sessionAs(t, operator, 'agent', ['dpo']);
  await buildUser(db, { email: loginEmail });
});
afterAll(() => t?.close());

function expectProblem(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  return response.json() as { title: string; detail: string; errors?: { path: string; message: string }[] };
}

describe('NUL bytes', () => {
  it('are refused in a JSON body, naming the field (the login e-mail included)', async () => {
    const response = await request(t.app, null, 'POST', '/api/v1/auth/login', {
      email: `${loginEmail}\u0000`,
      password: TEST_PASSWORD,
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors).toEqual([{ path: 'body.email', message: 'caractère nul (U+0000) interdit' }]);
  });

  it('are refused deep in a body, in a query and in a path, each path named', async () => {
    const processing = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/processings`, {
      name: 'Paie',
      dataSubjects: [{ category: 'Agents\u0000' }],
    });
    expect(expectProblem(processing, 400).errors?.map((e) => e.path)).toEqual([
      'body.dataSubjects.0.category',
    ]);
    const query = await request(t.app, opAdmin, 'GET', '/api/v1/members?q=a%00b');
    expect(expectProblem(query, 400).errors?.map((e) => e.path)).toEqual(['query.q']);
    const path = await request(t.app, opAdmin, 'GET', '/api/v1/members/a%00b');
    expect(expectProblem(path, 400).errors?.map((e) => e.path)).toEqual(['params.memberId']);
  });

  it('are refused in an upload field (by the database, still a 400)', async () => {
    const upload = multipart(
      { kind: 'deliberation', title: 'Délibération\u0000' },
      { name: 'deliberation.pdf', data: tinyPdf() },
    );
    const response = await request(
      t.app,
      opAdmin,
      'POST',
      `/api/v1/members/${memberId}/documents`,
      upload.payload,
      upload.headers,
    );
    expect(expectProblem(response, 400).detail).toMatch(/caractère nul/);
  });
});

describe('dates and numbers', () => {
  it('refuses years before 1900 and after 2200 where a date is given', async () => {
    const breach = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/breaches`, {
      awareAt: '0001-01-01T00:00:00Z',
      nature: ['confidentiality'],
      riskLevel: 'none',
      cnilNotificationRequired: false,
    });
    expect(expectProblem(breach, 400).errors).toEqual([
      { path: 'body.awareAt', message: 'année entre 1900 et 2200 attendue' },
    ]);
    for (const day of ['0000-01-01', '1899-12-31', '2201-01-01']) {
      const response = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/processings`, {
        name: `Revue ${day}`,
        lastReviewOn: day,
      });
      expect(expectProblem(response, 400).errors?.map((e) => e.path)).toEqual(['body.lastReviewOn']);
    }
    const audit = await request(t.app, opAdmin, 'GET', '/api/v1/audit-events?from=0000-01-01');
    expect(expectProblem(audit, 400).errors?.[0].path).toMatch(/^query\.from/);
    const accepted = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/processings`, {
      name: 'Revue en 1900',
      lastReviewOn: '1900-01-01',
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
  });

  it('gives one message per field for a malformed date', async () => {
    for (const awareAt of ['pas une date', '2024-13-45T99:00:00Z', '0001-01-01']) {
      const breach = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/breaches`, {
        awareAt,
        nature: ['confidentiality'],
        riskLevel: 'none',
        cnilNotificationRequired: false,
      });
      expect(expectProblem(breach, 400).errors).toEqual([
        { path: 'body.awareAt', message: 'date et heure ISO 8601 attendues (avec fuseau)' },
      ]);
    }
    const review = await request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/processings`, {
      name: 'Revue mal écrite',
      lastReviewOn: 'hier',
    });
    expect(expectProblem(review, 400).errors).toEqual([
      { path: 'body.lastReviewOn', message: 'date attendue au format AAAA-MM-JJ' },
    ]);
  });

  it('refuses numbers that do not fit the integer columns', async () => {
    const fee = await request(t.app, opAdmin, 'PUT', '/api/v1/pricing/membership-fees/2030', {
      centsPerInhabitant: 10,
      minimumCents: 2 ** 53 - 1,
    });
    expect(expectProblem(fee, 400).errors?.map((e) => e.path)).toEqual(['body.minimumCents']);
    const member = await request(t.app, opAdmin, 'PATCH', `/api/v1/members/${memberId}`, {
      population: 2 ** 31,
    });
    expect(expectProblem(member, 400).errors?.map((e) => e.path)).toEqual(['body.population']);
  });
});

describe('broken requests', () => {
  it('answers 400 to a multipart body without a boundary or cut short', async () => {
    const url = `/api/v1/members/${memberId}/documents`;
    const upload = multipart(
      { kind: 'deliberation', title: 'Délibération' },
      { name: 'd.pdf', data: tinyPdf() },
    );
    const noBoundary = await request(t.app, opAdmin, 'POST', url, upload.payload, {
      'content-type': 'multipart/form-data',
    });
    expectProblem(noBoundary, 400);
    const truncated = await request(
      t.app,
      opAdmin,
      'POST',
      url,
      upload.payload.subarray(0, upload.payload.length - 60),
      upload.headers,
    );
    expectProblem(truncated, 400);
    const imported = await request(t.app, opAdmin, 'POST', '/api/v1/members/import', upload.payload, {
      'content-type': 'multipart/form-data',
    });
    expectProblem(imported, 400);
  });

  // With the web app built (dist/web), the SPA fallback's wildcard matched such a path and the router
  // never reported the too-long parameter: the not-found handler now answers the 414 itself.
  it('answers a path segment too long for the router with a French problem (414)', async () => {
    const response = await request(t.app, opAdmin, 'GET', `/api/v1/members/${'x'.repeat(1000)}`);
    expect(expectProblem(response, 414).title).toBe('Adresse trop longue');
  });

  it('answers a 100 kB query string with a French problem (431), over real HTTP', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${port}/api/v1/members?q=${'a'.repeat(100_000)}`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
        );
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, title: 'Requête trop longue' });
  });
});

describe('concurrent duplicate creations', () => {
  const race = async (session: Session, url: string, body: unknown) => {
    const responses = await Promise.all([
      request(t.app, session, 'POST', url, body),
      request(t.app, session, 'POST', url, body),
    ]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses, responses.map((r) => r.body).join('\n')).toEqual([201, 409]);
    const loser = responses.find((r) => r.statusCode === 409);
    if (loser) expect(loser.headers['content-type']).toContain('application/problem+json');
  };

  it('one catalogue service is created, the other request gets 409', async () => {
    await race(opAdmin, '/api/v1/catalogue/services', {
      code: 'COURSE',
      domain: 'rgpd',
      name: 'Service en double',
      eligibleKinds: ['commune'],
    });
  });

  it('one RGPD template is created, the other request gets 409', async () => {
    await race(dpo, '/api/v1/rgpd/templates', {
      code: 'course-modele',
      name: 'Modèle en double',
      fields: { name: 'Traitement type' },
    });
  });
});
