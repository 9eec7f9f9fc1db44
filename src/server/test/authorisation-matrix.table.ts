import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { OPEN_DATASETS } from '../../contracts/opendata.js';
import { QUESTIONS } from '../modules/cyber/rules/questionnaire.js';
import { today } from '../platform/clock.js';
import { tinyPdf } from './bodies.js';

/**
 * Who may call each route of the API: the table that `authorisation-matrix.test.ts` checks against
 * every route the app registers, then proves by calling each route as every person of a fixed cast.
 *
 * Member A is the member in the path (or owning the resource); member B is "another member". A new
 * route needs an entry here, or the matrix test fails and names it.
 *
 * Every route declares zod schemas for its params, query and body, which Fastify checks before the
 * handler, and the handler asks the policy first. So each request below is valid (an invalid one
 * would answer 400 to everyone and prove nothing), and a 401/403 can only come from the session
 * check or the policy. Uploads (documents, CSV imports) have no body schema: the policy runs before
 * the upload is read.
 */

export type Role = 'admin' | 'agent' | 'reader' | 'actes' | 'assemblees' | 'cyber';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The cast every route is called as. */
export const CAST = [
  'anonymous',
  /** Signed in, but holds no role in any organisation. */
  'noOrg',
  'opAdmin',
  /** Operator agent with the `dpo` scope. */
  'opDpo',
  /** Operator agent with the `finance` scope. */
  'opFinance',
  /** Operator agent with the `support` scope only (no scope any route asks for). */
  'opAgent',
  /** Operator agent with the `demat` scope (every member's acts and transmissions). */
  'opDemat',
  /** Operator agent with the `cyber` scope (every member's cybersecurity, advisories, dashboard). */
  'opCyber',
  /** Operator agent with the `hosting` scope (instances, monitors, incidents, maintenance). */
  'opHosting',
  'adminA',
  'agentA',
  'readerA',
  /** Member A's `actes` role: an agent who also prepares, transmits and publishes acts. */
  'actesA',
  /** Agent of member A named RGPD editor (rgpd_editors). */
  'editorA',
  /** Member A's `cyber` role (référent sécurité): an agent who also manages A's cybersecurity. */
  'cyberA',
  /** The other member's admin: its most powerful person. */
  'adminB',
  /** Admin of A too, but currently acting for B as its reader (a secrétaire serving two communes). */
  'multiOrg',
] as const;
export type ActorName = (typeof CAST)[number];

interface Profile {
  operator?: { role: 'admin' | 'agent'; scopes: string[] };
  /** The member the person currently acts for, and their role there. */
  member?: { of: 'A' | 'B'; role: Role; rgpdEditor?: boolean };
  /** Also holds a role in A, without acting for it. */
  alsoInA?: Role;
}

export const PROFILES: Record<Exclude<ActorName, 'anonymous'>, Profile> = {
  noOrg: {},
  opAdmin: { operator: { role: 'admin', scopes: [] } },
  opDpo: { operator: { role: 'agent', scopes: ['dpo'] } },
  opFinance: { operator: { role: 'agent', scopes: ['finance'] } },
  opAgent: { operator: { role: 'agent', scopes: ['support'] } },
  opDemat: { operator: { role: 'agent', scopes: ['demat'] } },
  opCyber: { operator: { role: 'agent', scopes: ['cyber'] } },
  opHosting: { operator: { role: 'agent', scopes: ['hosting'] } },
  adminA: { member: { of: 'A', role: 'admin' } },
  agentA: { member: { of: 'A', role: 'agent' } },
  readerA: { member: { of: 'A', role: 'reader' } },
  actesA: { member: { of: 'A', role: 'actes' } },
  editorA: { member: { of: 'A', role: 'agent', rgpdEditor: true } },
  cyberA: { member: { of: 'A', role: 'cyber' } },
  adminB: { member: { of: 'B', role: 'admin' } },
  multiOrg: { member: { of: 'B', role: 'reader' }, alsoInA: 'admin' },
};

/** Member B's people: what they reach of member A is checked as "another member". */
export const OTHER_MEMBER: readonly ActorName[] = ['adminB', 'multiOrg'];

/**
 * People who may see member A's private data somewhere: the operator's people and A's own users
 * (wherever they act now).
 */
export const mayKnowMemberA = (actor: ActorName) =>
  actor !== 'anonymous' &&
  (!!PROFILES[actor].operator || PROFILES[actor].member?.of === 'A' || !!PROFILES[actor].alsoInA);

/**
 * Who may do it. Grants add up; an empty object means nobody (there is no such route).
 * - `public`: anyone, anonymous visitors included;
 * - `token`: whoever holds a valid link (invitation, password reset): the token is the proof;
 *   `visitor` when only a signed-out visitor may use it (a signed-in person is someone else);
 * - `signedIn`: anyone signed in, with or without an organisation;
 * - `operator`: operator admins (`admin`), admins and agents holding a scope (`dpo`, `finance`), or
 *   every operator person (`any`);
 * - `member`: member A's users with one of these roles while they act for A (the `actes` and `cyber`
 *   roles count as `agent` too, as in platform/auth/policy.ts); `rgpdEditor` adds A's named RGPD editors whatever
 *   their role;
 * - `ownMember`: the users of any member, each for their own member's data only;
 * - `roleInA`: anyone holding a role in A, even while acting for another organisation.
 * Member roles count only for the organisation a person currently acts for, as in the policies.
 */
export interface Access {
  public?: true;
  token?: 'anyone' | 'visitor';
  signedIn?: true;
  operator?: 'admin' | 'dpo' | 'finance' | 'demat' | 'cyber' | 'hosting' | 'support' | 'any';
  member?: readonly Role[];
  rgpdEditor?: true;
  ownMember?: readonly Role[];
  roleInA?: true;
}

export function isAllowed(access: Access, actor: ActorName): boolean {
  if (access.public || access.token === 'anyone') return true;
  if (actor === 'anonymous') return access.token === 'visitor';
  if (access.signedIn) return true;
  const { operator, member, alsoInA } = PROFILES[actor];
  if (access.roleInA && (member?.of === 'A' || alsoInA)) return true;
  if (operator && access.operator) {
    if (operator.role === 'admin' || access.operator === 'any') return true;
    if (operator.scopes.includes(access.operator)) return true;
  }
  const holds = (roles: readonly Role[] | undefined, role: Role) =>
    !!roles &&
    (roles.includes(role) ||
      ((role === 'actes' || role === 'assemblees' || role === 'cyber') && roles.includes('agent')));
  if (member?.of === 'A') {
    if (holds(access.member, member.role)) return true;
    if (access.rgpdEditor && member.rgpdEditor) return true;
  }
  if (member && holds(access.ownMember, member.role)) return true;
  return false;
}

/** Ids and secrets made by the test's fixtures, which requests are built from. */
export interface Fixtures {
  year: number;
  operatorId: string;
  A: string;
  B: string;
  users: {
    readerA: string;
    editorA: string;
    opAgent: string;
    /** A user of A whose access the matrix removes. */
    removableA: string;
    /** A second RGPD editor of A, whose role the matrix withdraws. */
    editor2A: string;
  };
  spare: { loginEmail: string; password: string };
  tokens: { invitationView: string; invitationAccept: string; passwordReset: string };
  invitationA: string;
  outboxMail: string;
  /** An outbox mail with one attachment (a PDF). */
  outboxMailWithFile: string;
  /** A job whose attempts all failed, for the operator page's retry. */
  deadJob: string;
  contactA: string;
  contactToDelete: string;
  documentA: string;
  services: {
    open: string;
    units: string;
    toRequest: string;
    /** A service A does not hold, for the operator's direct subscription. */
    toSubscribe: string;
  };
  subscriptions: {
    active: string;
    units: string;
    requested: string;
    toRefuse: string;
    terminating: string;
  };
  invoiceA: string;
  invoiceB: string;
  processingA: string;
  processingFromTemplate: string;
  processingToDelete: string;
  templateId: string;
  /** A template not in A's registry yet, for the suggestions route to adopt. */
  templateToAdopt: string;
  processorId: string;
  processorToDelete: string;
  rightsRequestA: string;
  breachA: string;
  /** Member A's request to the DPO (open until the matrix closes it). */
  dpoRequestA: string;
  acts: {
    /** A draft of A with its main PDF and SECRET in its subject, of the session `sessionOn`. */
    draft: string;
    mainDocument: string;
    sessionOn: string;
    /** A draft with its main PDF, to be marked ready. */
    toMark: string;
    /** Ready, A being subscribed: to be transmitted. */
    ready: string;
    /** Ready, to be transmitted in a batch. */
    inBatch: string;
    /** Ready, to be published. */
    toPublish: string;
    /** Acknowledged, to be cancelled. */
    acknowledged: string;
    /** Acknowledged, with a demande de pièces complémentaires to answer. */
    withDemande: string;
    demande: string;
    /** In error, for the operator's retry. */
    failed: string;
    /** Published: on the public portal. */
    published: string;
  };
  /** The operator's comité syndical (governance: no cast member sits in it). */
  governance: {
    comite: string;
    titular: string;
    substitute: string;
    seatToEdit: string;
    seatToDelete: string;
    /** Held yesterday, every titular present: its item may be voted. */
    heldSession: string;
    item: string;
    /** Held yesterday without anyone present: closing it prepares a second convocation. */
    sessionToClose: string;
    /** In 30 days: may be convened. */
    upcomingSession: string;
    /** A convocation link of the upcoming session. */
    token: string;
    /** The upcoming session's item, and a document attached to it. */
    upcomingItem: string;
    document: string;
    /** Closed, its list published, its procès-verbal adopted: to be published. */
    minutesToPublish: string;
    /** Closed, its procès-verbal adopted and published. */
    publishedMinutes: string;
  };
  /** Issue 16: a token of A and one of the operator (revocable), access requests of A. */
  connect: { tokenA: string; operatorToken: string; requestToAccept: string; requestToRefuse: string };
  cyber: {
    /** An inventory line of A (SECRET in its name), and one to delete. */
    itemA: string;
    itemToDelete: string;
    /** A diagnostic of A. */
    diagnosticA: string;
    /** An advisory affecting A (and not B), and A's remediation for it. */
    advisory: string;
    remediationA: string;
    /** An incident of A (SECRET in its description). */
    incidentA: string;
  };
  hosting: {
    /** An instance of A (on its active subscription, SECRET in its name). */
    instanceA: string;
    /** An open status incident. */
    incident: string;
    /** Pending requests of A for more seats (per-unit subscriptions of their own): to approve, to refuse. */
    seatRequest: string;
    seatRequestToRefuse: string;
    /** A service A subscribes to (B does not) with a continuity plan, its document, one to remove. */
    planService: string;
    documentA: string;
    documentToDelete: string;
  };
  support: {
    /** A ticket adminA opened (SECRET in its subject). */
    ticketA: string;
    /** Tickets of A the team resolved: one to confirm, one to reopen. */
    resolvedA: string;
    toReopenA: string;
    /** A ticket of A for the team to resolve. */
    toResolveA: string;
    /** A training session (100 places) and a registration of A to it. */
    session: string;
    registrationA: string;
    /** A public knowledge-base article. */
    article: string;
    /** Desk: a PDF adminA joined to ticketA, a duplicate of A to merge into it, ticketA's link to A's cyber incident. */
    attachmentA: string;
    duplicateA: string;
    linkA: string;
    /** Training follow-up: an article to delete; a session held last week, A's attendee and her survey link. */
    articleToDelete: string;
    heldSession: string;
    attendedA: string;
    surveyToken: string;
  };
  /** Webhooks of A and of the operator, each with a failed delivery (issue 16). */
  webhooks: {
    webhookA: string;
    deliveryA: string;
    webhookToDeleteA: string;
    operatorWebhook: string;
    operatorDelivery: string;
    operatorWebhookToDelete: string;
  };
}

