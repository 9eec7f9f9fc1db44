import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  registrationInputSchema,
  registrationSchema,
  trainingListQuerySchema,
  trainingSessionInputSchema,
  trainingSessionListSchema,
  trainingSessionSchema,
  trainingSessionUpdateSchema,
} from '../../../contracts/support.js';
import { auditSource } from '../../platform/audit/audit.js';
import { actorOf, can } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { supportPolicy } from './support.policy.js';
import * as training from './support.training.service.js';

const TAGS = ['formations'];
const sessionParams = z.object({ sessionId: z.uuid({ message: 'identifiant de session invalide' }) });
const registrationParams = z.object({
  registrationId: z.uuid({ message: "identifiant d'inscription invalide" }),
});
const team = can(supportPolicy, 'support:operate');
/** A member's people register for their member (the body names it); the support team for any. */
const registers = can(
  supportPolicy,
  'support:tickets',
  (request) => (request.body as { memberId?: string }).memberId,
);

/** Training sessions (issue 14, §3 and §5): the public calendar, registrations, documents. */
export default async function trainingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): training.TrainingDeps => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  r.get(
    '/trainings/sessions',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Calendrier des formations à venir (public)',
        querystring: trainingListQuerySchema,
        response: { 200: trainingSessionListSchema },
      },
    },
    async (request) => request.inTenant((db) => training.listSessions(db, request.query)),
  );
  r.post(
    '/trainings/sessions',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Programmer une session de formation',
        body: trainingSessionInputSchema,
        response: { 201: trainingSessionSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        training.createSession(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.put(
    '/trainings/sessions/:sessionId',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary:
          'Modifier une session (tous ses champs, chacun obligatoire : null pour vider description, trainer, departementCode, perMemberCap, registrationDeadline ou serviceId ; capacité au moins égale aux inscriptions confirmées)',
        params: sessionParams,
        body: trainingSessionUpdateSchema,
        response: { 200: trainingSessionSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        training.updateSession(db, request.params.sessionId, request.body, auditSource(request)),
      ),
  );
  r.get(
    '/trainings/sessions/:sessionId',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Une session, avec ses nombres d’inscrits confirmés et en attente',
        params: sessionParams,
        response: { 200: trainingSessionSchema },
      },
    },
    async (request) => request.inTenant((db) => training.getSession(db, request.params.sessionId)),
  );
  r.get(
    '/trainings/sessions/:sessionId/invitation.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'La session au format iCalendar (ajout à un agenda)',
        params: sessionParams,
      },
    },
    async (request, reply) => {
      const ics = await request.inTenant((db) => training.sessionIcs(db, request.params.sessionId));
      return sendDownload(reply, {
        type: 'text/calendar; charset=utf-8',
        filename: 'formation.ics',
        body: ics,
      });
    },
  );
  r.get(
    '/trainings/sessions/:sessionId/attendance.pdf',
    {
      config: { access: team },
      schema: { tags: TAGS, summary: "Feuille d'émargement (PDF)", params: sessionParams },
    },
    async (request, reply) => {
      const pdf = await request.inTenant((db) => training.attendanceSheet(db, request.params.sessionId));
      return sendDownload(reply, { type: 'application/pdf', filename: 'emargement.pdf', body: pdf });
    },
  );
  r.post(
    '/trainings/sessions/:sessionId/registrations',
    {
      config: { access: registers },
      schema: {
        tags: TAGS,
        summary: "S'inscrire ou inscrire un collègue (liste d'attente au-delà des places)",
        params: sessionParams,
        body: registrationInputSchema,
        response: { 201: registrationSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        training.register(db, deps(), request.params.sessionId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.delete(
    '/trainings/registrations/:registrationId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: "Annuler une inscription (jusqu'à la date limite)",
        params: registrationParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await request.inTenant((db) =>
        training.cancelRegistration(
          db,
          request.params.registrationId,
          (memberId) => supportPolicy(actor, 'support:tickets', memberId),
          auditSource(request),
        ),
      );
      return reply.code(204).send(null);
    },
  );
}
