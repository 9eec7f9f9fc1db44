import type { FastifyInstance } from 'fastify';

export default async function subscriptionsRoutes(_app: FastifyInstance) {}
