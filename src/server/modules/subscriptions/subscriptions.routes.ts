import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptSubscriptionSchema,
  bulkReportSchema,
  bulkSubscriptionSchema,
  confirmTerminationSchema,
  refuseSubscriptionSchema,
  subscriberListSchema,
  subscriberQuerySchema,
  subscriptionDetailSchema,
  subscriptionListSchema,
  subscriptionPatchSchema,
  subscriptionQueueQuerySchema,
  subscriptionRequestSchema,
  terminateSubscriptionSchema,
} from '../../../contracts/subscriptions.js';
import { auditSource } from '../../platform/audit/audit.js';
import { authorise, requireActor } from '../../platform/auth/context.js';
import type { Tx } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { subscribersSheet } from './subscriptions.export.js';
import { type SubscriptionAction, subscriptionPolicy } from './subscriptions.policy.js';
import * as service from './subscriptions.service.js';

const TAGS = ['souscriptions'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const subscriptionParams = memberParams.extend({
  subscriptionId: z.uuid({ message: 'identifiant de souscription invalide' }),
});
const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });
const subscriberFilters = subscriberQuerySchema.pick({ status: true });

/** 401 for anonymous visitors, 403 when the policy says no. */
function allow(request: FastifyRequest, action: SubscriptionAction, memberId?: string) {
  const actor = requireActor(request);
  authorise(subscriptionPolicy(actor, action, memberId));
  return actor;
}

export default async function subscriptionsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = <T>(request: FastifyRequest, work: (db: Tx) => Promise<T>) =>
    withTenant(app.database.db, request.tenant, work);

  r.get(
    '/members/:memberId/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Services souscrits par la structure, tous statuts (ses utilisateurs, opérateur)',
        params: memberParams,
        response: { 200: subscriptionListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'subscriptions:read', memberId);
      return tx(request, (db) => service.listForMember(db, memberId));
    },
  );

  r.post(
    '/members/:memberId/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary:
          'Demander un service pour la structure (son administrateur ; opérateur admin ou finance pour son compte). ' +
          'Réservé aux adhérents ; éligibilité et prérequis vérifiés',
        params: memberParams,
        body: subscriptionRequestSchema,
        response: { 201: subscriptionDetailSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      allow(request, 'subscriptions:request', memberId);
      const created = await tx(request, (db) =>
        service.requestSubscription(db, memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/subscriptions/:subscriptionId',
    {
      schema: {
        tags: TAGS,
        summary: 'Une souscription et son historique daté et attribué',
        params: subscriptionParams,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:read', memberId);
      return tx(request, (db) => service.getSubscription(db, memberId, subscriptionId));
    },
  );

  r.patch(
    '/members/:memberId/subscriptions/:subscriptionId',
    {
      schema: {
        tags: TAGS,
        summary: 'Déclarer le nombre d’unités d’un service facturé à l’unité (agents, licences…)',
        params: subscriptionParams,
        body: subscriptionPatchSchema,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:request', memberId);
      return tx(request, (db) =>
        service.updateUnits(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/accept',
    {
      schema: {
        tags: TAGS,
        summary: 'Accepter une demande avec sa date de début (opérateur : admin ou finance)',
        params: subscriptionParams,
        body: acceptSubscriptionSchema,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:decide', memberId);
      return tx(request, (db) =>
        service.acceptSubscription(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/refuse',
    {
      schema: {
        tags: TAGS,
        summary: 'Refuser une demande avec son motif (opérateur : admin ou finance)',
        params: subscriptionParams,
        body: refuseSubscriptionSchema,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:decide', memberId);
      return tx(request, (db) =>
        service.refuseSubscription(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/terminate',
    {
      schema: {
        tags: TAGS,
        summary:
          'Demander la résiliation : fin au dernier jour du mois où s’achève le préavis (administrateur de la structure)',
        params: subscriptionParams,
        body: terminateSubscriptionSchema,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:request', memberId);
      return tx(request, (db) =>
        service.requestTermination(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/confirm-termination',
    {
      schema: {
        tags: TAGS,
        summary: 'Confirmer une résiliation demandée (opérateur : admin ou finance)',
        params: subscriptionParams,
        body: confirmTerminationSchema,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      allow(request, 'subscriptions:decide', memberId);
      return tx(request, (db) =>
        service.confirmTermination(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.get(
    '/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'File des souscriptions, les plus anciennes d’abord (opérateur) — ex. status=requested',
        querystring: subscriptionQueueQuerySchema,
        response: { 200: subscriptionListSchema },
      },
    },
    async (request) => {
      allow(request, 'subscriptions:readAll');
      return tx(request, (db) => service.queue(db, request.query));
    },
  );

  r.get(
    '/catalogue/services/:serviceId/subscribers',
    {
      schema: {
        tags: TAGS,
        summary: 'Souscripteurs d’un service ; sans statut : demandées, actives, en résiliation (opérateur)',
        params: serviceParams,
        querystring: subscriberQuerySchema,
        response: { 200: subscriberListSchema },
      },
    },
    async (request) => {
      allow(request, 'subscriptions:readAll');
      return tx(request, (db) => service.subscribers(db, request.params.serviceId, request.query));
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/catalogue/services/:serviceId/subscribers.${format}`,
      {
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter les souscripteurs en CSV (UTF-8, séparateur ;) — opérateur'
              : 'Exporter les souscripteurs en classeur XLSX — opérateur',
          params: serviceParams,
          querystring: subscriberFilters,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        allow(request, 'subscriptions:readAll');
        const data = await tx(request, (db) =>
          service.subscriberExport(db, request.params.serviceId, request.query.status),
        );
        const stamp = new Date().toISOString().slice(0, 10);
        return sendSpreadsheet(
          reply,
          format,
          `souscripteurs-${data.service.code.toLowerCase()}-${stamp}`,
          subscribersSheet(data.service.unitLabel),
          data.rows,
        );
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');

  r.post(
    '/catalogue/services/:serviceId/bulk-subscriptions',
    {
      schema: {
        tags: TAGS,
        summary:
          'Souscription groupée (liste, EPCI ou département, type facultatif) avec compte rendu par structure ' +
          '(opérateur : admin ou finance) ; dryRun pour prévisualiser',
        params: serviceParams,
        body: bulkSubscriptionSchema,
        response: { 200: bulkReportSchema },
      },
    },
    async (request) => {
      allow(request, 'subscriptions:bulk');
      return tx(request, (db) =>
        service.bulkSubscribe(db, request.params.serviceId, request.body, auditSource(request)),
      );
    },
  );
}
