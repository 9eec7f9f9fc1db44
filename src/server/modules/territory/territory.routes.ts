import type { FastifyInstance } from 'fastify';

export default async function territoryRoutes(_app: FastifyInstance) {}
