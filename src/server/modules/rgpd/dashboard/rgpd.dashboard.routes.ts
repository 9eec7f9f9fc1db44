import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dashboardExportQuerySchema,
  dashboardQuerySchema,
  dashboardSchema,
} from '../../../../contracts/rgpd-cases.js';
import { authorise, requireActor } from '../../../platform/auth/context.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { sendSpreadsheet } from '../../../platform/export/spreadsheet.js';
import { rgpdCasesPolicy } from '../cases/rgpd.cases.policy.js';
import { parisToday } from '../rgpd.deadlines.js';
import { DASHBOARD_SHEET } from './rgpd.dashboard.export.js';
import { dashboard, dashboardRows } from './rgpd.dashboard.service.js';

const TAGS = ['RGPD — tableau de bord du DPO'];
const FORBIDDEN =
  'Le tableau de bord RGPD est réservé au DPO mutualisé (habilitation « dpo ») et aux administrateurs.';

/** The DPO team's view across all members (section 5). */
export default async function rgpdDashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allow = (request: FastifyRequest) => {
    authorise(rgpdCasesPolicy(requireActor(request), 'dashboard:read'), FORBIDDEN);
  };

  r.get(
    '/rgpd/dashboard',
    {
      schema: {
        tags: TAGS,
        summary:
          'Tableau de bord du DPO : complétude des registres, revues, AIPD, demandes, violations, référents (habilitation dpo)',
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema },
      },
    },
    async (request) => {
      allow(request);
      return withTenant(app.database.db, request.tenant, (db) => dashboard(db, request.query, new Date()));
    },
  );

  const exportRoute = (format: 'csv' | 'xlsx') =>
    r.get(
      `/rgpd/dashboard.${format}`,
      {
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'Exporter le tableau de bord par structure en CSV (UTF-8, séparateur ;)'
              : 'Exporter le tableau de bord par structure en classeur XLSX',
          querystring: dashboardExportQuerySchema,
          response: { 200: z.any().describe(format === 'csv' ? 'Fichier CSV' : 'Classeur XLSX') },
        },
      },
      async (request, reply) => {
        allow(request);
        const now = new Date();
        const rows = await withTenant(app.database.db, request.tenant, (db) =>
          dashboardRows(db, request.query, now),
        );
        return sendSpreadsheet(
          reply,
          format,
          `tableau-de-bord-rgpd-${parisToday(now)}`,
          DASHBOARD_SHEET,
          rows,
        );
      },
    );
  exportRoute('csv');
  exportRoute('xlsx');
}
