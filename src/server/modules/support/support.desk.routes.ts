import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_FILES,
  ATTACHMENT_RULES_TEXT,
  agentMessageInputSchema,
  linkCandidatesSchema,
  memberMessageInputSchema,
  ticketCreatedSchema,
  ticketInputSchema,
  ticketLinkInputSchema,
  ticketMergeSchema,
  ticketSchema,
} from '../../../contracts/support.js';
import { auditSource } from '../../platform/audit/audit.js';
import { type FieldError, invalid } from '../../platform/errors.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { readUpload } from '../../platform/http/multipart.js';
import * as desk from './support.desk.service.js';
import { supportPolicy, ticketReaderOf } from './support.policy.js';
import type { SupportDeps } from './support.service.js';

const TAGS = ['assistance'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const ticketParams = z.object({ ticketId: z.uuid({ message: 'identifiant de ticket invalide' }) });
const memberTicketParams = memberParams.extend(ticketParams.shape);
const attachmentParams = {
  attachmentId: z.uuid({ message: 'identifiant de pièce jointe invalide' }),
};
const linkParams = ticketParams.extend({ linkId: z.uuid({ message: 'identifiant de lien invalide' }) });

const memberAccess = can(supportPolicy, 'support:tickets', param('memberId'));
const team = can(supportPolicy, 'support:operate');

/** The reader of a member's tickets: the actor, narrowed by the policy (support.policy.ts). */
const readerOf = (request: FastifyRequest, memberId: string) => ticketReaderOf(actorOf(request), memberId);

/** A sending: the ticket's or message's text fields and up to ATTACHMENT_MAX_FILES files. */
const readSending = (request: FastifyRequest) =>
  readUpload(request, {
    what: 'le formulaire',
    maxFiles: ATTACHMENT_MAX_FILES,
    maxBytes: ATTACHMENT_MAX_BYTES,
    tooLargeAdvice: `Réduisez-le (capture recadrée, PDF optimisé) puis réessayez. ${ATTACHMENT_RULES_TEXT}.`,
  });

/** The text fields checked with a contract: French messages naming each field. */
function parsed<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((i) => ({
    path: ['body', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw invalid(errors.map((e) => `${e.path} : ${e.message}`).join(' ; '), errors);
}

const blankToUndefined = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== ''));

const fileResponse = { 200: z.any().describe('Le fichier joint') };

/** Desk routes of the support module (issue 14): attachments, merging duplicates, incident links. */
export default async function deskRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): SupportDeps => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  r.post(
    '/members/:memberId/tickets/with-attachments',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: `Ouvrir un ticket avec des pièces jointes (multipart/form-data : les champs du ticket, fichiers « file » ; ${ATTACHMENT_RULES_TEXT})`,
        consumes: ['multipart/form-data'],
        params: memberParams,
        response: { 201: ticketCreatedSchema },
      },
    },
    async (request, reply) => {
      const { fields, files } = await readSending(request);
      const input = parsed(ticketInputSchema, blankToUndefined(fields));
      const created = await request.inTenant((db) =>
        desk.openTicketWithFiles(
          db,
          deps(),
          app.storage,
          request.params.memberId,
          input,
          files,
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );
  r.post(
    '/members/:memberId/tickets/:ticketId/attachments',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: `Joindre des fichiers à un ticket, avec un message « body » ou seuls (multipart/form-data ; ${ATTACHMENT_RULES_TEXT})`,
        consumes: ['multipart/form-data'],
        params: memberTicketParams,
        response: { 201: ticketSchema },
      },
    },
    async (request, reply) => {
      const { fields, files } = await readSending(request);
      const body = fields.body?.trim() ? parsed(memberMessageInputSchema, fields).body : null;
      const { memberId, ticketId } = request.params;
      const ticket = await request.inTenant((db) =>
        desk.addMemberFiles(
          db,
          deps(),
          app.storage,
          memberId,
          ticketId,
          readerOf(request, memberId),
          body,
          files,
          auditSource(request),
        ),
      );
      return reply.code(201).send(ticket);
    },
  );
  r.get(
    '/members/:memberId/tickets/:ticketId/attachments/:attachmentId',
    {
      config: { access: memberAccess },
      schema: {
        tags: TAGS,
        summary: 'Télécharger une pièce jointe du ticket',
        params: memberTicketParams.extend(attachmentParams),
        response: fileResponse,
      },
    },
    async (request, reply) => {
      const { memberId, ticketId, attachmentId } = request.params;
      const { attachment, data } = await request.inTenant((db) =>
        desk.readAttachment(db, app.storage, memberId, ticketId, attachmentId, readerOf(request, memberId)),
      );
      return sendDownload(reply, {
        type: attachment.mediaType,
        filename: attachment.fileName,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );

  // The support team ------------------------------------------------------------------------------
  r.post(
    '/support/tickets/:ticketId/attachments',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: `Joindre des fichiers, avec une réponse ou une note interne « body » (internal, waitForMember) ou seuls (multipart/form-data ; ${ATTACHMENT_RULES_TEXT})`,
        consumes: ['multipart/form-data'],
        params: ticketParams,
        response: { 201: ticketSchema },
      },
    },
    async (request, reply) => {
      const { fields, files } = await readSending(request);
      const flags = {
        internal: fields.internal === 'true',
        waitForMember: fields.waitForMember === 'true',
      };
      const input = fields.body?.trim()
        ? parsed(agentMessageInputSchema, { body: fields.body, ...flags })
        : { body: null, ...flags };
      const ticket = await request.inTenant((db) =>
        desk.addAgentFiles(
          db,
          deps(),
          app.storage,
          request.params.ticketId,
          input,
          files,
          auditSource(request),
        ),
      );
      return reply.code(201).send(ticket);
    },
  );
  r.get(
    '/support/tickets/:ticketId/attachments/:attachmentId',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Télécharger une pièce jointe (notes internes comprises)',
        params: ticketParams.extend(attachmentParams),
        response: fileResponse,
      },
    },
    async (request, reply) => {
      const { ticketId, attachmentId } = request.params;
      const { attachment, data } = await request.inTenant((db) =>
        desk.readAttachment(db, app.storage, null, ticketId, attachmentId, null),
      );
      return sendDownload(reply, {
        type: attachment.mediaType,
        filename: attachment.fileName,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );
  r.post(
    '/support/tickets/:ticketId/merge',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Fusionner ce ticket (doublon) dans un autre ticket de la même structure',
        params: ticketParams,
        body: ticketMergeSchema,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        desk.mergeTicket(
          db,
          deps(),
          request.params.ticketId,
          request.body.intoTicketId,
          auditSource(request),
        ),
      ),
  );
  r.get(
    '/support/tickets/:ticketId/link-candidates',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Incidents auxquels lier le ticket : cybersécurité de la structure, page de statut',
        params: ticketParams,
        response: { 200: linkCandidatesSchema },
      },
    },
    async (request) => request.inTenant((db) => desk.linkCandidates(db, request.params.ticketId)),
  );
  r.post(
    '/support/tickets/:ticketId/links',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: "Lier le ticket à un incident (cybersécurité de la structure, ou d'hébergement)",
        params: ticketParams,
        body: ticketLinkInputSchema,
        response: { 201: ticketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await request.inTenant((db) =>
        desk.linkIncident(db, request.params.ticketId, request.body, auditSource(request)),
      );
      return reply.code(201).send(ticket);
    },
  );
  r.delete(
    '/support/tickets/:ticketId/links/:linkId',
    {
      config: { access: team },
      schema: {
        tags: TAGS,
        summary: 'Retirer le lien du ticket vers un incident',
        params: linkParams,
        response: { 200: ticketSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        desk.unlinkIncident(db, request.params.ticketId, request.params.linkId, auditSource(request)),
      ),
  );
}
