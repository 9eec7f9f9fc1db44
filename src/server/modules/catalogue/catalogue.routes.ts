import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  serviceDetailSchema,
  serviceHistorySchema,
  serviceInputSchema,
  serviceListQuerySchema,
  serviceListSchema,
  servicePatchSchema,
} from '../../../contracts/catalogue.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can } from '../../platform/http/access.js';
import { eligibility } from '../subscriptions/subscriptions.service.js';
import { cataloguePolicy } from './catalogue.policy.js';
import * as service from './catalogue.service.js';

const TAGS = ['catalogue'];
export const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });

export default async function catalogueRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/catalogue/services',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Catalogue des services (public) ; sans filtre de statut, les services retirés sont omis',
        querystring: serviceListQuerySchema,
        response: { 200: serviceListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listServices(db, request.query)),
  );

  r.get(
    '/catalogue/services/:serviceId',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary:
          'Fiche d’un service : prérequis, prix « seul » par tranche de population, éligibilité (public) ; ' +
          'pour un utilisateur d’une structure, si elle peut le demander et pourquoi',
        params: serviceParams,
        response: { 200: serviceDetailSchema },
      },
    },
    async (request) =>
      request.inTenant(async (db) => {
        const detail = await service.getService(db, request.params.serviceId);
        const forCurrentMember = await eligibility(db, request.tenant.memberId, detail);
        return { ...detail, forCurrentMember };
      }),
  );

  r.post(
    '/catalogue/services',
    {
      config: { access: can(cataloguePolicy, 'catalogue:edit') },
      schema: {
        tags: TAGS,
        summary: 'Créer un service, ses prérequis et ses prix « seul » (administrateur de l’opérateur)',
        body: serviceInputSchema,
        response: { 201: serviceDetailSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        service.createService(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.patch(
    '/catalogue/services/:serviceId',
    {
      config: { access: can(cataloguePolicy, 'catalogue:edit') },
      schema: {
        tags: TAGS,
        summary:
          'Modifier un service ; prerequisiteIds et alonePrices remplacent l’ensemble (administrateur de l’opérateur)',
        params: serviceParams,
        body: servicePatchSchema,
        response: { 200: serviceDetailSchema },
      },
    },
    async (request) => {
      return request.inTenant((db) =>
        service.updateService(db, request.params.serviceId, request.body, auditSource(request)),
      );
    },
  );

  r.get(
    '/catalogue/services/:serviceId/history',
    {
      config: { access: can(cataloguePolicy, 'catalogue:history') },
      schema: {
        tags: TAGS,
        summary: 'Historique des modifications d’un service, avant/après (opérateur)',
        params: serviceParams,
        response: { 200: serviceHistorySchema },
      },
    },
    async (request) => {
      return request.inTenant((db) => service.serviceHistory(db, request.params.serviceId));
    },
  );
}
