import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  processorInputSchema,
  processorListQuerySchema,
  processorListSchema,
  processorPatchSchema,
  processorSchema,
} from '../../../../contracts/rgpd.js';
import { can } from '../../../platform/http/access.js';
import { rgpdPolicy } from '../rgpd.policy.js';
import * as service from './rgpd.processors.service.js';

const TAGS = ['rgpd — modèles et sous-traitants'];
const processorParams = z.object({
  processorId: z.uuid({ message: 'identifiant de sous-traitant invalide' }),
});
const empty = z.null().describe('Aucun contenu');

/** The shared directory of processors (sous-traitants): read by everyone signed in, kept by the DPO. */
export default async function rgpdProcessorsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/rgpd/processors',
    {
      config: { access: can(rgpdPolicy, 'processors:read') },
      schema: {
        tags: TAGS,
        summary: 'Annuaire partagé des sous-traitants',
        querystring: processorListQuerySchema,
        response: { 200: processorListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listProcessors(db, request.query)),
  );

  r.get(
    '/rgpd/processors/:processorId',
    {
      config: { access: can(rgpdPolicy, 'processors:read') },
      schema: {
        tags: TAGS,
        summary: 'Un sous-traitant de l’annuaire',
        params: processorParams,
        response: { 200: processorSchema },
      },
    },
    async (request) => request.inTenant((db) => service.getProcessor(db, request.params.processorId)),
  );

  r.post(
    '/rgpd/processors',
    {
      config: { access: can(rgpdPolicy, 'processors:write') },
      schema: {
        tags: TAGS,
        summary: 'Ajouter un sous-traitant à l’annuaire (DPO)',
        body: processorInputSchema,
        response: { 201: processorSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) => service.createProcessor(db, request.body));
      return reply.code(201).send(created);
    },
  );

  r.patch(
    '/rgpd/processors/:processorId',
    {
      config: { access: can(rgpdPolicy, 'processors:write') },
      schema: {
        tags: TAGS,
        summary: 'Modifier un sous-traitant (DPO)',
        params: processorParams,
        body: processorPatchSchema,
        response: { 200: processorSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.updateProcessor(db, request.params.processorId, request.body)),
  );

  r.delete(
    '/rgpd/processors/:processorId',
    {
      config: { access: can(rgpdPolicy, 'processors:write') },
      schema: {
        tags: TAGS,
        summary: 'Supprimer un sous-traitant lié à aucun traitement (DPO)',
        params: processorParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      await request.inTenant((db) => service.deleteProcessor(db, request.params.processorId));
      return reply.code(204).send(null);
    },
  );
}
