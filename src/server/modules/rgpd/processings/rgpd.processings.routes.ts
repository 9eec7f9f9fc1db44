import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyReportSchema,
  copyInputSchema,
  processingInputSchema,
  processingListQuerySchema,
  processingListSchema,
  processingPatchSchema,
  processingSchema,
  processingVersionDetailSchema,
  processingVersionListSchema,
  publicRegistrySchema,
  registrySummarySchema,
  templateUpdateDecisionSchema,
  templateUpdateSchema,
} from '../../../../contracts/rgpd.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { sendSpreadsheet } from '../../../platform/export/spreadsheet.js';
import { actorOf, can, param } from '../../../platform/http/access.js';
import { REGISTRY_EDITORS_ONLY, rgpdPolicy, rgpdPolicyIfEditor } from '../rgpd.policy.js';
import * as drafts from './rgpd.drafts.service.js';
import * as service from './rgpd.processings.service.js';
import { loadRegistry, REGISTRY_SHEET, registryPdf } from './rgpd.registry-pdf.js';

const TAGS = ['rgpd — registre'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const processingParams = memberParams.extend({
  processingId: z.uuid({ message: 'identifiant de traitement invalide' }),
});
const versionParams = processingParams.extend({
  version: z.coerce.number().int().min(1, 'numéro de version invalide'),
});
const empty = z.null().describe('Aucun contenu');

const readRegistry = can(rgpdPolicy, 'registry:read', param('memberId'));
/** Whoever could edit the registry; the service reads rgpd_editors for those only that role lets in. */
const editRegistry = can(rgpdPolicyIfEditor, 'registry:write', param('memberId'), REGISTRY_EDITORS_ONLY);

/** A member's registry of processings (Art. 30): entries, versions, template updates, documents. */
export default async function rgpdProcessingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/members/:memberId/processings',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Registre des traitements de la structure (art. 30)',
        params: memberParams,
        querystring: processingListQuerySchema,
        response: { 200: processingListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.listProcessings(db, request.params.memberId, request.query)),
  );

  r.post(
    '/members/:memberId/processings',
    {
      config: { access: editRegistry },
      schema: {
        tags: TAGS,
        summary: 'Ajouter un traitement au registre',
        params: memberParams,
        body: processingInputSchema,
        response: { 201: processingSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        service.createProcessing(db, request.params.memberId, request.body, actorOf(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Fiche d’un traitement (champs de l’article 30, AIPD, complétude)',
        params: processingParams,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) => service.getProcessing(db, memberId, processingId));
    },
  );

  r.patch(
    '/members/:memberId/processings/:processingId',
    {
      config: { access: editRegistry },
      schema: {
        tags: TAGS,
        summary: 'Modifier un traitement (chaque modification crée une version)',
        params: processingParams,
        body: processingPatchSchema,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) =>
        service.updateProcessing(db, memberId, processingId, request.body, actorOf(request)),
      );
    },
  );

  r.delete(
    '/members/:memberId/processings/:processingId',
    {
      config: { access: editRegistry },
      schema: {
        tags: TAGS,
        summary: 'Supprimer un traitement du registre',
        params: processingParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      const { memberId, processingId } = request.params;
      await request.inTenant((db) =>
        service.deleteProcessing(db, memberId, processingId, actorOf(request), auditSource(request)),
      );
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/versions',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Historique des versions d’un traitement (qui, quand, quels champs)',
        params: processingParams,
        response: { 200: processingVersionListSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) => service.listVersions(db, memberId, processingId));
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/versions/:version',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Une version : état complet et différences avec la précédente',
        params: versionParams,
        response: { 200: processingVersionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, processingId, version } = request.params;
      return request.inTenant((db) => service.getVersion(db, memberId, processingId, version));
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/template-update',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Mise à jour du modèle disponible : champs modifiés par le modèle (actuel, proposé)',
        params: processingParams,
        response: { 200: templateUpdateSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) => service.getTemplateUpdate(db, memberId, processingId));
    },
  );

  r.post(
    '/members/:memberId/processings/:processingId/template-update',
    {
      config: { access: editRegistry },
      schema: {
        tags: TAGS,
        summary: 'Accepter champ par champ la mise à jour du modèle, ou l’écarter',
        params: processingParams,
        body: templateUpdateDecisionSchema,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) =>
        service.decideTemplateUpdate(db, memberId, processingId, request.body, actorOf(request)),
      );
    },
  );

  r.post(
    '/members/:memberId/processings/:processingId/copy',
    {
      config: { access: can(rgpdPolicy, 'registry:copyAcrossMembers', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: 'Copier un traitement vers d’autres structures (DPO), avec un compte rendu par structure',
        params: processingParams,
        body: copyInputSchema,
        response: { 200: applyReportSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return request.inTenant((db) =>
        drafts.copyProcessing(db, memberId, processingId, request.body.memberIds, auditSource(request)),
      );
    },
  );

  r.get(
    '/members/:memberId/rgpd/summary',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Synthèse du registre : complétude, AIPD à faire, revues dues, mises à jour de modèles',
        params: memberParams,
        response: { 200: registrySummarySchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.registrySummary(db, request.params.memberId, actorOf(request))),
  );

  r.get(
    '/members/:memberId/registry.pdf',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Registre imprimable (PDF) pour un contrôle de la CNIL',
        params: memberParams,
        response: { 200: z.any().describe('Document PDF') },
      },
    },
    async (request, reply) => {
      const registry = await request.inTenant((db) => loadRegistry(db, request.params.memberId));
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="registre-rgpd-${registry.editedOn}.pdf"`)
        .send(await registryPdf(registry));
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    r.get(
      `/members/:memberId/registry.${format}`,
      {
        config: { access: readRegistry },
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter le registre en CSV (UTF-8, séparateur ;)'
              : 'Exporter le registre en classeur XLSX',
          params: memberParams,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        const registry = await request.inTenant((db) => loadRegistry(db, request.params.memberId));
        return sendSpreadsheet(
          reply,
          format,
          `registre-rgpd-${registry.editedOn}`,
          REGISTRY_SHEET,
          registry.processings,
        );
      },
    );
  }

  r.get(
    '/public/members/:memberId/registry',
    {
      // Whoever asks: the service reads published processings only, and RLS lets only those through.
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary:
          'Registre public : les traitements que la structure a choisi de publier (sans donnée d’agent)',
        params: memberParams,
        response: { 200: publicRegistrySchema },
      },
    },
    async (request) => request.inTenant((db) => service.publicRegistry(db, request.params.memberId)),
  );
}
