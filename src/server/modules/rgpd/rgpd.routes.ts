import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adoptTemplateInputSchema,
  applyReportSchema,
  copyInputSchema,
  designationInputSchema,
  designationSchema,
  memberTargetSchema,
  processingInputSchema,
  processingListQuerySchema,
  processingListSchema,
  processingPatchSchema,
  processingSchema,
  processingVersionDetailSchema,
  processingVersionListSchema,
  processorInputSchema,
  processorListQuerySchema,
  processorListSchema,
  processorPatchSchema,
  processorSchema,
  publicRegistrySchema,
  registrySuggestionListSchema,
  registrySummarySchema,
  rgpdEditorListSchema,
  serviceImpliedInputSchema,
  serviceImpliedSchema,
  templateInputSchema,
  templateListQuerySchema,
  templateListSchema,
  templatePatchSchema,
  templateSchema,
  templateUpdateDecisionSchema,
  templateUpdateSchema,
} from '../../../contracts/rgpd.js';
import { auditSource, recordAudit } from '../../platform/audit/audit.js';
import { type Actor, authorise, requireActor, roleIn } from '../../platform/auth/context.js';
import type { Tx } from '../../platform/db/client.js';
import { ANONYMOUS, withTenant } from '../../platform/db/tenancy.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import rgpdCasesRoutes from './cases/rgpd.cases.routes.js';
import * as designation from './processings/rgpd.designation.service.js';
import * as processings from './processings/rgpd.processings.service.js';
import { loadRegistry, REGISTRY_SHEET, registryPdf } from './processings/rgpd.registry-pdf.js';
import * as processors from './processors/rgpd.processors.service.js';
import { type RgpdAction, rgpdPolicy } from './rgpd.policy.js';
import * as catalogueLink from './templates/rgpd.templates.catalogue.js';
import * as templates from './templates/rgpd.templates.service.js';

const REGISTRY = ['rgpd — registre'];
const LIBRARY = ['rgpd — modèles et sous-traitants'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const processingParams = memberParams.extend({
  processingId: z.uuid({ message: 'identifiant de traitement invalide' }),
});
const versionParams = processingParams.extend({
  version: z.coerce.number().int().min(1, 'numéro de version invalide'),
});
const editorParams = memberParams.extend({
  userId: z.uuid({ message: 'identifiant d’utilisateur invalide' }),
});
const templateParams = z.object({ templateId: z.uuid({ message: 'identifiant de modèle invalide' }) });
const processorParams = z.object({
  processorId: z.uuid({ message: 'identifiant de sous-traitant invalide' }),
});
const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });
const empty = z.null().describe('Aucun contenu');

/** 401 for anonymous visitors, 403 when the policy says no. */
function allow(request: FastifyRequest, action: RgpdAction, memberId: string | null = null): Actor {
  const actor = requireActor(request);
  authorise(rgpdPolicy(actor, action, memberId));
  return actor;
}

/**
 * Registry writes: the DPO and the member admin by role; another user of the member only when it
 * holds the member `rgpd` role (a row of rgpd_editors, read in the request's transaction).
 */
async function canEditRegistry(db: Tx, actor: Actor, memberId: string): Promise<boolean> {
  if (rgpdPolicy(actor, 'registry:write', memberId)) return true;
  if (roleIn(actor, memberId) === null) return false;
  const isRgpdEditor = await designation.isRgpdEditor(db, memberId, actor.userId);
  return rgpdPolicy(actor, 'registry:write', memberId, { isRgpdEditor });
}

