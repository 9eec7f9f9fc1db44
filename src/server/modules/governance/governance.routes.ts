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
  deliberationsListPublishedSchema,
  itemDocumentParams,
  itemDocumentSchema,
  itemParams,
  linkedDocumentParams,
  memberDelegatesParams,
  minutesPublishedSchema,
  officialSpaceSchema,
  operatorOverviewSchema,
  publicConvocationSchema,
  publicMinutesParams,
  publishedDeliberationsSchema,
  seatInputSchema,
  seatParams,
  seatPatchSchema,
  seatSchema,
  sessionClosedSchema,
  sessionCreatedSchema,
  sessionDetailSchema,
  sessionInputSchema,
  sessionListQuerySchema,
  sessionListSchema,
  sessionLiveSchema,
  sessionParams,
  voteInputSchema,
  voteOutcomeSchema,
} from '../../../contracts/governance.js';
import { auditSource } from '../../platform/audit/audit.js';
import { type Actor, tenantOf } from '../../platform/auth/context.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { unauthenticated } from '../../platform/errors.js';
import { can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { readOneFile } from '../../platform/http/multipart.js';
import { yearPrices } from '../pricing/pricing.public.service.js';
import * as convocations from './governance.convocations.service.js';
import * as documents from './governance.documents.service.js';
import { SessionLiveStreams } from './governance.live.js';
import * as minutes from './governance.minutes.service.js';
import * as official from './governance.official.service.js';
import { governancePolicy } from './governance.policy.js';
import * as publication from './governance.publication.service.js';
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
  const liveStreams = new SessionLiveStreams(
    app.database.db,
    app.changes,
    {
      perSession: app.config.GOVERNANCE_LIVE_STREAMS_PER_SESSION,
      total: app.config.GOVERNANCE_LIVE_STREAMS_MAX,
      recheckMs: app.config.GOVERNANCE_LIVE_RECHECK_SECONDS * 1000,
      maxLifetimeMs: app.config.GOVERNANCE_LIVE_MAX_SECONDS * 1000,
    },
    app.log,
  );
  // preClose, not onClose: Fastify closes the HTTP server (waiting for its open responses) before the
  // onClose hooks run, so the streams must end first or `app.close()` would wait for the clients.
  app.addHook('preClose', async () => {
    await liveStreams.close();
  });
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

  r.get(
    '/governance/sessions/:sessionId/live',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          "L'état de la séance en direct : quorum et statut des points (ETag : 304 avec If-None-Match tant que rien ne change)",
        params: sessionParams,
        response: { 200: sessionLiveSchema, 304: z.null().describe('Inchangée depuis cette version') },
      },
    },
    async (request, reply) => {
      const { etag, live } = await request.inTenant((db) =>
        sessions.getSessionLive(
          db,
          actorOf(request),
          request.params.sessionId,
          request.headers['if-none-match'],
        ),
      );
      reply.header('etag', etag);
      if (live === null) return reply.code(304).send(null);
      return live;
    },
  );

  r.get(
    '/governance/sessions/:sessionId/live/events',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          "L'état de la séance en direct, poussé (text/event-stream) : le même état que /live à la connexion puis à chaque changement ; 503 au-delà du nombre de flux permis (la page interroge alors /live)",
        params: sessionParams,
        produces: ['text/event-stream'],
        response: {
          200: z
            .string()
            .describe(
              'Événements « server-sent events » : `id` = révision, `data` = état en direct (schéma de /live) ; un commentaire toutes les 25 s. Le droit de lire la séance est vérifié de nouveau à intervalles réguliers (une minute par défaut) et le flux se ferme quand il est perdu ; il se termine aussi au bout d’une durée maximale (30 minutes par défaut), après quoi le navigateur se reconnecte.',
            ),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { sessionId } = request.params;
      // Refused early (before any read) when full; checked again when the stream opens.
      liveStreams.checkRoom(sessionId);
      // The same check and first state as GET …/live, in the reader's own transaction.
      const { live } = await request.inTenant((db) =>
        sessions.getSessionLive(db, actor, sessionId, undefined),
      );
      if (!live) throw new Error('a live state is always read without If-None-Match');
      // Checked again while the stream stays open: who the credentials name now, by the same rule.
      const actorNow = request.actorLater();
      const stillReads = async () => {
        const current = await actorNow();
        if (!current) return false;
        return withTenant(app.database.db, tenantOf(current), (db) =>
          sessions.maySeeSession(db, current, sessionId),
        );
      };
      const stream = liveStreams.open(sessionId, live, reply.raw, stillReads);
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'private, no-store, no-transform')
          .header('x-accel-buffering', 'no')
          // One stream per connection, closed with it: never a keep-alive connection left behind.
          .header('connection', 'close')
          // A stream is sent as it is, never serialized: the schema's string documents its text.
          .send(stream as unknown as string)
      );
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
      return sendDownload(reply, { type: 'application/pdf', filename: 'convocations.pdf', body: pdf });
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
    '/governance/sessions/:sessionId/close',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          'Clore la séance ; sans quorum, la seconde convocation est préparée (même ordre du jour, 3 jours au moins après, sans quorum)',
        params: sessionParams,
        response: { 200: sessionClosedSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        sessions.closeSession(db, actorOf(request), request.params.sessionId, auditSource(request)),
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
          { storage: app.storage },
          actorOf(request),
          request.params.sessionId,
          request.params.itemId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  // After the sitting: the list of deliberations -----------------------------------------------------
  r.post(
    '/governance/sessions/:sessionId/deliberations/publish',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Publier la liste des délibérations de la séance close (dans la semaine)',
        params: sessionParams,
        response: { 200: deliberationsListPublishedSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        publication.publishDeliberationsList(
          db,
          actorOf(request),
          request.params.sessionId,
          auditSource(request),
        ),
      ),
  );

  // The procès-verbal: the draft drawn from the record, adopted by a later session, published ---------
  r.get(
    '/governance/sessions/:sessionId/minutes.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Projet de procès-verbal de la séance close, rédigé à partir du registre (PDF)',
        params: sessionParams,
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const pdf = await request.inTenant((db) =>
        minutes.minutesDraft(db, actorOf(request), request.params.sessionId),
      );
      return sendDownload(reply, {
        type: 'application/pdf',
        filename: 'proces-verbal-projet.pdf',
        body: pdf,
      });
    },
  );

  r.get(
    '/governance/sessions/:sessionId/minutes/adopted.pdf',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary:
          'Procès-verbal adopté de la séance, tel qu’adopté par une séance ultérieure (PDF ; élus de l’assemblée, gestionnaires)',
        params: sessionParams,
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const pdf = await request.inTenant((db) =>
        minutes.readAdoptedMinutes(db, app.storage, actorOf(request), request.params.sessionId),
      );
      return sendDownload(reply, { type: 'application/pdf', filename: 'proces-verbal.pdf', body: pdf });
    },
  );

  r.post(
    '/governance/sessions/:sessionId/minutes/publish',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Publier le procès-verbal adopté de la séance (lisible par tous ensuite)',
        params: sessionParams,
        response: { 200: minutesPublishedSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        minutes.publishMinutes(db, actorOf(request), request.params.sessionId, auditSource(request)),
      ),
  );

  r.get(
    '/public/organisations/:organisationId/minutes/:sessionId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['assemblées — public'],
        summary: "Procès-verbal publié d'une séance de l'organisation (PDF, tel qu'adopté)",
        params: publicMinutesParams,
        response: { 200: file('Fichier PDF') },
      },
    },
    async (request, reply) => {
      const pdf = await request.inTenant((db) =>
        minutes.readPublishedMinutes(
          db,
          app.storage,
          request.params.organisationId,
          request.params.sessionId,
        ),
      );
      return sendDownload(reply, { type: 'application/pdf', filename: 'proces-verbal.pdf', body: pdf });
    },
  );

  r.get(
    '/public/organisations/:organisationId/deliberations',
    {
      config: { access: 'public' },
      schema: {
        tags: ['assemblées — public'],
        summary: "Listes des délibérations publiées de l'organisation, séance par séance, avec les votes",
        params: z.object({ organisationId: z.uuid() }),
        response: { 200: publishedDeliberationsSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => publication.publishedDeliberations(db, request.params.organisationId)),
  );

  // Agenda items' documents --------------------------------------------------------------------------
  r.post(
    '/governance/sessions/:sessionId/items/:itemId/documents',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: `Joindre un document à un point de l'ordre du jour (multipart/form-data, champ file : ${documents.ACCEPTED_TYPES_TEXT})`,
        consumes: ['multipart/form-data'],
        params: itemParams,
        response: { 201: itemDocumentSchema },
      },
    },
    async (request, reply) => {
      const file = await readOneFile(request, { what: 'le document' });
      const document = await request.inTenant((db) =>
        documents.addItemDocument(
          db,
          app.storage,
          actorOf(request),
          request.params.sessionId,
          request.params.itemId,
          file,
          auditSource(request),
        ),
      );
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/governance/sessions/:sessionId/documents/:documentId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Télécharger un document d'un point (élus de l'assemblée, gestionnaires)",
        params: itemDocumentParams,
        response: { 200: file('Le document') },
      },
    },
    async (request, reply) => {
      const { document, data } = await request.inTenant((db) =>
        documents.readItemDocument(
          db,
          app.storage,
          actorOf(request),
          request.params.sessionId,
          request.params.documentId,
        ),
      );
      return sendDownload(reply, { type: document.mediaType, filename: document.fileName, body: data });
    },
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

  r.get(
    '/governance/convocations/:token/documents/:documentId',
    {
      config: linkConfig,
      schema: {
        tags: LINK_TAGS,
        summary: "Télécharger un document de l'ordre du jour par son lien de convocation",
        params: linkedDocumentParams,
        response: { 200: file('Le document') },
      },
    },
    async (request, reply) => {
      const { document, data } = await request.inTenant((db) =>
        documents.readLinkedDocument(db, app.storage, request.params.token, request.params.documentId),
      );
      return sendDownload(reply, {
        type: document.mediaType,
        filename: document.fileName,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
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
