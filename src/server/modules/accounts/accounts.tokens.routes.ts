import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { memberParams } from '../../../contracts/accounts.js';
import {
  acceptAccessRequestBody,
  accessRequestList,
  accessRequestParams,
  accessRequestSchema,
  accessRequestsQuery,
  authSettingsSchema,
  createdTokenSchema,
  createOperatorTokenBody,
  createTokenBody,
  memberTokenParams,
  tokenList,
  tokenParams,
  tokensQuery,
} from '../../../contracts/connect.js';
import { auditSource } from '../../platform/audit/audit.js';
import { actorOf, can, param } from '../../platform/http/access.js';
import { type AccountsAction, canAccounts } from './accounts.policy.js';
import * as service from './accounts.service.js';

const tags = ["Jetons d'API et accès ProConnect"];
const noContent = z.null().describe('Aucun contenu');

const memberPeopleOnly = "Seules les personnes de la structure gèrent ses jetons d'API.";
const operatorAdminsOnly = "Réservé aux administrateurs de l'opérateur.";
const onlyAdmins =
  "Seuls l'administrateur de la structure (référent) et les administrateurs de l'opérateur répondent aux demandes d'accès.";

const onMember = (action: AccountsAction, detail: string) =>
  can(canAccounts, action, param('memberId'), detail);
/** The operator organisation when the actor acts for it. */
const operatorOf = (request: FastifyRequest) =>
  request.actor?.isOperator ? (request.actor.current?.organisationId ?? null) : null;
const operatorIdOf = (request: FastifyRequest) => {
  const id = operatorOf(request);
  if (!id) throw new Error('operator route reached without the operator');
  return id;
};

/** API tokens of a member and of the operator, access requests, the operator's sign-in settings. */
export function registerTokensRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // --- A member's tokens ---

  app.get(
    '/members/:memberId/tokens',
    {
      config: { access: onMember('tokens.own', memberPeopleOnly) },
      schema: {
        tags,
        summary:
          "Jetons d'API de la structure (tous pour l'administrateur, ses jetons personnels pour les autres ; le secret n'est jamais réaffiché)",
        params: memberParams,
        querystring: tokensQuery,
        response: { 200: tokenList },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return request.inTenant((tx) => service.listTokens(tx, actor, request.params.memberId, request.query));
    },
  );

  app.post(
    '/members/:memberId/tokens',
    {
      config: { access: onMember('tokens.own', memberPeopleOnly) },
      schema: {
        tags,
        summary:
          "Créer un jeton d'API (nom, nature, modules en lecture ou écriture, échéance) : personnel (agit avec les droits actuels de la personne) ou de la structure (administrateur seulement ; agit pour la structure, limité à ses modules). Le jeton est affiché une seule fois",
        params: memberParams,
        body: createTokenBody,
        response: { 201: createdTokenSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await request.inTenant((tx) =>
        service.createToken(tx, actor, request.params.memberId, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/members/:memberId/tokens/:tokenId',
    {
      config: { access: onMember('tokens.own', memberPeopleOnly) },
      schema: {
        tags,
        summary:
          "Révoquer un jeton d'API (refusé dès la requête suivante) : l'administrateur tous ceux de la structure, les autres leurs jetons personnels",
        params: memberTokenParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { memberId, tokenId } = request.params;
      await request.inTenant((tx) => service.revokeToken(tx, actor, memberId, tokenId, auditSource(request)));
      return reply.code(204).send(null);
    },
  );

  // --- The operator's tokens ---

  const onOperator = can(canAccounts, 'operatorTokens.manage', operatorOf, operatorAdminsOnly);

  app.get(
    '/operator/tokens',
    {
      config: { access: onOperator },
      schema: {
        tags,
        summary: "Jetons d'API de l'opérateur",
        querystring: tokensQuery,
        response: { 200: tokenList },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return request.inTenant((tx) => service.listTokens(tx, actor, operatorIdOf(request), request.query));
    },
  );

  app.post(
    '/operator/tokens',
    {
      config: { access: onOperator },
      schema: {
        tags,
        summary: "Créer un jeton d'API de l'opérateur : le jeton est affiché une seule fois",
        body: createOperatorTokenBody,
        response: { 201: createdTokenSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await request.inTenant((tx) =>
        service.createToken(
          tx,
          actor,
          operatorIdOf(request),
          { ...request.body, kind: 'operator' },
          auditSource(request),
        ),
      );
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/operator/tokens/:tokenId',
    {
      config: { access: onOperator },
      schema: {
        tags,
        summary: "Révoquer un jeton d'API de l'opérateur",
        params: tokenParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await request.inTenant((tx) =>
        service.revokeToken(tx, actor, operatorIdOf(request), request.params.tokenId, auditSource(request)),
      );
      return reply.code(204).send(null);
    },
  );

  // --- Access requests (agents met through ProConnect) ---

  app.get(
    '/members/:memberId/access-requests',
    {
      config: { access: onMember('accessRequests.manage', onlyAdmins) },
      schema: {
        tags,
        summary: "Demandes d'accès des agents de la structure identifiés par ProConnect",
        params: memberParams,
        querystring: accessRequestsQuery,
        response: { 200: accessRequestList },
      },
    },
    async (request) =>
      request.inTenant((tx) => service.listAccessRequests(tx, request.params.memberId, request.query)),
  );

  app.post(
    '/members/:memberId/access-requests/:requestId/accept',
    {
      config: { access: onMember('accessRequests.manage', onlyAdmins) },
      schema: {
        tags,
        summary: "Accepter une demande d'accès avec un rôle (compte créé, lié à l'identité ProConnect)",
        params: accessRequestParams,
        body: acceptAccessRequestBody,
        response: { 200: accessRequestSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { memberId, requestId } = request.params;
      return request.inTenant((tx) =>
        service.acceptAccessRequest(tx, actor, memberId, requestId, request.body.role, auditSource(request)),
      );
    },
  );

  app.post(
    '/members/:memberId/access-requests/:requestId/refuse',
    {
      config: { access: onMember('accessRequests.manage', onlyAdmins) },
      schema: {
        tags,
        summary: "Refuser une demande d'accès",
        params: accessRequestParams,
        response: { 200: accessRequestSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { memberId, requestId } = request.params;
      return request.inTenant((tx) =>
        service.refuseAccessRequest(tx, actor, memberId, requestId, auditSource(request)),
      );
    },
  );

  // --- The operator's sign-in settings ---

  const onSettings = can(canAccounts, 'authSettings.manage', undefined, operatorAdminsOnly);

  app.get(
    '/operator/auth-settings',
    {
      config: { access: onSettings },
      schema: { tags, summary: "Règles de connexion de l'opérateur", response: { 200: authSettingsSchema } },
    },
    async (request) => request.inTenant((tx) => service.readAuthSettings(tx)),
  );

  app.put(
    '/operator/auth-settings',
    {
      config: { access: onSettings },
      schema: {
        tags,
        summary:
          "Exiger ProConnect pour les agents de l'opérateur (leur mot de passe est alors refusé ; les administrateurs gardent le leur)",
        body: authSettingsSchema,
        response: { 200: authSettingsSchema },
      },
    },
    async (request) =>
      request.inTenant((tx) => service.updateAuthSettings(tx, request.body, auditSource(request))),
  );
}
