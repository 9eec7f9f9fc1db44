import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  advisoryCreatedSchema,
  advisoryDetailSchema,
  advisoryListQuerySchema,
  advisoryListSchema,
  csafDocumentSchema,
  cyberDashboardSchema,
  cyberMemberListQuerySchema,
  cyberMemberListSchema,
  cyberSettingsSchema,
  diagnosticQuestionnaireSchema,
  exposureListSchema,
  exposureQuerySchema,
  incidentListQuerySchema,
  incidentListSchema,
  manualAdvisoryInputSchema,
  serviceSoftwareListSchema,
  serviceSoftwarePutSchema,
  serviceSoftwareSchema,
} from '../../../contracts/cyber.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can } from '../../platform/http/access.js';
import * as advisories from './cyber.advisories.service.js';
import { dashboard, memberRows } from './cyber.dashboard.service.js';
import { questionnaire } from './cyber.diagnostics.service.js';
import * as incidents from './cyber.incidents.service.js';
import * as inventory from './cyber.inventory.service.js';
import { cyberPolicy } from './cyber.policy.js';

const TAGS = ['cybersécurité — équipe de l’opérateur'];
const operate = can(
  cyberPolicy,
  'cyber:operate',
  undefined,
  "Réservé à l'équipe cybersécurité de l'opérateur (périmètre « Cybersécurité »).",
);
const advisoryParams = z.object({ advisoryId: z.uuid({ message: "identifiant d'avis invalide" }) });
const serviceParams = z.object({ serviceId: z.uuid({ message: 'identifiant de service invalide' }) });

/** The cyber team's routes: advisories, exposure, settings, services' software, dashboard. */
export default async function cyberOperatorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/cyber/questionnaire',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: TAGS,
        summary: 'Questionnaire du diagnostic (thèmes et questions)',
        response: { 200: diagnosticQuestionnaireSchema },
      },
    },
    async () => questionnaire(),
  );

  // Advisories ------------------------------------------------------------------------------------
  r.post(
    '/cyber/advisories',
    {
      // CSAF documents of large vendors run to several megabytes.
      bodyLimit: 16 * 1024 * 1024,
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary:
          'Importer un avis CSAF 2.0 : validé, rapproché de tous les inventaires, structures concernées prévenues',
        body: csafDocumentSchema,
        response: { 201: advisoryCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        advisories.importCsaf(db, request.body as Record<string, unknown>, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.post(
    '/cyber/advisories/manual',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Rédiger un avis (produits, versions en notation vers, noms CPE)',
        body: manualAdvisoryInputSchema,
        response: { 201: advisoryCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        advisories.createManualAdvisory(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    '/cyber/advisories',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Avis importés, le plus récent en premier, avec leur exposition',
        querystring: advisoryListQuerySchema,
        response: { 200: advisoryListSchema },
      },
    },
    async (request) => request.inTenant((db) => advisories.listAdvisories(db, request.query)),
  );
  r.get(
    '/cyber/advisories/:advisoryId',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Un avis',
        params: advisoryParams,
        response: { 200: advisoryDetailSchema },
      },
    },
    async (request) => request.inTenant((db) => advisories.getAdvisory(db, request.params.advisoryId)),
  );
  r.get(
    '/cyber/advisories/:advisoryId/exposure',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Exposition à un avis : structures concernées, traitées, en retard',
        params: advisoryParams,
        querystring: exposureQuerySchema,
        response: { 200: exposureListSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => advisories.exposure(db, request.params.advisoryId, request.query)),
  );

  // Settings and services' software --------------------------------------------------------------
  r.get(
    '/cyber/settings',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Délais de traitement par gravité',
        response: { 200: cyberSettingsSchema },
      },
    },
    async (request) => request.inTenant((db) => advisories.getSettings(db)),
  );
  r.put(
    '/cyber/settings',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Modifier les délais de traitement (jours, pour les avis importés ensuite)',
        body: cyberSettingsSchema,
        response: { 200: cyberSettingsSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => advisories.putSettings(db, request.body, auditSource(request))),
  );
  r.get(
    '/cyber/services',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: "Logiciels et versions déclarés pour chaque service de l'opérateur",
        response: { 200: serviceSoftwareListSchema },
      },
    },
    async (request) => request.inTenant((db) => inventory.listServiceSoftware(db)),
  );
  r.put(
    '/cyber/services/:serviceId/software',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: "Déclarer les logiciels d'un service : l'inventaire de chaque abonné suit",
        params: serviceParams,
        body: serviceSoftwarePutSchema,
        response: { 200: serviceSoftwareSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        inventory.putServiceSoftware(db, request.params.serviceId, request.body.items, auditSource(request)),
      ),
  );

  // Dashboard -------------------------------------------------------------------------------------
  r.get(
    '/cyber/dashboard',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Tableau de bord : incidents ouverts par échéance, maturité, avis critiques non traités',
        response: { 200: cyberDashboardSchema },
      },
    },
    async (request) => request.inTenant((db) => dashboard(db)),
  );
  r.get(
    '/cyber/members',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Structures : maturité, avis en cours ou en retard, incidents ouverts',
        querystring: cyberMemberListQuerySchema,
        response: { 200: cyberMemberListSchema },
      },
    },
    async (request) => request.inTenant((db) => memberRows(db, request.query)),
  );
  r.get(
    '/cyber/incidents',
    {
      config: { access: operate },
      schema: {
        tags: TAGS,
        summary: 'Incidents de toutes les structures',
        querystring: incidentListQuerySchema,
        response: { 200: incidentListSchema },
      },
    },
    async (request) => request.inTenant((db) => incidents.listIncidents(db, null, request.query)),
  );
}
