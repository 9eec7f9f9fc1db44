import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobList, jobScheduleList, jobSchema, jobsQuery } from '../../../contracts/jobs.js';
import { auditSource } from '../audit/audit.js';
import { definePolicy, operatorAdmin } from '../auth/policy.js';
import { can } from '../http/access.js';
import { jobsPage, retryJob, schedules } from './jobs.service.js';

const tags = ['Travaux en arrière-plan'];
const DENIED = "Les travaux en arrière-plan sont réservés aux administrateurs de l'opérateur.";

/** The job queue is the operator admins' (platform service: it imports nothing from modules). */
export const jobsPolicy = definePolicy({ 'jobs:read': operatorAdmin, 'jobs:retry': operatorAdmin });

export default async function jobsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/jobs',
    {
      config: { access: can(jobsPolicy, 'jobs:read', undefined, DENIED) },
      schema: {
        tags,
        summary: 'Travaux en arrière-plan (envois de courriels, rappels…), du plus récent au plus ancien',
        querystring: jobsQuery,
        response: { 200: jobList },
      },
    },
    async (request) => {
      const { state, name, limit, cursor } = request.query;
      return request.inTenant((tx) => jobsPage(tx, { state, name }, { limit, cursor }));
    },
  );

  app.get(
    '/jobs/schedules',
    {
      config: { access: can(jobsPolicy, 'jobs:read', undefined, DENIED) },
      schema: {
        tags,
        summary: 'Tâches planifiées : expression cron (heure de Paris) et prochaine exécution',
        response: { 200: jobScheduleList },
      },
    },
    async (request) => request.inTenant((tx) => schedules(tx)),
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: { access: can(jobsPolicy, 'jobs:retry', undefined, DENIED) },
      schema: {
        tags,
        summary: 'Relance un travail abandonné (toutes ses tentatives avaient échoué)',
        params: z.object({ id: z.uuid() }),
        response: { 200: jobSchema },
      },
    },
    async (request) => request.inTenant((tx) => retryJob(tx, request.params.id, auditSource(request))),
  );
}
