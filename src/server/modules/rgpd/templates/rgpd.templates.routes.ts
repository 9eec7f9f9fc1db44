import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adoptTemplateInputSchema,
  applyReportSchema,
  memberTargetSchema,
  processingSchema,
  registrySuggestionListSchema,
  serviceImpliedInputSchema,
  serviceImpliedSchema,
  templateInputSchema,
  templateListQuerySchema,
  templateListSchema,
  templatePatchSchema,
  templateSchema,
} from '../../../../contracts/rgpd.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { actorOf, can, param } from '../../../platform/http/access.js';
import { REGISTRY_EDITORS_ONLY, rgpdPolicy, rgpdPolicyIfEditor } from '../rgpd.policy.js';
import * as catalogueLink from './rgpd.templates.catalogue.js';
import * as service from './rgpd.templates.service.js';

const LIBRARY = ['rgpd — modèles et sous-traitants'];
const REGISTRY = ['rgpd — registre'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const templateParams = z.object({ templateId: z.uuid({ message: 'identifiant de modèle invalide' }) });
const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });

const readTemplates = can(rgpdPolicy, 'templates:read');
const writeTemplates = can(rgpdPolicy, 'templates:write');

/**
 * The DPO's library of processing templates, applied in bulk; the templates and processors a
 * catalogue service implies, and the suggestions they make to its subscribers.
 */
export default async function rgpdTemplatesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/rgpd/templates',
    {
      config: { access: readTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Bibliothèque de modèles de traitements du DPO mutualisé',
        querystring: templateListQuerySchema,
        response: { 200: templateListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listTemplates(db, request.query)),
  );

  r.get(
    '/rgpd/templates/:templateId',
    {
      config: { access: readTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Un modèle de traitement et ses champs',
        params: templateParams,
        response: { 200: templateSchema },
      },
    },
    async (request) => request.inTenant((db) => service.getTemplate(db, request.params.templateId)),
  );

  r.post(
    '/rgpd/templates',
    {
      config: { access: writeTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Créer un modèle (DPO)',
        body: templateInputSchema,
        response: { 201: templateSchema },
      },
    },
    async (request, reply) => {
      const { userId } = actorOf(request);
      const created = await request.inTenant((db) => service.createTemplate(db, request.body, userId));
      return reply.code(201).send(created);
    },
  );

  r.patch(
    '/rgpd/templates/:templateId',
    {
      config: { access: writeTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Modifier un modèle (DPO) : une nouvelle version, proposée aux traitements liés',
        params: templateParams,
        body: templatePatchSchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => {
      const { userId } = actorOf(request);
      return request.inTenant((db) =>
        service.updateTemplate(db, request.params.templateId, request.body, userId),
      );
    },
  );

  r.post(
    '/rgpd/templates/:templateId/apply',
    {
      config: { access: writeTemplates },
      schema: {
        tags: LIBRARY,
        summary:
          'Appliquer un modèle à plusieurs structures (liste, département et type, ou EPCI) en une transaction',
        params: templateParams,
        body: memberTargetSchema,
        response: { 200: applyReportSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        service.applyTemplate(db, request.params.templateId, request.body, auditSource(request)),
      ),
  );

  // Catalogue link ------------------------------------------------------------------------------

  r.get(
    '/rgpd/services/:serviceId/implied',
    {
      config: { access: readTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Modèles et sous-traitants qu’implique un service du catalogue',
        params: serviceParams,
        response: { 200: serviceImpliedSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => catalogueLink.getServiceImplied(db, request.params.serviceId)),
  );

  r.put(
    '/rgpd/services/:serviceId/implied',
    {
      config: { access: writeTemplates },
      schema: {
        tags: LIBRARY,
        summary: 'Définir les modèles et sous-traitants qu’implique un service (DPO)',
        params: serviceParams,
        body: serviceImpliedInputSchema,
        response: { 200: serviceImpliedSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => catalogueLink.putServiceImplied(db, request.params.serviceId, request.body)),
  );

  r.get(
    '/members/:memberId/rgpd/suggestions',
    {
      config: { access: can(rgpdPolicy, 'registry:read', param('memberId')) },
      schema: {
        tags: REGISTRY,
        summary: 'Modèles proposés par les services souscrits et absents du registre',
        params: memberParams,
        response: { 200: registrySuggestionListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => catalogueLink.registrySuggestions(db, request.params.memberId)),
  );

  r.post(
    '/members/:memberId/rgpd/suggestions',
    {
      config: {
        access: can(rgpdPolicyIfEditor, 'registry:write', param('memberId'), REGISTRY_EDITORS_ONLY),
      },
      schema: {
        tags: REGISTRY,
        summary: 'Ajouter au registre un modèle proposé (traitement lié, avec les sous-traitants du service)',
        params: memberParams,
        body: adoptTemplateInputSchema,
        response: { 201: processingSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const created = await request.inTenant((db) =>
        catalogueLink.adoptTemplate(db, memberId, request.body.templateId, actorOf(request)),
      );
      return reply.code(201).send(created);
    },
  );
}
