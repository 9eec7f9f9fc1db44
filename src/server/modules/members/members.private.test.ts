import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, MemberDocument, MembershipEvent } from '../../../contracts/members.js';
import { auditEvents, organisations } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart, type Page, type ProblemBody, tinyPdf } from '../../test/bodies.js';
import { buildOrganisation, buildSignedInCast, sessionAs } from '../../test/builders.js';

const MAX_BYTES = 64 * 1024;
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
  cast = await buildSignedInCast(t);
});
afterAll(() => t?.close());

function upload(
  session: Session | null,
  memberId: string,
  fields: Record<string, string>,
  file?: Parameters<typeof multipart>[1],
) {
  const { payload, headers } = multipart(fields, file);
  return request(t.app, session, 'POST', `/api/v1/members/${memberId}/documents`, payload, headers);
}

const deliberation = { kind: 'deliberation', title: "Délibération d'adhésion", documentDate: '2026-03-12' };

describe('contacts', () => {
  let contactId: string;
  const url = () => `/api/v1/members/${cast.memberA.id}/contacts`;

  it('lets the member admin add a contact, normalising email and phone', async () => {
    const response = await request(t.app, cast.adminA, 'POST', url(), {
      role: 'referent_rgpd',
      firstName: 'Claire',
      lastName: 'Martin',
      email: 'Claire.Martin@Mairie.example',
      phone: '02 51 00 00 00',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      memberId: cast.memberA.id,
      email: 'claire.martin@mairie.example',
      phone: '0251000000',
    });
    contactId = response.json().id;
  });

  it('lets the operator agent add one and every user of the member read them', async () => {
    const added = await request(t.app, cast.operatorAgent, 'POST', url(), {
      role: 'maire_president',
      firstName: 'Paul',
      lastName: 'Durand',
    });
    expect(added.statusCode).toBe(201);
    const list = await request(t.app, cast.readerA, 'GET', url());
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    expect(list.json<Page<Contact>>().items.map((c) => c.role)).toEqual(['maire_president', 'referent_rgpd']);
  });

  it('updates and deletes a contact', async () => {
    const patched = await request(t.app, cast.adminA, 'PATCH', `${url()}/${contactId}`, {
      phone: '+33 6 12 34 56 78',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().phone).toBe('+33612345678');
    const deleted = await request(t.app, cast.operatorAdmin, 'DELETE', `${url()}/${contactId}`);
    expect(deleted.statusCode).toBe(204);
    expect((await request(t.app, cast.adminA, 'DELETE', `${url()}/${contactId}`)).statusCode).toBe(404);
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, contactId));
    expect(audit.map((a) => a.action).sort()).toEqual([
      'member.contact_created',
      'member.contact_deleted',
      'member.contact_updated',
    ]);
    expect(JSON.stringify(audit)).not.toContain('Martin');
  });

  it('answers 400 with field paths for a bad email, phone or role', async () => {
    const response = await request(t.app, cast.adminA, 'POST', url(), {
      role: 'tresorier',
      firstName: 'A',
      lastName: 'B',
      email: 'pas-un-email',
      phone: '123',
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json<ProblemBody>()
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['body.email', 'body.phone', 'body.role']);
  });

  it('answers 401 anonymously, 403 to readers writing and to another member', async () => {
    const body = { role: 'referent_numerique', firstName: 'A', lastName: 'B' };
    expect((await request(t.app, null, 'GET', url())).statusCode).toBe(401);
    expect((await request(t.app, cast.readerA, 'POST', url(), body)).statusCode).toBe(403);
    expect((await request(t.app, cast.agentA, 'POST', url(), body)).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'GET', url())).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'POST', url(), body)).statusCode).toBe(403);
  });

  it('does not let a member reach another member’s contact through its own URL', async () => {
    const other = await request(
      t.app,
      cast.operatorAdmin,
      'POST',
      `/api/v1/members/${cast.memberB.id}/contacts`,
      {
        role: 'referent_rgpd',
        firstName: 'Zoé',
        lastName: 'Autre',
      },
    );
    const otherId = other.json().id;
    const response = await request(t.app, cast.adminA, 'PATCH', `${url()}/${otherId}`, {
      firstName: 'Pirate',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('documents', () => {
  let documentId: string;

  it('stores a real PDF with its hash under the member’s key, and lists it', async () => {
    const pdf = tinyPdf();
    const response = await upload(cast.adminA, cast.memberA.id, deliberation, {
      name: 'Délibération 2026-12.pdf',
      data: pdf,
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      kind: 'deliberation',
      title: "Délibération d'adhésion",
      fileName: 'Délibération 2026-12.pdf',
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: crypto.createHash('sha256').update(pdf).digest('hex'),
      documentDate: '2026-03-12',
    });
    documentId = body.id;
    expect([...t.storage.objects.keys()]).toContain(`members/${cast.memberA.id}/${documentId}.pdf`);
    const list = await request(t.app, cast.readerA, 'GET', `/api/v1/members/${cast.memberA.id}/documents`);
    expect(list.json<Page<MemberDocument>>().items.map((d) => d.id)).toEqual([documentId]);
  });

  it('downloads it with its name in Content-Disposition', async () => {
    const response = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      `/api/v1/members/${cast.memberA.id}/documents/${documentId}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(
      "filename*=UTF-8''D%C3%A9lib%C3%A9ration%202026-12.pdf",
    );
    expect(response.rawPayload.equals(tinyPdf())).toBe(true);
  });

  it('refuses a file that is not a PDF whatever its name, and keeps nothing', async () => {
    const before = t.storage.objects.size;
    const renamed = await upload(cast.adminA, cast.memberA.id, deliberation, {
      name: 'deliberation.pdf',
      data: Buffer.from('PK\u0003\u0004 this is a zip, not a PDF, whatever the extension says'),
    });
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json().detail).toContain("n'est pas un PDF valide");
    const truncated = await upload(cast.adminA, cast.memberA.id, deliberation, {
      name: 'tronque.pdf',
      data: tinyPdf().subarray(0, 120),
    });
    expect(truncated.statusCode).toBe(415);
    expect(t.storage.objects.size).toBe(before);
  });

  it('answers 413 with a French message above the configured size', async () => {
    const response = await upload(cast.adminA, cast.memberA.id, deliberation, {
      name: 'gros.pdf',
      data: tinyPdf(MAX_BYTES + 10),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().title).toBe('Fichier trop volumineux');
    expect(response.json().detail).toContain('taille maximale');
  });

  it('answers 400 with field paths for missing fields and a missing file', async () => {
    const response = await upload(cast.adminA, cast.memberA.id, {
      kind: 'facture',
      documentDate: '12/03/2026',
    });
    expect(response.statusCode).toBe(400);
    expect([...new Set(response.json<ProblemBody>().errors.map((e) => e.path))].sort()).toEqual([
      'body.documentDate',
      'body.file',
      'body.kind',
      'body.title',
    ]);
    const json = await request(t.app, cast.adminA, 'POST', `/api/v1/members/${cast.memberA.id}/documents`, {
      a: 1,
    });
    expect(json.statusCode).toBe(400);
  });

  it('answers 401 anonymously, 403 to readers uploading and to another member', async () => {
    const file = { name: 'a.pdf', data: tinyPdf() };
    expect((await upload(null, cast.memberA.id, deliberation, file)).statusCode).toBe(401);
    expect((await upload(cast.readerA, cast.memberA.id, deliberation, file)).statusCode).toBe(403);
    expect((await upload(cast.adminB, cast.memberA.id, deliberation, file)).statusCode).toBe(403);
    const url = `/api/v1/members/${cast.memberA.id}/documents`;
    expect((await request(t.app, cast.adminB, 'GET', url)).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'GET', `${url}/${documentId}`)).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', `${url}/${documentId}`)).statusCode).toBe(401);
  });

  it('answers 404 for a document of another member asked under one’s own member', async () => {
    const response = await request(
      t.app,
      cast.adminB,
      'GET',
      `/api/v1/members/${cast.memberB.id}/documents/${documentId}`,
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('membership lifecycle', () => {
  let member: typeof organisations.$inferSelect;
  let admin: Session;
  let deliberationId: string;
  const transition = (session: Session | null, body: Record<string, unknown>) =>
    request(t.app, session, 'POST', `/api/v1/members/${member.id}/transitions`, body);

  beforeAll(async () => {
    member = await buildOrganisation(t.database.db, { name: 'Commune candidate', status: 'prospect' });
    admin = await sessionAs(t, member, 'admin', [], 'Maire Candidate');
    const uploaded = await upload(admin, member.id, deliberation, { name: 'adhesion.pdf', data: tinyPdf() });
    deliberationId = uploaded.json().id;
  });

  it('refuses an illegal step with a clear French message', async () => {
    const response = await transition(cast.operatorAdmin, { to: 'member', effectiveOn: '2026-04-01' });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toContain('Impossible de passer de « Prospect » à « Adhérent »');
  });

  it('requires the délibération to request membership, and a délibération of this member', async () => {
    const missing = await transition(admin, { to: 'requested', effectiveOn: '2026-03-12' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('body.documentId');
    const foreign = await upload(cast.adminB, cast.memberB.id, deliberation, {
      name: 'b.pdf',
      data: tinyPdf(),
    });
    const other = await transition(admin, {
      to: 'requested',
      effectiveOn: '2026-03-12',
      documentId: foreign.json().id,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].path).toBe('body.documentId');
  });

  it('answers 400 with the field path for a malformed date', async () => {
    const response = await transition(admin, {
      to: 'requested',
      effectiveOn: '12/03/2026',
      documentId: deliberationId,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.effectiveOn');
  });

  it('walks prospect → requested (member admin) → accepted → member (operator admin)', async () => {
    const requested = await transition(admin, {
      to: 'requested',
      effectiveOn: '2026-03-12',
      documentId: deliberationId,
    });
    expect(requested.statusCode, requested.body).toBe(201);
    expect(requested.json()).toMatchObject({
      fromStatus: 'prospect',
      toStatus: 'requested',
      document: { id: deliberationId, title: "Délibération d'adhésion" },
      actor: { displayName: 'Maire Candidate' },
    });
    const byMember = await transition(admin, {
      to: 'accepted',
      effectiveOn: '2026-04-02',
      decisionReference: 'CS-2026-07',
    });
    expect(byMember.statusCode).toBe(403);
    const accepted = await transition(cast.operatorAdmin, {
      to: 'accepted',
      effectiveOn: '2026-04-02',
      decisionReference: 'CS-2026-07',
    });
    expect(accepted.statusCode).toBe(201);
    const adherent = await transition(cast.operatorAdmin, { to: 'member', effectiveOn: '2026-05-01' });
    expect(adherent.statusCode).toBe(201);
    const [row] = await t.database.db.select().from(organisations).where(eq(organisations.id, member.id));
    expect(row.status).toBe('member');
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.memberId, member.id));
    expect(audit.filter((a) => a.action === 'member.status_changed')).toHaveLength(3);
  });

  it('lists the dated, attributed history, newest first', async () => {
    const response = await request(t.app, admin, 'GET', `/api/v1/members/${member.id}/history`);
    expect(response.statusCode).toBe(200);
    const items = response.json<Page<MembershipEvent>>().items;
    expect(items.map((e) => e.toStatus)).toEqual(['member', 'accepted', 'requested']);
    expect(items[1]).toMatchObject({
      effectiveOn: '2026-04-02',
      decisionReference: 'CS-2026-07',
      actor: { displayName: 'Alex Opérateur' },
    });
  });

  it('answers 401 anonymously and 403 to operator agents, readers and other members', async () => {
    const body = { to: 'withdrawal_requested', effectiveOn: '2026-06-01', documentId: deliberationId };
    expect((await transition(null, body)).statusCode).toBe(401);
    expect((await transition(cast.operatorAgent, body)).statusCode).toBe(403);
    expect((await transition(cast.adminB, body)).statusCode).toBe(403);
    const reader = await sessionAs(t, member, 'reader');
    expect((await transition(reader, body)).statusCode).toBe(403);
    const url = `/api/v1/members/${member.id}/history`;
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminB, 'GET', url)).statusCode).toBe(403);
  });

  it('lets the operator refuse a request with a reason, back to prospect', async () => {
    const candidate = await buildOrganisation(t.database.db, { status: 'requested' });
    const url = `/api/v1/members/${candidate.id}/transitions`;
    const noReason = await request(t.app, cast.operatorAdmin, 'POST', url, {
      to: 'prospect',
      effectiveOn: '2026-04-02',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('body.note');
    const refused = await request(t.app, cast.operatorAdmin, 'POST', url, {
      to: 'prospect',
      effectiveOn: '2026-04-02',
      note: 'Hors du périmètre du syndicat',
    });
    expect(refused.statusCode).toBe(201);
  });
});
