import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assemblyDetailSchema,
  assemblyInputSchema,
  assemblyListSchema,
  assemblyParams,
  attendanceInputSchema,
  attendanceResultSchema,
  collegeInputSchema,
  collegeSchema,
  convocationsSentSchema,
  convocationTokenParams,
  delegateDesignationResultSchema,
  delegateDesignationSchema,
  itemParams,
  memberDelegatesParams,
  officialSpaceSchema,
  operatorOverviewSchema,
  publicConvocationSchema,
  seatInputSchema,
  seatParams,
  seatPatchSchema,
  seatSchema,
  sessionCreatedSchema,
  sessionDetailSchema,
  sessionInputSchema,
  sessionListQuerySchema,
  sessionListSchema,
  sessionParams,
  voteInputSchema,
  voteOutcomeSchema,
} from '../../../contracts/governance.js';
import { auditSource } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { unauthenticated } from '../../platform/errors.js';
import { attachment } from '../../platform/export/spreadsheet.js';
import { can, param } from '../../platform/http/access.js';
import { yearPrices } from '../pricing/pricing.public.service.js';
import * as convocations from './governance.convocations.service.js';
import * as official from './governance.official.service.js';
import { governancePolicy } from './governance.policy.js';
import * as service from './governance.service.js';
import * as sessions from './governance.sessions.service.js';
import { vote } from './governance.votes.service.js';

const TAGS = ['assemblées'];
const LINK_TAGS = ['assemblées — lien de convocation'];
const file = (what: string) => z.any().describe(what);

/** The signed-in actor (routes declared `signed-in` run only with one). */
function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/**
 * Assemblies (issue 12). Routes name assemblies and sessions, not members: who may reach one is
 * decided by the service from the assembly's organisation (the policy, the member's subscription to
 * « Convocations électroniques des élus », or a seat in it), and hidden ones answer 404.
 */
