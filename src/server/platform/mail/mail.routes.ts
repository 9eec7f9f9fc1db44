import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboxList, outboxMailSchema, outboxQuery } from '../../../contracts/mail.js';
import { canAccounts } from '../../modules/accounts/accounts.policy.js';
import { authorise, requireActor } from '../auth/context.js';
import { withTenant } from '../db/tenancy.js';
import { notFound } from '../errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../http/pagination.js';
import { countOutbox, findOutboxMail, listOutbox } from './outbox.repository.js';

const tags = ['Journal et courriels'];
const OUTBOX_DENIED = "Les courriels envoyés sont réservés aux administrateurs de l'opérateur.";
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export default async function mailRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/outbox',
    {
      schema: {
        tags,
        summary: 'Courriels envoyés par la plateforme, du plus récent au plus ancien',
        querystring: outboxQuery,
        response: { 200: outboxList },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorise(canAccounts(actor, 'outbox.read'), OUTBOX_DENIED);
      const { to, limit, cursor } = request.query;
      return withTenant(app.database.db, request.tenant, async (tx) => {
        const rows = await listOutbox(tx, to, limit, decodeCursor(cursor));
        const page = pageOf(rows, limit, (r) => encodeCursor(r.cursorAt, r.id));
        return {
          items: page.items.map(({ cursorAt: _, ...r }) => ({
            ...r,
            createdAt: r.createdAt.toISOString(),
            sentAt: iso(r.sentAt),
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
      schema: {
        tags,
        summary: 'Un courriel envoyé, avec son texte (la démonstration y lit les liens reçus)',
        params: z.object({ id: z.uuid() }),
        response: { 200: outboxMailSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorise(canAccounts(actor, 'outbox.read'), OUTBOX_DENIED);
      const mail = await withTenant(app.database.db, request.tenant, (tx) =>
        findOutboxMail(tx, request.params.id),
      );
      if (!mail) throw notFound("Ce courriel n'existe pas.");
      return { ...mail, createdAt: mail.createdAt.toISOString(), sentAt: iso(mail.sentAt) };
    },
  );
}
