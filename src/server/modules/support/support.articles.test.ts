import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article, ArticleSummary } from '../../../contracts/support.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import type { Page } from '../../test/bodies.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { longSession } from './support.test-support.js';

/** The knowledge base: safe markdown, visibility, accent/case-free search, helpfulness counts. */
describe('knowledge base', () => {
  let t: TestApp;
  let team: Session;
  let agentA: Session;
  let publicId = '';

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await buildOperator(t.database.db);
    const a = await buildOrganisation(t.database.db, { name: 'Commune A', status: 'member' });
    team = await longSession(t, operator, 'agent', ['support']);
    agentA = await longSession(t, a, 'agent');
    const write = (body: Record<string, unknown>) =>
      request(t.app, team, 'POST', '/api/v1/support/articles', body);
    const created = await write({
      title: 'Réinitialiser le mot de passe de la messagerie',
      body: '# Étapes\n\n1. Ouvrez **Paramètres**.\n2. Choisissez « Sécurité ».\n\n<script>alert("x")</script>',
    });
    expect(created.statusCode).toBe(201);
    publicId = created.json<Article>().id;
    await write({
      title: 'Procédure interne des élus',
      body: 'Réservé aux adhérents.',
      visibility: 'members',
    });
    expect(
      (await request(t.app, agentA, 'POST', '/api/v1/support/articles', { title: 'Non', body: 'x' }))
        .statusCode,
    ).toBe(403);
  });
  afterAll(() => t.close());

  it('renders markdown without raw HTML', async () => {
    const article = (
      await request(t.app, null, 'GET', `/api/v1/support/articles/${publicId}`)
    ).json<Article>();
    expect(article.html).toContain('<h1>Étapes</h1>');
    expect(article.html).toContain('<strong>Paramètres</strong>');
    expect(article.html).not.toContain('<script>');
    expect(article.html).toContain('&lt;script&gt;');
  });

  it('shows members-only articles to the signed-in only, and searches without accents or case', async () => {
    const anonymous = (await request(t.app, null, 'GET', '/api/v1/support/articles')).json<
      Page<ArticleSummary>
    >();
    expect(anonymous.items.map((a) => a.title)).toEqual(['Réinitialiser le mot de passe de la messagerie']);
    const member = (await request(t.app, agentA, 'GET', '/api/v1/support/articles')).json<
      Page<ArticleSummary>
    >();
    expect(member.total).toBe(2);
    const found = (
      await request(
        t.app,
        null,
        'GET',
        `/api/v1/support/articles?q=${encodeURIComponent('REINITIALISER messagérie')}`,
      )
    ).json<Page<ArticleSummary>>();
    expect(found.items).toHaveLength(1);
    const none = (await request(t.app, null, 'GET', '/api/v1/support/articles?q=imprimante')).json<
      Page<ArticleSummary>
    >();
    expect(none.total).toBe(0);
  });

  it('counts « did this answer your question? »', async () => {
    const url = `/api/v1/support/articles/${publicId}/feedback`;
    await request(t.app, null, 'POST', url, { helpful: true });
    await request(t.app, agentA, 'POST', url, { helpful: true });
    const last = await request(t.app, null, 'POST', url, { helpful: false });
    expect(last.json()).toEqual({ helpfulYes: 2, helpfulNo: 1 });
    const bad = await request(t.app, null, 'POST', url, { helpful: 'oui' });
    expect(bad.statusCode).toBe(400);
  });
});
