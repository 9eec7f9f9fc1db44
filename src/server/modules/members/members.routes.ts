import type { FastifyInstance } from 'fastify';

export default async function membersRoutes(_app: FastifyInstance) {}
