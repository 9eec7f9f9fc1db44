import type { FastifyInstance } from 'fastify';

export default async function pricingRoutes(_app: FastifyInstance) {}
