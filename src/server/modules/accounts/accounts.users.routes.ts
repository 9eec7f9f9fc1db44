import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changeRoleBody,
  memberParams,
  memberUserParams,
  operatorUserPatchBody,
  organisationUserList,
  organisationUserSchema,
  userParams,
  usersQuery,
} from '../../../contracts/accounts.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can, param } from '../../platform/http/access.js';
import { type AccountsAction, canAccounts } from './accounts.policy.js';
import * as service from './accounts.service.js';

const tags = ['Comptes et accès'];
const noContent = z.null().describe('Aucun contenu');

export const onlyAdmins =
  "Seuls l'administrateur de la structure (référent) et les administrateurs de l'opérateur gèrent les accès.";
const ownMemberOnly =
  "Vous n'avez pas accès aux utilisateurs de cette structure : si vous en faites partie, choisissez-la comme structure courante.";
const operatorAdminsOnly = "Réservé aux administrateurs de l'opérateur.";

/** The member in the path must allow `action`. */
export const onMember = (action: AccountsAction, detail: string) =>
  can(canAccounts, action, param('memberId'), detail);
/** The operator organisation when the actor acts for it; anyone else is refused by the policy. */
const operatorOf = (request: FastifyRequest) =>
  request.actor?.isOperator ? (request.actor.current?.organisationId ?? null) : null;
const onOperator = (action: AccountsAction) => can(canAccounts, action, operatorOf, operatorAdminsOnly);

/** The people of a member and of the operator: who has access, with which role and scopes. */
export function registerUsersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // --- People of a member ---

  app.get(
    '/members/:memberId/users',
    {
      config: { access: onMember('users.read', ownMemberOnly) },
      schema: {
        tags,
        summary: 'Les personnes ayant accès à une structure et leur rôle',
        params: memberParams,
        querystring: usersQuery,
        response: { 200: organisationUserList },
      },
    },
    async (request) =>
      request.inTenant((tx) => service.listUsers(tx, request.params.memberId, request.query)),
  );

  app.patch(
    '/members/:memberId/users/:userId',
    {
      config: { access: onMember('users.changeRole', onlyAdmins) },
      schema: {
        tags,
        summary: "Changer le rôle d'une personne dans une structure",
        params: memberUserParams,
        body: changeRoleBody,
        response: { 200: organisationUserSchema },
      },
    },
    async (request) => {
      const { memberId, userId } = request.params;
      return request.inTenant((tx) =>
        service.updateMembership(tx, memberId, userId, { role: request.body.role }, auditSource(request)),
      );
    },
  );

  app.delete(
    '/members/:memberId/users/:userId',
    {
      config: { access: onMember('users.remove', onlyAdmins) },
      schema: {
        tags,
        summary: "Retirer l'accès d'une personne à une structure",
        params: memberUserParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const { memberId, userId } = request.params;
      await request.inTenant((tx) => service.removeMembership(tx, memberId, userId, auditSource(request)));
      return reply.code(204).send(null);
    },
  );

  // --- People of the operator ---

  app.get(
    '/operator/users',
    {
      config: { access: onOperator('users.read') },
      schema: {
        tags,
        summary: "Les personnes de l'opérateur, leur rôle et leurs périmètres",
        querystring: usersQuery,
        response: { 200: organisationUserList },
      },
    },
    async (request) => request.inTenant((tx) => service.listOperatorUsers(tx, request.query)),
  );

  app.patch(
    '/operator/users/:userId',
    {
      config: { access: onOperator('users.changeRole') },
      schema: {
        tags,
        summary: "Changer le rôle ou les périmètres d'une personne de l'opérateur",
        params: userParams,
        body: operatorUserPatchBody,
        response: { 200: organisationUserSchema },
      },
    },
    async (request) =>
      request.inTenant((tx) =>
        service.updateOperatorMembership(tx, request.params.userId, request.body, auditSource(request)),
      ),
  );
}
