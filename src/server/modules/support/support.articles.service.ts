import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type MarkdownIt from 'markdown-it';
import { searchKey, searchTerms } from '../../../contracts/search.js';
import type { Article, ArticleInput, ArticleSummary, ArticleUpdate } from '../../../contracts/support.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import { type Executor, rowsOf } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import { afterCursor, decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { catalogueServiceOf } from './support.levels.service.js';
import { supportArticles } from './support.schema.js';

/**
 * The knowledge base (issue 14, §2): articles in markdown rendered without raw HTML (markdown-it with
 * `html: false`: a `<script>` in an article is shown as text), public or for members' people (RLS
 * decides who reads what), searched by their accent- and case-free key, suggested while a ticket's
 * subject is typed, and counted « did this answer your question? ».
 */

export const ARTICLE_NOT_FOUND = "Cet article n'existe pas.";

/** markdown-it (~8 MB resident with its Unicode tables) is loaded at the first article read. */
let markdown: Promise<InstanceType<typeof MarkdownIt>> | undefined;
const markdownRenderer = () => {
  markdown ??= import('markdown-it').then(
    ({ default: Markdown }) => new Markdown({ html: false, linkify: true, typographer: false }),
  );
  return markdown;
};

type Row = typeof supportArticles.$inferSelect & { serviceName: string | null };

const excerptOf = (body: string) => {
  const plain = body
    .replace(/[#>*_`[\]()!-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 180 ? `${plain.slice(0, 179)}…` : plain;
};

const summaryOf = (r: Row): ArticleSummary => ({
  id: r.id,
  title: r.title,
  serviceId: r.serviceId,
  serviceName: r.serviceName,
  visibility: r.visibility,
  excerpt: excerptOf(r.body),
  helpfulYes: r.helpfulYes,
  helpfulNo: r.helpfulNo,
  updatedAt: r.updatedAt.toISOString(),
});

const select = (db: Executor) =>
  db
    .select({ article: supportArticles, serviceName: catalogueServices.name })
    .from(supportArticles)
    .leftJoin(catalogueServices, eq(catalogueServices.id, supportArticles.serviceId));

/** Articles the reader may see (RLS), by title; `q`: every word found in the title or text. */
export async function listArticles(
  db: Executor,
  query: { q?: string; serviceId?: string; limit: number; cursor?: string },
) {
  const filters: (SQL | undefined)[] = [];
  for (const term of searchTerms(query.q ?? '')) {
    filters.push(sql`${supportArticles.searchKey} LIKE ${`%${term}%`}`);
  }
  if (query.serviceId) filters.push(eq(supportArticles.serviceId, query.serviceId));
  const cursor = decodeTextCursor(query.cursor);
  const rows = await select(db)
    .where(and(...filters, afterCursor(supportArticles.title, supportArticles.id, cursor)))
    .orderBy(asc(supportArticles.title), asc(supportArticles.id))
    .limit(query.limit + 1);
  const [total] = rowsOf<{ n: number }>(
    await db.execute(
      sql`SELECT count(*)::int AS n FROM support_articles ${filters.length > 0 ? sql`WHERE ${and(...filters)}` : sql``}`,
    ),
  );
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.article.title, r.article.id));
  return {
    items: page.items.map((r) => summaryOf({ ...r.article, serviceName: r.serviceName })),
    total: Number(total?.n ?? 0),
    nextCursor: page.nextCursor,
  };
}

export async function getArticle(db: Executor, id: string): Promise<Article> {
  const [row] = await select(db).where(eq(supportArticles.id, id));
  if (!row) throw notFound(ARTICLE_NOT_FOUND);
  const article = { ...row.article, serviceName: row.serviceName };
  return { ...summaryOf(article), body: article.body, html: (await markdownRenderer()).render(article.body) };
}

export async function createArticle(
  db: Executor,
  input: ArticleInput,
  source: AuditSource,
): Promise<Article> {
  const [row] = await db
    .insert(supportArticles)
    .values({
      title: input.title,
      body: input.body,
      serviceId: await catalogueServiceOf(db, input.serviceId),
      visibility: input.visibility ?? 'public',
      searchKey: searchKey(`${input.title} ${input.body}`),
      createdBy: source.actorUserId,
    })
    .returning({ id: supportArticles.id });
  if (!row) throw new Error('article not inserted');
  await recordAudit(db, {
    ...source,
    action: 'support.article.create',
    targetType: 'support_article',
    targetId: row.id,
  });
  return getArticle(db, row.id);
}

/** « Did this answer your question? »: one more yes or no (the counters only, through migration 0047's function). */
export async function articleFeedback(db: Executor, id: string, helpful: boolean) {
  const [row] = rowsOf<{ helpful_yes: number; helpful_no: number }>(
    await db.execute(sql`SELECT * FROM support_article_feedback(${id}, ${helpful})`),
  );
  if (!row) throw notFound(ARTICLE_NOT_FOUND);
  return { helpfulYes: Number(row.helpful_yes), helpfulNo: Number(row.helpful_no) };
}

// Editing (the support team's pages) --------------------------------------------------------------

/** Replaces an article's title, text, service and visibility; its feedback counters stay. */
export async function updateArticle(
  db: Executor,
  id: string,
  input: ArticleUpdate,
  source: AuditSource,
): Promise<Article> {
  const [row] = await db
    .update(supportArticles)
    .set({
      title: input.title,
      body: input.body,
      serviceId: await catalogueServiceOf(db, input.serviceId),
      visibility: input.visibility ?? 'public',
      searchKey: searchKey(`${input.title} ${input.body}`),
      updatedAt: now(),
    })
    .where(eq(supportArticles.id, id))
    .returning({ id: supportArticles.id });
  if (!row) throw notFound(ARTICLE_NOT_FOUND);
  await recordAudit(db, {
    ...source,
    action: 'support.article.update',
    targetType: 'support_article',
    targetId: id,
  });
  return getArticle(db, id);
}

export async function deleteArticle(db: Executor, id: string, source: AuditSource): Promise<void> {
  const [row] = await db
    .delete(supportArticles)
    .where(eq(supportArticles.id, id))
    .returning({ id: supportArticles.id, title: supportArticles.title });
  if (!row) throw notFound(ARTICLE_NOT_FOUND);
  await recordAudit(db, {
    ...source,
    action: 'support.article.delete',
    targetType: 'support_article',
    targetId: id,
    details: { title: row.title },
  });
}
