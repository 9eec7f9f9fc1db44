import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  designationInputSchema,
  designationSchema,
  rgpdEditorListSchema,
} from '../../../../contracts/rgpd.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { can, param } from '../../../platform/http/access.js';
import { rgpdPolicy } from '../rgpd.policy.js';
import * as service from './rgpd.designation.service.js';

const TAGS = ['rgpd — registre'];
const memberParams = z.object({ memberId: z.uuid({ message: 'identifiant de structure invalide' }) });
const editorParams = memberParams.extend({
  userId: z.uuid({ message: 'identifiant d’utilisateur invalide' }),
});
const empty = z.null().describe('Aucun contenu');

const readRegistry = can(rgpdPolicy, 'registry:read', param('memberId'));
const manageEditors = can(rgpdPolicy, 'editors:manage', param('memberId'));

/** The member's DPO designation filed with the CNIL, and the users holding its `rgpd` role. */
export default async function rgpdDesignationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/members/:memberId/rgpd/designation',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Désignation du DPO auprès de la CNIL (numéro, date, délégué)',
        params: memberParams,
        response: { 200: designationSchema },
      },
    },
    async (request) => request.inTenant((db) => service.getDesignation(db, request.params.memberId)),
  );

  r.put(
    '/members/:memberId/rgpd/designation',
    {
      config: { access: can(rgpdPolicy, 'designation:write', param('memberId')) },
      schema: {
        tags: TAGS,
        summary: 'Enregistrer la désignation du DPO (DPO de l’opérateur ou administrateur de la structure)',
        params: memberParams,
        body: designationInputSchema,
        response: { 200: designationSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => service.putDesignation(db, request.params.memberId, request.body)),
  );

  r.get(
    '/members/:memberId/rgpd/editors',
    {
      config: { access: readRegistry },
      schema: {
        tags: TAGS,
        summary: 'Personnes ayant le rôle RGPD dans la structure',
        params: memberParams,
        response: { 200: rgpdEditorListSchema },
      },
    },
    async (request) => request.inTenant((db) => service.listEditors(db, request.params.memberId)),
  );

  r.put(
    '/members/:memberId/rgpd/editors/:userId',
    {
      config: { access: manageEditors },
      schema: {
        tags: TAGS,
        summary: 'Confier le rôle RGPD à un utilisateur de la structure',
        params: editorParams,
        response: { 200: rgpdEditorListSchema },
      },
    },
    async (request) => {
      const { memberId, userId } = request.params;
      return request.inTenant((db) => service.addEditor(db, memberId, userId, auditSource(request)));
    },
  );

  r.delete(
    '/members/:memberId/rgpd/editors/:userId',
    {
      config: { access: manageEditors },
      schema: {
        tags: TAGS,
        summary: 'Retirer le rôle RGPD',
        params: editorParams,
        response: { 204: empty },
      },
    },
    async (request, reply) => {
      const { memberId, userId } = request.params;
      await request.inTenant((db) => service.removeEditor(db, memberId, userId, auditSource(request)));
      return reply.code(204).send(null);
    },
  );
}
