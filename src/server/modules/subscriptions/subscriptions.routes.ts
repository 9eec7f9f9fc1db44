import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptSubscriptionSchema,
  bulkReportSchema,
  bulkSubscriptionSchema,
  confirmTerminationSchema,
  directSubscriptionSchema,
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
import { today } from '../../platform/clock.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { can, param } from '../../platform/http/access.js';
import { bulkSubscribe } from './subscriptions.bulk.service.js';
import { subscribersSheet } from './subscriptions.export.js';
import * as lifecycle from './subscriptions.lifecycle.service.js';
import { type SubscriptionAction, subscriptionPolicy } from './subscriptions.policy.js';
import * as service from './subscriptions.service.js';

const TAGS = ['souscriptions'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const subscriptionParams = memberParams.extend({
  subscriptionId: z.uuid({ message: 'identifiant de souscription invalide' }),
});
const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });
const subscriberFilters = subscriberQuerySchema.pick({ status: true });

/** The policy's `action`, on the member of the path when the route has one. */
const access = (action: SubscriptionAction) => ({
  access: can(subscriptionPolicy, action, param('memberId')),
});

export default async function subscriptionsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/members/:memberId/subscriptions',
    {
      config: access('subscriptions:read'),
      schema: {
        tags: TAGS,
        summary: 'Services souscrits par la structure, tous statuts (ses utilisateurs, opérateur)',
        params: memberParams,
        response: { 200: subscriptionListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      return request.inTenant((db) => service.listForMember(db, memberId));
    },
  );

  r.post(
    '/members/:memberId/subscriptions',
    {
      config: access('subscriptions:request'),
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
      const created = await request.inTenant((db) =>
        lifecycle.requestSubscription(db, memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.post(
    '/members/:memberId/subscriptions/direct',
    {
      config: access('subscriptions:decide'),
      schema: {
        tags: TAGS,
        summary:
          'Souscrire directement un service pour une structure, actif dès la date de début ' +
          '(opérateur : admin ou finance) ; mêmes règles qu’une demande puis son acceptation',
        params: memberParams,
        body: directSubscriptionSchema,
        response: { 201: subscriptionDetailSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const created = await request.inTenant((db) =>
        lifecycle.subscribeDirectly(db, memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/subscriptions/:subscriptionId',
    {
      config: access('subscriptions:read'),
      schema: {
        tags: TAGS,
        summary: 'Une souscription et son historique daté et attribué',
        params: subscriptionParams,
        response: { 200: subscriptionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, subscriptionId } = request.params;
      return request.inTenant((db) => service.getSubscription(db, memberId, subscriptionId));
    },
  );

  r.patch(
    '/members/:memberId/subscriptions/:subscriptionId',
    {
      config: access('subscriptions:request'),
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
      return request.inTenant((db) =>
        lifecycle.updateUnits(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/accept',
    {
      config: access('subscriptions:decide'),
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
      return request.inTenant((db) =>
        lifecycle.acceptSubscription(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/refuse',
    {
      config: access('subscriptions:decide'),
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
      return request.inTenant((db) =>
        lifecycle.refuseSubscription(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/terminate',
    {
      config: access('subscriptions:request'),
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
      return request.inTenant((db) =>
        lifecycle.requestTermination(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/subscriptions/:subscriptionId/confirm-termination',
    {
      config: access('subscriptions:decide'),
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
      return request.inTenant((db) =>
        lifecycle.confirmTermination(db, memberId, subscriptionId, request.body, auditSource(request)),
      );
    },
  );

  r.get(
    '/subscriptions',
    {
      config: access('subscriptions:readAll'),
      schema: {
        tags: TAGS,
        summary: 'File des souscriptions, les plus anciennes d’abord (opérateur) — ex. status=requested',
        querystring: subscriptionQueueQuerySchema,
        response: { 200: subscriptionListSchema },
      },
    },
    async (request) => {
      return request.inTenant((db) => service.queue(db, request.query));
    },
  );

  r.get(
    '/catalogue/services/:serviceId/subscribers',
    {
      config: access('subscriptions:readAll'),
      schema: {
        tags: TAGS,
        summary: 'Souscripteurs d’un service ; sans statut : demandées, actives, en résiliation (opérateur)',
        params: serviceParams,
        querystring: subscriberQuerySchema,
        response: { 200: subscriberListSchema },
      },
    },
    async (request) => {
      return request.inTenant((db) => service.subscribers(db, request.params.serviceId, request.query));
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/catalogue/services/:serviceId/subscribers.${format}`,
      {
        config: access('subscriptions:readAll'),
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
        const data = await request.inTenant((db) =>
          service.subscriberExport(db, request.params.serviceId, request.query.status),
        );
        const stamp = today();
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
      config: access('subscriptions:bulk'),
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
      return request.inTenant((db) =>
        bulkSubscribe(db, request.params.serviceId, request.body, auditSource(request)),
      );
    },
  );
}
