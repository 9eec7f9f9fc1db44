import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { MemoryActsConnector } from '../modules/acts/acts.test-support.js';
import { TRANSMISSION_SERVICE_CODE } from '../modules/acts/acts.transmission.service.js';
import { buildService } from '../modules/catalogue/catalogue.test-support.js';
import { QUESTIONS } from '../modules/cyber/rules/questionnaire.js';
import { buildGovernanceMatrixFixtures } from '../modules/governance/governance.test-support.js';
import { buildFeeRule, buildPool } from '../modules/pricing/pricing.test-support.js';
import { buildSubscription } from '../modules/subscriptions/subscriptions.test-support.js';
import { createSession, hashToken, newToken } from '../platform/auth/session.js';
import {
  accessRequests,
  actMessages,
  acts,
  apiTokens,
  invoices,
  jobs,
  organisations,
  outboxMails,
  rgpdEditors,
  sessions,
  trainingRegistrations,
  trainingSessions,
  trainingSurveys,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from '../platform/db/schema.js';
import { renderPdf } from '../seed/pdf.js';
import { request, type Session, type TestApp } from './app.js';
import type { ActorName, Fixtures, Method } from './authorisation-matrix.table.js';
import { multipart, tinyPdf } from './bodies.js';
import { buildOperator, buildOrganisation, buildUser, sessionAs, TEST_PASSWORD } from './builders.js';

/**
 * The fixtures of the authorisation matrix (authorisation-matrix.test.ts), shared with the fuzz pass
 * (fuzz.test.ts): an operator and two members, the cast of authorisation-matrix.table.ts signed in,
 * and one of every resource the routes act on, member A's private data marked with SECRET.
 */

/** A word found only in member A's private data: it must never reach anyone outside A and the operator. */
export const SECRET = 'Zorglub';

export type MatrixSessions = Record<Exclude<ActorName, 'anonymous'>, Session>;
export interface MatrixFixtures {
  f: Fixtures;
  sessionsOf: MatrixSessions;
}

/** A session for `userId`, made in the sessions table (no login round trip). */
export async function sessionFor(
  t: TestApp,
  userId: string,
  currentMemberId: string | null,
): Promise<Session> {
  const db = t.database.db;
  const { token } = await createSession(db, userId, currentMemberId, 1);
  const [row] = await db
    .select({ csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(eq(sessions.id, hashToken(token)));
  return { cookie: `socle_session=${token}`, csrfToken: row.csrfToken, userId };
}

async function created(
  t: TestApp,
  session: Session,
  method: Method,
  url: string,
  body?: unknown,
  status = 201,
) {
  const response = await request(t.app, session, method, url, body);
  if (response.statusCode !== status) {
    throw new Error(`fixture ${method} ${url}: ${response.statusCode} ${response.body}`);
  }
  return response.json();
}

const tokenSentTo = (t: TestApp, email: string) => {
  const mail = t.mail.delivered.findLast((m) => m.to === email);
  const token = mail && /jeton=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no link mailed to ${email}`);
  return token;
};

export async function buildMatrixFixtures(t: TestApp): Promise<MatrixFixtures> {
  const db = t.database.db;
  const year = new Date().getUTCFullYear();
  const operator = await buildOperator(db);
  // Invoices need SIRETs and the operator's address.
  const siret = (siren: string) => withLuhnDigit(`${siren}0001`);
  await db
    .update(organisations)
    .set({ siret: siret(operator.siren), address: '10 rue du Test', postalCode: '85000', city: 'Test' })
    .where(eq(organisations.id, operator.id));
  const memberA = await buildOrganisation(db, {
    name: 'Commune A de la matrice',
    siren: '200000016',
    siret: siret('200000016'),
    address: `1 rue ${SECRET}`,
    status: 'member',
  });
  const memberB = await buildOrganisation(db, {
    name: 'Commune B de la matrice',
    siren: '200000024',
    siret: siret('200000024'),
    status: 'member',
  });

  const noOrg = await buildUser(db, { displayName: 'Sans Structure' });
  const multiOrg = await buildUser(db, {
    displayName: 'Secrétaire A et B',
    roles: [
      { organisation: memberA, role: 'admin' },
      { organisation: memberB, role: 'reader' },
    ],
  });
  const sessionsOf: MatrixSessions = {
    noOrg: await sessionFor(t, noOrg.id, null),
    opAdmin: await sessionAs(t, operator, 'admin', [], 'Opérateur Admin'),
    opDpo: await sessionAs(t, operator, 'agent', ['dpo'], 'Opérateur DPO'),
    opFinance: await sessionAs(t, operator, 'agent', ['finance'], 'Opérateur Finances'),
    opAgent: await sessionAs(t, operator, 'agent', ['support'], 'Opérateur Assistance'),
    opDemat: await sessionAs(t, operator, 'agent', ['demat'], 'Opérateur Dématérialisation'),
    opCyber: await sessionAs(t, operator, 'agent', ['cyber'], 'Opérateur Cybersécurité'),
    opHosting: await sessionAs(t, operator, 'agent', ['hosting'], 'Opérateur Hébergement'),
    adminA: await sessionAs(t, memberA, 'admin', [], 'Admin A'),
    agentA: await sessionAs(t, memberA, 'agent', [], 'Agent A'),
    readerA: await sessionAs(t, memberA, 'reader', [], 'Lecteur A'),
    actesA: await sessionAs(t, memberA, 'actes', [], 'Actes A'),
    editorA: await sessionAs(t, memberA, 'agent', [], 'Éditeur RGPD A'),
    cyberA: await sessionAs(t, memberA, 'cyber', [], 'Référent sécurité A'),
    adminB: await sessionAs(t, memberB, 'admin', [], 'Admin B'),
    multiOrg: await sessionFor(t, multiOrg.id, memberB.id),
  };
  const s = sessionsOf;
  const removableA = await buildUser(db, { roles: [{ organisation: memberA, role: 'agent' }] });
  const editor2A = await buildUser(db, { roles: [{ organisation: memberA, role: 'agent' }] });
  await db.insert(rgpdEditors).values([
    { memberId: memberA.id, userId: s.editorA.userId },
    { memberId: memberA.id, userId: editor2A.id },
  ]);
  const spareLogin = await buildUser(db, { email: 'connexion@matrice.example' });
  await buildUser(db, { email: 'oubli@matrice.example' });

  // Catalogue, subscriptions, prices, and one invoice for each member.
  const open = await buildService(db, { name: 'Service ouvert' });
  const units = await buildService(db, { name: 'Service à l’unité', unitLabel: 'agents' });
  const toRequest = await buildService(db, { name: 'Service à demander' });
  const toSubscribe = await buildService(db, { name: 'Service souscrit par l’opérateur' });
  const toAccept = await buildService(db, { name: 'Service demandé' });
  const toRefuse = await buildService(db, { name: 'Service à refuser' });
  const ending = await buildService(db, { name: 'Service en résiliation' });
  await buildPool(db, { serviceId: open.id, year });
  await buildPool(db, { serviceId: units.id, year, rule: { kind: 'units', unitLabel: 'agents' } });
  await buildFeeRule(db, year);
  const base = { memberId: memberA.id };
  const subscriptions = {
    active: (await buildSubscription(db, { ...base, serviceId: open.id })).id,
    units: (await buildSubscription(db, { ...base, serviceId: units.id, units: 5 })).id,
    requested: (await buildSubscription(db, { ...base, serviceId: toAccept.id, status: 'requested' })).id,
    toRefuse: (await buildSubscription(db, { ...base, serviceId: toRefuse.id, status: 'requested' })).id,
    terminating: (
      await buildSubscription(db, {
        ...base,
        serviceId: ending.id,
        status: 'termination_requested',
        endDate: `${year}-12-31`,
      })
    ).id,
  };
  await buildSubscription(db, { memberId: memberB.id, serviceId: open.id });
  await created(t, s.opFinance, 'POST', '/api/v1/billing/runs', { year, mode: 'issue', force: true });
  const invoiceOf = async (memberId: string) => {
    const [row] = await db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.memberId, memberId), eq(invoices.year, year)));
    return row.id;
  };

  // Member A's private data, each piece marked with the secret word.
  const a = `/api/v1/members/${memberA.id}`;
  const contact = (lastName: string) => ({ role: 'maire_president', firstName: 'Dominique', lastName });
  const contactA = (await created(t, s.adminA, 'POST', `${a}/contacts`, contact(`${SECRET}-Contact`))).id;
  const contactToDelete = (await created(t, s.adminA, 'POST', `${a}/contacts`, contact(`${SECRET}-Ancien`)))
    .id;
  const upload = multipart(
    { kind: 'deliberation', title: `${SECRET}-Délibération` },
    { name: 'deliberation.pdf', data: tinyPdf() },
  );
  const document = await request(t.app, s.adminA, 'POST', `${a}/documents`, upload.payload, upload.headers);
  if (document.statusCode !== 201) throw new Error(`fixture document: ${document.body}`);

  const invite = (email: string) =>
    created(t, s.adminA, 'POST', `${a}/invitations`, { email, role: 'reader' });
  await invite('vue@matrice.example');
  await invite('acceptation@matrice.example');
  const invitationA = (await invite('revocation@matrice.example')).id;
  await created(t, s.adminA, 'POST', '/api/v1/auth/password-reset', { email: 'oubli@matrice.example' }, 202);
  const [mail] = await db.select({ id: outboxMails.id }).from(outboxMails).limit(1);
  const outboxMailWithFile = await t.app.mailer.send(db, {
    to: 'piece-jointe@matrice.example',
    subject: 'Courriel avec pièce jointe',
    text: 'Voir la pièce jointe.',
    attachments: [{ fileName: 'attestation.pdf', contentType: 'application/pdf', content: tinyPdf() }],
  });
  // No runner knows this name: the job stays where the matrix puts it.
  const [deadJob] = await db
    .insert(jobs)
    .values({ name: 'matrice.test', state: 'dead', attempts: 5, lastError: 'échec', finishedAt: new Date() })
    .returning({ id: jobs.id });

  const processing = (name: string) => ({ name, purposes: `Finalités ${SECRET}.` });
  const processingA = (await created(t, s.adminA, 'POST', `${a}/processings`, processing(`${SECRET}-Paie`)))
    .id;
  const processingToDelete = (
    await created(t, s.adminA, 'POST', `${a}/processings`, processing(`${SECRET}-Ancien`))
  ).id;
  const template = await created(t, s.opDpo, 'POST', '/api/v1/rgpd/templates', {
    code: 'matrice-modele',
    name: 'Modèle de la matrice',
    fields: { name: 'Traitement type' },
  });
  const applied = await created(
    t,
    s.opDpo,
    'POST',
    `/api/v1/rgpd/templates/${template.id}/apply`,
    { memberIds: [memberA.id] },
    200,
  );
  const templateToAdopt = await created(t, s.opDpo, 'POST', '/api/v1/rgpd/templates', {
    code: 'matrice-a-adopter',
    name: 'Modèle à adopter',
    fields: { name: 'Traitement à adopter' },
  });
  const processor = (name: string) => created(t, s.opDpo, 'POST', '/api/v1/rgpd/processors', { name });
  await created(t, s.adminA, 'PUT', `${a}/rgpd/designation`, { cnilNumber: `${SECRET}-CNIL` }, 200);
  const rightsRequest = await created(t, s.adminA, 'POST', `${a}/rights-requests`, {
    type: 'access',
    requesterName: `${SECRET}-Demandeur`,
    receivedOn: new Date().toISOString().slice(0, 10),
  });
  const breach = await created(t, s.adminA, 'POST', `${a}/breaches`, {
    awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    nature: ['confidentiality'],
    dataDescription: `${SECRET}-Violation`,
    riskLevel: 'none',
    cnilNotificationRequired: false,
    notificationReason: 'Aucun risque pour les personnes.',
  });
  const dpoRequest = await created(t, s.adminA, 'POST', `${a}/rgpd/dpo-requests`, {
    message: `${SECRET}-Notre registre est vide`,
  });

  const actsOfA = await buildActFixtures(t, s.adminA, memberA.id);
  const cyberOfA = await buildCyberFixtures(t, s.adminA, s.opAdmin, memberA.id);
  const supportOfA = await buildSupportFixtures(t, s.adminA, s.opAdmin, memberA.id, cyberOfA.incidentA);

  const f: Fixtures = {
    year,
    operatorId: operator.id,
    A: memberA.id,
    B: memberB.id,
    users: {
      readerA: s.readerA.userId,
      editorA: s.editorA.userId,
      opAgent: s.opAgent.userId,
      removableA: removableA.id,
      editor2A: editor2A.id,
    },
    spare: { loginEmail: spareLogin.email, password: TEST_PASSWORD },
    tokens: {
      invitationView: tokenSentTo(t, 'vue@matrice.example'),
      invitationAccept: tokenSentTo(t, 'acceptation@matrice.example'),
      passwordReset: tokenSentTo(t, 'oubli@matrice.example'),
    },
    invitationA,
    outboxMail: mail.id,
    outboxMailWithFile,
    deadJob: deadJob.id,
    contactA,
    contactToDelete,
    documentA: document.json().id,
    services: { open: open.id, units: units.id, toRequest: toRequest.id, toSubscribe: toSubscribe.id },
    subscriptions,
    invoiceA: await invoiceOf(memberA.id),
    invoiceB: await invoiceOf(memberB.id),
    processingA,
    processingFromTemplate: applied.members[0].processingId,
    processingToDelete,
    templateId: template.id,
    templateToAdopt: templateToAdopt.id,
    processorId: (await processor('Sous-traitant partagé')).id,
    processorToDelete: (await processor('Sous-traitant à supprimer')).id,
    rightsRequestA: rightsRequest.id,
    breachA: breach.id,
    dpoRequestA: dpoRequest.id,
    acts: actsOfA,
    governance: await buildGovernanceMatrixFixtures(db, operator.id, t.storage),
    cyber: cyberOfA,
    connect: await buildConnectFixtures(t, memberA.id, operator.id, s.adminA.userId, s.opAdmin.userId),
    hosting: await buildHostingFixtures(t, s.opAdmin, memberA.id, subscriptions.active, open.id, units.id),
    support: supportOfA,
    webhooks: await buildWebhookFixtures(t, operator.id, memberA.id, s.adminA.userId),
  };
  return { f, sessionsOf };
}

/**
 * An instance of A on its active subscription, an open status incident, and the continuity plan of a
 * service A subscribes to and B does not, with two documents (one to remove).
 */
async function buildHostingFixtures(
  t: TestApp,
  opAdmin: Session,
  memberId: string,
  subscriptionId: string,
  serviceId: string,
  planServiceId: string,
): Promise<Fixtures['hosting']> {
  const plans = `/api/v1/hosting/services/${planServiceId}/continuity-plan`;
  await created(t, opAdmin, 'PUT', plans, { rtoMinutes: 60, rpoMinutes: 60, procedures: 'Bascule.' }, 200);
  const attach = async (name: string) => {
    const upload = multipart({}, { name, data: tinyPdf() });
    const response = await request(
      t.app,
      opAdmin,
      'POST',
      `${plans}/documents`,
      upload.payload,
      upload.headers,
    );
    if (response.statusCode !== 201) throw new Error(`fixture continuity document: ${response.body}`);
    return response.json().id as string;
  };
  const documentA = await attach(`${SECRET}-procedure.pdf`);
  const documentToDelete = await attach('procedure-a-retirer.pdf');
  const instance = await created(t, opAdmin, 'POST', `/api/v1/members/${memberId}/instances`, {
    subscriptionId,
    name: `${SECRET}-Instance`,
    software: 'Logiciel',
    softwareVersion: '1.0',
    datacentre: 'DC',
    region: 'Région',
    provider: 'Hébergeur',
    rtoMinutes: 60,
    rpoMinutes: 60,
  });
  const incident = await created(t, opAdmin, 'POST', '/api/v1/hosting/incidents', {
    serviceIds: [serviceId],
    title: 'Incident ouvert',
    state: 'degraded',
    message: 'Analyse.',
  });
  // Two pending requests for more seats, on per-unit subscriptions of their own (one pending per
  // subscription: the more-seats row keeps the units fixture's subscription free).
  const seatRequest = async (name: string) => {
    const service = await buildService(t.database.db, { name, unitLabel: 'licences' });
    const subscription = await buildSubscription(t.database.db, {
      memberId,
      serviceId: service.id,
      units: 5,
    });
    return (
      await created(
        t,
        opAdmin,
        'POST',
        `/api/v1/members/${memberId}/licences/${subscription.id}/more-seats`,
        {
          additional: 2,
        },
      )
    ).id as string;
  };
  const toApprove = await seatRequest('Logiciel à licences (accord)');
  const toRefuse = await seatRequest('Logiciel à licences (refus)');
  return {
    instanceA: instance.id,
    incident: incident.id,
    seatRequest: toApprove,
    seatRequestToRefuse: toRefuse,
    planService: planServiceId,
    documentA,
    documentToDelete,
  };
}

/**
 * Endpoints of A and of the operator, each with a failed delivery to replay, and one of each to
 * delete. Written in the tables: their address (a private one, refused at once when a replay tries
 * it) would not pass the routes' guard, and the matrix must not reach the network.
 */
async function buildWebhookFixtures(
  t: TestApp,
  operatorId: string,
  memberA: string,
  adminA: string,
): Promise<Fixtures['webhooks']> {
  const db = t.database.db;
  const endpoint = async (memberId: string, allMembers: boolean) => {
    const [row] = await db
      .insert(webhookEndpoints)
      .values({
        memberId,
        allMembers,
        url: 'https://10.0.0.1/matrice',
        events: ['ticket.answered'],
        secret: `whsec_${SECRET}`,
        createdBy: adminA,
      })
      .returning();
    if (!row) throw new Error('no endpoint');
    return row.id;
  };
  const delivery = async (endpointId: string, ownerId: string) => {
    const eventId = crypto.randomUUID();
    await db.insert(webhookEvents).values({
      id: eventId,
      type: 'ticket.answered',
      memberId: memberA,
      data: { note: SECRET },
      occurredAt: new Date(),
    });
    const [row] = await db
      .insert(webhookDeliveries)
      .values({ endpointId, eventId, memberId: ownerId, status: 'failed', attempts: 11, responseStatus: 500 })
      .returning();
    if (!row) throw new Error('no delivery');
    return row.id;
  };
  const webhookA = await endpoint(memberA, false);
  const operatorWebhook = await endpoint(operatorId, true);
  return {
    webhookA,
    deliveryA: await delivery(webhookA, memberA),
    webhookToDeleteA: await endpoint(memberA, false),
    operatorWebhook,
    operatorDelivery: await delivery(operatorWebhook, operatorId),
    operatorWebhookToDelete: await endpoint(operatorId, true),
  };
}

/** Member A's inventory, diagnostic, an advisory affecting it (and its remediation), an incident. */
async function buildCyberFixtures(
  t: TestApp,
  adminA: Session,
  opAdmin: Session,
  memberId: string,
): Promise<Fixtures['cyber']> {
  const a = `/api/v1/members/${memberId}`;
  const item = await created(t, adminA, 'POST', `${a}/inventory`, {
    kind: 'software',
    name: `${SECRET}-Pare-feu`,
    vendor: 'Matrice Networks',
    product: 'MatriceOS',
    version: '1.2.3',
  });
  const toDelete = await created(t, adminA, 'POST', `${a}/inventory`, {
    kind: 'server',
    name: 'Serveur retiré',
  });
  const diagnostic = await created(t, adminA, 'POST', `${a}/diagnostics`, {
    answers: Object.fromEntries(QUESTIONS.map((q) => [q.id, 'partial'])),
  });
  const advisory = await created(t, opAdmin, 'POST', '/api/v1/cyber/advisories/manual', {
    title: 'Faille de MatriceOS',
    reference: 'MATRICE-2026-001',
    severity: 'critical',
    products: [{ vendor: 'Matrice Networks', product: 'MatriceOS', versionRange: 'vers:semver/<2.0.0' }],
  });
  const detail = await request(t.app, adminA, 'GET', `${a}/advisories/${advisory.id}`);
  const incident = await created(t, adminA, 'POST', `${a}/incidents`, {
    category: 'ransomware',
    detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
    personalData: false,
    description: `${SECRET}-Incident`,
  });
  return {
    itemA: item.id,
    itemToDelete: toDelete.id,
    diagnosticA: diagnostic.id,
    advisory: advisory.id,
    remediationA: detail.json().remediations[0].id,
    incidentA: incident.id,
  };
}

/** Member A's tickets: one open (SECRET in its subject), two resolved, one to resolve. */
async function buildSupportFixtures(
  t: TestApp,
  adminA: Session,
  opAdmin: Session,
  memberId: string,
  cyberIncidentA: string,
): Promise<Fixtures['support']> {
  const open = (subject: string) =>
    created(t, adminA, 'POST', `/api/v1/members/${memberId}/tickets`, { subject, description: 'Détails.' });
  const ticket = await open(`${SECRET}-Ticket`);
  const resolved = await open('Ticket résolu');
  const toReopen = await open('Ticket à rouvrir');
  const toResolve = await open('Ticket à résoudre');
  for (const id of [resolved.id, toReopen.id]) {
    await created(t, opAdmin, 'POST', `/api/v1/support/tickets/${id}/resolve`, { resolution: 'Fait.' }, 200);
  }
  const session = await created(t, opAdmin, 'POST', '/api/v1/trainings/sessions', {
    title: 'Formation de la matrice',
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString(),
    place: 'Maison des communes',
    capacity: 100,
  });
  const registration = await created(
    t,
    adminA,
    'POST',
    `/api/v1/trainings/sessions/${session.id}/registrations`,
    {
      memberId,
      name: 'Dominique Inscrite',
      email: 'dominique.inscrite@commune.example',
    },
  );
  const article = await created(t, opAdmin, 'POST', '/api/v1/support/articles', {
    title: 'Article public de la matrice',
    body: 'Texte public.',
  });
  // Desk: a file on ticketA, a duplicate to merge into it, a link of it to A's cyber incident.
  const upload = multipart({}, { name: 'piece.pdf', data: tinyPdf() });
  const withFile = await request(
    t.app,
    adminA,
    'POST',
    `/api/v1/members/${memberId}/tickets/${ticket.id}/attachments`,
    upload.payload,
    upload.headers,
  );
  if (withFile.statusCode !== 201) throw new Error(`fixture ticket attachment: ${withFile.body}`);
  const duplicate = await open('Doublon à fusionner');
  const linked = await created(t, opAdmin, 'POST', `/api/v1/support/tickets/${ticket.id}/links`, {
    kind: 'cyber_incident',
    incidentId: cyberIncidentA,
  });
  const articleToDelete = await created(t, opAdmin, 'POST', '/api/v1/support/articles', {
    title: 'Article à supprimer',
    body: 'Texte.',
  });
  // A session held last week: A's person attended it and holds a survey link (training follow-up); the
  // link shows her name to its holder, so no SECRET in it.
  const db = t.database.db;
  const heldAt = new Date(Date.now() - 7 * 86_400_000);
  const [held] = await db
    .insert(trainingSessions)
    .values({
      title: 'Formation passée de la matrice',
      audience: 'tous',
      startsAt: heldAt,
      endsAt: new Date(heldAt.getTime() + 3_600_000),
      place: 'Maison des communes',
      capacity: 10,
      registrationDeadline: heldAt,
      attendanceRecordedAt: new Date(),
    })
    .returning({ id: trainingSessions.id });
  const [attended] = await db
    .insert(trainingRegistrations)
    .values({
      memberId,
      sessionId: held.id,
      name: 'Dominique Présente',
      email: 'presente@commune.example',
      status: 'confirmed',
      attended: true,
    })
    .returning({ id: trainingRegistrations.id });
  const surveyToken = newToken();
  await db.insert(trainingSurveys).values({
    memberId,
    sessionId: held.id,
    registrationId: attended.id,
    tokenHash: hashToken(surveyToken),
  });
  return {
    attachmentA: withFile.json().attachments[0].id,
    duplicateA: duplicate.id,
    linkA: linked.links[0].id,
    article: article.id,
    articleToDelete: articleToDelete.id,
    heldSession: held.id,
    attendedA: attended.id,
    surveyToken,
    ticketA: ticket.id,
    resolvedA: resolved.id,
    toReopenA: toReopen.id,
    toResolveA: toResolve.id,
    session: session.id,
    registrationA: registration.id,
  };
}

/**
 * Member A's acts at every stage the routes act on, A being subscribed to « Télétransmission des
 * actes » and the test app's tiers being the in-memory one.
 */
async function buildActFixtures(t: TestApp, adminA: Session, memberId: string): Promise<Fixtures['acts']> {
  const db = t.database.db;
  const connector = t.actsConnector;
  if (!(connector instanceof MemoryActsConnector)) throw new Error('the matrix needs the in-memory tiers');
  const service = await buildService(db, {
    code: TRANSMISSION_SERVICE_CODE,
    name: 'Télétransmission des actes',
  });
  await buildSubscription(db, { memberId, serviceId: service.id });
  const a = `/api/v1/members/${memberId}/acts`;
  const sessionOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  let n = 0;
  const act = async (subject: string, stage: 'draft' | 'ready' = 'draft') => {
    const { id } = await created(t, adminA, 'POST', a, {
      nature: 'DE',
      classification: '7.1',
      number: `MATRICE_${++n}`,
      decidedOn: sessionOn,
      sessionOn,
      subject,
    });
    const upload = multipart(
      { role: 'main' },
      { name: 'acte.pdf', data: renderPdf(subject, [{ text: subject }]) },
    );
    const main = await request(t.app, adminA, 'POST', `${a}/${id}/documents`, upload.payload, upload.headers);
    if (main.statusCode !== 201) throw new Error(`fixture act document: ${main.body}`);
    if (stage === 'ready') await created(t, adminA, 'POST', `${a}/${id}/ready`, undefined, 200);
    return { id: id as string, mainDocument: main.json().id as string };
  };
  /** Sends the act, then runs its first status poll at once. */
  const transmitted = async (subject: string, before?: (transactionId: string) => void) => {
    const { id } = await act(subject, 'ready');
    await created(t, adminA, 'POST', `${a}/${id}/transmit`, undefined, 202);
    const [row] = await db.select({ transactionId: acts.transactionId }).from(acts).where(eq(acts.id, id));
    if (!row?.transactionId) throw new Error('fixture act not sent');
    before?.(row.transactionId);
    await db
      .update(jobs)
      .set({ runAt: new Date() })
      .where(and(eq(jobs.name, 'acts.poll'), eq(jobs.state, 'pending')));
    await t.runJobs();
    return id;
  };
  const draft = await act(`${SECRET}-Délibération`);
  const published = await act('Délibération publiée de la matrice', 'ready');
  await created(t, adminA, 'POST', `${a}/${published.id}/publish`, undefined, 200);
  const withDemande = await transmitted(`${SECRET}-Demande`, (transactionId) =>
    connector.addMessage(transactionId, {
      id: 'DEMANDE1',
      kind: 'demande_pieces',
      receivedAt: new Date(),
      documents: [],
    }),
  );
  const [demande] = await db
    .select({ id: actMessages.id })
    .from(actMessages)
    .where(and(eq(actMessages.actId, withDemande), eq(actMessages.kind, 'demande_pieces')));
  if (!demande) throw new Error('fixture demande de pièces not recorded');
  return {
    draft: draft.id,
    mainDocument: draft.mainDocument,
    sessionOn,
    toMark: (await act(`${SECRET}-À marquer`)).id,
    ready: (await act(`${SECRET}-Prêt`, 'ready')).id,
    inBatch: (await act(`${SECRET}-Prêt, par lot`, 'ready')).id,
    toPublish: (await act('Délibération à publier de la matrice', 'ready')).id,
    acknowledged: await transmitted(`${SECRET}-Acquitté`),
    withDemande,
    demande: demande.id,
    failed: await transmitted(`${SECRET}-En erreur`, (transactionId) =>
      connector.refuse(transactionId, 'Pièce illisible'),
    ),
    published: published.id,
  };
}

/** A token of A (made by A's admin) and one of the operator, and two access requests of A. */
async function buildConnectFixtures(
  t: TestApp,
  memberId: string,
  operatorId: string,
  adminA: string,
  opAdmin: string,
): Promise<Fixtures['connect']> {
  const db = t.database.db;
  const token = async (organisation: string, userId: string, kind: 'member' | 'operator') => {
    const [row] = await db
      .insert(apiTokens)
      .values({
        memberId: organisation,
        kind,
        name: `Jeton ${SECRET}`,
        tokenHash: hashToken(newToken()),
        prefix: 'socle_matr',
        scopes: ['members:read'],
        userId,
        expiresOn: '2200-01-01',
      })
      .returning({ id: apiTokens.id });
    return row.id;
  };
  const request = async (sub: string) => {
    const [row] = await db
      .insert(accessRequests)
      .values({
        memberId,
        sub,
        email: `${sub}@matrice.example`,
        givenName: SECRET,
        usualName: 'Matrice',
        siret: '21850191400019',
      })
      .returning({ id: accessRequests.id });
    return row.id;
  };
  return {
    tokenA: await token(memberId, adminA, 'member'),
    operatorToken: await token(operatorId, opAdmin, 'operator'),
    requestToAccept: await request('matrix-accept'),
    requestToRefuse: await request('matrix-refuse'),
  };
}
