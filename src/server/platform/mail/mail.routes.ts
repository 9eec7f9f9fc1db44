import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboxList, outboxMailSchema, outboxQuery } from '../../../contracts/mail.js';
import { definePolicy, operatorAdmin } from '../auth/policy.js';
import { notFound } from '../errors.js';
import { can } from '../http/access.js';
import { sendDownload } from '../http/download.js';
import { decodeCursor, encodeCursor, pageOf } from '../http/pagination.js';
import type { StoredMailAttachment } from './mail.schema.js';
import { countOutbox, findOutboxMail, listOutbox } from './outbox.repository.js';

const tags = ['Journal et courriels'];
const OUTBOX_DENIED = "Les courriels envoyés sont réservés aux administrateurs de l'opérateur.";
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** The attachments' names, types and sizes; their storage keys stay inside (the bytes: `…/attachments/:index`). */
const attachmentsOf = (stored: readonly StoredMailAttachment[]) =>
  stored.map(({ fileName, contentType, size }) => ({ fileName, contentType, size }));

/** The outbox is the operator admins' (platform service: it imports nothing from modules). */
export const mailPolicy = definePolicy({ 'outbox:read': operatorAdmin });
const readOutbox = can(mailPolicy, 'outbox:read', undefined, OUTBOX_DENIED);

export default async function mailRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/outbox',
    {
      config: { access: readOutbox },
      schema: {
        tags,
        summary: 'Courriels envoyés par la plateforme, du plus récent au plus ancien',
        querystring: outboxQuery,
        response: { 200: outboxList },
      },
    },
    async (request) => {
      const { to, limit, cursor } = request.query;
      return request.inTenant(async (tx) => {
        const rows = await listOutbox(tx, to, limit, decodeCursor(cursor));
        const page = pageOf(rows, limit, (r) => encodeCursor(r.cursorAt, r.id));
        return {
          items: page.items.map(({ cursorAt: _, ...r }) => ({
            ...r,
            createdAt: r.createdAt.toISOString(),
            sentAt: iso(r.sentAt),
            attachments: attachmentsOf(r.attachments),
          })),
          total: await countOutbox(tx, to),
          nextCursor: page.nextCursor,
        };
      });
    },
  );

  app.get(
    '/outbox/:id',
    {
      config: { access: readOutbox },
      schema: {
        tags,
        summary: 'Un courriel envoyé, avec son texte (la démonstration y lit les liens reçus)',
        params: z.object({ id: z.uuid() }),
        response: { 200: outboxMailSchema },
      },
    },
    async (request) => {
      const mail = await request.inTenant((tx) => findOutboxMail(tx, request.params.id));
      if (!mail) throw notFound("Ce courriel n'existe pas.");
      return {
        ...mail,
        createdAt: mail.createdAt.toISOString(),
        sentAt: iso(mail.sentAt),
        attachments: attachmentsOf(mail.attachments),
      };
    },
  );

  app.get(
    '/outbox/:id/attachments/:index',
    {
      config: { access: readOutbox },
      schema: {
        tags,
        summary:
          'Télécharger une pièce jointe d’un courriel envoyé (index : sa position dans la liste « attachments », à partir de 0)',
        params: z.object({
          id: z.uuid(),
          index: z.coerce
            .number({ message: "L'index de la pièce jointe est un nombre" })
            .int("L'index de la pièce jointe est un nombre entier")
            .min(0, "L'index de la pièce jointe commence à 0")
            .max(999, "L'index de la pièce jointe vaut au plus 999"),
        }),
        response: { 200: z.any().describe('Le fichier joint, avec son type') },
      },
    },
    async (request, reply) => {
      const { id, index } = request.params;
      const mail = await request.inTenant((tx) => findOutboxMail(tx, id));
      if (!mail) throw notFound("Ce courriel n'existe pas.");
      const file = mail.attachments[index];
      if (!file) throw notFound("Ce courriel n'a pas de pièce jointe à cette position.");
      const data = await fastify.storage.get(file.key);
      return sendDownload(reply, {
        type: file.contentType,
        filename: file.fileName,
        body: data,
        headers: { 'cache-control': 'private, no-store' },
      });
    },
  );
}
