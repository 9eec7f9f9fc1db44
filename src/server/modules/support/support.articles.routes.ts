import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  articleCountsSchema,
  articleFeedbackSchema,
  articleInputSchema,
  articleListQuerySchema,
  articleListSchema,
  articleSchema,
  articleUpdateSchema,
} from '../../../contracts/support.js';
import { auditSource } from '../../platform/audit/audit.js';
import { can } from '../../platform/http/access.js';
import * as articles from './support.articles.service.js';
import { supportPolicy } from './support.policy.js';

const TAGS = ['assistance'];
const articleParams = z.object({ articleId: z.uuid({ message: "identifiant d'article invalide" }) });

/** The knowledge base (issue 14, §2). */
export default async function articleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/support/articles',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Articles de la base de connaissances (recherche sans accents ni majuscules)',
        querystring: articleListQuerySchema,
        response: { 200: articleListSchema },
      },
    },
    async (request) => request.inTenant((db) => articles.listArticles(db, request.query)),
  );
  r.get(
    '/support/articles/:articleId',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Un article (texte rendu sans HTML brut)',
        params: articleParams,
        response: { 200: articleSchema },
      },
    },
    async (request) => request.inTenant((db) => articles.getArticle(db, request.params.articleId)),
  );
  r.post(
    '/support/articles',
    {
      config: { access: can(supportPolicy, 'support:operate') },
      schema: {
        tags: TAGS,
        summary: 'Écrire un article',
        body: articleInputSchema,
        response: { 201: articleSchema },
      },
    },
    async (request, reply) => {
      const created = await request.inTenant((db) =>
        articles.createArticle(db, request.body, auditSource(request)),
      );
      return reply.code(201).send(created);
    },
  );
  r.post(
    '/support/articles/:articleId/feedback',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '« Cet article a-t-il répondu à votre question ? »',
        params: articleParams,
        body: articleFeedbackSchema,
        response: { 200: articleCountsSchema },
      },
    },
    async (request) =>
      request.inTenant((db) => articles.articleFeedback(db, request.params.articleId, request.body.helpful)),
  );

  // Editing (the support team's pages).
  r.put(
    '/support/articles/:articleId',
    {
      config: { access: can(supportPolicy, 'support:operate') },
      schema: {
        tags: TAGS,
        summary: 'Modifier un article (tous ses champs ; serviceId obligatoire, null pour aucun service)',
        params: articleParams,
        body: articleUpdateSchema,
        response: { 200: articleSchema },
      },
    },
    async (request) =>
      request.inTenant((db) =>
        articles.updateArticle(db, request.params.articleId, request.body, auditSource(request)),
      ),
  );
  r.delete(
    '/support/articles/:articleId',
    {
      config: { access: can(supportPolicy, 'support:operate') },
      schema: {
        tags: TAGS,
        summary: 'Supprimer un article',
        params: articleParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await request.inTenant((db) =>
        articles.deleteArticle(db, request.params.articleId, auditSource(request)),
      );
      return reply.code(204).send(null);
    },
  );
}
