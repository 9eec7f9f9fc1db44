import type { FastifyInstance } from 'fastify';

export default async function rgpdRoutes(_app: FastifyInstance) {}
