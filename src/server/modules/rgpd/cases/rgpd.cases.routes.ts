import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  breachInputSchema,
  breachListQuerySchema,
  breachListSchema,
  breachPatchSchema,
  breachSchema,
  rightsRequestExtensionSchema,
  rightsRequestInputSchema,
  rightsRequestListQuerySchema,
  rightsRequestListSchema,
  rightsRequestPatchSchema,
  rightsRequestSchema,
} from '../../../../contracts/rgpd-cases.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { authorise, requireActor } from '../../../platform/auth/context.js';
import type { Tx } from '../../../platform/db/client.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { forbidden } from '../../../platform/errors.js';
import rgpdDashboardRoutes from '../dashboard/rgpd.dashboard.routes.js';
import { rgpdCasesPolicy } from './rgpd.cases.policy.js';
import { isRgpdEditor } from './rgpd.cases.repository.js';
import * as service from './rgpd.cases.service.js';

const REQUEST_TAGS = ['RGPD — demandes de droits'];
const BREACH_TAGS = ['RGPD — violations de données'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const requestParams = memberParams.extend({
  requestId: z.uuid({ message: 'identifiant de demande invalide' }),
});
const breachParams = memberParams.extend({
  breachId: z.uuid({ message: 'identifiant de violation invalide' }),
});

/** Rights requests and breaches of a member (section 4), and the DPO dashboard (section 5). */
export default async function rgpdCasesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const read = <T>(request: FastifyRequest, memberId: string, work: (db: Tx) => Promise<T>) => {
    const actor = requireActor(request);
    authorise(rgpdCasesPolicy(actor, 'cases:read', memberId));
    return withTenant(app.database.db, request.tenant, work);
  };

  /** The member admin and the DPO team write; so do member users named RGPD editors. */
  const write = <T>(request: FastifyRequest, memberId: string, work: (db: Tx) => Promise<T>) => {
    const actor = requireActor(request);
    const byRole = rgpdCasesPolicy(actor, 'cases:write', memberId);
    authorise(byRole || rgpdCasesPolicy(actor, 'cases:writeAsEditor', memberId));
    return withTenant(app.database.db, request.tenant, async (db) => {
      if (!byRole && !(await isRgpdEditor(db, memberId, actor.userId))) {
        throw forbidden(
          "Seuls l'administrateur de la structure, ses référents RGPD désignés et le DPO mutualisé peuvent modifier ces données.",
        );
      }
      return work(db);
    });
  };

  const actorRef = (request: FastifyRequest) => {
    const source = auditSource(request);
    return { actorUserId: source.actorUserId, ipAddress: source.ipAddress ?? null };
  };

  // Rights requests ------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/rights-requests',
    {
      schema: {
        tags: REQUEST_TAGS,
        summary: "Demandes d'exercice de droits de la structure (les plus récentes d'abord)",
        params: memberParams,
        querystring: rightsRequestListQuerySchema,
        response: { 200: rightsRequestListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      return read(request, memberId, (db) =>
        service.listRightsRequests(db, memberId, request.query, new Date()),
      );
    },
  );

  r.post(
    '/members/:memberId/rights-requests',
    {
      schema: {
        tags: REQUEST_TAGS,
        summary: "Enregistrer une demande d'exercice de droits (échéance calculée : réception + 1 mois)",
        params: memberParams,
        body: rightsRequestInputSchema,
        response: { 201: rightsRequestSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const created = await write(request, memberId, (db) =>
        service.createRightsRequest(db, memberId, request.body, actorRef(request), new Date()),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/rights-requests/:requestId',
    {
      schema: {
        tags: REQUEST_TAGS,
        summary: "Une demande d'exercice de droits",
        params: requestParams,
        response: { 200: rightsRequestSchema },
      },
    },
    async (request) => {
      const { memberId, requestId } = request.params;
      return read(request, memberId, (db) => service.getRightsRequest(db, memberId, requestId, new Date()));
    },
  );

  r.patch(
    '/members/:memberId/rights-requests/:requestId',
    {
      schema: {
        tags: REQUEST_TAGS,
        summary: 'Mettre à jour une demande (statut, vérification d’identité, réponse et sa date)',
        params: requestParams,
        body: rightsRequestPatchSchema,
        response: { 200: rightsRequestSchema },
      },
    },
    async (request) => {
      const { memberId, requestId } = request.params;
      return write(request, memberId, (db) =>
        service.updateRightsRequest(db, memberId, requestId, request.body, actorRef(request), new Date()),
      );
    },
  );

  r.post(
    '/members/:memberId/rights-requests/:requestId/extension',
    {
      schema: {
        tags: REQUEST_TAGS,
        summary: 'Prolonger le délai de réponse de 1 ou 2 mois (2 mois au plus au total), avec un motif',
        params: requestParams,
        body: rightsRequestExtensionSchema,
        response: { 200: rightsRequestSchema },
      },
    },
    async (request) => {
      const { memberId, requestId } = request.params;
      return write(request, memberId, (db) =>
        service.extendRightsRequestDeadline(
          db,
          memberId,
          requestId,
          request.body,
          actorRef(request),
          new Date(),
        ),
      );
    },
  );

  // Breaches ------------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/breaches',
    {
      schema: {
        tags: BREACH_TAGS,
        summary: 'Registre des violations de données de la structure (les plus récentes d’abord)',
        params: memberParams,
        querystring: breachListQuerySchema,
        response: { 200: breachListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      return read(request, memberId, (db) => service.listBreaches(db, memberId, request.query, new Date()));
    },
  );

  r.post(
    '/members/:memberId/breaches',
    {
      schema: {
        tags: BREACH_TAGS,
        summary: 'Déclarer une violation de données (échéance de notification : connaissance + 72 h)',
        params: memberParams,
        body: breachInputSchema,
        response: { 201: breachSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const created = await write(request, memberId, (db) =>
        service.createBreach(db, memberId, request.body, actorRef(request), new Date()),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/breaches/:breachId',
    {
      schema: {
        tags: BREACH_TAGS,
        summary: 'Une violation de données',
        params: breachParams,
        response: { 200: breachSchema },
      },
    },
    async (request) => {
      const { memberId, breachId } = request.params;
      return read(request, memberId, (db) => service.getBreach(db, memberId, breachId, new Date()));
    },
  );

  r.patch(
    '/members/:memberId/breaches/:breachId',
    {
      schema: {
        tags: BREACH_TAGS,
        summary:
          'Compléter une violation (notification CNIL, motifs du retard, information des personnes) — elle reste au registre',
        params: breachParams,
        body: breachPatchSchema,
        response: { 200: breachSchema },
      },
    },
    async (request) => {
      const { memberId, breachId } = request.params;
      return write(request, memberId, (db) =>
        service.updateBreach(db, memberId, breachId, request.body, actorRef(request), new Date()),
      );
    },
  );

  await app.register(rgpdDashboardRoutes);
}
