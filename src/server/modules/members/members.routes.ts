import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  memberDetailSchema,
  memberFiltersSchema,
  memberIdParams,
  memberInputSchema,
  memberListQuerySchema,
  memberListSchema,
  memberPatchSchema,
  memberStatsSchema,
} from '../../../contracts/members.js';
import { auditSource } from '../../platform/audit/audit.js';
import { isOperatorAdmin } from '../../platform/auth/context.js';
import { today } from '../../platform/clock.js';
import { sendSpreadsheet } from '../../platform/export/spreadsheet.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import contactRoutes from './members.contacts.routes.js';
import documentRoutes from './members.documents.routes.js';
import { MEMBERS_SHEET } from './members.export.js';
import lifecycleRoutes from './members.lifecycle.routes.js';
import { memberPolicy } from './members.policy.js';
import * as service from './members.service.js';
import { memberStats } from './members.stats.service.js';
import { memberTotals } from './members.totals.js';

const TAGS = ['adhérents'];

/**
 * The member registry: public list, statistics and member page; the operator's exports, creation and
 * edits. Contacts, documents and the membership lifecycle are registered from their own files.
 */
export default async function membersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const totals = memberTotals(app);

  r.get(
    '/members',
    {
      config: { access: 'public', publicCache: ['members'] },
      schema: {
        tags: TAGS,
        summary: 'Lister et rechercher les structures adhérentes (public)',
        querystring: memberListQuerySchema,
        response: { 200: memberListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listMembers(db, request.query, totals)),
  );

  r.get(
    '/members/stats',
    {
      config: { access: 'public', publicCache: ['members', 'territory'] },
      schema: {
        tags: TAGS,
        summary:
          'Adhérents par département et par type, population couverte (public) ; étapes en attente (opérateur)',
        response: { 200: memberStatsSchema },
      },
    },
    async (request) => {
      const withPending = memberPolicy(request.actor, 'members:readPending');
      return request.inTenant((db) => memberStats(db, app.config.regions, withPending));
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/members/export.${format}`,
      {
        config: { access: can(memberPolicy, 'members:export') },
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter la liste filtrée en CSV (UTF-8, séparateur ;) — opérateur'
              : 'Exporter la liste filtrée en classeur XLSX — opérateur',
          querystring: memberFiltersSchema,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        const rows = await request.inTenant((db) => service.exportRows(db, request.query));
        return sendSpreadsheet(reply, format, `adherents-${today()}`, MEMBERS_SHEET, rows);
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');

  r.get(
    '/members/:memberId',
    {
      config: { access: 'public', publicCache: ['members', 'territory'] },
      schema: {
        tags: TAGS,
        summary: "Fiche d'une structure : champs publics, et privés pour l'opérateur et ses utilisateurs",
        params: memberIdParams,
        response: { 200: memberDetailSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const withPrivate = memberPolicy(request.actor, 'members:readPrivate', memberId);
      return request.inTenant((db) => service.getMember(db, memberId, withPrivate));
    },
  );

  r.post(
    '/members',
    {
      config: { access: can(memberPolicy, 'members:create') },
      schema: {
        tags: TAGS,
        summary: 'Créer une structure (administrateur de l’opérateur)',
        body: memberInputSchema,
        response: { 201: memberDetailSchema },
      },
    },
    async (request, reply) => {
      const member = await request.inTenant((db) =>
        service.createMember(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(member);
    },
  );

  r.patch(
    '/members/:memberId',
    {
      config: { access: can(memberPolicy, 'members:updateOwnDetails', param('memberId')) },
      schema: {
        tags: TAGS,
        summary:
          'Modifier une structure (opérateur ; l’administrateur de la structure modifie ses coordonnées)',
        params: memberIdParams,
        body: memberPatchSchema,
        response: { 200: memberDetailSchema },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const mode = isOperatorAdmin(actorOf(request)) ? 'operator' : 'self';
      return request.inTenant((db) =>
        service.updateMember(db, memberId, request.body, mode, auditSource(request)),
      );
    },
  );

  await contactRoutes(app);
  await documentRoutes(app);
  await lifecycleRoutes(app);
}
