import type { FastifyInstance } from 'fastify';
import rgpdCasesRoutes from './cases/rgpd.cases.routes.js';
import rgpdDashboardRoutes from './dashboard/rgpd.dashboard.routes.js';
import rgpdDesignationRoutes from './processings/rgpd.designation.routes.js';
import rgpdProcessingsRoutes from './processings/rgpd.processings.routes.js';
import rgpdProcessorsRoutes from './processors/rgpd.processors.routes.js';
import rgpdTemplatesRoutes from './templates/rgpd.templates.routes.js';

/**
 * Every RGPD route, one plugin per sub-domain: rights requests and breaches, the DPO dashboard, the
 * members' registries (processings, designation and editors), the template library with its
 * catalogue link, and the processor directory.
 */
export default async function rgpdRoutes(app: FastifyInstance) {
  await app.register(rgpdCasesRoutes);
  await app.register(rgpdDashboardRoutes);
  await app.register(rgpdProcessingsRoutes);
  await app.register(rgpdDesignationRoutes);
  await app.register(rgpdTemplatesRoutes);
  await app.register(rgpdProcessorsRoutes);
}
