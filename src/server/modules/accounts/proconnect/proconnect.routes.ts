import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type ProConnectOutcome,
  proconnectCallbackQuery,
  proconnectStatusSchema,
} from '../../../../contracts/connect.js';
import { auditSource } from '../../../platform/audit/audit.js';
import { clearSessionCookie, setSessionCookie } from '../../../platform/auth/session.js';
import { notFound } from '../../../platform/errors.js';
import { readAuthSettings } from '../accounts.connect.repository.js';
import * as service from '../accounts.service.js';
import { type ProConnectClient, ProConnectError } from './proconnect.client.js';
import * as proconnect from './proconnect.service.js';

const tags = ['Comptes et accès'];
/** The browser's half of a sign-in under way: the state, compared with the callback's. */
const STATE_COOKIE = 'socle_proconnect_state';
const STATE_COOKIE_PATH = '/api/v1/auth/proconnect';
const redirect = z.null().describe('Redirection (en-tête Location)');
/**
 * The browser's half of a ProConnect identity waiting for its account's confirmation: sent with the
 * password login that confirms it (POST /api/v1/auth/login), then cleared.
 */
export const LINK_COOKIE = 'socle_proconnect_link';
export const LINK_COOKIE_PATH = '/api/v1/auth';

declare module 'fastify' {
  interface FastifyInstance {
    /** The ProConnect relying party: configured, the demo's local provider, or null (no button). */
    proconnect: ProConnectClient | null;
  }
}

export function registerProConnectRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const deps = () => ({ config: app.config, mailer: app.mailer, proconnectEnabled: app.proconnect !== null });
  const client = () => {
    if (!app.proconnect)
      throw notFound("La connexion par ProConnect n'est pas configurée sur cette plateforme.");
    return app.proconnect;
  };
  const backToLogin = (reply: FastifyReply, outcome: ProConnectOutcome) =>
    reply.redirect(`/connexion?proconnect=${outcome}`, 302);

  app.get(
    '/auth/proconnect',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'La connexion par ProConnect est-elle proposée (et exigée pour les agents de l’opérateur) ?',
        response: { 200: proconnectStatusSchema },
      },
    },
    async (request) => {
      const settings = await request.inTenant((tx) => readAuthSettings(tx));
      return {
        enabled: app.proconnect !== null,
        requiredForOperatorAgents: app.proconnect !== null && settings.proconnectRequiredForOperatorAgents,
      };
    },
  );

  app.get(
    '/auth/proconnect/start',
    {
      // The flow is written in a transaction: not on the read-only connections of anonymous reads.
      config: { access: 'public', anonymousRead: false },
      schema: {
        tags,
        summary:
          "S'identifier avec ProConnect : redirection vers le fournisseur (state, nonce, PKCE, portées openid email given_name usual_name siret uid)",
        response: { 302: redirect },
      },
    },
    async (request, reply) => {
      const flow = await client().begin();
      await request.inTenant((tx) => proconnect.recordFlow(tx, flow));
      reply.setCookie(STATE_COOKIE, flow.state, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.isProduction,
        maxAge: 600,
      });
      return reply.redirect(flow.authorizationUrl, 302);
    },
  );

  app.get(
    '/auth/proconnect/callback',
    {
      config: { access: 'public', anonymousRead: false },
      schema: {
        tags,
        summary:
          'Retour de ProConnect : code échangé, jeton d’identité et userinfo vérifiés, puis session, confirmation du lien avec un compte existant (par son mot de passe, une fois), demande d’accès ou refus',
        querystring: proconnectCallbackQuery,
        response: { 302: redirect },
      },
    },
    async (request, reply) => {
      const pc = client();
      const cookieState = request.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
      const { state, code, error } = request.query;
      if (error || !state || !code || cookieState !== state) {
        request.log.warn({ error, stateMatches: cookieState === state }, 'proconnect callback refused');
        return backToLogin(reply, 'erreur');
      }
      // Taken out in its own transaction: a replayed state finds nothing, whatever happens next.
      const expected = await request.inTenant((tx) => proconnect.takeFlow(tx, state));
      if (!expected) return backToLogin(reply, 'erreur');
      let identity: Awaited<ReturnType<ProConnectClient['finish']>>;
      try {
        identity = await pc.finish(new URL(request.url, app.config.publicUrl), expected);
      } catch (failure) {
        if (!(failure instanceof ProConnectError)) throw failure;
        request.log.warn({ reason: failure.message }, 'proconnect sign-in refused');
        return backToLogin(reply, 'erreur');
      }
      const result = await request.inTenant((tx) =>
        proconnect.signIn(tx, deps(), identity, auditSource(request)),
      );
      if (result.kind === 'outcome') return backToLogin(reply, result.outcome);
      if (result.kind === 'confirm') {
        reply.setCookie(LINK_COOKIE, result.secret, {
          path: LINK_COOKIE_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.isProduction,
          expires: result.expiresAt,
        });
        return backToLogin(reply, 'confirmer');
      }
      setSessionCookie(reply, result.token, result.expiresAt, app.config.isProduction);
      return reply.redirect(result.isOperator ? '/operateur' : '/espace', 302);
    },
  );

  app.post(
    '/auth/proconnect/logout',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "Se déconnecter : la session est supprimée ; si elle venait de ProConnect, l'adresse de déconnexion chez le fournisseur est rendue",
        response: { 200: z.object({ redirectTo: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      let redirectTo = '/connexion';
      if (actor && !actor.token) {
        const idToken = await request.inTenant(async (tx) => {
          const token = await proconnect.idTokenOf(tx, actor.sessionId);
          await service.logout(tx, actor, auditSource(request));
          return token;
        });
        if (idToken && app.proconnect) redirectTo = (await app.proconnect.logoutUrl(idToken)) ?? redirectTo;
      }
      clearSessionCookie(reply);
      return { redirectTo };
    },
  );
}
