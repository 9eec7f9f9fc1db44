import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';
import {
  availabilityQuerySchema,
  availabilitySchema,
  backupInputSchema,
  CONTINUITY_DOCUMENT_TYPES,
  continuityDocumentSchema,
  continuityPlanInputSchema,
  continuityPlanListSchema,
  continuityPlanSchema,
  createdSchema,
  declaredUnitsInputSchema,
  declaredUnitsReportSchema,
  incidentInputSchema,
  incidentSchema,
  incidentUpdateInputSchema,
  instanceDetailSchema,
  instanceInputSchema,
  instanceListSchema,
  licenceListSchema,
  licenceSchema,
  licenceUsageInputSchema,
  maintenanceInputSchema,
  memberAvailabilitySchema,
  memberServiceStatesSchema,
  monitorInputSchema,
  monitorListSchema,
  moreSeatsInputSchema,
  type PublicStatus,
  restoreTestInputSchema,
  seatRequestListSchema,
  seatRequestQuerySchema,
  seatRequestRefusalSchema,
  seatRequestSchema,
  statusSchema,
  usageImportQuerySchema,
  usageImportReportSchema,
} from '../../../contracts/hosting.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can, param } from '../../platform/http/access.js';
import { sendDownload } from '../../platform/http/download.js';
import { fileUploadBody, readOneFile } from '../../platform/http/multipart.js';
import * as continuity from './hosting.continuity.service.js';
import { allowListOf } from './hosting.jobs.js';
import * as licences from './hosting.licences.service.js';
import * as monitors from './hosting.monitors.service.js';
import { hostingPolicy } from './hosting.policy.js';
import * as instances from './hosting.service.js';
import * as status from './hosting.status.service.js';

const TAGS = ['hébergement'];
const read = can(hostingPolicy, 'hosting:read', param('memberId'));
const declare = can(hostingPolicy, 'hosting:declare', param('memberId'));
const seats = can(hostingPolicy, 'hosting:seats', param('memberId'));
const licenceParams = z.object({
  memberId: z.uuid({ message: 'identifiant de membre invalide' }),
  subscriptionId: z.uuid({ message: "identifiant d'abonnement invalide" }),
});
const operate = can(
  hostingPolicy,
  'hosting:operate',
  undefined,
  "Réservé à l'équipe hébergement de l'opérateur (périmètre « Hébergement »).",
);
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de membre invalide' }) });
const instanceParams = memberParams.extend({
  instanceId: z.uuid({ message: "identifiant d'instance invalide" }),
});
const seatRequestParams = z.object({
  requestId: z.uuid({ message: 'identifiant de demande invalide' }),
});
const incidentParams = z.object({ incidentId: z.uuid({ message: "identifiant d'incident invalide" }) });
const units = can(
  hostingPolicy,
  'hosting:units',
  undefined,
  "Réservé à l'équipe hébergement de l'opérateur (périmètre « Hébergement »).",
);

const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });
const documentId = z.uuid({ message: 'identifiant de document invalide' });
const serviceDocumentParams = serviceParams.extend({ documentId });
const memberDocumentParams = memberParams.extend({
  serviceId: z.uuid({ message: 'identifiant de service invalide' }),
  documentId,
});
const file = (what: string) => z.any().describe(what);
const ACCEPTED = CONTINUITY_DOCUMENT_TYPES.join(', ');