export default async function governanceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = () => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  // Assemblies, colleges, seats ------------------------------------------------------------------
  r.get(
    '/governance/assemblies',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Assemblées visibles : celles de l'organisation courante et celles où l'on siège",
        response: { 200: assemblyListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listAssemblies(db, actorOf(request))),
  );

  r.post(
    '/governance/assemblies',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Créer une assemblée (comité syndical, bureau, conseil…) d'une organisation",
        body: assemblyInputSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        service.createAssembly(db, actorOf(request), request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/governance/assemblies/:assemblyId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Une assemblée : ses collèges et ses sièges (titulaires, suppléants)',
        params: assemblyParams,
        response: { 200: assemblyDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.getAssembly(db, actorOf(request), request.params.assemblyId)),
  );

  r.post(
    '/governance/assemblies/:assemblyId/colleges',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Ajouter un collège (sièges, voix par délégué)',
        params: assemblyParams,
        body: collegeInputSchema,
        response: { 201: collegeSchema },
      },
    },
    async (request, reply) => {
      const college = await request.inTenant((db) =>
        service.addCollege(
          db,
          actorOf(request),
          request.params.assemblyId,
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(college);
    },
  );

  r.post(
    '/governance/assemblies/:assemblyId/seats',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Ajouter un siège (titulaire ou suppléant)',
        params: assemblyParams,
        body: seatInputSchema,
        response: { 201: seatSchema },
      },
    },
    async (request, reply) => {
      const seat = await request.inTenant((db) =>
        service.addSeat(db, actorOf(request), request.params.assemblyId, request.body, auditSource(request)),
      );
      return reply.code(201).send(seat);
    },
  );

  r.patch(
    '/governance/assemblies/:assemblyId/seats/:seatId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Modifier un siège (mandat, collège, suppléance, convocation papier…)',
        params: seatParams,
        body: seatPatchSchema,
        response: { 200: seatSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        service.updateSeat(
          db,
          actorOf(request),
          request.params.assemblyId,
          request.params.seatId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  r.delete(
    '/governance/assemblies/:assemblyId/seats/:seatId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Retirer un siège (son mandat prend fin la veille ; supprimé s’il n’avait pas commencé)',
        params: seatParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await request.inTenant((db) =>
        service.removeSeat(
          db,
          actorOf(request),
          request.params.assemblyId,
          request.params.seatId,
          auditSource(request),
        ),
      );
      return reply.code(204).send(null);
    },
  );

  // A member's delegates to the operator's comité syndical ------------------------------------------
  r.get(
    '/members/:memberId/governance/delegates',
    {
      config: { access: can(governancePolicy, 'governance:read', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: "Délégués de la structure au comité syndical de l'opérateur",
        params: memberDelegatesParams,
        response: { 200: delegateDesignationResultSchema },
      },
    },
    async (request) => request.inTenant((db) => service.memberDelegates(db, request.params.memberId)),
  );

  r.post(
    '/members/:memberId/governance/delegates',
    {
      config: { access: can(governancePolicy, 'governance:designate', param('memberId')) },
      schema: {
        tags: TAGS,
        summary:
          'Désigner les délégués de la structure au comité syndical, avec la délibération de désignation',
        params: memberDelegatesParams,
        body: delegateDesignationSchema,
        response: { 201: delegateDesignationResultSchema },
      },
    },
    async (request, reply) => {
      const result = await request.inTenant((db) =>
        service.designateDelegates(
          db,
          actorOf(request),
          request.params.memberId,
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(result);
    },
  );

  // Sessions ---------------------------------------------------------------------------------------
  r.get(
    '/governance/assemblies/:assemblyId/sessions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Séances d'une assemblée (à venir, passées ou toutes)",
        params: assemblyParams,
        querystring: sessionListQuerySchema,
        response: { 200: sessionListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        sessions.listSessions(db, actorOf(request), request.params.assemblyId, request.query.when),
      ),
  );

  r.post(
    '/governance/assemblies/:assemblyId/sessions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          'Créer une séance avec son ordre du jour ; répond la date limite de convocation (jours francs)',
        params: assemblyParams,
        body: sessionInputSchema,
        response: { 201: sessionCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        sessions.createSession(
          db,
          actorOf(request),
          request.params.assemblyId,
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/governance/sessions/:sessionId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          'Une séance : ordre du jour, présences, quorum, votes, convocations (ETag : 304 avec If-None-Match tant que rien ne change)',
        params: sessionParams,
        response: { 200: sessionDetailSchema, 304: z.null().describe('Inchangée depuis cette version') },
      },
    },
    async (request, reply) => {
      const { etag, detail } = await request.inTenant((db) =>
        sessions.getSessionIfChanged(
          db,
          actorOf(request),
          request.params.sessionId,
          request.headers['if-none-match'],
        ),
      );
      reply.header('etag', etag);
      if (detail === null) return reply.code(304).send(null);
      return detail;
    },
  );

  r.post(
    '/governance/sessions/:sessionId/convocations',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          'Envoyer les convocations (une par membre, jamais deux ; refusé après le délai sauf urgence)',
        params: sessionParams,
        response: { 200: convocationsSentSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        convocations.sendConvocations(
          db,
          deps(),
          actorOf(request),
          request.params.sessionId,
          auditSource(request),
        ),
      ),
  );

  r.get(
    '/governance/sessions/:sessionId/convocations.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Convocations imprimables (membres ayant demandé le papier, ou un siège)',
        params: sessionParams,
        querystring: z.object({ seatId: z.uuid().optional() }),
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const pdf = await request.inTenant((db) =>
        official.printedConvocations(db, actorOf(request), request.params.sessionId, request.query.seatId),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', attachment('convocations.pdf'))
        .send(pdf);
    },
  );

  r.put(
    '/governance/sessions/:sessionId/attendance',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer des présences (présent, absent, excusé, représenté) ; répond le quorum',
        params: sessionParams,
        body: attendanceInputSchema,
        response: { 200: attendanceResultSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        sessions.recordAttendance(
          db,
          actorOf(request),
          request.params.sessionId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/governance/sessions/:sessionId/items/:itemId/vote',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Voter un point : adopté, il devient une délibération et la décision liée s'exécute",
        params: itemParams,
        body: voteInputSchema,
        response: { 200: voteOutcomeSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        vote(
          db,
          actorOf(request),
          request.params.sessionId,
          request.params.itemId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  // The official's space and the operator's one-page view -------------------------------------------
  r.get(
    '/governance/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "L'espace de l'élu : ses sièges, prochaines séances, convocations, délibérations",
        response: { 200: officialSpaceSchema },
      },
    },
    async (request) => request.inTenant((db) => official.officialSpace(db, actorOf(request))),
  );

  r.get(
    '/governance/operator-overview',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "L'opérateur en une page, pour les élus de ses assemblées",
        response: { 200: operatorOverviewSchema },
      },
    },
    async (request) => {
      const base = await request.inTenant((db) => official.operatorOverview(db, actorOf(request)));
      // After the request's transaction: the pricing reader opens its own.
      const prices = await yearPrices(app.database, base.year).catch(() => null);
      return official.withPrices(base, prices);
    },
  );

  // The recipient's personal link (public: the token is the credential) -----------------------------
  const linkConfig = { access: 'public' as const, anonymousRead: false };
  r.get(
    '/governance/convocations/:token',
    {
      config: linkConfig,
      schema: {
        tags: LINK_TAGS,
        summary: "Ouvrir sa convocation (l'ouverture est enregistrée)",
        params: convocationTokenParams,
        response: { 200: publicConvocationSchema },
      },
    },
    async (request) => request.inTenant((db) => convocations.openConvocation(db, request.params.token)),
  );

  r.post(
    '/governance/convocations/:token/receipt',
    {
      config: linkConfig,
      schema: {
        tags: LINK_TAGS,
        summary: 'Accuser réception de sa convocation',
        params: convocationTokenParams,
        response: { 200: publicConvocationSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => convocations.acknowledgeConvocation(db, request.params.token)),
  );

  r.post(
    '/governance/convocations/:token/unavailability',
    {
      config: linkConfig,
      schema: {
        tags: LINK_TAGS,
        summary: 'Signaler son absence : le suppléant est convoqué',
        params: convocationTokenParams,
        response: { 200: publicConvocationSchema },
      },
    },
    async (request) => request.inTenant((db) => convocations.declareUnavailable(db, request.params.token)),
  );
}
