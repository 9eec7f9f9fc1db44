import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paginationQuery, problemSchema } from '../../../contracts/common.js';
import {
  cyberProfileInputSchema,
  cyberProfileSchema,
  diagnosticInputSchema,
  diagnosticListSchema,
  diagnosticSchema,
  incidentCreatedSchema,
  incidentInputSchema,
  incidentListQuerySchema,
  incidentListSchema,
  incidentPatchSchema,
  incidentSchema,
  inventoryImportQuerySchema,
  inventoryImportReportSchema,
  inventoryItemInputSchema,
  inventoryItemPatchSchema,
  inventoryItemSchema,
  inventoryListQuerySchema,
  inventoryListSchema,
  memberAdvisoryDetailSchema,
  memberAdvisoryListQuerySchema,
  memberAdvisoryListSchema,
  remediationPatchSchema,
  remediationSchema,
  timelineEntryInputSchema,
} from '../../../contracts/cyber.js';
import { auditSource } from '../../platform/audit/audit.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { can, param } from '../../platform/http/access.js';
import { fileUploadBody, readOneFile } from '../../platform/http/multipart.js';
import * as advisories from './cyber.advisories.service.js';
import * as diagnostics from './cyber.diagnostics.service.js';
import * as incidents from './cyber.incidents.service.js';
import { INVENTORY_SHEET, importInventory } from './cyber.inventory.import.js';
import * as inventory from './cyber.inventory.service.js';
import { cyberPolicy } from './cyber.policy.js';
import { serviceCostFor } from './cyber.pricing.js';

