import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';
import {
  aboveAloneSchema,
  costPoolInputSchema,
  costPoolListSchema,
  costPoolSchema,
  costSharingQuerySchema,
  costSharingSchema,
  equitySchema,
  memberCostsSchema,
  membershipFeeInputSchema,
  membershipFeeSchema,
  publicPricesSchema,
  simulationInputSchema,
  simulationSchema,
  yearParams,
  yearSchema,
} from '../../../contracts/pricing.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can, param } from '../../platform/http/access.js';
import { yearModels } from './pricing.model.js';
import { type PricingAction, pricingPolicy } from './pricing.policy.js';
import { equity, publicPrices } from './pricing.public.service.js';
import * as service from './pricing.service.js';
import { simulate } from './pricing.simulation.service.js';

const TAGS = ['tarification'];
const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  422: problemSchema,
};

/** The policy's `action`, on the member of the path when the route has one. */
const access = (action: PricingAction) => ({ access: can(pricingPolicy, action, param('memberId')) });

export default async function pricingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The year's cost-sharing, computed once per pricing change and shared by the routes below.
  const models = yearModels(app.database, app.config.MODEL_CACHE_NOTIFIED ? app.changes : null);

  r.get(
    '/pricing/pools/:year',
    {
      config: access('pricing:read'),
      schema: {
        tags: TAGS,
        summary: "Montants à répartir et règles de répartition d'une année, par service (finances)",
        params: yearParams,
        response: { 200: costPoolListSchema, ...errors },
      },
    },
    async (request) => request.inTenant((db) => service.listPools(db, request.params.year)),
  );

  r.put(
    '/pricing/pools/:year/:serviceId',
    {
      config: access('pricing:manage'),
      schema: {
        tags: TAGS,
        summary:
          "Enregistrer le montant à répartir (détaillé) et la règle d'un service pour une année (finances)",
        params: z.object({
          year: yearSchema,
          serviceId: z.uuid({ message: 'identifiant de service invalide' }),
        }),
        body: costPoolInputSchema,
        response: { 200: costPoolSchema, ...errors },
      },
    },
    async (request) => {
      const { year, serviceId } = request.params;
      return request.inTenant((db) =>
        service.putPool(db, year, serviceId, request.body, auditSource(request)),
      );
    },
  );

  r.get(
    '/pricing/membership-fees/:year',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: "Règle de la cotisation d'adhésion d'une année",
        params: yearParams,
        response: { 200: membershipFeeSchema, ...errors },
      },
    },
    async (request) => request.inTenant((db) => service.getFee(db, request.params.year)),
  );

  r.put(
    '/pricing/membership-fees/:year',
    {
      config: access('pricing:manage'),
      schema: {
        tags: TAGS,
        summary: "Fixer la cotisation d'adhésion d'une année : tarif par habitant et minimum (finances)",
        params: yearParams,
        body: membershipFeeInputSchema,
        response: { 200: membershipFeeSchema, ...errors },
      },
    },
    async (request) =>
      request.inTenant((db) => service.putFee(db, request.params.year, request.body, auditSource(request))),
  );

  r.get(
    '/cost-sharing/:year',
    {
      config: access('pricing:read'),
      schema: {
        tags: TAGS,
        summary: "Répartition des coûts de l'année : la part de chaque abonné, par service (finances)",
        params: yearParams,
        querystring: costSharingQuerySchema,
        response: { 200: costSharingSchema, ...errors },
      },
    },
    async (request) =>
      request.inTenant(async (db) =>
        service.costSharing(await models.within(db, request.params.year), request.query.serviceId),
      ),
  );

  r.get(
    '/pricing/above-alone/:year',
    {
      config: access('pricing:read'),
      schema: {
        tags: TAGS,
        summary:
          'Services dont la part mutualisée dépasse le prix seul pour certains abonnés, avec ces abonnés (finances)',
        params: yearParams,
        response: { 200: aboveAloneSchema, ...errors },
      },
    },
    async (request) =>
      request.inTenant(async (db) => service.aboveAlone(await models.within(db, request.params.year))),
  );

  r.get(
    '/members/:memberId/costs/:year',
    {
      config: access('costs:read'),
      schema: {
        tags: TAGS,
        summary: "Ce que coûte l'année à une structure, service par service, expliqué, et ses économies",
        params: z.object({
          memberId: z.uuid({ message: 'identifiant de structure invalide' }),
          year: yearSchema,
        }),
        response: { 200: memberCostsSchema, ...errors },
      },
    },
    // No change notified since the model was last checked: answered from memory, no transaction.
    async (request) =>
      service.memberCosts(await models.current(request.params.year), request.params.memberId),
  );

  r.post(
    '/pricing/simulations',
    {
      config: access('pricing:simulate'),
      schema: {
        tags: TAGS,
        summary:
          'Simuler sans rien enregistrer : arrivée de nouveaux abonnés et/ou changement de règle, prix avant/après et courbe des économies d’échelle (finances)',
        body: simulationInputSchema,
        response: { 200: simulationSchema, ...errors },
      },
    },
    async (request) =>
      request.inTenant(async (db) => simulate(db, await models.within(db, request.body.year), request.body)),
  );

  r.get(
    '/public/prices/:year',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: "Grille tarifaire publique de l'année et économies globales de la mutualisation (public)",
        params: yearParams,
        response: { 200: publicPricesSchema, 400: problemSchema },
      },
    },
    async (request) => models.asReader(request.params.year, (model) => publicPrices(model)),
  );

  r.get(
    '/pricing/equity/:year',
    {
      config: access('pricing:equity'),
      schema: {
        tags: TAGS,
        summary: 'Équité : coût par habitant par strate de taille et par département (connecté)',
        params: yearParams,
        response: { 200: equitySchema, ...errors },
      },
    },
    async (request) => models.asReader(request.params.year, (model, db) => equity(db, model)),
  );
}