export default async function rgpdRoutes(app: FastifyInstance) {
  await app.register(rgpdCasesRoutes);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = <T>(request: FastifyRequest, work: (db: Tx) => Promise<T>) =>
    withTenant(app.database.db, request.tenant, work);
  /** Runs `work` once the actor is known to be allowed to edit the member's registry. */
  const asEditor = <T>(
    request: FastifyRequest,
    memberId: string,
    work: (db: Tx, actor: Actor) => Promise<T>,
  ) => {
    const actor = requireActor(request);
    return tx(request, async (db) => {
      authorise(
        await canEditRegistry(db, actor, memberId),
        'Seuls le DPO, l’administrateur de la structure et les personnes ayant le rôle RGPD modifient ce registre.',
      );
      return work(db, actor);
    });
  };

  // Registry ------------------------------------------------------------------------------------

  r.get(
    '/members/:memberId/processings',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Registre des traitements de la structure (art. 30)',
        params: memberParams,
        querystring: processingListQuerySchema,
        response: { 200: processingListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => processings.listProcessings(db, memberId, request.query));
    },
  );

  r.post(
    '/members/:memberId/processings',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Ajouter un traitement au registre',
        params: memberParams,
        body: processingInputSchema,
        response: { 201: processingSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const created = await asEditor(request, memberId, (db, actor) =>
        processings.createProcessing(db, memberId, request.body, actor.userId),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Fiche d’un traitement (champs de l’article 30, AIPD, complétude)',
        params: processingParams,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => processings.getProcessing(db, memberId, processingId));
    },
  );

  r.patch(
    '/members/:memberId/processings/:processingId',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Modifier un traitement (chaque modification crée une version)',
        params: processingParams,
        body: processingPatchSchema,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return asEditor(request, memberId, (db, actor) =>
        processings.updateProcessing(db, memberId, processingId, request.body, actor.userId),
      );
    },
  );

  r.delete(
    '/members/:memberId/processings/:processingId',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Supprimer un traitement du registre',
        params: processingParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      const { memberId, processingId } = request.params;
      await asEditor(request, memberId, async (db) => {
        await processings.deleteProcessing(db, memberId, processingId);
        await recordAudit(db, {
          ...auditSource(request),
          action: 'rgpd.processing.delete',
          memberId,
          targetType: 'rgpd_processing',
          targetId: processingId,
        });
      });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/versions',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Historique des versions d’un traitement (qui, quand, quels champs)',
        params: processingParams,
        response: { 200: processingVersionListSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => processings.listVersions(db, memberId, processingId));
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/versions/:version',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Une version : état complet et différences avec la précédente',
        params: versionParams,
        response: { 200: processingVersionDetailSchema },
      },
    },
    async (request) => {
      const { memberId, processingId, version } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => processings.getVersion(db, memberId, processingId, version));
    },
  );

  r.get(
    '/members/:memberId/processings/:processingId/template-update',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Mise à jour du modèle disponible : champs modifiés par le modèle (actuel, proposé)',
        params: processingParams,
        response: { 200: templateUpdateSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => processings.getTemplateUpdate(db, memberId, processingId));
    },
  );

  r.post(
    '/members/:memberId/processings/:processingId/template-update',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Accepter champ par champ la mise à jour du modèle, ou l’écarter',
        params: processingParams,
        body: templateUpdateDecisionSchema,
        response: { 200: processingSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      return asEditor(request, memberId, (db, actor) =>
        processings.decideTemplateUpdate(db, memberId, processingId, request.body, actor.userId),
      );
    },
  );

  r.post(
    '/members/:memberId/processings/:processingId/copy',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Copier un traitement vers d’autres structures (DPO), avec un compte rendu par structure',
        params: processingParams,
        body: copyInputSchema,
        response: { 200: applyReportSchema },
      },
    },
    async (request) => {
      const { memberId, processingId } = request.params;
      const actor = allow(request, 'registry:copyAcrossMembers', memberId);
      return tx(request, async (db) => {
        const report = await processings.copyProcessing(
          db,
          memberId,
          processingId,
          request.body.memberIds,
          actor.userId,
        );
        await recordAudit(db, {
          ...auditSource(request),
          action: 'rgpd.processing.copy',
          memberId,
          targetType: 'rgpd_processing',
          targetId: processingId,
          details: { created: report.created, skipped: report.skipped },
        });
        return report;
      });
    },
  );

  r.get(
    '/members/:memberId/rgpd/summary',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Synthèse du registre : complétude, AIPD à faire, revues dues, mises à jour de modèles',
        params: memberParams,
        response: { 200: registrySummarySchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const actor = allow(request, 'registry:read', memberId);
      return tx(request, async (db) =>
        processings.registrySummary(db, memberId, await canEditRegistry(db, actor, memberId)),
      );
    },
  );

  r.get(
    '/members/:memberId/registry.pdf',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Registre imprimable (PDF) pour un contrôle de la CNIL',
        params: memberParams,
        response: { 200: z.any().describe('Document PDF') },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      allow(request, 'registry:read', memberId);
      const registry = await tx(request, (db) => loadRegistry(db, memberId));
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
        schema: {
          tags: REGISTRY,
          summary:
            format === 'csv'
              ? 'Exporter le registre en CSV (UTF-8, séparateur ;)'
              : 'Exporter le registre en classeur XLSX',
          params: memberParams,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        const { memberId } = request.params;
        allow(request, 'registry:read', memberId);
        const registry = await tx(request, (db) => loadRegistry(db, memberId));
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
      schema: {
        tags: REGISTRY,
        summary:
          'Registre public : les traitements que la structure a choisi de publier (sans donnée d’agent)',
        params: memberParams,
        response: { 200: publicRegistrySchema },
      },
    },
    // Anonymous on purpose, whoever asks: RLS then only lets published processings through.
    async (request) =>
      withTenant(app.database.db, ANONYMOUS, (db) => processings.publicRegistry(db, request.params.memberId)),
  );

  // Designation and editors ---------------------------------------------------------------------

  r.get(
    '/members/:memberId/rgpd/designation',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Désignation du DPO auprès de la CNIL (numéro, date, délégué)',
        params: memberParams,
        response: { 200: designationSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => designation.getDesignation(db, memberId));
    },
  );

  r.put(
    '/members/:memberId/rgpd/designation',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Enregistrer la désignation du DPO (DPO de l’opérateur ou administrateur de la structure)',
        params: memberParams,
        body: designationInputSchema,
        response: { 200: designationSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'designation:write', memberId);
      return tx(request, (db) => designation.putDesignation(db, memberId, request.body));
    },
  );

  r.get(
    '/members/:memberId/rgpd/editors',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Personnes ayant le rôle RGPD dans la structure',
        params: memberParams,
        response: { 200: rgpdEditorListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => designation.listEditors(db, memberId));
    },
  );

  r.put(
    '/members/:memberId/rgpd/editors/:userId',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Confier le rôle RGPD à un utilisateur de la structure',
        params: editorParams,
        response: { 200: rgpdEditorListSchema },
      },
    },
    async (request) => {
      const { memberId, userId } = request.params;
      allow(request, 'editors:manage', memberId);
      return tx(request, async (db) => {
        const list = await designation.addEditor(db, memberId, userId);
        await recordAudit(db, {
          ...auditSource(request),
          action: 'rgpd.editor.grant',
          memberId,
          targetType: 'user',
          targetId: userId,
        });
        return list;
      });
    },
  );

  r.delete(
    '/members/:memberId/rgpd/editors/:userId',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Retirer le rôle RGPD',
        params: editorParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      const { memberId, userId } = request.params;
      allow(request, 'editors:manage', memberId);
      await tx(request, async (db) => {
        await designation.removeEditor(db, memberId, userId);
        await recordAudit(db, {
          ...auditSource(request),
          action: 'rgpd.editor.revoke',
          memberId,
          targetType: 'user',
          targetId: userId,
        });
      });
      return reply.code(204).send(null);
    },
  );

  // Templates -----------------------------------------------------------------------------------

  r.get(
    '/rgpd/templates',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Bibliothèque de modèles de traitements du DPO mutualisé',
        querystring: templateListQuerySchema,
        response: { 200: templateListSchema },
      },
    },
    async (request) => {
      allow(request, 'templates:read');
      return tx(request, (db) => templates.listTemplates(db, request.query));
    },
  );

  r.get(
    '/rgpd/templates/:templateId',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Un modèle de traitement et ses champs',
        params: templateParams,
        response: { 200: templateSchema },
      },
    },
    async (request) => {
      allow(request, 'templates:read');
      return tx(request, (db) => templates.getTemplate(db, request.params.templateId));
    },
  );

  r.post(
    '/rgpd/templates',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Créer un modèle (DPO)',
        body: templateInputSchema,
        response: { 201: templateSchema },
      },
    },
    async (request, reply) => {
      const actor = allow(request, 'templates:write');
      const created = await tx(request, (db) => templates.createTemplate(db, request.body, actor.userId));
      return reply.code(201).send(created);
    },
  );

  r.patch(
    '/rgpd/templates/:templateId',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Modifier un modèle (DPO) : une nouvelle version, proposée aux traitements liés',
        params: templateParams,
        body: templatePatchSchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => {
      const actor = allow(request, 'templates:write');
      return tx(request, (db) =>
        templates.updateTemplate(db, request.params.templateId, request.body, actor.userId),
      );
    },
  );

  r.post(
    '/rgpd/templates/:templateId/apply',
    {
      schema: {
        tags: LIBRARY,
        summary:
          'Appliquer un modèle à plusieurs structures (liste, département et type, ou EPCI) en une transaction',
        params: templateParams,
        body: memberTargetSchema,
        response: { 200: applyReportSchema },
      },
    },
    async (request) => {
      const actor = allow(request, 'templates:write');
      const { templateId } = request.params;
      return tx(request, async (db) => {
        const report = await templates.applyTemplate(db, templateId, request.body, actor.userId);
        await recordAudit(db, {
          ...auditSource(request),
          action: 'rgpd.template.apply',
          targetType: 'rgpd_template',
          targetId: templateId,
          details: { created: report.created, skipped: report.skipped },
        });
        return report;
      });
    },
  );

  // Catalogue link ------------------------------------------------------------------------------

  r.get(
    '/rgpd/services/:serviceId/implied',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Modèles et sous-traitants qu’implique un service du catalogue',
        params: serviceParams,
        response: { 200: serviceImpliedSchema },
      },
    },
    async (request) => {
      allow(request, 'templates:read');
      return tx(request, (db) => catalogueLink.getServiceImplied(db, request.params.serviceId));
    },
  );

  r.put(
    '/rgpd/services/:serviceId/implied',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Définir les modèles et sous-traitants qu’implique un service (DPO)',
        params: serviceParams,
        body: serviceImpliedInputSchema,
        response: { 200: serviceImpliedSchema },
      },
    },
    async (request) => {
      allow(request, 'templates:write');
      return tx(request, (db) => catalogueLink.putServiceImplied(db, request.params.serviceId, request.body));
    },
  );

  r.get(
    '/members/:memberId/rgpd/suggestions',
    {
      schema: {
        tags: REGISTRY,
        summary: 'Modèles proposés par les services souscrits et absents du registre',
        params: memberParams,
        response: { 200: registrySuggestionListSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      allow(request, 'registry:read', memberId);
      return tx(request, (db) => catalogueLink.registrySuggestions(db, memberId));
    },
  );

  r.post(
    '/members/:memberId/rgpd/suggestions',
    {
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
      const created = await asEditor(request, memberId, (db, actor) =>
        catalogueLink.adoptTemplate(db, memberId, request.body.templateId, actor.userId),
      );
      return reply.code(201).send(created);
    },
  );

  // Processors ----------------------------------------------------------------------------------

  r.get(
    '/rgpd/processors',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Annuaire partagé des sous-traitants',
        querystring: processorListQuerySchema,
        response: { 200: processorListSchema },
      },
    },
    async (request) => {
      allow(request, 'processors:read');
      return tx(request, (db) => processors.listProcessors(db, request.query));
    },
  );

  r.get(
    '/rgpd/processors/:processorId',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Un sous-traitant de l’annuaire',
        params: processorParams,
        response: { 200: processorSchema },
      },
    },
    async (request) => {
      allow(request, 'processors:read');
      return tx(request, (db) => processors.getProcessor(db, request.params.processorId));
    },
  );

  r.post(
    '/rgpd/processors',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Ajouter un sous-traitant à l’annuaire (DPO)',
        body: processorInputSchema,
        response: { 201: processorSchema },
      },
    },
    async (request, reply) => {
      allow(request, 'processors:write');
      const created = await tx(request, (db) => processors.createProcessor(db, request.body));
      return reply.code(201).send(created);
    },
  );

  r.patch(
    '/rgpd/processors/:processorId',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Modifier un sous-traitant (DPO)',
        params: processorParams,
        body: processorPatchSchema,
        response: { 200: processorSchema },
      },
    },
    async (request) => {
      allow(request, 'processors:write');
      return tx(request, (db) => processors.updateProcessor(db, request.params.processorId, request.body));
    },
  );

  r.delete(
    '/rgpd/processors/:processorId',
    {
      schema: {
        tags: LIBRARY,
        summary: 'Supprimer un sous-traitant lié à aucun traitement (DPO)',
        params: processorParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      allow(request, 'processors:write');
      await tx(request, (db) => processors.deleteProcessor(db, request.params.processorId));
      return reply.code(204).send(null);
    },
  );
}
