import type { FastifyInstance } from 'fastify';

export default async function billingRoutes(_app: FastifyInstance) {}
