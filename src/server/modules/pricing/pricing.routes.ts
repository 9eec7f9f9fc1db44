import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';
import {
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
import { auditSource, recordAudit } from '../../platform/audit/audit.js';
import { authorise, requireActor } from '../../platform/auth/context.js';
import type { Tx } from '../../platform/db/client.js';
import { type TenantContext, withTenant } from '../../platform/db/tenancy.js';
import { cachedYearModel, yearModel } from './pricing.model.js';
import { type PricingAction, pricingPolicy } from './pricing.policy.js';
import { departementNames } from './pricing.repository.js';
import * as service from './pricing.service.js';

const TAGS = ['tarification'];
const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  422: problemSchema,
};

/**
 * A member's share depends on every other subscriber's parameters, which Row Level Security hides
 * from the member. Once the route has authorised the request, the year's model is computed as an
 * operator reader; what leaves the service is only what the caller may see.
 */
const PRICING_READER: TenantContext = { userId: null, memberId: null, operatorRole: 'agent' };

function allow(request: FastifyRequest, action: PricingAction, memberId?: string) {
  const actor = requireActor(request);
  authorise(pricingPolicy(actor, action, memberId));
  return actor;
}

export default async function pricingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = <T>(request: FastifyRequest, work: (db: Tx) => Promise<T>) =>
    withTenant(app.database.db, request.tenant, work);
  const asReader = <T>(work: (db: Tx) => Promise<T>) => withTenant(app.database.db, PRICING_READER, work);
  const changes = app.config.MODEL_CACHE_NOTIFIED ? app.changes : null;
  const model = (db: Tx, year: number) => yearModel(app.database, db, year, changes);

  r.get(
    '/pricing/pools/:year',
    {
      schema: {
        tags: TAGS,
        summary: "Montants à répartir et règles de répartition d'une année, par service (finances)",
        params: yearParams,
        response: { 200: costPoolListSchema, ...errors },
      },
    },
    async (request) => {
      allow(request, 'pricing:read');
      return tx(request, (db) => service.listPools(db, request.params.year));
    },
  );

  r.put(
    '/pricing/pools/:year/:serviceId',
    {
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
      const actor = allow(request, 'pricing:manage');
      const { year, serviceId } = request.params;
      return tx(request, async (db) => {
        const pool = await service.putPool(db, year, serviceId, request.body, actor.userId);
        await recordAudit(db, {
          action: 'pricing.pool_saved',
          ...auditSource(request),
          targetType: 'catalogue_service',
          targetId: serviceId,
          details: { year, poolCents: pool.poolCents, rule: pool.rule.kind },
        });
        return pool;
      });
    },
  );

  r.get(
    '/pricing/membership-fees/:year',
    {
      schema: {
        tags: TAGS,
        summary: "Règle de la cotisation d'adhésion d'une année",
        params: yearParams,
        response: { 200: membershipFeeSchema, ...errors },
      },
    },
    async (request) => tx(request, (db) => service.getFee(db, request.params.year)),
  );

  r.put(
    '/pricing/membership-fees/:year',
    {
      schema: {
        tags: TAGS,
        summary: "Fixer la cotisation d'adhésion d'une année : tarif par habitant et minimum (finances)",
        params: yearParams,
        body: membershipFeeInputSchema,
        response: { 200: membershipFeeSchema, ...errors },
      },
    },
    async (request) => {
      const actor = allow(request, 'pricing:manage');
      return tx(request, async (db) => {
        const fee = await service.putFee(db, request.params.year, request.body, actor.userId);
        await recordAudit(db, {
          action: 'pricing.fee_saved',
          ...auditSource(request),
          details: {
            year: fee.year,
            centsPerInhabitant: fee.centsPerInhabitant,
            minimumCents: fee.minimumCents,
          },
        });
        return fee;
      });
    },
  );

  r.get(
    '/cost-sharing/:year',
    {
      schema: {
        tags: TAGS,
        summary: "Répartition des coûts de l'année : la part de chaque abonné, par service (finances)",
        params: yearParams,
        querystring: costSharingQuerySchema,
        response: { 200: costSharingSchema, ...errors },
      },
    },
    async (request) => {
      allow(request, 'pricing:read');
      return tx(request, async (db) =>
        service.costSharing(await model(db, request.params.year), request.query.serviceId),
      );
    },
  );

  r.get(
    '/members/:memberId/costs/:year',
    {
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
    async (request) => {
      const { memberId, year } = request.params;
      allow(request, 'costs:read', memberId);
      // No change notified since the model was last checked: no transaction at all.
      const cached = cachedYearModel(app.database, year, changes);
      const yearOf = cached ?? asReader((db) => model(db, year));
      return service.memberCosts(await yearOf, memberId);
    },
  );

  r.post(
    '/pricing/simulations',
    {
      schema: {
        tags: TAGS,
        summary:
          'Simuler sans rien enregistrer : arrivée de nouveaux abonnés et/ou changement de règle, prix avant/après et courbe des économies d’échelle (finances)',
        body: simulationInputSchema,
        response: { 200: simulationSchema, ...errors },
      },
    },
    async (request) => {
      allow(request, 'pricing:simulate');
      return tx(request, async (db) =>
        service.simulate(db, await model(db, request.body.year), request.body),
      );
    },
  );

  r.get(
    '/public/prices/:year',
    {
      schema: {
        tags: TAGS,
        summary: "Grille tarifaire publique de l'année et économies globales de la mutualisation (public)",
        params: yearParams,
        response: { 200: publicPricesSchema, 400: problemSchema },
      },
    },
    async (request) => asReader(async (db) => service.publicPrices(await model(db, request.params.year))),
  );

  r.get(
    '/pricing/equity/:year',
    {
      schema: {
        tags: TAGS,
        summary: 'Équité : coût par habitant par strate de taille et par département (connecté)',
        params: yearParams,
        response: { 200: equitySchema, ...errors },
      },
    },
    async (request) => {
      allow(request, 'pricing:equity');
      return asReader(async (db) =>
        service.equity(await model(db, request.params.year), await departementNames(db)),
      );
    },
  );
}
