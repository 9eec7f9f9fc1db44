import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listOf } from '../../../contracts/common.js';
import { memberIdParams, membershipEventSchema, transitionInputSchema } from '../../../contracts/members.js';
import { auditSource } from '../../platform/audit/audit.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import * as service from './members.lifecycle.service.js';
import { memberPolicy } from './members.policy.js';

const TAGS = ['adhérents'];

/** The membership lifecycle and its history: registered by membersRoutes. */
export default async function lifecycleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/members/:memberId/transitions',
    {
      config: { access: can(memberPolicy, 'membership:request', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: "Faire avancer l'adhésion (demande, acceptation, adhésion, retrait, refus)",
        params: memberIdParams,
        body: transitionInputSchema,
        response: { 201: membershipEventSchema },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      // Who decides is checked by the service against the step asked for.
      const decider = memberPolicy(actorOf(request), 'membership:decide', memberId) ? 'operator' : 'member';
      const event = await request.inTenant((db) =>
        service.changeMembershipStatus(db, memberId, request.body, decider, auditSource(request)),
      );
      return reply.code(201).send(event);
    },
  );

  r.get(
    '/members/:memberId/history',
    {
      config: { access: can(memberPolicy, 'history:read', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: "Historique daté et attribué de l'adhésion (privé)",
        params: memberIdParams,
        response: { 200: listOf(membershipEventSchema) },
      },
    },
    async (request) => request.inTenant((db) => service.membershipHistory(db, request.params.memberId)),
  );
}
