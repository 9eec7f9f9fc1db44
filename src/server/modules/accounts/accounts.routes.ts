import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptInvitationBody,
  changePasswordBody,
  changeRoleBody,
  invitationList,
  invitationParams,
  invitationSchema,
  invitationTokenParams,
  inviteBody,
  loginBody,
  memberParams,
  memberUserParams,
  meResponse,
  messageResponse,
  operatorUserPatchBody,
  organisationUserList,
  organisationUserSchema,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  publicInvitationSchema,
  switchOrganisationBody,
  userParams,
  usersQuery,
} from '../../../contracts/accounts.js';
import { authorise, requireActor } from '../../platform/auth/context.js';
import {
  clearSessionCookie,
  loadActor,
  SESSION_COOKIE,
  setSessionCookie,
} from '../../platform/auth/session.js';
import { ANONYMOUS, withTenant } from '../../platform/db/tenancy.js';
import { DomainError, unauthenticated } from '../../platform/errors.js';
import { frenchDateTime } from './accounts.mails.js';
import { canAccounts } from './accounts.policy.js';
import * as service from './accounts.service.js';

const tags = ['Comptes et accès'];
const noContent = z.null().describe('Aucun contenu');
const WRONG_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

export default async function accountsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.database.db;
  const deps = () => ({ config: app.config, mailer: app.mailer });

  /** The /me body of the session behind `token`, read the way the session hook reads it. */
  async function meOf(token: string) {
    const actor = await loadActor(db(), token);
    if (!actor) throw unauthenticated();
    return service.presentMe(actor);
  }

  function startSession(reply: FastifyReply, session: { token: string; expiresAt: Date }) {
    setSessionCookie(reply, session.token, session.expiresAt, app.config.isProduction);
  }

  // --- Authentication ---

  app.post(
    '/auth/login',
    {
      // A stale session cookie must not stop a person from logging in again.
      config: { csrf: false },
      schema: {
        tags,
        summary: 'Se connecter avec une adresse électronique et un mot de passe',
        body: loginBody,
        response: { 200: meResponse },
      },
    },
    async (request, reply) => {
      const outcome = await service.login(db(), deps(), {
        ...request.body,
        ip: request.ip,
        previousSessionId: request.actor?.sessionId,
      });
      if (outcome.kind === 'blocked') {
        const seconds = Math.max(1, Math.ceil((outcome.retryAt.getTime() - Date.now()) / 1000));
        const minutes = Math.ceil(seconds / 60);
        reply.header('retry-after', String(seconds));
        throw new DomainError(
          'rate_limited',
          'Trop de tentatives',
          `Trop de tentatives de connexion échouées : par sécurité, la connexion est bloquée. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''} (après le ${frenchDateTime(outcome.retryAt)}), ou réinitialisez votre mot de passe.`,
          undefined,
          { retryAfterSeconds: seconds },
        );
      }
      if (outcome.kind === 'invalid')
        throw new DomainError('unauthenticated', 'Connexion refusée', WRONG_CREDENTIALS);
      startSession(reply, outcome);
      return meOf(outcome.token);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'Se déconnecter (la session est supprimée)',
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor) await withTenant(db(), request.tenant, (tx) => service.logout(tx, actor, request.ip));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'La personne connectée, ses organisations et son jeton anti-CSRF',
        response: { 200: meResponse },
      },
    },
    async (request) => service.presentMe(requireActor(request)),
  );

  app.post(
    '/me/current-organisation',
    {
      schema: {
        tags,
        summary: "Changer l'organisation pour laquelle on agit",
        body: switchOrganisationBody,
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const updated = await withTenant(db(), request.tenant, (tx) =>
        service.switchOrganisation(tx, actor, request.body.organisationId),
      );
      return service.presentMe(updated);
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags,
        summary: 'Changer son mot de passe (les autres sessions sont fermées)',
        body: changePasswordBody,
        response: { 200: messageResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await service.changePassword(db(), actor, { ...request.body, ip: request.ip });
      return { message: 'Votre mot de passe a été changé ; vos autres sessions ont été fermées.' };
    },
  );

  // --- Password reset ---

  app.post(
    '/auth/password-reset',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary:
          'Demander un lien de réinitialisation du mot de passe (réponse identique que le compte existe ou non)',
        body: passwordResetRequestBody,
        response: { 202: messageResponse },
      },
    },
    async (request, reply) => {
      await withTenant(db(), ANONYMOUS, (tx) =>
        service.requestPasswordReset(tx, deps(), request.body.email, request.ip),
      );
      return reply.code(202).send({
        message:
          'Si un compte existe pour cette adresse, un courriel contenant un lien de réinitialisation valable une heure vient de lui être envoyé.',
      });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary: 'Choisir un nouveau mot de passe avec le lien reçu (usage unique, valable une heure)',
        body: passwordResetConfirmBody,
        response: { 200: messageResponse },
      },
    },
    async (request, reply) => {
      await service.confirmPasswordReset(db(), { ...request.body, ip: request.ip });
      if (request.cookies[SESSION_COOKIE]) clearSessionCookie(reply);
      return { message: 'Votre mot de passe a été changé : connectez-vous avec le nouveau mot de passe.' };
    },
  );

  // --- Invitations ---

  app.post(
    '/members/:memberId/invitations',
    {
      schema: {
        tags,
        summary: 'Inviter une personne dans une structure (lien par courriel valable 7 jours)',
        params: memberParams,
        body: inviteBody,
        response: { 201: invitationSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { memberId } = request.params;
      authorise(canAccounts(actor, 'users.invite', memberId), onlyAdmins);
      const invitation = await withTenant(db(), request.tenant, (tx) =>
        service.invite(tx, deps(), actor, memberId, request.body, request.ip),
      );
      return reply.code(201).send(invitation);
    },
  );

  app.get(
    '/members/:memberId/invitations',
    {
      schema: {
        tags,
        summary: "Invitations en attente d'une structure",
        params: memberParams,
        querystring: usersQuery,
        response: { 200: invitationList },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { memberId } = request.params;
      authorise(canAccounts(actor, 'users.invite', memberId), onlyAdmins);
      return withTenant(db(), request.tenant, (tx) => service.listInvitations(tx, memberId, request.query));
    },
  );

  app.delete(
    '/members/:memberId/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Révoquer une invitation en attente',
        params: invitationParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { memberId, invitationId } = request.params;
      authorise(canAccounts(actor, 'users.invite', memberId), onlyAdmins);
      await withTenant(db(), request.tenant, (tx) =>
        service.revokeInvitation(tx, actor, memberId, invitationId, request.ip),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/invitations/:token',
    {
      schema: {
        tags,
        summary: "Ce qu'une invitation propose (public : le lien est la preuve)",
        params: invitationTokenParams,
        response: { 200: publicInvitationSchema },
      },
    },
    async (request) =>
      // The token-holder policy reads a transaction-local setting: this read needs a real transaction.
      withTenant(db(), { ...request.tenant, anonymousRead: false }, (tx) =>
        service.viewInvitation(tx, request.params.token),
      ),
  );

  app.post(
    '/invitations/:token/accept',
    {
      schema: {
        tags,
        summary:
          "Accepter une invitation : nouveau compte (nom et mot de passe) ou personne connectée avec l'adresse invitée",
        params: invitationTokenParams,
        body: acceptInvitationBody,
        response: { 200: meResponse },
      },
    },
    async (request, reply) => {
      const result = await service.acceptInvitation(db(), deps(), request.actor, request.tenant, {
        ...request.body,
        token: request.params.token,
        ip: request.ip,
      });
      if (result.session) {
        startSession(reply, result.session);
        return meOf(result.session.token);
      }
      return meOf(request.cookies[SESSION_COOKIE]!);
    },
  );

  // --- People of a member ---

  app.get(
    '/members/:memberId/users',
    {
      schema: {
        tags,
        summary: 'Les personnes ayant accès à une structure et leur rôle',
        params: memberParams,
        querystring: usersQuery,
        response: { 200: organisationUserList },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { memberId } = request.params;
      authorise(canAccounts(actor, 'users.read', memberId), ownMemberOnly);
      return withTenant(db(), request.tenant, (tx) => service.listUsers(tx, memberId, request.query));
    },
  );

  app.patch(
    '/members/:memberId/users/:userId',
    {
      schema: {
        tags,
        summary: "Changer le rôle d'une personne dans une structure",
        params: memberUserParams,
        body: changeRoleBody,
        response: { 200: organisationUserSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { memberId, userId } = request.params;
      authorise(canAccounts(actor, 'users.changeRole', memberId), onlyAdmins);
      return withTenant(db(), request.tenant, (tx) =>
        service.updateMembership(tx, actor, memberId, userId, { role: request.body.role }, request.ip),
      );
    },
  );

  app.delete(
    '/members/:memberId/users/:userId',
    {
      schema: {
        tags,
        summary: "Retirer l'accès d'une personne à une structure",
        params: memberUserParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { memberId, userId } = request.params;
      authorise(canAccounts(actor, 'users.remove', memberId), onlyAdmins);
      await withTenant(db(), request.tenant, (tx) =>
        service.removeMembership(tx, actor, memberId, userId, request.ip),
      );
      return reply.code(204).send(null);
    },
  );

  // --- People of the operator ---

  app.get(
    '/operator/users',
    {
      schema: {
        tags,
        summary: "Les personnes de l'opérateur, leur rôle et leurs périmètres",
        querystring: usersQuery,
        response: { 200: organisationUserList },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorise(canAccounts(actor, 'users.read', operatorOf(request)), operatorAdminsOnly);
      return withTenant(db(), request.tenant, async (tx) =>
        service.listUsers(tx, await service.operatorOrganisationId(tx), request.query),
      );
    },
  );

  app.patch(
    '/operator/users/:userId',
    {
      schema: {
        tags,
        summary: "Changer le rôle ou les périmètres d'une personne de l'opérateur",
        params: userParams,
        body: operatorUserPatchBody,
        response: { 200: organisationUserSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      authorise(canAccounts(actor, 'users.changeRole', operatorOf(request)), operatorAdminsOnly);
      return withTenant(db(), request.tenant, async (tx) =>
        service.updateMembership(
          tx,
          actor,
          await service.operatorOrganisationId(tx),
          request.params.userId,
          request.body,
          request.ip,
        ),
      );
    },
  );
}

const onlyAdmins =
  "Seuls l'administrateur de la structure (référent) et les administrateurs de l'opérateur gèrent les accès.";
const ownMemberOnly =
  "Vous n'avez pas accès aux utilisateurs de cette structure : si vous en faites partie, choisissez-la comme structure courante.";
const operatorAdminsOnly = "Réservé aux administrateurs de l'opérateur.";

/** The operator organisation when the actor acts for it; anyone else is refused by the policy. */
const operatorOf = (request: FastifyRequest) =>
  request.actor?.isOperator ? (request.actor.current?.organisationId ?? null) : null;