export interface Multipart {
  fields: Record<string, string>;
  file?: { name: string; data: Buffer; type?: string };
}

export interface Call {
  url: string;
  body?: unknown;
  multipart?: Multipart;
  /**
   * A server-sent events route: the answer is read up to its first event, then dropped (a stream
   * never ends by itself); refusals are ordinary problem answers.
   */
  stream?: true;
}

export interface RouteCase {
  access: Access;
  /** One request, sent unchanged by every actor: only who sends it varies. */
  call: (f: Fixtures) => Call;
  /**
   * Statuses an allowed actor may get (default: 200 for GET, 201 for POST, 200 for PUT/PATCH, 204 for
   * DELETE). When the list holds a success, at least one allowed actor must get it; the others may
   * meet a business refusal after the policy (the first one already did it: 409, 422, 404).
   */
  ok?: readonly number[];
  /** Only these allowed actors are sent the request (routes that end a session or spend a link). */
  probe?: readonly ActorName[];
  /** Status for signed-in actors the route refuses (default 403). */
  denied?: number;
  /** Status for member B's people when it differs from `denied` (the route hides the resource). */
  otherMember?: number;
  /** For `token` routes: the same request with a forged token, and what anyone gets for it. */
  forged?: { call: (f: Fixtures) => Call; status: number };
  /**
   * The route aimed at what the caller must not reach although they may call the route: by default
   * member A's resource through member B's path (or B's own scope), by B's admin. It must answer
   * `status` and never A's data.
   */
  foreign?: { call: (f: Fixtures) => Call; status: number; as?: ActorName };
  /** Why the route answers what it does, where the code is not obvious. */
  note?: string;
}

const ALL: readonly Role[] = ['admin', 'agent', 'reader'];
const ADMIN: readonly Role[] = ['admin'];
/** Member admins and the `actes` role: who prepares, transmits and publishes acts. */
const ACTES: readonly Role[] = ['admin', 'actes'];
const random = '00000000-0000-4000-8000-000000000000';
const v1 = '/api/v1';
const m = (f: Fixtures, member: 'A' | 'B' = 'A') => `${v1}/members/${f[member]}`;
/** A calendar date `days` after today (Paris), for expiries. */
const inDays = (days: number) => {
  const date = new Date(`${today()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/** A valid SIREN no fixture uses. */
const NEW_SIREN = withLuhnDigit('13002526');
const csv = (text: string): Multipart => ({
  fields: {},
  file: { name: 'fichier.csv', data: Buffer.from(text, 'utf8'), type: 'text/csv' },
});

/** Valid bodies: validation runs before the handler, so an invalid body would answer 400 to everyone. */
const bodies = {
  contact: { role: 'referent_numerique', firstName: 'Claude', lastName: 'Matrice' },
  processing: { name: 'Traitement de la matrice', purposes: 'Vérifier les droits.' },
  rightsRequest: () => ({
    type: 'access',
    requesterName: 'M. Matrice',
    identityChecked: true,
    receivedOn: today(),
  }),
  breach: () => ({
    awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    nature: ['availability'],
    riskLevel: 'none',
    cnilNotificationRequired: false,
    notificationReason: 'Aucun risque pour les personnes.',
  }),
  rule: { kind: 'equal' },
  act: () => ({
    nature: 'DE',
    classification: '7.1',
    number: `MAT${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    decidedOn: today(),
    subject: 'Délibération de la matrice',
  }),
};

/** Every person of the member, and the operator's support team: who opens and reads tickets. */
const SUPPORT: Access = { operator: 'support', member: ALL };
/** Member admins and référents sécurité: who manages a member's cybersecurity. */
const CYBER: Access = { operator: 'cyber', member: ['admin', 'cyber'] };
const bsiAdvisory = () =>
  JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, '../modules/cyber/fixtures/bsi-2022-0001.json'), 'utf8'),
  ) as unknown;
const allYes = () => Object.fromEntries(QUESTIONS.map((q) => [q.id, 'yes']));

/** A member's admins (and the operator's admins): who manages a member's webhooks. */
const WEBHOOKS: Access = { operator: 'admin', member: ['admin'] };
/**
 * Port 9 of loopback (allowed by the matrix's WEBHOOK_ALLOWED_HOSTS): the deliveries the matrix's own
 * changes trigger are refused at once, and nothing leaves the machine.
 */
const webhookBody = { url: 'http://127.0.0.1:9/matrice', events: ['ticket.answered'] };

