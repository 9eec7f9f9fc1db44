import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paginationQuery } from '../../../../contracts/common.js';
import {
  breachesToQualifySchema,
  breachInputSchema,
  breachListQuerySchema,
  breachListSchema,
  breachPatchSchema,
  breachReportSchema,
  breachSchema,
  dpoRequestAnswerSchema,
  dpoRequestItemSchema,
  dpoRequestListQuerySchema,
  dpoRequestListSchema,
  dpoRequestSchema,
  rightsRequestExtensionSchema,
  rightsRequestInputSchema,
  rightsRequestListQuerySchema,
  rightsRequestListSchema,
  rightsRequestPatchSchema,
  rightsRequestSchema,
} from '../../../../contracts/rgpd-cases.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { actorOf, can, param } from '../../../platform/http/access.js';
import * as breaches from './rgpd.breaches.service.js';
import { rgpdCasesPolicy } from './rgpd.cases.policy.js';
import * as dpoContact from './rgpd.dpo-contact.service.js';
import * as requests from './rgpd.rights-requests.service.js';

const REQUEST_TAGS = ['RGPD — demandes de droits'];
const BREACH_TAGS = ['RGPD — violations de données'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const requestParams = memberParams.extend({
  requestId: z.uuid({ message: 'identifiant de demande invalide' }),
});
const breachParams = memberParams.extend({
  breachId: z.uuid({ message: 'identifiant de violation invalide' }),
});

const read = can(rgpdCasesPolicy, 'cases:read', param('memberId'));
/** The DPO team's to-do list. */
const tasks = can(
  rgpdCasesPolicy,
  'tasks:manage',
  undefined,
  'Les demandes adressées au DPO sont traitées par le DPO mutualisé (habilitation « dpo »).',
);
const dpoRequestParams = z.object({
  requestId: z.uuid({ message: 'identifiant de demande invalide' }),
});
/** The member admin and the DPO team write; so do member users named RGPD editors (the service checks). */
const write = can(rgpdCasesPolicy, 'cases:writeIfEditor', param('memberId'));
/** Any user of the member reaches the DPO. */
const report = can(
  rgpdCasesPolicy,
  'cases:report',
  param('memberId'),
  'Seuls les utilisateurs de la structure peuvent écrire au DPO en son nom.',
);

/** Rights requests and breaches of a member (section 4). */
export default async function rgpdCasesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Rights requests ------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/rights-requests',
    {
      config: { access: read },
      schema: {
        tags: REQUEST_TAGS,
        summary: "Demandes d'exercice de droits de la structure (les plus récentes d'abord)",
        params: memberParams,
        querystring: rightsRequestListQuerySchema,
        response: { 200: rightsRequestListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => requests.listRightsRequests(db, request.params.memberId, request.query)),
  );

  r.post(
    '/members/:memberId/rights-requests',
    {
      config: { access: write },
      schema: {
        tags: REQUEST_TAGS,
        summary: "Enregistrer une demande d'exercice de droits (échéance calculée : réception + 1 mois)",
        params: memberParams,
        body: rightsRequestInputSchema,
        response: { 201: rightsRequestSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        requests.createRightsRequest(
          db,
          request.params.memberId,
          request.body,
          actorOf(request),
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/rights-requests/:requestId',
    {
      config: { access: read },
      schema: {
        tags: REQUEST_TAGS,
        summary: "Une demande d'exercice de droits",
        params: requestParams,
        response: { 200: rightsRequestSchema },
      },
    },
    async (request) => {
      const { memberId, requestId } = request.params;
      return request.inTenant((db) => requests.getRightsRequest(db, memberId, requestId));
    },
  );

  r.patch(
    '/members/:memberId/rights-requests/:requestId',
    {
      config: { access: write },
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
      return request.inTenant((db) =>
        requests.updateRightsRequest(
          db,
          memberId,
          requestId,
          request.body,
          actorOf(request),
          auditSource(request),
        ),
      );
    },
  );

  r.post(
    '/members/:memberId/rights-requests/:requestId/extension',
    {
      config: { access: write },
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
      return request.inTenant((db) =>
        requests.extendRightsRequestDeadline(
          db,
          memberId,
          requestId,
          request.body,
          actorOf(request),
          auditSource(request),
        ),
      );
    },
  );

  // Breaches ------------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/breaches',
    {
      config: { access: read },
      schema: {
        tags: BREACH_TAGS,
        summary: 'Registre des violations de données de la structure (les plus récentes d’abord)',
        params: memberParams,
        querystring: breachListQuerySchema,
        response: { 200: breachListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => breaches.listBreaches(db, request.params.memberId, request.query)),
  );

  r.post(
    '/members/:memberId/breaches',
    {
      config: { access: write },
      schema: {
        tags: BREACH_TAGS,
        summary: 'Déclarer une violation de données (échéance de notification : connaissance + 72 h)',
        params: memberParams,
        body: breachInputSchema,
        response: { 201: breachSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        breaches.createBreach(
          db,
          request.params.memberId,
          request.body,
          actorOf(request),
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  /** The DPO team's addresses are read on the owner connection, before the tenant transaction. */
  const contactDeps = async () => ({
    mailer: app.mailer,
    publicUrl: app.config.publicUrl,
    dpoAddresses: await dpoContact.dpoTeamAddresses(app.database.db),
  });

  r.post(
    '/members/:memberId/breaches/reports',
    {
      config: { access: report },
      schema: {
        tags: BREACH_TAGS,
        summary:
          'Signaler une violation de données au DPO mutualisé (tout utilisateur de la structure) : ' +
          'inscrite au registre avec son échéance de 72 h, le DPO la qualifie',
        params: memberParams,
        body: breachReportSchema,
        response: { 201: breachSchema },
      },
    },
    async (request, reply) => {
      const deps = await contactDeps();
      const created = await request.inTenant((db) =>
        dpoContact.reportBreach(
          db,
          request.params.memberId,
          request.body,
          actorOf(request),
          deps,
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  r.post(
    '/members/:memberId/rgpd/dpo-requests',
    {
      config: { access: report },
      schema: {
        tags: BREACH_TAGS,
        summary:
          'Écrire au DPO mutualisé (un registre vide, une question) — tout utilisateur de la structure',
        params: memberParams,
        body: dpoRequestSchema,
        response: { 201: dpoRequestAnswerSchema },
      },
    },
    async (request, reply) => {
      const deps = await contactDeps();
      const sent = await request.inTenant((db) =>
        dpoContact.askDpo(
          db,
          request.params.memberId,
          request.body,
          actorOf(request),
          deps,
          auditSource(request),
        ),
      );
      return reply.code(201).send(sent);
    },
  );

  r.get(
    '/members/:memberId/rgpd/dpo-requests',
    {
      config: { access: read },
      schema: {
        tags: BREACH_TAGS,
        summary: 'Les demandes de la structure au DPO mutualisé, ouvertes ou classées',
        params: memberParams,
        querystring: dpoRequestListQuerySchema,
        response: { 200: dpoRequestListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        dpoContact.listDpoRequests(db, { ...request.query, memberId: request.params.memberId }),
      ),
  );

  r.get(
    '/rgpd/dpo-requests',
    {
      config: { access: tasks },
      schema: {
        tags: BREACH_TAGS,
        summary:
          'À traiter par le DPO : les demandes des structures, ouvertes (la plus ancienne d’abord) ou classées',
        querystring: dpoRequestListQuerySchema,
        response: { 200: dpoRequestListSchema },
      },
    },
    async (request) => request.inTenant((db) => dpoContact.listDpoRequests(db, request.query)),
  );

  r.post(
    '/rgpd/dpo-requests/:requestId/close',
    {
      config: { access: tasks },
      schema: {
        tags: BREACH_TAGS,
        summary: 'Classer une demande au DPO (traitée) : elle quitte la liste « À traiter »',
        params: dpoRequestParams,
        response: { 200: dpoRequestItemSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        dpoContact.closeDpoRequest(db, request.params.requestId, actorOf(request), auditSource(request)),
      ),
  );

  r.get(
    '/rgpd/breaches/to-qualify',
    {
      config: { access: tasks },
      schema: {
        tags: BREACH_TAGS,
        summary: 'À traiter par le DPO : les violations signalées par les structures, à qualifier',
        querystring: paginationQuery,
        response: { 200: breachesToQualifySchema },
      },
    },
    async (request) => request.inTenant((db) => dpoContact.breachesToQualify(db, request.query)),
  );

  r.get(
    '/members/:memberId/breaches/:breachId',
    {
      config: { access: read },
      schema: {
        tags: BREACH_TAGS,
        summary: 'Une violation de données',
        params: breachParams,
        response: { 200: breachSchema },
      },
    },
    async (request) => {
      const { memberId, breachId } = request.params;
      return request.inTenant((db) => breaches.getBreach(db, memberId, breachId));
    },
  );

  r.patch(
    '/members/:memberId/breaches/:breachId',
    {
      config: { access: write },
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
      return request.inTenant((db) =>
        breaches.updateBreach(db, memberId, breachId, request.body, actorOf(request), auditSource(request)),
      );
    },
  );
}
