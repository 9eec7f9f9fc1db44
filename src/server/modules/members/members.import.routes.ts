import type { FastifyInstance } from 'fastify';

export default async function membersImportRoutes(_app: FastifyInstance) {}
