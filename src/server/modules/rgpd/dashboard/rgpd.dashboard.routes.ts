import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dashboardExportQuerySchema,
  dashboardQuerySchema,
  dashboardSchema,
} from '../../../../contracts/rgpd-cases.js';
import { sendSpreadsheet } from '../../../platform/export/spreadsheet.js';
import { can } from '../../../platform/http/access.js';
import { rgpdCasesPolicy } from '../cases/rgpd.cases.policy.js';
import { DASHBOARD_SHEET } from './rgpd.dashboard.export.js';
import { dashboard, dashboardRows } from './rgpd.dashboard.service.js';

const TAGS = ['RGPD — tableau de bord du DPO'];
const readDashboard = can(
  rgpdCasesPolicy,
  'dashboard:read',
  undefined,
  'Le tableau de bord RGPD est réservé au DPO mutualisé (habilitation « dpo ») et aux administrateurs.',
);

/** The DPO team's view across all members (section 5). */
export default async function rgpdDashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/rgpd/dashboard',
    {
      config: { access: readDashboard },
      schema: {
        tags: TAGS,
        summary:
          'Tableau de bord du DPO : complétude des registres, revues, AIPD, demandes, violations, référents (habilitation dpo)',
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema },
      },
    },
    async (request) => request.inTenant((db) => dashboard(db, request.query)),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    r.get(
      `/rgpd/dashboard.${format}`,
      {
        config: { access: readDashboard },
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
        const { asOf, rows } = await request.inTenant((db) => dashboardRows(db, request.query));
        return sendSpreadsheet(reply, format, `tableau-de-bord-rgpd-${asOf}`, DASHBOARD_SHEET, rows);
      },
    );
  }
}
