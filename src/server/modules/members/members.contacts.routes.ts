import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../contracts/common.js';
import {
  contactIdParams,
  contactInputSchema,
  contactPatchSchema,
  contactSchema,
  memberIdParams,
} from '../../../contracts/members.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can, param } from '../../platform/http/access.js';
import * as service from './members.contacts.service.js';
import { memberPolicy } from './members.policy.js';

const TAGS = ['adhérents'];
const read = can(memberPolicy, 'contacts:read', param('memberId'));
const write = can(memberPolicy, 'contacts:write', param('memberId'));

/** A member's contacts (private): registered by membersRoutes. */
export default async function contactRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/members/:memberId/contacts',
    {
      config: { access: read },
      schema: {
        tags: TAGS,
        summary: 'Contacts de la structure (privé)',
        params: memberIdParams,
        response: { 200: listOf(contactSchema) },
      },
    },
    async (request) => request.inTenant((db) => service.listContacts(db, request.params.memberId)),
  );

  r.post(
    '/members/:memberId/contacts',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Ajouter un contact',
        params: memberIdParams,
        body: contactInputSchema,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) => {
      const contact = await request.inTenant((db) =>
        service.createContact(db, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(contact);
    },
  );

  r.patch(
    '/members/:memberId/contacts/:contactId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Modifier un contact',
        params: contactIdParams,
        body: contactPatchSchema,
        response: { 200: contactSchema },
      },
    },
    async (request) => {
      const { memberId, contactId } = request.params;
      return request.inTenant((db) =>
        service.updateContact(db, memberId, contactId, request.body, auditSource(request)),
      );
    },
  );

  r.delete(
    '/members/:memberId/contacts/:contactId',
    {
      config: { access: write },
      schema: {
        tags: TAGS,
        summary: 'Supprimer un contact',
        params: contactIdParams,
        response: { 204: z.null().describe('Contact supprimé') },
      },
    },
    async (request, reply) => {
      const { memberId, contactId } = request.params;
      await request.inTenant((db) => service.deleteContact(db, memberId, contactId, auditSource(request)));
      return reply.code(204).send(null);
    },
  );
}
