import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agentMessageInputSchema,
  memberMessageInputSchema,
  memberTicketListQuerySchema,
  queueQuerySchema,
  supportReportQuerySchema,
  supportReportSchema,
  ticketAssignSchema,
  ticketConfirmSchema,
  ticketCreatedSchema,
  ticketInputSchema,
  ticketListSchema,
  ticketQueueSchema,
  ticketReopenSchema,
  ticketResolveSchema,
  ticketSchema,
} from '../../../contracts/support.js';
import { auditSource } from '../../platform/audit/audit.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import deskRoutes from './support.desk.routes.js';
import { supportPolicy, ticketReaderOf } from './support.policy.js';
import * as tickets from './support.service.js';

const TAGS = ['assistance'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const ticketParams = z.object({ ticketId: z.uuid({ message: 'identifiant de ticket invalide' }) });
const memberTicketParams = memberParams.extend(ticketParams.shape);

const memberAccess = can(supportPolicy, 'support:tickets', param('memberId'));
const team = can(supportPolicy, 'support:operate');

/** The reader of a member's tickets: the actor, narrowed by the policy (support.policy.ts). */
const readerOf = (request: FastifyRequest, memberId: string) => ticketReaderOf(actorOf(request), memberId);

/** The support desk (issue 14): members' tickets and the support team's queue. */
export default async function supportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): tickets.SupportDeps => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  r.post(
    '/members/:memberId/tickets',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: "Ouvrir un ticket d'assistance",
        params: memberParams,
        body: ticketInputSchema,
        response: { 201: ticketCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        tickets.openTicket(db, deps(), request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    '/members/:memberId/tickets',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Tickets de la structure (tous pour ses administrateurs, les siens pour les autres)',
        params: memberParams,
        querystring: memberTicketListQuerySchema,
        response: { 200: ticketListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.listMemberTickets(
          db,
          request.params.memberId,
          readerOf(request, request.params.memberId),
          request.query,
        ),
      ),
  );
  r.get(
    '/members/:memberId/tickets/:ticketId',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Un ticket et ses échanges (sans les notes internes)',
        params: memberTicketParams,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.getMemberTicket(
          db,
          request.params.memberId,
          request.params.ticketId,
          readerOf(request, request.params.memberId),
        ),
      ),
  );
  r.post(
    '/members/:memberId/tickets/:ticketId/messages',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Répondre sur un ticket (relance le délai s’il attendait la structure)',
        params: memberTicketParams,
        body: memberMessageInputSchema,
        response: { 201: ticketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await request.inTenant((db) =>
        tickets.addMemberMessage(
          db,
          deps(),
          request.params.memberId,
          request.params.ticketId,
          readerOf(request, request.params.memberId),
          request.body.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(ticket);
    },
  );
  r.post(
    '/members/:memberId/tickets/:ticketId/confirm',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Confirmer la résolution (avec la satisfaction) : le ticket est clos',
        params: memberTicketParams,
        body: ticketConfirmSchema,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.confirmTicket(
          db,
          request.params.memberId,
          request.params.ticketId,
          readerOf(request, request.params.memberId),
          request.body,
          auditSource(request),
        ),
      ),
  );
  r.post(
    '/members/:memberId/tickets/:ticketId/reopen',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Rouvrir un ticket résolu (dans les 15 jours)',
        params: memberTicketParams,
        body: ticketReopenSchema,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.reopenTicket(
          db,
          deps(),
          request.params.memberId,
          request.params.ticketId,
          readerOf(request, request.params.memberId),
          request.body.body,
          auditSource(request),
        ),
      ),
  );

  // The support team -------------------------------------------------------------------------------
  r.get(
    '/support/tickets',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: "File de l'assistance (toutes les structures), filtrée et triée",
        querystring: queueQuerySchema,
        response: { 200: ticketQueueSchema },
      },
    },
    async (request) => request.inTenant((db) => tickets.queue(db, request.query)),
  );
  r.get(
    '/support/tickets/:ticketId',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Un ticket avec ses notes internes',
        params: ticketParams,
        response: { 200: ticketSchema },
      },
    },
    async (request) => request.inTenant((db) => tickets.getTicketForTeam(db, request.params.ticketId)),
  );
  r.post(
    '/support/tickets/:ticketId/messages',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Répondre à la structure ou ajouter une note interne',
        params: ticketParams,
        body: agentMessageInputSchema,
        response: { 201: ticketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await request.inTenant((db) =>
        tickets.addAgentMessage(db, deps(), request.params.ticketId, request.body, auditSource(request)),
      );
      return reply.code(201).send(ticket);
    },
  );
  r.post(
    '/support/tickets/:ticketId/assign',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: "Attribuer le ticket à un agent de l'assistance (ou le libérer)",
        params: ticketParams,
        body: ticketAssignSchema,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.assignTicket(db, request.params.ticketId, request.body.assigneeId, auditSource(request)),
      ),
  );
  r.post(
    '/support/tickets/:ticketId/resolve',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Résoudre le ticket (la structure confirme ou rouvre sous 15 jours)',
        params: ticketParams,
        body: ticketResolveSchema,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        tickets.resolveTicket(
          db,
          deps(),
          request.params.ticketId,
          request.body.resolution,
          auditSource(request),
        ),
      ),
  );
  r.get(
    '/support/reports',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary:
          "Rapport annuel (ou mensuel avec month) de l'assistance : par mois et service, par département et type de structure",
        querystring: supportReportQuerySchema,
        response: { 200: supportReportSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => tickets.yearReport(db, request.query.year, request.query.month)),
  );

  // Desk (issue 14): attachments, merging duplicates, incident links (support.desk.routes.ts).
  await deskRoutes(app);
}
