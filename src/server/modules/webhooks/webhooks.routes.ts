import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  webhookCreatedSchema,
  webhookDeliveryListSchema,
  webhookDeliveryQuerySchema,
  webhookDeliverySchema,
  webhookEventTypesSchema,
  webhookInputSchema,
  webhookListSchema,
} from '../../../contracts/webhooks.js';
import { auditSource } from '../../platform/audit/audit.js';
import { operatorOrganisationOf } from '../../platform/auth/policy.js';
import { forbidden } from '../../platform/errors.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import { webhooksPolicy } from './webhooks.policy.js';
import * as webhooks from './webhooks.service.js';
import { assertTargetAllowed, type TargetPolicy } from './webhooks.target.js';

const TAGS = ['webhooks'];
const webhookId = z.uuid({ message: 'identifiant de webhook invalide' });
const deliveryId = z.uuid({ message: 'identifiant de livraison invalide' });
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const memberWebhookParams = memberParams.extend({ webhookId });
const memberDeliveryParams = memberWebhookParams.extend({ deliveryId });
const operatorWebhookParams = z.object({ webhookId });
const operatorDeliveryParams = operatorWebhookParams.extend({ deliveryId });

const manage = can(webhooksPolicy, 'webhooks:manage', param('memberId'));
const operate = can(webhooksPolicy, 'webhooks:operate');

/** The operator organisation an operator route acts for. */
function operatorOf(request: FastifyRequest): string {
  const id = operatorOrganisationOf(actorOf(request));
  if (!id) throw forbidden();
  return id;
}

/**
 * Signed webhooks (issue 16, section 3): a member's endpoints under /members/:memberId/webhooks, the
 * operator's (every member's events) under /webhooks, and the catalogue of event types.
 */
export default async function webhooksRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const target: TargetPolicy = {
    allowHttp: app.config.webhookAllowHttp,
    allowedHosts: app.config.webhookAllowedHosts,
  };

  r.get(
    '/webhook-event-types',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: "Catalogue des types d'événements qu'un webhook peut recevoir",
        response: { 200: webhookEventTypesSchema },
      },
    },
    async () => ({ items: webhooks.eventTypes() }),
  );

  // A member's endpoints ---------------------------------------------------------------------------
  r.post(
    '/members/:memberId/webhooks',
    {
      config: { access: manage },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer un webhook de la structure (le secret de signature est montré une seule fois)',
        params: memberParams,
        body: webhookInputSchema,
        response: { 201: webhookCreatedSchema },
      },
    },
    async (request, reply) => {
      await assertTargetAllowed(request.body.url, target);
      const created = await request.inTenant((db) =>
        webhooks.createWebhook(db, request.params.memberId, false, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    '/members/:memberId/webhooks',
    {
      config: { access: manage },
      schema: {
        tags: TAGS,
        summary: 'Webhooks de la structure',
        params: memberParams,
        response: { 200: webhookListSchema },
      },
    },
    async (request) => request.inTenant((db) => webhooks.listWebhooks(db, request.params.memberId, false)),
  );
  r.delete(
    '/members/:memberId/webhooks/:webhookId',
    {
      config: { access: manage },
      schema: { tags: TAGS, summary: 'Supprimer un webhook de la structure', params: memberWebhookParams },
    },
    async (request, reply) => {
      await request.inTenant((db) =>
        webhooks.deleteWebhook(db, request.params.memberId, request.params.webhookId, auditSource(request)),
      );
      return reply.code(204).send();
    },
  );
  r.get(
    '/members/:memberId/webhooks/:webhookId/deliveries',
    {
      config: { access: manage },
      schema: {
        tags: TAGS,
        summary: "Journal des livraisons d'un webhook (codes de réponse, tentatives)",
        params: memberWebhookParams,
        querystring: webhookDeliveryQuerySchema,
        response: { 200: webhookDeliveryListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        webhooks.listDeliveries(db, request.params.memberId, request.params.webhookId, request.query),
      ),
  );
  r.post(
    '/members/:memberId/webhooks/:webhookId/deliveries/:deliveryId/replay',
    {
      config: { access: manage },
      schema: {
        tags: TAGS,
        summary: 'Relancer une livraison',
        params: memberDeliveryParams,
        response: { 202: webhookDeliverySchema },
      },
    },
    async (request, reply) => {
      const { memberId, webhookId: id, deliveryId: delivery } = request.params;
      const replayed = await request.inTenant((db) =>
        webhooks.replayDelivery(db, memberId, id, delivery, auditSource(request)),
      );
      return reply.code(202).send(replayed);
    },
  );

  // The operator's endpoints (every member's events) ----------------------------------------------
  r.post(
    '/webhooks',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: "Enregistrer un webhook de l'opérateur (événements de toutes les structures)",
        body: webhookInputSchema,
        response: { 201: webhookCreatedSchema },
      },
    },
    async (request, reply) => {
      await assertTargetAllowed(request.body.url, target);
      const owner = operatorOf(request);
      const created = await request.inTenant((db) =>
        webhooks.createWebhook(db, owner, true, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    '/webhooks',
    {
      config: { access: operate },
      schema: { tags: TAGS, summary: "Webhooks de l'opérateur", response: { 200: webhookListSchema } },
    },
    async (request) => {
      const owner = operatorOf(request);
      return request.inTenant((db) => webhooks.listWebhooks(db, owner, true));
    },
  );
  r.delete(
    '/webhooks/:webhookId',
    {
      config: { access: operate },
      schema: { tags: TAGS, summary: "Supprimer un webhook de l'opérateur", params: operatorWebhookParams },
    },
    async (request, reply) => {
      const owner = operatorOf(request);
      await request.inTenant((db) =>
        webhooks.deleteWebhook(db, owner, request.params.webhookId, auditSource(request)),
      );
      return reply.code(204).send();
    },
  );
  r.get(
    '/webhooks/:webhookId/deliveries',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: "Journal des livraisons d'un webhook de l'opérateur",
        params: operatorWebhookParams,
        querystring: webhookDeliveryQuerySchema,
        response: { 200: webhookDeliveryListSchema },
      },
    },
    async (request) => {
      const owner = operatorOf(request);
      return request.inTenant((db) =>
        webhooks.listDeliveries(db, owner, request.params.webhookId, request.query),
      );
    },
  );
  r.post(
    '/webhooks/:webhookId/deliveries/:deliveryId/replay',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: "Relancer une livraison d'un webhook de l'opérateur",
        params: operatorDeliveryParams,
        response: { 202: webhookDeliverySchema },
      },
    },
    async (request, reply) => {
      const owner = operatorOf(request);
      const replayed = await request.inTenant((db) =>
        webhooks.replayDelivery(
          db,
          owner,
          request.params.webhookId,
          request.params.deliveryId,
          auditSource(request),
        ),
      );
      return reply.code(202).send(replayed);
    },
  );
}