export const ROUTES: Record<string, RouteCase> = {
  // Platform ------------------------------------------------------------------------------------
  'GET /health': { access: { public: true }, call: () => ({ url: '/health' }) },
  'GET /ready': { access: { public: true }, call: () => ({ url: '/ready' }) },
  'GET /api/v1/openapi.json': { access: { public: true }, call: () => ({ url: `${v1}/openapi.json` }) },
  'GET /api/v1/audit-events': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/audit-events?memberId=${f.A}` }),
  },
  'GET /api/v1/outbox': { access: { operator: 'admin' }, call: () => ({ url: `${v1}/outbox` }) },
  'GET /api/v1/outbox/:id': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/outbox/${f.outboxMail}` }),
  },
  'GET /api/v1/outbox/:id/attachments/:index': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/outbox/${f.outboxMailWithFile}/attachments/0` }),
  },
  'GET /api/v1/jobs': { access: { operator: 'admin' }, call: () => ({ url: `${v1}/jobs?state=dead` }) },
  'GET /api/v1/jobs/schedules': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/jobs/schedules` }),
  },
  'POST /api/v1/jobs/:id/retry': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/jobs/${f.deadJob}/retry` }),
    ok: [200, 409],
  },

  // Territory (official reference data) ---------------------------------------------------------
  'GET /api/v1/territory/communes': {
    access: { public: true },
    call: () => ({ url: `${v1}/territory/communes?q=roche` }),
  },
  'GET /api/v1/territory/communes/:code': {
    access: { public: true },
    call: () => ({ url: `${v1}/territory/communes/85191` }),
  },
  'GET /api/v1/territory/epci': { access: { public: true }, call: () => ({ url: `${v1}/territory/epci` }) },
  'GET /api/v1/territory/epci/:code': {
    access: { public: true },
    call: () => ({ url: `${v1}/territory/epci/248500589` }),
  },
  'GET /api/v1/territory/departements': {
    access: { public: true },
    call: () => ({ url: `${v1}/territory/departements` }),
  },
  'GET /api/v1/territory/regions': {
    access: { public: true },
    call: () => ({ url: `${v1}/territory/regions` }),
  },

  // Authentication and the current person --------------------------------------------------------
  'POST /api/v1/auth/login': {
    access: { public: true },
    call: (f) => ({
      url: `${v1}/auth/login`,
      body: { email: f.spare.loginEmail, password: f.spare.password },
    }),
    ok: [200],
    // Logging in again replaces the caller's session: only a visitor is sent it.
    probe: ['anonymous'],
  },
  'POST /api/v1/auth/logout': {
    access: { public: true },
    call: () => ({ url: `${v1}/auth/logout` }),
    ok: [204],
    probe: ['anonymous'],
  },
  'GET /api/v1/me': { access: { signedIn: true }, call: () => ({ url: `${v1}/me` }) },
  'POST /api/v1/me/current-organisation': {
    access: { roleInA: true },
    call: (f) => ({ url: `${v1}/me/current-organisation`, body: { organisationId: f.A } }),
    ok: [200],
    // Switching would leave multiOrg acting for A for the rest of the matrix.
    probe: ['adminA', 'agentA', 'readerA', 'editorA'],
    note: 'Open to anyone signed in; the service refuses (403) an organisation the person has no role in.',
  },
  'POST /api/v1/me/password': {
    access: { signedIn: true },
    call: () => ({
      url: `${v1}/me/password`,
      body: { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' },
    }),
    // A wrong current password is refused after the session check: nothing changes.
    ok: [400],
  },
  'POST /api/v1/auth/password-reset': {
    access: { public: true },
    call: () => ({ url: `${v1}/auth/password-reset`, body: { email: 'personne@matrice.example' } }),
    ok: [202],
  },
  'POST /api/v1/auth/password-reset/confirm': {
    access: { token: 'anyone' },
    call: (f) => ({
      url: `${v1}/auth/password-reset/confirm`,
      body: { token: f.tokens.passwordReset, newPassword: 'a-new-long-password' },
    }),
    ok: [200],
    probe: ['anonymous'],
    forged: {
      call: () => ({
        url: `${v1}/auth/password-reset/confirm`,
        body: { token: 'forged-token-forged-token-forged', newPassword: 'a-new-long-password' },
      }),
      status: 400,
    },
  },

  // ProConnect, API tokens, access requests (issue 16) ------------------------------------------
  'GET /api/v1/auth/proconnect': { access: { public: true }, call: () => ({ url: `${v1}/auth/proconnect` }) },
  'GET /api/v1/auth/proconnect/start': {
    access: { public: true },
    call: () => ({ url: `${v1}/auth/proconnect/start` }),
    ok: [404],
    note: 'The matrix app has no ProConnect: everyone gets the same 404 (proconnect.test.ts runs the flow).',
  },
  'GET /api/v1/auth/proconnect/callback': {
    access: { public: true },
    call: () => ({ url: `${v1}/auth/proconnect/callback?code=abc&state=def` }),
    ok: [404],
    note: 'The matrix app has no ProConnect: everyone gets the same 404 (proconnect.test.ts runs the flow).',
  },
  'POST /api/v1/auth/proconnect/logout': {
    access: { public: true },
    call: () => ({ url: `${v1}/auth/proconnect/logout` }),
    ok: [200],
    // Signing out would end the cast's sessions.
    probe: ['anonymous'],
  },
  'GET /api/v1/members/:memberId/tokens': {
    access: { member: ALL },
    call: (f) => ({ url: `${m(f)}/tokens` }),
    note: 'Everyone of the member sees their personal tokens, its admin every token; operator admins, who hold no role there, make none.',
  },
  'POST /api/v1/members/:memberId/tokens': {
    access: { member: ALL },
    call: (f) => ({
      url: `${m(f)}/tokens`,
      body: {
        name: 'Jeton de la matrice',
        kind: 'personal',
        scopes: { members: 'read' },
        expiresOn: inDays(30),
      },
    }),
    note: "A personal token: anyone of the member makes one (a member token is its admin's: accounts.tokens.test.ts).",
  },
  'DELETE /api/v1/members/:memberId/tokens/:tokenId': {
    access: { member: ALL },
    note: "Anyone of the member may ask; only the admin (or the token's owner) finds a member's token: 404 for the others.",
    call: (f) => ({ url: `${m(f)}/tokens/${f.connect.tokenA}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/tokens/${f.connect.tokenA}` }), status: 404 },
  },
  'GET /api/v1/operator/tokens': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/operator/tokens` }),
  },
  'POST /api/v1/operator/tokens': {
    access: { operator: 'admin' },
    call: () => ({
      url: `${v1}/operator/tokens`,
      body: { name: 'Jeton opérateur de la matrice', scopes: { billing: 'read' }, expiresOn: inDays(30) },
    }),
  },
  'DELETE /api/v1/operator/tokens/:tokenId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/operator/tokens/${f.connect.operatorToken}` }),
    ok: [204, 404],
  },
  'GET /api/v1/members/:memberId/access-requests': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/access-requests` }),
  },
  'POST /api/v1/members/:memberId/access-requests/:requestId/accept': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({
      url: `${m(f)}/access-requests/${f.connect.requestToAccept}/accept`,
      body: { role: 'reader' },
    }),
    ok: [200, 409],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/access-requests/${f.connect.requestToAccept}/accept`,
        body: { role: 'admin' },
      }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/access-requests/:requestId/refuse': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/access-requests/${f.connect.requestToRefuse}/refuse` }),
    ok: [200, 409],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/access-requests/${f.connect.requestToRefuse}/refuse` }),
      status: 404,
    },
  },
  'GET /api/v1/operator/auth-settings': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/operator/auth-settings` }),
  },
  'PUT /api/v1/operator/auth-settings': {
    access: { operator: 'admin' },
    call: () => ({
      url: `${v1}/operator/auth-settings`,
      body: { proconnectRequiredForOperatorAgents: false },
    }),
  },

  // Invitations and people ------------------------------------------------------------------------
  'POST /api/v1/members/:memberId/invitations': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({
      url: `${m(f)}/invitations`,
      body: { email: 'invitee@matrice.example', role: 'reader' },
    }),
  },
  'GET /api/v1/members/:memberId/invitations': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/invitations` }),
  },
  'DELETE /api/v1/members/:memberId/invitations/:invitationId': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/invitations/${f.invitationA}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/invitations/${f.invitationA}` }), status: 404 },
  },
  'GET /api/v1/invitations/:token': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/invitations/${f.tokens.invitationView}` }),
    forged: { call: () => ({ url: `${v1}/invitations/forged-token-forged-token-forged` }), status: 404 },
  },
  'POST /api/v1/invitations/:token/accept': {
    access: { token: 'visitor' },
    call: (f) => ({
      url: `${v1}/invitations/${f.tokens.invitationAccept}/accept`,
      body: { displayName: 'Nouvelle Personne', password: 'a-new-long-password' },
    }),
    ok: [200],
    note:
      'A visitor creates the account; signed-in people are refused (403) by the service: ' +
      'the invitation is addressed to somebody else.',
    forged: {
      call: () => ({
        url: `${v1}/invitations/forged-token-forged-token-forged/accept`,
        body: { displayName: 'Nouvelle Personne', password: 'a-new-long-password' },
      }),
      status: 404,
    },
  },
  'GET /api/v1/members/:memberId/users': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/users` }),
    // Operator agents read members' people, not the operator's own (operator admins only).
    foreign: { call: (f) => ({ url: `${v1}/members/${f.operatorId}/users` }), status: 403, as: 'opAgent' },
  },
  'PATCH /api/v1/members/:memberId/users/:userId': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/users/${f.users.readerA}`, body: { role: 'reader' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/users/${f.users.readerA}`, body: { role: 'admin' } }),
      status: 404,
    },
  },
  'DELETE /api/v1/members/:memberId/users/:userId': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/users/${f.users.removableA}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/users/${f.users.removableA}` }), status: 404 },
  },
  'GET /api/v1/operator/users': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/operator/users` }),
  },
  'PATCH /api/v1/operator/users/:userId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/operator/users/${f.users.opAgent}`, body: { scopes: ['support'] } }),
  },

  // Members -----------------------------------------------------------------------------------------
  'GET /api/v1/members': { access: { public: true }, call: () => ({ url: `${v1}/members` }) },
  'GET /api/v1/members/stats': { access: { public: true }, call: () => ({ url: `${v1}/members/stats` }) },
  'GET /api/v1/members/export.csv': {
    access: { operator: 'any' },
    call: () => ({ url: `${v1}/members/export.csv` }),
  },
  'GET /api/v1/members/export.xlsx': {
    access: { operator: 'any' },
    call: () => ({ url: `${v1}/members/export.xlsx` }),
  },
  'GET /api/v1/members/:memberId': {
    access: { public: true },
    call: (f) => ({ url: m(f) }),
    note: 'Public fields for everyone; `private` only for the operator and A’s users (leak check).',
  },
  'POST /api/v1/members': {
    access: { operator: 'admin' },
    call: () => ({
      url: `${v1}/members`,
      body: { kind: 'autre', name: 'Structure de la matrice', siren: NEW_SIREN },
    }),
    ok: [201],
  },
  'PATCH /api/v1/members/:memberId': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({ url: m(f), body: { city: 'Ville de la matrice' } }),
  },
  'POST /api/v1/members/import': {
    access: { operator: 'admin' },
    call: () => ({
      url: `${v1}/members/import?dryRun=true`,
      multipart: csv(`type;nom;siren\nautre;Structure importée;${NEW_SIREN}\n`),
    }),
    ok: [200],
  },
  'GET /api/v1/members/:memberId/contacts': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/contacts` }),
  },
  'POST /api/v1/members/:memberId/contacts': {
    access: { operator: 'any', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/contacts`, body: bodies.contact }),
  },
  'PATCH /api/v1/members/:memberId/contacts/:contactId': {
    access: { operator: 'any', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/contacts/${f.contactA}`, body: { phone: '0102030405' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/contacts/${f.contactA}`, body: { lastName: 'Écrasé' } }),
      status: 404,
    },
  },
  'DELETE /api/v1/members/:memberId/contacts/:contactId': {
    access: { operator: 'any', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/contacts/${f.contactToDelete}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/contacts/${f.contactA}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/documents': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/documents` }),
  },
  'POST /api/v1/members/:memberId/documents': {
    access: { operator: 'any', member: ['admin', 'agent'] },
    call: (f) => ({
      url: `${m(f)}/documents`,
      multipart: {
        fields: { kind: 'other', title: 'Pièce de la matrice' },
        file: { name: 'piece.pdf', data: tinyPdf() },
      },
    }),
  },
  'GET /api/v1/members/:memberId/documents/:documentId': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/documents/${f.documentA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/documents/${f.documentA}` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/transitions': {
    access: { operator: 'admin', member: ADMIN },
    call: (f) => ({
      url: `${m(f)}/transitions`,
      body: { to: 'withdrawal_requested', effectiveOn: today(), documentId: random },
    }),
    // A legal step for a member admin, but with a document A does not have: refused after the policy
    // (400), so member A's status does not change.
    ok: [400],
  },
  'GET /api/v1/members/:memberId/history': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/history` }),
  },

  // Catalogue and subscriptions -------------------------------------------------------------------
  'GET /api/v1/catalogue/services': {
    access: { public: true },
    call: () => ({ url: `${v1}/catalogue/services` }),
  },
  'GET /api/v1/catalogue/services/:serviceId': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}` }),
  },
  'POST /api/v1/catalogue/services': {
    access: { operator: 'admin' },
    call: () => ({
      url: `${v1}/catalogue/services`,
      body: { code: 'MATRICE', domain: 'rgpd', name: 'Service de la matrice', eligibleKinds: ['commune'] },
    }),
  },
  'PATCH /api/v1/catalogue/services/:serviceId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}`, body: { description: 'Revu.' } }),
  },
  'GET /api/v1/catalogue/services/:serviceId/history': {
    access: { operator: 'any' },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}/history` }),
  },
  'GET /api/v1/catalogue/services/:serviceId/subscribers': {
    access: { operator: 'any' },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}/subscribers` }),
  },
  'GET /api/v1/catalogue/services/:serviceId/subscribers.csv': {
    access: { operator: 'any' },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}/subscribers.csv` }),
  },
  'GET /api/v1/catalogue/services/:serviceId/subscribers.xlsx': {
    access: { operator: 'any' },
    call: (f) => ({ url: `${v1}/catalogue/services/${f.services.open}/subscribers.xlsx` }),
  },
  'POST /api/v1/catalogue/services/:serviceId/bulk-subscriptions': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${v1}/catalogue/services/${f.services.toRequest}/bulk-subscriptions`,
      body: { memberIds: [f.A], startDate: today(), dryRun: true },
    }),
    ok: [200],
  },
  'GET /api/v1/subscriptions': { access: { operator: 'any' }, call: () => ({ url: `${v1}/subscriptions` }) },
  'GET /api/v1/members/:memberId/subscriptions': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/subscriptions` }),
  },
  'POST /api/v1/members/:memberId/subscriptions': {
    access: { operator: 'finance', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/subscriptions`, body: { serviceId: f.services.toRequest } }),
    // The first allowed person requests it; the others find it already requested.
    ok: [201, 409],
  },
  'POST /api/v1/members/:memberId/subscriptions/direct': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${m(f)}/subscriptions/direct`,
      body: { serviceId: f.services.toSubscribe, startDate: today() },
    }),
    // The first allowed person subscribes A; the others find it already subscribed.
    ok: [201, 409],
  },
  'GET /api/v1/members/:memberId/subscriptions/:subscriptionId': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/subscriptions/${f.subscriptions.active}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/subscriptions/${f.subscriptions.active}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/subscriptions/:subscriptionId': {
    access: { operator: 'finance', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/subscriptions/${f.subscriptions.units}`, body: { units: 12 } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/subscriptions/${f.subscriptions.units}`, body: { units: 99 } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/subscriptions/:subscriptionId/accept': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${m(f)}/subscriptions/${f.subscriptions.requested}/accept`,
      body: { startDate: today() },
    }),
    ok: [200, 422],
  },
  'POST /api/v1/members/:memberId/subscriptions/:subscriptionId/refuse': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${m(f)}/subscriptions/${f.subscriptions.toRefuse}/refuse`,
      body: { reason: 'Refus de la matrice' },
    }),
    ok: [200, 422],
  },
  'POST /api/v1/members/:memberId/subscriptions/:subscriptionId/terminate': {
    access: { operator: 'finance', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/subscriptions/${f.subscriptions.active}/terminate`, body: {} }),
    ok: [200, 422],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/subscriptions/${f.subscriptions.active}/terminate`, body: {} }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/subscriptions/:subscriptionId/confirm-termination': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${m(f)}/subscriptions/${f.subscriptions.terminating}/confirm-termination`,
      body: {},
    }),
    ok: [200, 422],
  },

  // Pricing -------------------------------------------------------------------------------------------
  'GET /api/v1/pricing/pools/:year': {
    access: { operator: 'finance' },
    call: (f) => ({ url: `${v1}/pricing/pools/${f.year}` }),
  },
  'PUT /api/v1/pricing/pools/:year/:serviceId': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${v1}/pricing/pools/${f.year + 3}/${f.services.open}`,
      body: { licencesCents: 0, hostingCents: 0, staffCents: 0, otherCents: 50_000, rule: bodies.rule },
    }),
  },
  'GET /api/v1/pricing/membership-fees/:year': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/pricing/membership-fees/${f.year}` }),
    note: 'Public on purpose: the fee rule is part of the published price list (RLS: public read).',
  },
  'PUT /api/v1/pricing/membership-fees/:year': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${v1}/pricing/membership-fees/${f.year + 3}`,
      body: { centsPerInhabitant: 40, minimumCents: 5_000 },
    }),
  },
  'GET /api/v1/cost-sharing/:year': {
    access: { operator: 'finance' },
    call: (f) => ({ url: `${v1}/cost-sharing/${f.year}` }),
  },
  'GET /api/v1/pricing/above-alone/:year': {
    access: { operator: 'finance' },
    call: (f) => ({ url: `${v1}/pricing/above-alone/${f.year}` }),
  },
  'GET /api/v1/members/:memberId/costs/:year': {
    access: { operator: 'any', member: ALL },
    call: (f) => ({ url: `${m(f)}/costs/${f.year}` }),
  },
  'POST /api/v1/pricing/simulations': {
    access: { operator: 'finance' },
    call: (f) => ({ url: `${v1}/pricing/simulations`, body: { serviceId: f.services.open, year: f.year } }),
    ok: [200],
  },
  'GET /api/v1/public/prices/:year': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/prices/${f.year}` }),
  },
  'GET /api/v1/pricing/equity/:year': {
    access: { signedIn: true },
    call: (f) => ({ url: `${v1}/pricing/equity/${f.year}` }),
  },

  // Billing -----------------------------------------------------------------------------------------
  'POST /api/v1/billing/runs': {
    access: { operator: 'finance' },
    call: (f) => ({ url: `${v1}/billing/runs`, body: { year: f.year, mode: 'preview' } }),
    ok: [200],
  },
  'GET /api/v1/invoices': {
    access: { operator: 'finance', ownMember: ALL },
    call: () => ({ url: `${v1}/invoices` }),
    foreign: { call: (f) => ({ url: `${v1}/invoices?memberId=${f.A}` }), status: 403 },
  },
  'GET /api/v1/invoices/export.csv': {
    access: { operator: 'finance' },
    call: () => ({ url: `${v1}/invoices/export.csv` }),
  },
  'GET /api/v1/invoices/export.xlsx': {
    access: { operator: 'finance' },
    call: () => ({ url: `${v1}/invoices/export.xlsx` }),
  },
  'GET /api/v1/invoices/:id': {
    access: { operator: 'finance', member: ALL },
    call: (f) => ({ url: `${v1}/invoices/${f.invoiceA}` }),
    otherMember: 404,
    note: 'Another member’s users pass the policy (they read their own invoices) and find nothing.',
  },
  'GET /api/v1/invoices/:id/pdf': {
    access: { operator: 'finance', member: ALL },
    call: (f) => ({ url: `${v1}/invoices/${f.invoiceA}/pdf` }),
    otherMember: 404,
  },
  'POST /api/v1/invoices/:id/credit-notes': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${v1}/invoices/${f.invoiceB}/credit-notes`,
      body: { full: true, reason: 'Avoir de la matrice' },
    }),
    ok: [201, 422],
  },
  'POST /api/v1/invoices/:id/payments': {
    access: { operator: 'finance' },
    call: (f) => ({
      url: `${v1}/invoices/${f.invoiceA}/payments`,
      body: { paidOn: today(), amountCents: 1 },
    }),
  },
  'POST /api/v1/billing/payments/import': {
    access: { operator: 'finance' },
    call: () => ({
      url: `${v1}/billing/payments/import?dryRun=true`,
      multipart: csv('numéro;date;montant;référence\n'),
    }),
    ok: [200, 422],
  },

  // RGPD registry -------------------------------------------------------------------------------------
  'GET /api/v1/members/:memberId/processings': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/processings` }),
  },
  'POST /api/v1/members/:memberId/processings': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/processings`, body: bodies.processing }),
  },
  'GET /api/v1/members/:memberId/processings/:processingId': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingA}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/processings/:processingId': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({
      url: `${m(f)}/processings/${f.processingA}`,
      body: { department: 'Service de la matrice' },
    }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingA}`, body: { name: 'Écrasé' } }),
      status: 404,
    },
  },
  'DELETE /api/v1/members/:memberId/processings/:processingId': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingToDelete}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingA}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/processings/:processingId/versions': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingA}/versions` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingA}/versions` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/processings/:processingId/versions/:version': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingA}/versions/1` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingA}/versions/1` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/processings/:processingId/template-update': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingFromTemplate}/template-update` }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/processings/${f.processingFromTemplate}/template-update` }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/processings/:processingId/template-update': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({
      url: `${m(f)}/processings/${f.processingFromTemplate}/template-update`,
      body: { dismiss: true },
    }),
    // No template update is pending: refused after the policy (409), nothing changes.
    ok: [409],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/processings/${f.processingFromTemplate}/template-update`,
        body: { dismiss: true },
      }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/processings/:processingId/copy': {
    access: { operator: 'dpo' },
    call: (f) => ({ url: `${m(f)}/processings/${f.processingA}/copy`, body: { memberIds: [f.A] } }),
    ok: [200],
  },
  'GET /api/v1/members/:memberId/rgpd/summary': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rgpd/summary` }),
  },
  'GET /api/v1/members/:memberId/registry.pdf': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/registry.pdf` }),
  },
  'GET /api/v1/members/:memberId/registry.csv': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/registry.csv` }),
  },
  'GET /api/v1/members/:memberId/registry.xlsx': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/registry.xlsx` }),
  },
  'GET /api/v1/public/members/:memberId/registry': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/members/${f.A}/registry` }),
    note: 'Public on purpose: only processings the member chose to publish (RLS, anonymous tenant).',
  },
  'GET /api/v1/members/:memberId/rgpd/designation': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rgpd/designation` }),
  },
  'PUT /api/v1/members/:memberId/rgpd/designation': {
    access: { operator: 'dpo', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/rgpd/designation`, body: { dpoName: 'DPO mutualisé' } }),
  },
  'GET /api/v1/members/:memberId/rgpd/editors': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rgpd/editors` }),
  },
  'PUT /api/v1/members/:memberId/rgpd/editors/:userId': {
    access: { operator: 'dpo', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/rgpd/editors/${f.users.editorA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/rgpd/editors/${f.users.readerA}` }), status: 422 },
  },
  'DELETE /api/v1/members/:memberId/rgpd/editors/:userId': {
    access: { operator: 'dpo', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/rgpd/editors/${f.users.editor2A}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/rgpd/editors/${f.users.editor2A}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/rgpd/suggestions': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rgpd/suggestions` }),
  },
  'POST /api/v1/members/:memberId/rgpd/suggestions': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/rgpd/suggestions`, body: { templateId: f.templateToAdopt } }),
    ok: [201, 409],
  },

  // RGPD library: templates, catalogue links, processors ---------------------------------------------
  'GET /api/v1/rgpd/templates': { access: { signedIn: true }, call: () => ({ url: `${v1}/rgpd/templates` }) },
  'GET /api/v1/rgpd/templates/:templateId': {
    access: { signedIn: true },
    call: (f) => ({ url: `${v1}/rgpd/templates/${f.templateId}` }),
  },
  'POST /api/v1/rgpd/templates': {
    access: { operator: 'dpo' },
    call: () => ({
      url: `${v1}/rgpd/templates`,
      body: { code: 'matrice-modele-2', name: 'Modèle de la matrice', fields: { name: 'Traitement type' } },
    }),
    ok: [201, 409],
  },
  'PATCH /api/v1/rgpd/templates/:templateId': {
    access: { operator: 'dpo' },
    call: (f) => ({
      url: `${v1}/rgpd/templates/${f.templateId}`,
      body: { name: 'Modèle de la matrice (revu)' },
    }),
  },
  'POST /api/v1/rgpd/templates/:templateId/apply': {
    access: { operator: 'dpo' },
    call: (f) => ({ url: `${v1}/rgpd/templates/${f.templateId}/apply`, body: { memberIds: [f.A] } }),
    ok: [200],
  },
  'GET /api/v1/rgpd/services/:serviceId/implied': {
    access: { signedIn: true },
    call: (f) => ({ url: `${v1}/rgpd/services/${f.services.open}/implied` }),
  },
  'PUT /api/v1/rgpd/services/:serviceId/implied': {
    access: { operator: 'dpo' },
    call: (f) => ({
      url: `${v1}/rgpd/services/${f.services.open}/implied`,
      body: { templateIds: [f.templateId], processorIds: [] },
    }),
  },
  'GET /api/v1/rgpd/processors': {
    access: { signedIn: true },
    call: () => ({ url: `${v1}/rgpd/processors` }),
  },
  'GET /api/v1/rgpd/processors/:processorId': {
    access: { signedIn: true },
    call: (f) => ({ url: `${v1}/rgpd/processors/${f.processorId}` }),
  },
  'POST /api/v1/rgpd/processors': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/processors`, body: { name: 'Sous-traitant de la matrice' } }),
  },
  'PATCH /api/v1/rgpd/processors/:processorId': {
    access: { operator: 'dpo' },
    call: (f) => ({ url: `${v1}/rgpd/processors/${f.processorId}`, body: { ownRegistry: true } }),
  },
  'DELETE /api/v1/rgpd/processors/:processorId': {
    access: { operator: 'dpo' },
    call: (f) => ({ url: `${v1}/rgpd/processors/${f.processorToDelete}` }),
    ok: [204, 404],
  },

  // RGPD rights requests, breaches, DPO dashboard ---------------------------------------------------
  'GET /api/v1/members/:memberId/rights-requests': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rights-requests` }),
  },
  'POST /api/v1/members/:memberId/rights-requests': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/rights-requests`, body: bodies.rightsRequest() }),
  },
  'GET /api/v1/members/:memberId/rights-requests/:requestId': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rights-requests/${f.rightsRequestA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/rights-requests/${f.rightsRequestA}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/rights-requests/:requestId': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/rights-requests/${f.rightsRequestA}`, body: { status: 'in_progress' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/rights-requests/${f.rightsRequestA}`, body: { status: 'closed' } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/rights-requests/:requestId/extension': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({
      url: `${m(f)}/rights-requests/${f.rightsRequestA}/extension`,
      body: { months: 1, reason: 'Demande complexe de la matrice' },
    }),
    // Two months at most in all: the third allowed person finds the deadline already extended.
    ok: [200, 422],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/rights-requests/${f.rightsRequestA}/extension`,
        body: { months: 1, reason: 'Demande complexe de la matrice' },
      }),
      status: 404,
    },
  },
  'GET /api/v1/members/:memberId/breaches': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/breaches` }),
  },
  'POST /api/v1/members/:memberId/breaches': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/breaches`, body: bodies.breach() }),
  },
  'POST /api/v1/members/:memberId/breaches/reports': {
    access: { member: ALL },
    call: (f) => ({
      url: `${m(f)}/breaches/reports`,
      body: {
        awareAt: new Date(Date.now() - 600_000).toISOString(),
        description: 'Ordinateur volé en mairie.',
      },
    }),
  },
  'POST /api/v1/members/:memberId/rgpd/dpo-requests': {
    access: { member: ALL },
    call: (f) => ({
      url: `${m(f)}/rgpd/dpo-requests`,
      body: { message: 'Notre registre est vide : pouvez-vous nous aider ?' },
    }),
  },
  'GET /api/v1/members/:memberId/rgpd/dpo-requests': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/rgpd/dpo-requests` }),
  },
  'GET /api/v1/rgpd/dpo-requests': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/dpo-requests` }),
  },
  'POST /api/v1/rgpd/dpo-requests/:requestId/close': {
    access: { operator: 'dpo' },
    call: (f) => ({ url: `${v1}/rgpd/dpo-requests/${f.dpoRequestA}/close` }),
    // The first allowed person closes it; the next is told it is closed already.
    ok: [200, 409],
  },
  'GET /api/v1/rgpd/breaches/to-qualify': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/breaches/to-qualify` }),
  },
  'GET /api/v1/members/:memberId/breaches/:breachId': {
    access: { operator: 'dpo', member: ALL },
    call: (f) => ({ url: `${m(f)}/breaches/${f.breachA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/breaches/${f.breachA}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/breaches/:breachId': {
    access: { operator: 'dpo', member: ADMIN, rgpdEditor: true },
    call: (f) => ({ url: `${m(f)}/breaches/${f.breachA}`, body: { measures: 'Mesures de la matrice' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/breaches/${f.breachA}`, body: { measures: 'Écrasé' } }),
      status: 404,
    },
  },
  'GET /api/v1/search': {
    access: { signedIn: true },
    call: () => ({ url: `${v1}/search?q=matrice` }),
    note: 'Each module filters its results by the actor (search.test.ts); the route asks only for a session.',
  },
  'GET /api/v1/rgpd/dashboard': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/dashboard` }),
  },
  'GET /api/v1/rgpd/dashboard.csv': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/dashboard.csv` }),
  },
  'GET /api/v1/rgpd/dashboard.xlsx': {
    access: { operator: 'dpo' },
    call: () => ({ url: `${v1}/rgpd/dashboard.xlsx` }),
  },
  // Acts: register, transmission, publication, portal, operator view ---------------------------------
  'POST /api/v1/members/:memberId/acts': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts`, body: bodies.act() }),
    ok: [201, 409],
  },
  'GET /api/v1/members/:memberId/acts': {
    access: { operator: 'demat', member: ALL },
    call: (f) => ({ url: `${m(f)}/acts` }),
  },
  'GET /api/v1/members/:memberId/acts/classification': {
    access: { operator: 'demat', member: ALL },
    call: (f) => ({ url: `${m(f)}/acts/classification` }),
  },
  'POST /api/v1/members/:memberId/acts/classification/refresh': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/classification/refresh` }),
    ok: [200],
  },
  'GET /api/v1/members/:memberId/acts/sessions/:sessionOn/deliberations.pdf': {
    access: { operator: 'demat', member: ALL },
    call: (f) => ({ url: `${m(f)}/acts/sessions/${f.acts.sessionOn}/deliberations.pdf` }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/acts/sessions/${f.acts.sessionOn}/deliberations.pdf` }),
      status: 404,
    },
  },
  'GET /api/v1/members/:memberId/acts/:actId': {
    access: { operator: 'demat', member: ALL },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.draft}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.draft}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/acts/:actId': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.draft}`, body: { signatoryName: 'Maire de la matrice' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.draft}`, body: { subject: 'Écrasé' } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/acts/:actId/documents': {
    access: { member: ACTES },
    call: (f) => ({
      url: `${m(f)}/acts/${f.acts.draft}/documents`,
      multipart: { fields: { role: 'annex' }, file: { name: 'annexe.pdf', data: tinyPdf() } },
    }),
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/acts/${f.acts.draft}/documents`,
        multipart: { fields: { role: 'annex' }, file: { name: 'annexe.pdf', data: tinyPdf() } },
      }),
      status: 404,
    },
  },
  'GET /api/v1/members/:memberId/acts/:actId/documents/:documentId': {
    access: { operator: 'demat', member: ALL },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.draft}/documents/${f.acts.mainDocument}` }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.draft}/documents/${f.acts.mainDocument}` }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/acts/:actId/ready': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.toMark}/ready` }),
    // The second allowed person finds it ready already.
    ok: [200, 422],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.toMark}/ready` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/acts/:actId/transmit': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.ready}/transmit` }),
    ok: [202, 422],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.ready}/transmit` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/acts/transmissions': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/transmissions`, body: { actIds: [f.acts.inBatch] } }),
    // The second allowed person is told, act by act, that it is on its way already.
    ok: [200],
    note: "A's act ids sent through B's path are reported unknown, act by act, and left untouched (acts.test.ts).",
  },
  'POST /api/v1/members/:memberId/acts/:actId/publish': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.toPublish}/publish` }),
    // Publication is definitive: the second allowed person finds it published.
    ok: [200, 422],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.toPublish}/publish` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/acts/:actId/cancel': {
    access: { member: ACTES },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.acknowledged}/cancel` }),
    ok: [200, 422],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.acknowledged}/cancel` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/acts/:actId/retry': {
    access: { operator: 'demat' },
    call: (f) => ({ url: `${m(f)}/acts/${f.acts.failed}/retry` }),
    ok: [202, 422],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/acts/${f.acts.failed}/retry` }),
      status: 404,
      as: 'opDemat',
    },
  },
  'POST /api/v1/members/:memberId/acts/:actId/messages/:messageId/answer': {
    access: { member: ACTES },
    call: (f) => ({
      url: `${m(f)}/acts/${f.acts.withDemande}/messages/${f.acts.demande}/answer`,
      multipart: { fields: {}, file: { name: 'piece.pdf', data: tinyPdf() } },
    }),
    // Answered once: the second allowed person is told so.
    ok: [200, 422],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/acts/${f.acts.withDemande}/messages/${f.acts.demande}/answer`,
        multipart: { fields: {}, file: { name: 'piece.pdf', data: tinyPdf() } },
      }),
      status: 404,
    },
  },
  'GET /api/v1/public/members/:memberId/acts': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/members/${f.A}/acts` }),
    note: 'Public on purpose: published acts only (RLS lets anyone read published rows, nothing else).',
  },
  'GET /api/v1/public/members/:memberId/acts/:actId/document': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/members/${f.A}/acts/${f.acts.published}/document` }),
    note: 'Public on purpose: the stamped PDF of a published act; an unpublished one is a 404 for anyone.',
  },
  'GET /api/v1/public/members/:memberId/acts.csv': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/members/${f.A}/acts.csv` }),
    note: 'Open data (SCDL « Délibérations »): published deliberations only.',
  },
  'GET /api/v1/public/acts.csv': {
    access: { public: true },
    call: () => ({ url: `${v1}/public/acts.csv` }),
    note: 'Open data of every member: published deliberations only.',
  },
  'GET /api/v1/acts/transmissions': {
    access: { operator: 'demat' },
    call: (f) => ({ url: `${v1}/acts/transmissions?memberId=${f.A}` }),
  },
  'GET /api/v1/acts/volumes': {
    access: { operator: 'demat' },
    call: () => ({ url: `${v1}/acts/volumes` }),
  },
  // Governance: the operator's comité syndical, which the operator's admins (scope governance) manage.
  // Who may not read an assembly gets 404 (its existence is not told), as the service answers.
  'GET /api/v1/governance/assemblies': {
    access: { signedIn: true },
    call: () => ({ url: `${v1}/governance/assemblies` }),
    note: 'Each person sees the assemblies of their current organisation they may read, and those they sit in.',
  },
  'POST /api/v1/governance/assemblies': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies`,
      body: { organisationId: f.operatorId, kind: 'bureau', name: 'Bureau de la matrice' },
    }),
    ok: [201, 409],
  },
  'GET /api/v1/governance/assemblies/:assemblyId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/assemblies/${f.governance.comite}` }),
    denied: 404,
  },
  'POST /api/v1/governance/assemblies/:assemblyId/colleges': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies/${f.governance.comite}/colleges`,
      body: { name: 'Communes de la matrice', seats: 3, voteWeight: 1 },
    }),
    denied: 404,
    ok: [201, 409],
  },
  'POST /api/v1/governance/assemblies/:assemblyId/seats': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies/${f.governance.comite}/seats`,
      body: { kind: 'titular', fullName: 'Nouveau délégué', email: null, termStart: '2099-01-01' },
    }),
    denied: 404,
  },
  'PATCH /api/v1/governance/assemblies/:assemblyId/seats/:seatId': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies/${f.governance.comite}/seats/${f.governance.seatToEdit}`,
      body: { paperConvocation: true },
    }),
    denied: 404,
  },
  'DELETE /api/v1/governance/assemblies/:assemblyId/seats/:seatId': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies/${f.governance.comite}/seats/${f.governance.seatToDelete}`,
    }),
    denied: 404,
    ok: [204, 404],
  },
  'GET /api/v1/governance/assemblies/:assemblyId/sessions': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/assemblies/${f.governance.comite}/sessions` }),
    denied: 404,
  },
  'POST /api/v1/governance/assemblies/:assemblyId/sessions': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/assemblies/${f.governance.comite}/sessions`,
      body: {
        startsAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
        place: 'Siège',
        agenda: [{ title: 'Approbation du procès-verbal' }],
      },
    }),
    denied: 404,
  },
  'GET /api/v1/governance/sessions/:sessionId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.heldSession}` }),
    denied: 404,
  },
  'GET /api/v1/governance/sessions/:sessionId/live': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.heldSession}/live` }),
    denied: 404,
  },
  'GET /api/v1/governance/sessions/:sessionId/live/events': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.heldSession}/live/events`, stream: true }),
    denied: 404,
  },
  'POST /api/v1/governance/sessions/:sessionId/convocations': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.upcomingSession}/convocations` }),
    denied: 404,
    ok: [200],
  },
  'GET /api/v1/governance/sessions/:sessionId/convocations.pdf': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.upcomingSession}/convocations.pdf` }),
    denied: 404,
  },
  'PUT /api/v1/governance/sessions/:sessionId/attendance': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/sessions/${f.governance.heldSession}/attendance`,
      body: { entries: [{ seatId: f.governance.titular, status: 'present' }] },
    }),
    denied: 404,
  },
  'POST /api/v1/governance/sessions/:sessionId/close': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.sessionToClose}/close` }),
    denied: 404,
    ok: [200, 409],
  },
  'POST /api/v1/governance/sessions/:sessionId/items/:itemId/vote': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/sessions/${f.governance.heldSession}/items/${f.governance.item}/vote`,
      body: { for: 2, against: 0, abstention: 1 },
    }),
    denied: 404,
    ok: [200, 409],
  },
  'POST /api/v1/governance/sessions/:sessionId/items/:itemId/documents': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/sessions/${f.governance.upcomingSession}/items/${f.governance.upcomingItem}/documents`,
      multipart: { fields: {}, file: { name: 'rapport.pdf', data: tinyPdf() } },
    }),
    denied: 404,
  },
  'GET /api/v1/governance/sessions/:sessionId/documents/:documentId': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/governance/sessions/${f.governance.upcomingSession}/documents/${f.governance.document}`,
    }),
    denied: 404,
    note: "Also the assembly's officials (a seat, not a role: governance.test.ts).",
  },
  'POST /api/v1/governance/sessions/:sessionId/deliberations/publish': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.sessionToClose}/deliberations/publish` }),
    denied: 404,
    ok: [200, 409, 422],
  },
  'GET /api/v1/governance/sessions/:sessionId/minutes.pdf': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.sessionToClose}/minutes.pdf` }),
    denied: 404,
    ok: [200, 422],
  },
  'GET /api/v1/governance/sessions/:sessionId/minutes/adopted.pdf': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.minutesToPublish}/minutes/adopted.pdf` }),
    denied: 404,
    note: "Also the assembly's officials (a seat, not a role: governance.minutes.test.ts).",
  },
  'POST /api/v1/governance/sessions/:sessionId/minutes/publish': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/governance/sessions/${f.governance.minutesToPublish}/minutes/publish` }),
    denied: 404,
    ok: [200, 409],
  },
  'GET /api/v1/public/organisations/:organisationId/minutes/:sessionId': {
    access: { public: true },
    call: (f) => ({
      url: `${v1}/public/organisations/${f.operatorId}/minutes/${f.governance.publishedMinutes}`,
    }),
    note: 'Public on purpose: published procès-verbaux only (RLS lets anyone read published ones).',
  },
  'GET /api/v1/public/organisations/:organisationId/deliberations': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/public/organisations/${f.A}/deliberations` }),
    note: 'Public on purpose: published lists only (RLS lets anyone read published sessions and adopted items).',
  },
  'GET /api/v1/governance/me': {
    access: { signedIn: true },
    call: () => ({ url: `${v1}/governance/me` }),
    note: "Anyone signed in has an official's space (empty without a seat).",
  },
  'GET /api/v1/governance/operator-overview': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/governance/operator-overview` }),
    note: "Also the officials sitting in the operator's assemblies (a seat, not a role: governance.test.ts).",
  },
  'GET /api/v1/governance/convocations/:token': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/governance/convocations/${f.governance.token}` }),
    forged: { call: () => ({ url: `${v1}/governance/convocations/${'x'.repeat(43)}` }), status: 404 },
  },
  'GET /api/v1/governance/convocations/:token/documents/:documentId': {
    access: { token: 'anyone' },
    call: (f) => ({
      url: `${v1}/governance/convocations/${f.governance.token}/documents/${f.governance.document}`,
    }),
    forged: {
      call: (f) => ({
        url: `${v1}/governance/convocations/${'x'.repeat(43)}/documents/${f.governance.document}`,
      }),
      status: 404,
    },
    ok: [200],
  },
  'POST /api/v1/governance/convocations/:token/receipt': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/governance/convocations/${f.governance.token}/receipt` }),
    forged: { call: () => ({ url: `${v1}/governance/convocations/${'x'.repeat(43)}/receipt` }), status: 404 },
    ok: [200],
  },
  'POST /api/v1/governance/convocations/:token/unavailability': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/governance/convocations/${f.governance.token}/unavailability` }),
    forged: {
      call: () => ({ url: `${v1}/governance/convocations/${'x'.repeat(43)}/unavailability` }),
      status: 404,
    },
    ok: [200],
  },
  'GET /api/v1/members/:memberId/governance/delegates': {
    access: { operator: 'admin', member: ALL },
    call: (f) => ({ url: `${m(f)}/governance/delegates` }),
  },
  'POST /api/v1/members/:memberId/governance/delegates': {
    access: { member: ADMIN },
    call: (f) => ({
      url: `${m(f)}/governance/delegates`,
      body: {
        designationDocumentId: f.documentA,
        termStart: '2026-01-01',
        delegates: [{ kind: 'titular', fullName: 'Délégué de A', email: null }],
      },
    }),
  },
  // Cybersecurity (issue 13) -------------------------------------------------------------------------
  'GET /api/v1/members/:memberId/inventory': { access: CYBER, call: (f) => ({ url: `${m(f)}/inventory` }) },
  'POST /api/v1/members/:memberId/inventory': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/inventory`, body: { kind: 'server', name: 'Serveur de la matrice' } }),
  },
  'PATCH /api/v1/members/:memberId/inventory/:itemId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/inventory/${f.cyber.itemA}`, body: { version: '2.0' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/inventory/${f.cyber.itemA}`, body: { name: 'Écrasé' } }),
      status: 404,
    },
  },
  'DELETE /api/v1/members/:memberId/inventory/:itemId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/inventory/${f.cyber.itemToDelete}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/inventory/${f.cyber.itemA}` }), status: 404 },
  },
  'POST /api/v1/members/:memberId/inventory/import': {
    access: CYBER,
    call: (f) => ({
      url: `${m(f)}/inventory/import?dryRun=true`,
      multipart: csv('type;nom\nserveur;Serveur importé\n'),
    }),
    ok: [200],
  },
  'GET /api/v1/members/:memberId/inventory.:format': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/inventory.csv` }),
  },
  'GET /api/v1/members/:memberId/cyber-profile': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/cyber-profile` }),
  },
  'PUT /api/v1/members/:memberId/cyber-profile': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/cyber-profile`, body: { nis2InScope: false } }),
  },
  'POST /api/v1/members/:memberId/diagnostics': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/diagnostics`, body: { answers: allYes() } }),
  },
  'GET /api/v1/members/:memberId/diagnostics': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/diagnostics` }),
  },
  'GET /api/v1/members/:memberId/diagnostics/:diagnosticId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/diagnostics/${f.cyber.diagnosticA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/diagnostics/${f.cyber.diagnosticA}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/advisories': { access: CYBER, call: (f) => ({ url: `${m(f)}/advisories` }) },
  'GET /api/v1/members/:memberId/advisories/:advisoryId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/advisories/${f.cyber.advisory}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/advisories/${f.cyber.advisory}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/remediations/:remediationId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/remediations/${f.cyber.remediationA}`, body: { state: 'mitigated' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/remediations/${f.cyber.remediationA}`, body: { state: 'patched' } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/incidents': {
    access: CYBER,
    call: (f) => ({
      url: `${m(f)}/incidents`,
      body: {
        category: 'phishing',
        detectedAt: new Date(Date.now() - 60_000).toISOString(),
        personalData: false,
      },
    }),
  },
  'GET /api/v1/members/:memberId/incidents': { access: CYBER, call: (f) => ({ url: `${m(f)}/incidents` }) },
  'GET /api/v1/members/:memberId/incidents/:incidentId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/incidents/${f.cyber.incidentA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/incidents/${f.cyber.incidentA}` }), status: 404 },
  },
  'PATCH /api/v1/members/:memberId/incidents/:incidentId': {
    access: CYBER,
    call: (f) => ({ url: `${m(f)}/incidents/${f.cyber.incidentA}`, body: { status: 'contained' } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/incidents/${f.cyber.incidentA}`, body: { status: 'closed' } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/incidents/:incidentId/timeline': {
    access: CYBER,
    call: (f) => ({
      url: `${m(f)}/incidents/${f.cyber.incidentA}/timeline`,
      body: { at: new Date().toISOString(), text: 'Postes isolés du réseau' },
    }),
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/incidents/${f.cyber.incidentA}/timeline`,
        body: { at: new Date().toISOString(), text: 'Intrusion' },
      }),
      status: 404,
    },
  },
  'GET /api/v1/cyber/questionnaire': {
    access: { signedIn: true },
    call: () => ({ url: `${v1}/cyber/questionnaire` }),
  },
  'POST /api/v1/cyber/advisories': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/advisories`, body: bsiAdvisory() }),
    // Imported once: the next allowed person is told it already was.
    ok: [201, 409],
  },
  'POST /api/v1/cyber/advisories/manual': {
    access: { operator: 'cyber' },
    call: () => ({
      url: `${v1}/cyber/advisories/manual`,
      body: {
        title: 'Avis de la matrice',
        reference: 'MATRICE-MANUEL',
        severity: 'low',
        products: [{ vendor: 'Éditeur', product: 'Produit', versionRange: 'vers:semver/<1.0.0' }],
      },
    }),
    ok: [201, 409],
  },
  'GET /api/v1/cyber/advisories': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/advisories` }),
  },
  'GET /api/v1/cyber/advisories/:advisoryId': {
    access: { operator: 'cyber' },
    call: (f) => ({ url: `${v1}/cyber/advisories/${f.cyber.advisory}` }),
  },
  'GET /api/v1/cyber/advisories/:advisoryId/exposure': {
    access: { operator: 'cyber' },
    call: (f) => ({ url: `${v1}/cyber/advisories/${f.cyber.advisory}/exposure` }),
  },
  'GET /api/v1/cyber/settings': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/settings` }),
  },
  'PUT /api/v1/cyber/settings': {
    access: { operator: 'cyber' },
    call: () => ({
      url: `${v1}/cyber/settings`,
      body: { remediationDays: { critical: 7, high: 30, medium: 90, low: 180, none: 365 } },
    }),
  },
  'GET /api/v1/cyber/services': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/services` }),
  },
  'PUT /api/v1/cyber/services/:serviceId/software': {
    access: { operator: 'cyber' },
    call: (f) => ({
      url: `${v1}/cyber/services/${f.services.open}/software`,
      body: {
        items: [{ name: 'Logiciel du service', vendor: 'Éditeur', product: 'Produit', version: '2.0.0' }],
      },
    }),
  },
  'GET /api/v1/cyber/dashboard': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/dashboard` }),
  },
  'GET /api/v1/cyber/members': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/members` }),
  },
  'GET /api/v1/cyber/incidents': {
    access: { operator: 'cyber' },
    call: () => ({ url: `${v1}/cyber/incidents` }),
  },

  // Hosting ---------------------------------------------------------------------------------------
  'GET /api/v1/status': {
    access: { public: true },
    call: () => ({ url: `${v1}/status` }),
  },
  'GET /api/v1/status/feed.atom': {
    access: { public: true },
    call: () => ({ url: `${v1}/status/feed.atom` }),
  },
  'GET /api/v1/status/incidents/:incidentId': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/status/incidents/${f.hosting.incident}` }),
  },
  'GET /api/v1/members/:memberId/instances': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/instances` }),
  },
  'GET /api/v1/members/:memberId/instances/:instanceId': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/instances/${f.hosting.instanceA}` }),
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/instances/${f.hosting.instanceA}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/service-states': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/service-states` }),
  },
  'GET /api/v1/members/:memberId/availability': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/availability?month=${f.year}-01` }),
  },
  'GET /api/v1/members/:memberId/licences': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/licences` }),
  },
  'PUT /api/v1/members/:memberId/licences/:subscriptionId/usage': {
    access: { operator: 'hosting', member: ['admin', 'agent'] },
    call: (f) => ({ url: `${m(f)}/licences/${f.subscriptions.units}/usage`, body: { seatsUsed: 3 } }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/licences/${f.subscriptions.units}/usage`, body: { seatsUsed: 3 } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/licences/:subscriptionId/more-seats': {
    access: { operator: 'hosting', member: ADMIN },
    call: (f) => ({ url: `${m(f)}/licences/${f.subscriptions.units}/more-seats`, body: { additional: 1 } }),
    note: 'One pending request per subscription: the first allowed caller’s is pending, the next get 409.',
    ok: [201, 409],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/licences/${f.subscriptions.units}/more-seats`,
        body: { additional: 1 },
      }),
      status: 404,
    },
  },
  'GET /api/v1/hosting/seat-requests': {
    access: { operator: 'hosting' },
    call: () => ({ url: `${v1}/hosting/seat-requests?status=pending` }),
  },
  'POST /api/v1/hosting/seat-requests/:requestId/approve': {
    access: { operator: 'hosting' },
    call: (f) => ({ url: `${v1}/hosting/seat-requests/${f.hosting.seatRequest}/approve` }),
    note: 'Decided once: the next allowed caller finds it treated (422).',
    ok: [200, 422],
  },
  'POST /api/v1/hosting/seat-requests/:requestId/refuse': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/seat-requests/${f.hosting.seatRequestToRefuse}/refuse`,
      body: { reason: 'Motif de la matrice.' },
    }),
    ok: [200, 422],
  },
  'POST /api/v1/members/:memberId/licences/:subscriptionId/usage/import': {
    access: { operator: 'hosting', member: ['admin', 'agent'] },
    call: (f) => ({
      url: `${m(f)}/licences/${f.subscriptions.units}/usage/import?dryRun=true`,
      multipart: csv('identifiant;actif\nalice;oui\nbruno;non\n'),
    }),
    ok: [200],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/licences/${f.subscriptions.units}/usage/import?dryRun=true`,
        multipart: csv('identifiant;actif\nalice;oui\n'),
      }),
      status: 404,
    },
  },
  'POST /api/v1/hosting/licences/declared-units': {
    access: { operator: 'hosting' },
    call: (f) => ({ url: `${v1}/hosting/licences/declared-units`, body: { year: f.year, confirm: false } }),
    ok: [200],
  },
  'GET /api/v1/members/:memberId/continuity-plans': {
    access: { operator: 'hosting', member: ALL },
    call: (f) => ({ url: `${m(f)}/continuity-plans` }),
  },
  'PUT /api/v1/hosting/services/:serviceId/continuity-plan': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/services/${f.services.open}/continuity-plan`,
      body: { rtoMinutes: 60, rpoMinutes: 60, procedures: 'Procédure de la matrice.' },
    }),
  },
  'GET /api/v1/hosting/services/:serviceId/continuity-plan': {
    access: { operator: 'hosting' },
    call: (f) => ({ url: `${v1}/hosting/services/${f.hosting.planService}/continuity-plan` }),
  },
  'POST /api/v1/hosting/services/:serviceId/continuity-plan/documents': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/services/${f.hosting.planService}/continuity-plan/documents`,
      multipart: { fields: {}, file: { name: 'procedure.pdf', data: tinyPdf() } },
    }),
  },
  'GET /api/v1/hosting/services/:serviceId/continuity-plan/documents/:documentId': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/services/${f.hosting.planService}/continuity-plan/documents/${f.hosting.documentA}`,
    }),
  },
  'DELETE /api/v1/hosting/services/:serviceId/continuity-plan/documents/:documentId': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/services/${f.hosting.planService}/continuity-plan/documents/${f.hosting.documentToDelete}`,
    }),
    ok: [204, 404],
  },
  'GET /api/v1/members/:memberId/continuity-plans/:serviceId/documents/:documentId': {
    access: { operator: 'hosting', member: ALL },
    note: 'The plan’s readers: every person of a member subscribing to the service (B does not).',
    call: (f) => ({
      url: `${m(f)}/continuity-plans/${f.hosting.planService}/documents/${f.hosting.documentA}`,
    }),
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/continuity-plans/${f.hosting.planService}/documents/${f.hosting.documentA}`,
      }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/instances': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${m(f)}/instances`,
      body: {
        subscriptionId: f.subscriptions.active,
        name: `Instance de la matrice ${crypto.randomBytes(3).toString('hex')}`,
        software: 'Logiciel',
        softwareVersion: '1.0',
        datacentre: 'DC',
        region: 'Région',
        provider: 'Hébergeur',
        rtoMinutes: 60,
        rpoMinutes: 60,
      },
    }),
  },
  'PUT /api/v1/members/:memberId/instances/:instanceId': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${m(f)}/instances/${f.hosting.instanceA}`,
      body: {
        subscriptionId: f.subscriptions.active,
        name: `Instance de la matrice ${crypto.randomBytes(3).toString('hex')}`,
        software: 'Logiciel',
        softwareVersion: '1.0',
        datacentre: 'DC',
        region: 'Région',
        provider: 'Hébergeur',
        rtoMinutes: 60,
        rpoMinutes: 60,
      },
    }),
  },
  'POST /api/v1/members/:memberId/instances/:instanceId/backups': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${m(f)}/instances/${f.hosting.instanceA}/backups`,
      body: { at: new Date(Date.now() - 3_600_000).toISOString() },
    }),
    ok: [200],
  },
  'POST /api/v1/members/:memberId/instances/:instanceId/restore-tests': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${m(f)}/instances/${f.hosting.instanceA}/restore-tests`,
      body: {
        testedAt: new Date(Date.now() - 3_600_000).toISOString(),
        durationMinutes: 30,
        dataAgeMinutes: 60,
      },
    }),
  },
  'POST /api/v1/hosting/incidents': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/incidents`,
      body: {
        serviceIds: [f.services.open],
        title: 'Incident de la matrice',
        state: 'degraded',
        message: 'Essai.',
      },
    }),
  },
  'POST /api/v1/hosting/incidents/:incidentId/updates': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/incidents/${f.hosting.incident}/updates`,
      body: { phase: 'monitoring', message: 'Surveillance.' },
    }),
  },
  'POST /api/v1/hosting/maintenances': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/maintenances`,
      body: {
        serviceIds: [f.services.open],
        title: 'Maintenance de la matrice',
        message: 'Essai.',
        startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString(),
      },
    }),
  },
  'GET /api/v1/hosting/monitors': {
    access: { operator: 'hosting' },
    call: () => ({ url: `${v1}/hosting/monitors` }),
  },
  'POST /api/v1/hosting/monitors': {
    access: { operator: 'hosting' },
    call: (f) => ({
      url: `${v1}/hosting/monitors`,
      body: { serviceId: f.services.open, kind: 'tcp', target: '127.0.0.1:9', intervalSeconds: 3600 },
    }),
  },
  'GET /api/v1/hosting/services/:serviceId/availability': {
    access: { operator: 'hosting' },
    call: (f) => ({ url: `${v1}/hosting/services/${f.services.open}/availability?month=${f.year}-01` }),
  },

  // Support desk (issue 14) --------------------------------------------------------------------------
  'POST /api/v1/members/:memberId/tickets': {
    access: SUPPORT,
    call: (f) => ({
      url: `${m(f)}/tickets`,
      body: { subject: 'Question de la matrice', description: 'Texte.' },
    }),
  },
  'GET /api/v1/members/:memberId/tickets': { access: SUPPORT, call: (f) => ({ url: `${m(f)}/tickets` }) },
  'GET /api/v1/members/:memberId/tickets/:ticketId': {
    access: SUPPORT,
    call: (f) => ({ url: `${m(f)}/tickets/${f.support.ticketA}` }),
    ok: [200, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/tickets/${f.support.ticketA}` }), status: 404 },
    note: "A member's agents and readers see only the tickets they opened: adminA's answers 404 to them.",
  },
  'POST /api/v1/members/:memberId/tickets/:ticketId/messages': {
    access: SUPPORT,
    call: (f) => ({ url: `${m(f)}/tickets/${f.support.ticketA}/messages`, body: { body: 'Précision.' } }),
    ok: [201, 404],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/tickets/${f.support.ticketA}/messages`, body: { body: 'Intrus.' } }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/tickets/:ticketId/confirm': {
    access: SUPPORT,
    call: (f) => ({ url: `${m(f)}/tickets/${f.support.resolvedA}/confirm`, body: { satisfaction: 5 } }),
    ok: [200, 404, 409],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/tickets/${f.support.resolvedA}/confirm`, body: {} }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/tickets/:ticketId/reopen': {
    access: SUPPORT,
    call: (f) => ({
      url: `${m(f)}/tickets/${f.support.toReopenA}/reopen`,
      body: { body: 'Toujours en panne.' },
    }),
    ok: [200, 404, 409],
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/tickets/${f.support.toReopenA}/reopen`, body: { body: 'Intrus.' } }),
      status: 404,
    },
  },
  'GET /api/v1/support/tickets': {
    access: { operator: 'support' },
    call: () => ({ url: `${v1}/support/tickets?status=active&sort=due` }),
  },
  'GET /api/v1/support/tickets/:ticketId': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/tickets/${f.support.ticketA}` }),
  },
  'POST /api/v1/support/tickets/:ticketId/messages': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/tickets/${f.support.ticketA}/messages`,
      body: { body: 'Note de la matrice.', internal: true },
    }),
  },
  'POST /api/v1/support/tickets/:ticketId/assign': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/tickets/${f.support.ticketA}/assign`, body: { assigneeId: null } }),
    ok: [200],
  },
  'GET /api/v1/support/reports': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/reports?year=${f.year}` }),
  },
  'GET /api/v1/support/articles': {
    access: { public: true },
    call: () => ({ url: `${v1}/support/articles?q=matrice` }),
  },
  'GET /api/v1/support/articles/:articleId': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/support/articles/${f.support.article}` }),
  },
  'POST /api/v1/support/articles': {
    access: { operator: 'support' },
    call: () => ({ url: `${v1}/support/articles`, body: { title: 'Article de la matrice', body: 'Texte.' } }),
  },
  'POST /api/v1/support/articles/:articleId/feedback': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/support/articles/${f.support.article}/feedback`, body: { helpful: true } }),
    ok: [200],
  },
  'GET /api/v1/trainings/sessions': {
    access: { public: true },
    call: () => ({ url: `${v1}/trainings/sessions` }),
  },
  'GET /api/v1/trainings/sessions/:sessionId': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/trainings/sessions/${f.support.session}` }),
  },
  'GET /api/v1/trainings/sessions/:sessionId/invitation.ics': {
    access: { public: true },
    call: (f) => ({ url: `${v1}/trainings/sessions/${f.support.session}/invitation.ics` }),
  },
  'GET /api/v1/trainings/sessions/:sessionId/attendance.pdf': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/trainings/sessions/${f.support.session}/attendance.pdf` }),
  },
  'POST /api/v1/trainings/sessions': {
    access: { operator: 'support' },
    call: () => ({
      url: `${v1}/trainings/sessions`,
      body: {
        title: 'Formation de la matrice',
        startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString(),
        place: 'À distance',
        capacity: 10,
      },
    }),
  },
  'POST /api/v1/trainings/sessions/:sessionId/registrations': {
    access: SUPPORT,
    call: (f) => ({
      url: `${v1}/trainings/sessions/${f.support.session}/registrations`,
      body: { memberId: f.A, name: 'Camille Matrice', email: 'camille.matrice@commune.example' },
    }),
    ok: [201, 409],
    note: 'The member is the one the body names; the same person registered twice is a 409.',
  },
  'DELETE /api/v1/trainings/registrations/:registrationId': {
    access: SUPPORT,
    call: (f) => ({ url: `${v1}/trainings/registrations/${f.support.registrationA}` }),
    ok: [204, 404],
    denied: 404,
    note: 'Who may not cancel a registration is not told it exists (RLS hides it from other members).',
  },
  // Training follow-up and the support team's reference data (issue 14) ------------------------------
  'PUT /api/v1/trainings/sessions/:sessionId': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/trainings/sessions/${f.support.session}`,
      body: {
        title: 'Formation de la matrice',
        startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString(),
        place: 'Maison des communes',
        capacity: 100,
        // A PUT replaces the whole session: every field, null for an empty one.
        description: null,
        audience: 'tous',
        departementCode: null,
        remote: false,
        trainer: null,
        perMemberCap: null,
        registrationDeadline: null,
        serviceId: null,
      },
    }),
    ok: [200],
  },
  'GET /api/v1/trainings/sessions/:sessionId/registrations': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/trainings/sessions/${f.support.heldSession}/registrations` }),
  },
  'PUT /api/v1/trainings/sessions/:sessionId/attendance': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/trainings/sessions/${f.support.heldSession}/attendance`,
      body: { attendance: [{ registrationId: f.support.attendedA, attended: true }] },
    }),
    ok: [200],
  },
  'GET /api/v1/trainings/sessions/:sessionId/survey-results': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/trainings/sessions/${f.support.heldSession}/survey-results` }),
  },
  'GET /api/v1/trainings/registrations/:registrationId/certificate.pdf': {
    access: SUPPORT,
    call: (f) => ({ url: `${v1}/trainings/registrations/${f.support.attendedA}/certificate.pdf` }),
    ok: [200],
    denied: 404,
    note: 'Who may not read the registration is not told it exists (RLS hides it from other members).',
  },
  'GET /api/v1/members/:memberId/trainings': {
    access: SUPPORT,
    call: (f) => ({ url: `${m(f)}/trainings` }),
  },
  'GET /api/v1/trainings/surveys/:token': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/trainings/surveys/${f.support.surveyToken}` }),
    forged: { call: () => ({ url: `${v1}/trainings/surveys/${'x'.repeat(43)}` }), status: 404 },
  },
  'POST /api/v1/trainings/surveys/:token': {
    access: { token: 'anyone' },
    call: (f) => ({
      url: `${v1}/trainings/surveys/${f.support.surveyToken}`,
      body: { overall: 5, usefulness: 'very' },
    }),
    forged: {
      call: () => ({
        url: `${v1}/trainings/surveys/${'x'.repeat(43)}`,
        body: { overall: 5, usefulness: 'very' },
      }),
      status: 404,
    },
    ok: [200, 409],
    note: 'Answered once: the first caller records it, the others are told it is done (409).',
  },
  'GET /api/v1/trainings/surveys/:token/certificate.pdf': {
    access: { token: 'anyone' },
    call: (f) => ({ url: `${v1}/trainings/surveys/${f.support.surveyToken}/certificate.pdf` }),
    forged: {
      call: () => ({ url: `${v1}/trainings/surveys/${'x'.repeat(43)}/certificate.pdf` }),
      status: 404,
    },
  },
  'GET /api/v1/trainings/reports': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/trainings/reports?from=${f.year}-01-01&to=${f.year}-12-31` }),
  },
  'GET /api/v1/trainings/reports/export': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/trainings/reports/export?from=${f.year}-01-01&to=${f.year}-12-31&part=sessions`,
    }),
  },
  'PUT /api/v1/support/articles/:articleId': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/articles/${f.support.article}`,
      body: {
        title: 'Article public de la matrice',
        body: 'Texte public.',
        serviceId: null,
        visibility: 'public',
      },
    }),
  },
  'DELETE /api/v1/support/articles/:articleId': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/articles/${f.support.articleToDelete}` }),
    ok: [204, 404],
  },
  'GET /api/v1/support/service-levels': {
    access: { operator: 'support' },
    call: () => ({ url: `${v1}/support/service-levels` }),
  },
  'PUT /api/v1/support/service-levels/:serviceId/:priority': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/service-levels/${f.services.open}/high`,
      body: { firstResponseMinutes: 240, resolutionMinutes: 960 },
    }),
  },
  'POST /api/v1/support/tickets/:ticketId/resolve': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/tickets/${f.support.toResolveA}/resolve`,
      body: { resolution: 'Résolu par la matrice.' },
    }),
    ok: [200, 409],
  },

  // Support desk: attachments, merges, incident links (issue 14) ---------------------------------------
  'POST /api/v1/members/:memberId/tickets/with-attachments': {
    access: SUPPORT,
    call: (f) => ({
      url: `${m(f)}/tickets/with-attachments`,
      multipart: {
        fields: { subject: 'Question avec pièce', description: 'Texte.' },
        file: { name: 'piece.pdf', data: tinyPdf() },
      },
    }),
  },
  'POST /api/v1/members/:memberId/tickets/:ticketId/attachments': {
    access: SUPPORT,
    call: (f) => ({
      url: `${m(f)}/tickets/${f.support.ticketA}/attachments`,
      multipart: { fields: { body: 'Précision.' }, file: { name: 'piece.pdf', data: tinyPdf() } },
    }),
    ok: [201, 404],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/tickets/${f.support.ticketA}/attachments`,
        multipart: { fields: {}, file: { name: 'piece.pdf', data: tinyPdf() } },
      }),
      status: 404,
    },
    note: "A member's agents and readers write only on the tickets they opened: adminA's answers 404 to them.",
  },
  'GET /api/v1/members/:memberId/tickets/:ticketId/attachments/:attachmentId': {
    access: SUPPORT,
    call: (f) => ({ url: `${m(f)}/tickets/${f.support.ticketA}/attachments/${f.support.attachmentA}` }),
    ok: [200, 404],
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/tickets/${f.support.ticketA}/attachments/${f.support.attachmentA}`,
      }),
      status: 404,
    },
    note: "A member's agents and readers download only from the tickets they opened.",
  },
  'POST /api/v1/support/tickets/:ticketId/attachments': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/tickets/${f.support.ticketA}/attachments`,
      multipart: {
        fields: { body: 'Note.', internal: 'true' },
        file: { name: 'piece.pdf', data: tinyPdf() },
      },
    }),
  },
  'GET /api/v1/support/tickets/:ticketId/attachments/:attachmentId': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/tickets/${f.support.ticketA}/attachments/${f.support.attachmentA}` }),
  },
  'POST /api/v1/support/tickets/:ticketId/merge': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/tickets/${f.support.duplicateA}/merge`,
      body: { intoTicketId: f.support.ticketA },
    }),
    ok: [200, 409],
  },
  'GET /api/v1/support/tickets/:ticketId/link-candidates': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/tickets/${f.support.ticketA}/link-candidates` }),
  },
  'POST /api/v1/support/tickets/:ticketId/links': {
    access: { operator: 'support' },
    call: (f) => ({
      url: `${v1}/support/tickets/${f.support.ticketA}/links`,
      body: { kind: 'hosting_incident', incidentId: f.hosting.incident },
    }),
    ok: [201, 409],
  },
  'DELETE /api/v1/support/tickets/:ticketId/links/:linkId': {
    access: { operator: 'support' },
    call: (f) => ({ url: `${v1}/support/tickets/${f.support.ticketA}/links/${f.support.linkA}` }),
    ok: [200, 404],
  },

  // Webhooks (issue 16) ------------------------------------------------------------------------------
  'GET /api/v1/webhook-event-types': {
    access: { public: true },
    call: () => ({ url: `${v1}/webhook-event-types` }),
  },
  'POST /api/v1/members/:memberId/webhooks': {
    access: WEBHOOKS,
    call: (f) => ({ url: `${m(f)}/webhooks`, body: webhookBody }),
    note: 'An address literal (loopback, allowed for the matrix): the guard needs no DNS.',
  },
  'GET /api/v1/members/:memberId/webhooks': { access: WEBHOOKS, call: (f) => ({ url: `${m(f)}/webhooks` }) },
  'DELETE /api/v1/members/:memberId/webhooks/:webhookId': {
    access: WEBHOOKS,
    call: (f) => ({ url: `${m(f)}/webhooks/${f.webhooks.webhookToDeleteA}` }),
    ok: [204, 404],
    foreign: { call: (f) => ({ url: `${m(f, 'B')}/webhooks/${f.webhooks.webhookA}` }), status: 404 },
  },
  'GET /api/v1/members/:memberId/webhooks/:webhookId/deliveries': {
    access: WEBHOOKS,
    call: (f) => ({ url: `${m(f)}/webhooks/${f.webhooks.webhookA}/deliveries` }),
    foreign: {
      call: (f) => ({ url: `${m(f, 'B')}/webhooks/${f.webhooks.webhookA}/deliveries` }),
      status: 404,
    },
  },
  'POST /api/v1/members/:memberId/webhooks/:webhookId/deliveries/:deliveryId/replay': {
    access: WEBHOOKS,
    call: (f) => ({
      url: `${m(f)}/webhooks/${f.webhooks.webhookA}/deliveries/${f.webhooks.deliveryA}/replay`,
    }),
    ok: [202, 409],
    note: 'The first replay queues it (202); while it is pending, the next ones answer 409.',
    foreign: {
      call: (f) => ({
        url: `${m(f, 'B')}/webhooks/${f.webhooks.webhookA}/deliveries/${f.webhooks.deliveryA}/replay`,
      }),
      status: 404,
    },
  },
  'POST /api/v1/webhooks': {
    access: { operator: 'admin' },
    call: () => ({ url: `${v1}/webhooks`, body: webhookBody }),
  },
  'GET /api/v1/webhooks': { access: { operator: 'admin' }, call: () => ({ url: `${v1}/webhooks` }) },
  'DELETE /api/v1/webhooks/:webhookId': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/webhooks/${f.webhooks.operatorWebhookToDelete}` }),
    ok: [204, 404],
  },
  'GET /api/v1/webhooks/:webhookId/deliveries': {
    access: { operator: 'admin' },
    call: (f) => ({ url: `${v1}/webhooks/${f.webhooks.operatorWebhook}/deliveries` }),
  },
  'POST /api/v1/webhooks/:webhookId/deliveries/:deliveryId/replay': {
    access: { operator: 'admin' },
    call: (f) => ({
      url: `${v1}/webhooks/${f.webhooks.operatorWebhook}/deliveries/${f.webhooks.operatorDelivery}/replay`,
    }),
    ok: [202, 409],
  },
  // Open data (issue 16): public, every dataset in CSV and JSON ----------------------------------------
  'GET /api/v1/open-data': { access: { public: true }, call: () => ({ url: `${v1}/open-data` }) },
  ...Object.fromEntries(
    OPEN_DATASETS.flatMap((id) =>
      (['csv', 'json'] as const).map((format): [string, RouteCase] => [
        `GET /api/v1/open-data/${id}.${format}`,
        { access: { public: true }, call: () => ({ url: `${v1}/open-data/${id}.${format}` }) },
      ]),
    ),
  ),
};