const TAGS = ['cybersécurité'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const itemParams = memberParams.extend({ itemId: z.uuid({ message: "identifiant d'élément invalide" }) });
const diagnosticParams = memberParams.extend({
  diagnosticId: z.uuid({ message: 'identifiant de diagnostic invalide' }),
});
const advisoryParams = memberParams.extend({
  advisoryId: z.uuid({ message: "identifiant d'avis invalide" }),
});
const remediationParams = memberParams.extend({
  remediationId: z.uuid({ message: 'identifiant de traitement invalide' }),
});
const incidentParams = memberParams.extend({
  incidentId: z.uuid({ message: "identifiant d'incident invalide" }),
});
const exportParams = memberParams.extend({
  format: z.enum(['csv', 'xlsx'], { message: 'format csv ou xlsx attendu' }),
});

const read = can(cyberPolicy, 'cyber:read', param('memberId'));
const write = can(cyberPolicy, 'cyber:write', param('memberId'));

/** A member's cybersecurity (issue 13): inventory, profile, diagnostics, advisories, incidents. */
export default async function cyberRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cost = serviceCostFor(app);

  // Inventory -------------------------------------------------------------------------------------
  r.get(
    '/members/:memberId/inventory',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: "Inventaire de la structure (dont les logiciels des services de l'opérateur)",
        params: memberParams,
        querystring: inventoryListQuerySchema,
        response: { 200: inventoryListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => inventory.listInventory(db, request.params.memberId, request.query)),
  );
  r.post(
    '/members/:memberId/inventory',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Ajouter un élément à l'inventaire",
        params: memberParams,
        body: inventoryItemInputSchema,
        response: { 201: inventoryItemSchema },
      },
    },
    async (request, reply) => {
      const item = await request.inTenant((db) =>
        inventory.createItem(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(item);
    },
  );
  r.patch(
    '/members/:memberId/inventory/:itemId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Modifier un élément de l'inventaire (saisi par la structure)",
        params: itemParams,
        body: inventoryItemPatchSchema,
        response: { 200: inventoryItemSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        inventory.updateItem(
          db,
          request.params.memberId,
          request.params.itemId,
          request.body,
          auditSource(request),
        ),
      ),
  );
  r.delete(
    '/members/:memberId/inventory/:itemId',
    {
      config: { access: write },
      schema: { tags: TAGS, summary: "Retirer un élément de l'inventaire", params: itemParams },
    },
    async (request, reply) => {
      await request.inTenant((db) =>
        inventory.deleteItem(db, request.params.memberId, request.params.itemId, auditSource(request)),
      );
      return reply.code(204).send();
    },
  );
  r.post(
    '/members/:memberId/inventory/import',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Importer l'inventaire depuis un fichier CSV (essai à blanc par défaut)",
        description:
          'Colonnes : type;nom;quantite;editeur;produit;version;cpe;exploitant;exposition;notes. Avec `dryRun=true` (par défaut), rien n’est enregistré : la réponse est le rapport. Sinon tout le fichier est enregistré, ou rien (422 avec les erreurs par ligne). `mode=replace` retire d’abord les lignes saisies par la structure.',
        consumes: ['multipart/form-data'],
        params: memberParams,
        querystring: inventoryImportQuerySchema,
        body: fileUploadBody('le fichier CSV'),
        response: { 200: inventoryImportReportSchema, 422: problemSchema },
      },
    },
    async (request) => {
      const { data: bytes } = await readOneFile(request, { what: 'le fichier CSV' });
      return request.inTenant((db) =>
        importInventory(db, request.params.memberId, bytes, request.query, auditSource(request)),
      );
    },
  );
  r.get(
    '/members/:memberId/inventory.:format',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: "Exporter l'inventaire (CSV ou XLSX, réimportable)",
        params: exportParams,
      },
    },
    async (request, reply) => {
      const rows = await request.inTenant((db) => inventory.wholeInventory(db, request.params.memberId));
      return sendSpreadsheet(reply, request.params.format, 'inventaire', INVENTORY_SHEET, rows);
    },
  );

  // Profile ---------------------------------------------------------------------------------------
  r.get(
    '/members/:memberId/cyber-profile',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Profil cybersécurité : périmètre NIS 2 et contact sécurité',
        params: memberParams,
        response: { 200: cyberProfileSchema },
      },
    },
    async (request) => request.inTenant((db) => incidents.getProfile(db, request.params.memberId)),
  );
  r.put(
    '/members/:memberId/cyber-profile',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer le profil cybersécurité',
        params: memberParams,
        body: cyberProfileInputSchema,
        response: { 200: cyberProfileSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        incidents.putProfile(db, request.params.memberId, request.body, auditSource(request)),
      ),
  );

  // Diagnostics -----------------------------------------------------------------------------------
  r.post(
    '/members/:memberId/diagnostics',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Enregistrer un diagnostic : scores par thème et plan d'action",
        params: memberParams,
        body: diagnosticInputSchema,
        response: { 201: diagnosticSchema },
      },
    },
    async (request, reply) => {
      const diagnostic = await request.inTenant((db) =>
        diagnostics.createDiagnostic(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(await diagnostics.priceActionPlan(diagnostic, cost));
    },
  );
  r.get(
    '/members/:memberId/diagnostics',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Diagnostics de la structure, le plus récent en premier',
        params: memberParams,
        querystring: paginationQuery,
        response: { 200: diagnosticListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => diagnostics.listDiagnostics(db, request.params.memberId, request.query)),
  );
  r.get(
    '/members/:memberId/diagnostics/:diagnosticId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary:
          "Un diagnostic : scores, plan d'action, comparaison au précédent et aux structures comparables",
        params: diagnosticParams,
        response: { 200: diagnosticSchema },
      },
    },
    async (request) => {
      const diagnostic = await request.inTenant((db) =>
        diagnostics.getDiagnostic(db, request.params.memberId, request.params.diagnosticId),
      );
      return diagnostics.priceActionPlan(diagnostic, cost);
    },
  );

  // Advisories and remediation --------------------------------------------------------------------
  r.get(
    '/members/:memberId/advisories',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Avis de sécurité qui concernent la structure',
        params: memberParams,
        querystring: memberAdvisoryListQuerySchema,
        response: { 200: memberAdvisoryListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => advisories.memberAdvisories(db, request.params.memberId, request.query)),
  );
  r.get(
    '/members/:memberId/advisories/:advisoryId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Un avis pour la structure : ses éléments concernés et leur traitement',
        params: advisoryParams,
        response: { 200: memberAdvisoryDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        advisories.memberAdvisory(db, request.params.memberId, request.params.advisoryId),
      ),
  );
  r.patch(
    '/members/:memberId/remediations/:remediationId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Mettre à jour le traitement d'un avis sur un élément",
        params: remediationParams,
        body: remediationPatchSchema,
        response: { 200: remediationSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        advisories.updateRemediation(
          db,
          request.params.memberId,
          request.params.remediationId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  // Incidents -------------------------------------------------------------------------------------
  r.post(
    '/members/:memberId/incidents',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Déclarer un incident (échéances NIS 2, violation RGPD liée si données personnelles)',
        params: memberParams,
        body: incidentInputSchema,
        response: { 201: incidentCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        incidents.declareIncident(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    '/members/:memberId/incidents',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Incidents de la structure',
        params: memberParams,
        querystring: incidentListQuerySchema,
        response: { 200: incidentListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => incidents.listIncidents(db, request.params.memberId, request.query)),
  );
  r.get(
    '/members/:memberId/incidents/:incidentId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Un incident : échéances, chronologie, plainte et assurance',
        params: incidentParams,
        response: { 200: incidentSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => incidents.getIncident(db, request.params.memberId, request.params.incidentId)),
  );
  r.patch(
    '/members/:memberId/incidents/:incidentId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Mettre à jour un incident (statut, transmissions, plainte, assurance)',
        params: incidentParams,
        body: incidentPatchSchema,
        response: { 200: incidentSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        incidents.updateIncident(
          db,
          request.params.memberId,
          request.params.incidentId,
          request.body,
          auditSource(request),
        ),
      ),
  );
  r.post(
    '/members/:memberId/incidents/:incidentId/timeline',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: "Ajouter une action à la chronologie de l'incident",
        params: incidentParams,
        body: timelineEntryInputSchema,
        response: { 201: incidentSchema },
      },
    },
    async (request, reply) => {
      const incident = await request.inTenant((db) =>
        incidents.addTimelineEntry(
          db,
          request.params.memberId,
          request.params.incidentId,
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(incident);
    },
  );
}
