import type { FastifyInstance } from 'fastify';

export default async function mailRoutes(_app: FastifyInstance) {}
