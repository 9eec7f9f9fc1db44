import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '../db/client.js';
import { isConnectionError } from '../errors.js';

const PROBE_TIMEOUT_MS = 3000;

/**
 * Runs a readiness query, bounded in time. A pooled connection that died while idle can be handed
 * out once before the pool notices: a connection error is retried once, on a new connection, so that
 * /ready answers 503 only when the database itself does not answer.
 */
async function probe<T>(query: () => Promise<T>): Promise<T> {
  const bounded = () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('readiness probe timed out')), PROBE_TIMEOUT_MS);
    });
    return Promise.race([query(), timeout]).finally(() => clearTimeout(timer));
  };
  try {
    return await bounded();
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    return bounded();
  }
}

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
          const pending = await probe(() => pendingMigrations(app.database.db));
          if (pending > 0) {
            return reply
              .code(503)
              .send({ status: 'unavailable' as const, detail: `${pending} migration(s) en attente` });
          }
          migrationsChecked = true;
        } else {
          await probe(() => app.database.db.execute(sql`SELECT 1`));
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
