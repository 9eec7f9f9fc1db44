import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptInvitationBody,
  changePasswordBody,
  invitationList,
  invitationParams,
  invitationSchema,
  invitationTokenParams,
  inviteBody,
  loginBody,
  memberParams,
  meResponse,
  messageResponse,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  publicInvitationSchema,
  switchOrganisationBody,
  usersQuery,
} from '../../../contracts/accounts.js';
import { auditSource } from '../../platform/audit/audit.js';
import {
  clearSessionCookie,
  loadActor,
  SESSION_COOKIE,
  setSessionCookie,
} from '../../platform/auth/session.js';
import { unauthenticated } from '../../platform/errors.js';
import { actorOf } from '../../platform/http/access.js';
import * as service from './accounts.service.js';
import { registerTokensRoutes } from './accounts.tokens.routes.js';
import { onlyAdmins, onMember, registerUsersRoutes } from './accounts.users.routes.js';
import { LINK_COOKIE, LINK_COOKIE_PATH, registerProConnectRoutes } from './proconnect/proconnect.routes.js';

const tags = ['Comptes et accès'];
const noContent = z.null().describe('Aucun contenu');

export default async function accountsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const deps = () => ({ config: app.config, mailer: app.mailer, proconnectEnabled: app.proconnect !== null });

  /** The /me body of the session behind `token`, read the way the session hook reads it. */
  async function meOf(token: string | undefined) {
    const actor = token ? await loadActor(app.database.db, token) : null;
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
      config: { access: 'public', csrf: false },
      schema: {
        tags,
        summary:
          "Se connecter avec une adresse électronique et un mot de passe (confirme aussi le lien d'une identité ProConnect en attente pour ce compte)",
        body: loginBody,
        response: { 200: meResponse },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const source = auditSource(request);
      // Three steps, so that the password check (argon2) holds no connection: see accounts.service.ts.
      const attempt = await request.inTenant((tx) => service.startLogin(tx, deps(), email, source));
      if (attempt.kind === 'blocked') {
        const seconds = service.secondsUntil(attempt.retryAt);
        reply.header('retry-after', String(seconds));
        throw service.loginBlocked(attempt.retryAt, seconds);
      }
      const matches = await service.checkPassword(attempt, password);
      // A ProConnect identity waiting for this account's confirmation (proconnect.service.ts).
      const proconnectLink = request.cookies[LINK_COOKIE] || undefined;
      const outcome = await request.inTenant((tx) =>
        service.finishLogin(
          tx,
          deps(),
          attempt,
          matches,
          { email, previousSessionId: request.actor?.sessionId, proconnectLink },
          source,
        ),
      );
      // The pending link was used (linked or refused for good): the browser forgets it.
      if (proconnectLink && outcome.kind !== 'invalid')
        reply.clearCookie(LINK_COOKIE, { path: LINK_COOKIE_PATH });
      if (outcome.kind === 'invalid') throw service.wrongCredentials();
      if (outcome.kind === 'proconnect_required') throw service.proconnectRequired();
      startSession(reply, outcome);
      return meOf(outcome.token);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Se déconnecter (la session est supprimée)',
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor) await request.inTenant((tx) => service.logout(tx, actor, auditSource(request)));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'La personne connectée, ses organisations et son jeton anti-CSRF',
        response: { 200: meResponse },
      },
    },
    async (request) => service.presentMe(actorOf(request)),
  );

  app.post(
    '/me/current-organisation',
    {
      // The service refuses an organisation in which the person has no role.
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: "Changer l'organisation pour laquelle on agit",
        body: switchOrganisationBody,
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const updated = await request.inTenant((tx) =>
        service.switchOrganisation(tx, actor, request.body.organisationId),
      );
      return service.presentMe(updated);
    },
  );

  app.post(
    '/me/password',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Changer son mot de passe (les autres sessions sont fermées)',
        body: changePasswordBody,
        response: { 200: messageResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { currentPassword, newPassword } = request.body;
      const stored = await request.inTenant((tx) => service.passwordHashOf(tx, actor.userId));
      const passwordHash = await service.replacementHash(stored, currentPassword, newPassword);
      const changed = await request.inTenant((tx) =>
        service.changePassword(tx, actor, passwordHash, auditSource(request)),
      );
      if (!changed) throw service.wrongCurrentPassword();
      return { message: 'Votre mot de passe a été changé ; vos autres sessions ont été fermées.' };
    },
  );

  // --- Password reset ---

  app.post(
    '/auth/password-reset',
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags,
        summary:
          'Demander un lien de réinitialisation du mot de passe (réponse identique que le compte existe ou non)',
        body: passwordResetRequestBody,
        response: { 202: messageResponse },
      },
    },
    async (request, reply) => {
      // Queued, not looked up: the answer and its timing are the same for every address; the job
      // (accounts.jobs.ts) does the lookup, the link and its mail, and survives a restart.
      await request.inTenant((tx) =>
        service.queuePasswordReset(tx, request.body.email, auditSource(request)),
      );
      return reply.code(202).send({ message: service.PASSWORD_RESET_ANSWER });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags,
        summary: 'Choisir un nouveau mot de passe avec le lien reçu (usage unique, valable une heure)',
        body: passwordResetConfirmBody,
        response: { 200: messageResponse },
      },
    },
    async (request, reply) => {
      const passwordHash = await service.hashNewPassword(request.body.newPassword);
      await request.inTenant((tx) =>
        service.confirmPasswordReset(tx, { token: request.body.token, passwordHash }, auditSource(request)),
      );
      if (request.cookies[SESSION_COOKIE]) clearSessionCookie(reply);
      return { message: 'Votre mot de passe a été changé : connectez-vous avec le nouveau mot de passe.' };
    },
  );

  // --- Invitations ---

  app.post(
    '/members/:memberId/invitations',
    {
      config: { access: onMember('users.invite', onlyAdmins) },
      schema: {
        tags,
        summary: 'Inviter une personne dans une structure (lien par courriel valable 7 jours)',
        params: memberParams,
        body: inviteBody,
        response: { 201: invitationSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const invitation = await request.inTenant((tx) =>
        service.invite(tx, deps(), actor, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(invitation);
    },
  );

  app.get(
    '/members/:memberId/invitations',
    {
      config: { access: onMember('users.invite', onlyAdmins) },
      schema: {
        tags,
        summary: "Invitations en attente d'une structure",
        params: memberParams,
        querystring: usersQuery,
        response: { 200: invitationList },
      },
    },
    async (request) =>
      request.inTenant((tx) => service.listInvitations(tx, request.params.memberId, request.query)),
  );

  app.delete(
    '/members/:memberId/invitations/:invitationId',
    {
      config: { access: onMember('users.invite', onlyAdmins) },
      schema: {
        tags,
        summary: 'Révoquer une invitation en attente',
        params: invitationParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const { memberId, invitationId } = request.params;
      await request.inTenant((tx) =>
        service.revokeInvitation(tx, memberId, invitationId, auditSource(request)),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/invitations/:token',
    {
      // The link is the credential; its read sets a transaction-local setting (anonymousRead: false).
      config: { access: 'public', anonymousRead: false },
      schema: {
        tags,
        summary: "Ce qu'une invitation propose (public : le lien est la preuve)",
        params: invitationTokenParams,
        response: { 200: publicInvitationSchema },
      },
    },
    async (request) => request.inTenant((tx) => service.viewInvitation(tx, request.params.token)),
  );

  app.post(
    '/invitations/:token/accept',
    {
      // The link is the credential; the service refuses a signed-in person it is not addressed to.
      config: { access: 'public' },
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
      const { actor } = request;
      const { displayName, password } = request.body;
      const passwordHash = !actor && password ? await service.hashNewPassword(password) : null;
      const result = await request.inTenant((tx) =>
        service.acceptInvitation(
          tx,
          deps(),
          actor,
          { token: request.params.token, displayName, passwordHash },
          auditSource(request),
        ),
      );
      if (result.session) {
        startSession(reply, result.session);
        return meOf(result.session.token);
      }
      return meOf(request.cookies[SESSION_COOKIE]);
    },
  );

  registerUsersRoutes(app);
  registerTokensRoutes(app);
  registerProConnectRoutes(app);
}