/** Hosting: instances, status (public page and feed), incidents, maintenance, monitors, availability. */
export default async function hostingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allowList = allowListOf(app.config);
  const licenceDeps = (): licences.LicenceDeps => ({ mailer: app.mailer, publicUrl: app.config.publicUrl });

  // Public status ---------------------------------------------------------------------------------
  r.get(
    '/status',
    {
      // Anonymous answers may also be kept in memory until the status changes (migration 0045's triggers).
      config: { access: 'public', publicCache: ['status'] },
      schema: {
        tags: TAGS,
        summary:
          'État public des services hébergés : états et 90 jours d’historique par jour, incidents en cours, incidents résolus récents, maintenances',
        response: { 200: statusSchema },
      },
    },
    async (request, reply) => {
      // The stored answer (one row) or, when time alone moved it on, the statement building it: JSON text
      // of statusSchema's shape (checked by hosting.status.test.ts), sent as it is, neither parsed nor
      // serialised again. (The row also keeps the answer's ETag, for a « 304 » the OpenAPI document does
      // not declare yet.)
      const { body } = await request.inTenant((db) => status.publicStatusText(db));
      return reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'public, max-age=30')
        .send(body as unknown as PublicStatus);
    },
  );

  r.get(
    '/status/feed.atom',
    {
      config: { access: 'public', publicCache: ['status'] },
      schema: {
        tags: TAGS,
        summary: 'Flux Atom 1.0 des incidents et maintenances',
        response: { 200: z.string().describe('Flux Atom (application/atom+xml)') },
      },
    },
    async (request, reply) => {
      const answer = await request.inTenant((db) => status.feedInput(db));
      return reply
        .type('application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(status.atomFeed(answer, app.config.publicUrl, app.config.OPERATOR_NAME));
    },
  );

  r.get(
    '/status/incidents/:incidentId',
    {
      config: { access: 'public', publicCache: ['status'] },
      schema: {
        tags: TAGS,
        summary: 'Un incident et toute sa chronologie (page publique de l’incident)',
        description:
          'La page d’état ne donne la chronologie que des incidents en cours ; celle d’un incident résolu se lit ici.',
        params: incidentParams,
        response: { 200: incidentSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const incident = await request.inTenant((db) => status.publicIncident(db, request.params.incidentId));
      return reply.header('cache-control', 'public, max-age=60').send(incident);
    },
  );

  // A member's instances and services -------------------------------------------------------------
  r.get(
    '/members/:memberId/instances',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Où sont les données du membre et qui les exploite : ses instances',
        params: memberParams,
        response: { 200: instanceListSchema },
      },
    },
    async (request) => request.inTenant((db) => instances.listInstances(db, request.params.memberId)),
  );

  r.get(
    '/members/:memberId/instances/:instanceId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Une instance, ses sauvegardes et ses tests de restauration',
        params: instanceParams,
        response: { 200: instanceDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => instances.getInstance(db, request.params.memberId, request.params.instanceId)),
  );

  r.get(
    '/members/:memberId/service-states',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary:
          'État des services auxquels le membre est abonné, incidents et maintenances qui le concernent',
        params: memberParams,
        response: { 200: memberServiceStatesSchema },
      },
    },
    async (request) => request.inTenant((db) => status.memberServiceStates(db, request.params.memberId)),
  );

  r.get(
    '/members/:memberId/availability',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary:
          'Rapport mensuel : disponibilité de chaque service souscrit, maintenances exclues, et niveau promis',
        params: memberParams,
        querystring: availabilityQuerySchema,
        response: { 200: memberAvailabilitySchema },
      },
    },
    async (request) =>
      request.inTenant((db) => status.memberAvailability(db, request.params.memberId, request.query.month)),
  );

  r.get(
    '/members/:memberId/licences',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary:
          'Licences des services par unités : autorisées (abonnement), utilisées, alertes près du plafond',
        params: memberParams,
        response: { 200: licenceListSchema },
      },
    },
    async (request) => request.inTenant((db) => licences.listLicences(db, request.params.memberId)),
  );

  r.put(
    '/members/:memberId/licences/:subscriptionId/usage',
    {
      config: { access: declare },
      schema: {
        tags: TAGS,
        summary: 'Déclarer le nombre de licences utilisées',
        params: licenceParams,
        body: licenceUsageInputSchema,
        response: { 200: licenceSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        licences.declareUsage(
          db,
          licenceDeps(),
          request.params.memberId,
          request.params.subscriptionId,
          request.body.seatsUsed,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/members/:memberId/licences/:subscriptionId/more-seats',
    {
      config: { access: seats },
      schema: {
        tags: TAGS,
        summary: 'Demander des licences supplémentaires (demande en attente de l’équipe hébergement)',
        description:
          'Crée une demande en attente : les licences prévues ne changent qu’à son acceptation par l’équipe ' +
          'hébergement (unités déclarées de l’abonnement). Une seule demande en attente par abonnement (409).',
        params: licenceParams,
        body: moreSeatsInputSchema,
        response: { 201: seatRequestSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        licences.askForMoreSeats(
          db,
          request.params.memberId,
          request.params.subscriptionId,
          request.body.additional,
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/hosting/seat-requests',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Demandes de licences supplémentaires des adhérents (en attente par défaut)',
        querystring: seatRequestQuerySchema,
        response: { 200: seatRequestListSchema },
      },
    },
    async (request) => request.inTenant((db) => licences.listSeatRequests(db, request.query.status)),
  );

  r.post(
    '/hosting/seat-requests/:requestId/approve',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Accepter une demande de licences (les unités déclarées de l’abonnement augmentent)',
        params: seatRequestParams,
        response: { 200: seatRequestSchema, 422: problemSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        licences.approveSeatRequest(db, licenceDeps(), request.params.requestId, auditSource(request)),
      ),
  );

  r.post(
    '/hosting/seat-requests/:requestId/refuse',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary:
          'Refuser une demande de licences, avec son motif (les administrateurs de l’adhérent sont prévenus)',
        params: seatRequestParams,
        body: seatRequestRefusalSchema,
        response: { 200: seatRequestSchema, 422: problemSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        licences.refuseSeatRequest(
          db,
          licenceDeps(),
          request.params.requestId,
          request.body.reason,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/members/:memberId/licences/:subscriptionId/usage/import',
    {
      config: { access: declare },
      schema: {
        tags: TAGS,
        summary: 'Importer les licences utilisées depuis l’export CSV du logiciel (essai à blanc par défaut)',
        description:
          'L’export du logiciel tel qu’il l’écrit (UTF-8 ou Windows-1252, séparateur « ; », « , » ou tabulation). ' +
          'Avec une colonne licences/quantite/nombre/postes/utilisateurs, la somme de ses valeurs ; sinon chaque ' +
          'ligne est un compte, les comptes inactifs (colonne actif/statut/etat) exclus, un identifiant ' +
          '(identifiant/login/courriel) vu deux fois refusé. Avec `dryRun=true` (par défaut) rien n’est ' +
          'enregistré : la réponse est le rapport ; sinon tout ou rien (422 avec un message par ligne fautive).',
        consumes: ['multipart/form-data'],
        params: licenceParams,
        querystring: usageImportQuerySchema,
        body: fileUploadBody("l'export CSV du logiciel"),
        response: { 200: usageImportReportSchema, 422: problemSchema },
      },
    },
    async (request) => {
      const { data: bytes } = await readOneFile(request, { what: "l'export CSV du logiciel" });
      return request.inTenant((db) =>
        licences.importUsage(
          db,
          licenceDeps(),
          request.params.memberId,
          request.params.subscriptionId,
          bytes,
          request.query,
          auditSource(request),
        ),
      );
    },
  );

  r.post(
    '/hosting/licences/declared-units',
    {
      config: { access: units },
      schema: {
        tags: TAGS,
        summary:
          'Prendre les licences utilisées comme unités déclarées de l’année (aperçu, puis confirmation)',
        description:
          'Sans `confirm`, la liste des abonnements dont les unités déclarées diffèrent des licences utilisées ; ' +
          'avec `confirm: true`, leurs unités deviennent les licences utilisées (historique de chaque abonnement). ' +
          'Refusé quand les tarifs de l’année sont adoptés.',
        body: declaredUnitsInputSchema,
        response: { 200: declaredUnitsReportSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => licences.usageAsDeclaredUnits(db, request.body, auditSource(request))),
  );

  r.get(
    '/members/:memberId/continuity-plans',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Plans de continuité des services auxquels le membre est abonné',
        params: memberParams,
        response: { 200: continuityPlanListSchema },
      },
    },
    async (request) => request.inTenant((db) => instances.memberContinuityPlans(db, request.params.memberId)),
  );

  r.put(
    '/hosting/services/:serviceId/continuity-plan',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Écrire le plan de continuité d’un service (RTO, RPO, procédures, dernier exercice)',
        params: serviceParams,
        body: continuityPlanInputSchema,
        response: { 200: continuityPlanSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        instances.putContinuityPlan(db, request.params.serviceId, request.body, auditSource(request)),
      ),
  );

  r.get(
    '/hosting/services/:serviceId/continuity-plan',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Le plan de continuité d’un service et ses documents',
        params: serviceParams,
        response: { 200: continuityPlanSchema },
      },
    },
    async (request) => request.inTenant((db) => instances.getContinuityPlan(db, request.params.serviceId)),
  );

  r.post(
    '/hosting/services/:serviceId/continuity-plan/documents',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: `Joindre une procédure au plan de continuité d’un service (multipart/form-data, champ file : ${ACCEPTED})`,
        consumes: ['multipart/form-data'],
        params: serviceParams,
        response: { 201: continuityDocumentSchema },
      },
    },
    async (request, reply) => {
      const upload = await readOneFile(request, { what: 'le document' });
      const document = await request.inTenant((db) =>
        continuity.addContinuityDocument(
          db,
          app.storage,
          request.params.serviceId,
          upload,
          auditSource(request),
        ),
      );
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/hosting/services/:serviceId/continuity-plan/documents/:documentId',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Télécharger un document du plan de continuité (équipe hébergement)',
        params: serviceDocumentParams,
        response: { 200: file('Le document') },
      },
    },
    async (request, reply) => {
      const { document, data } = await request.inTenant((db) =>
        continuity.readContinuityDocument(
          db,
          app.storage,
          request.params.serviceId,
          request.params.documentId,
          null,
        ),
      );
      return sendDownload(reply, { type: document.mediaType, filename: document.fileName, body: data });
    },
  );

  r.delete(
    '/hosting/services/:serviceId/continuity-plan/documents/:documentId',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Retirer un document du plan de continuité',
        params: serviceDocumentParams,
        response: { 204: z.null().describe('Document retiré') },
      },
    },
    async (request, reply) => {
      await request.inTenant((db) =>
        continuity.deleteContinuityDocument(
          db,
          request.params.serviceId,
          request.params.documentId,
          auditSource(request),
        ),
      );
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/members/:memberId/continuity-plans/:serviceId/documents/:documentId',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Télécharger un document du plan de continuité d’un service auquel le membre est abonné',
        params: memberDocumentParams,
        response: { 200: file('Le document') },
      },
    },
    async (request, reply) => {
      const { document, data } = await request.inTenant((db) =>
        continuity.readContinuityDocument(
          db,
          app.storage,
          request.params.serviceId,
          request.params.documentId,
          request.params.memberId,
        ),
      );
      return sendDownload(reply, { type: document.mediaType, filename: document.fileName, body: data });
    },
  );

  r.post(
    '/members/:memberId/instances',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Déclarer une instance servant un abonnement du membre',
        params: memberParams,
        body: instanceInputSchema,
        response: { 201: instanceDetailSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        instances.createInstance(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.put(
    '/members/:memberId/instances/:instanceId',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Modifier une instance (hébergement, logiciel, sauvegardes, objectifs RTO et RPO)',
        params: instanceParams,
        body: instanceInputSchema,
        response: { 200: instanceDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        instances.updateInstance(
          db,
          request.params.memberId,
          request.params.instanceId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/members/:memberId/instances/:instanceId/backups',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary:
          'Enregistrer le résultat d’une sauvegarde (date, réussite ou échec, taille, durée, note) ; une réussite plus récente devient la dernière réussie',
        params: instanceParams,
        body: backupInputSchema,
        response: { 200: instanceDetailSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        instances.recordBackup(
          db,
          request.params.memberId,
          request.params.instanceId,
          request.body,
          auditSource(request),
        ),
      ),
  );

  r.post(
    '/members/:memberId/instances/:instanceId/restore-tests',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer un test de restauration (durée et âge des données : RTO et RPO mesurés)',
        params: instanceParams,
        body: restoreTestInputSchema,
        response: { 201: instanceDetailSchema },
      },
    },
    async (request, reply) => {
      const detail = await request.inTenant((db) =>
        instances.recordRestoreTest(
          db,
          request.params.memberId,
          request.params.instanceId,
          request.body,
          auditSource(request),
        ),
      );
      return reply.code(201).send(detail);
    },
  );

  // The hosting team ------------------------------------------------------------------------------
  r.post(
    '/hosting/incidents',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Déclarer un incident (abonnés des services prévenus par courriel)',
        body: incidentInputSchema,
        response: { 201: createdSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        status.openIncident(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.post(
    '/hosting/incidents/:incidentId/updates',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Ajouter une étape à un incident (ou le résoudre)',
        params: incidentParams,
        body: incidentUpdateInputSchema,
        response: { 201: incidentSchema },
      },
    },
    async (request, reply) => {
      const incident = await request.inTenant((db) =>
        status.addIncidentUpdate(db, request.params.incidentId, request.body, auditSource(request)),
      );
      return reply.code(201).send(incident);
    },
  );

  r.post(
    '/hosting/maintenances',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Programmer une maintenance (préavis minimal : MAINTENANCE_MIN_NOTICE_HOURS)',
        body: maintenanceInputSchema,
        response: { 201: createdSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        status.scheduleMaintenance(
          db,
          request.body,
          app.config.MAINTENANCE_MIN_NOTICE_HOURS,
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/hosting/monitors',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Les sondes et leur dernier résultat',
        response: { 200: monitorListSchema },
      },
    },
    async (request) => request.inTenant((db) => monitors.listMonitors(db)),
  );

  r.post(
    '/hosting/monitors',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Créer une sonde (cible limitée par MONITOR_ALLOWED_HOSTS)',
        body: monitorInputSchema,
        response: { 201: createdSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        monitors.createMonitor(db, request.body, allowList, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/hosting/services/:serviceId/availability',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Disponibilité du service sur un mois, maintenances programmées exclues, et niveau promis',
        params: serviceParams,
        querystring: availabilityQuerySchema,
        response: { 200: availabilitySchema },
      },
    },
    async (request) =>
      request.inTenant((db) => status.serviceAvailability(db, request.params.serviceId, request.query.month)),
  );
}
