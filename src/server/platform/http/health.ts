import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '../db/client.js';

export function registerHealthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      schema: {
        tags: ['plateforme'],
        summary: 'Le processus répond',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  let migrationsChecked = false;
  r.get(
    '/ready',
    {
      schema: {
        tags: ['plateforme'],
        summary: 'La base répond et les migrations sont appliquées',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('unavailable'), detail: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        // One round-trip per call; the migration count is checked once, then only the connection.
        if (!migrationsChecked) {
          const pending = await pendingMigrations(app.database.db);
          if (pending > 0) {
            return reply
              .code(503)
              .send({ status: 'unavailable' as const, detail: `${pending} migration(s) en attente` });
          }
          migrationsChecked = true;
        } else {
          await app.database.db.execute(sql`SELECT 1`);
        }
        return { status: 'ready' as const };
      } catch {
        return reply
          .code(503)
          .send({ status: 'unavailable' as const, detail: 'base de données injoignable' });
      }
    },
  );
}
