import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import {
  DIAGNOSTIC_THEME_LABELS,
  DIAGNOSTIC_THEMES,
  type Diagnostic,
  type DiagnosticInput,
  type DiagnosticSummary,
  maturityOf,
  type PlanMeasure,
} from '../../../contracts/cyber.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { currentYear } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import { invalid, notFound } from '../../platform/errors.js';
import { cursorInstant, decodeInstantCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { listServices } from '../catalogue/catalogue.service.js';
import { listForMember } from '../subscriptions/subscriptions.service.js';
import { cyberDiagnostics } from './cyber.schema.js';
import { QUESTIONNAIRE_VERSION } from './rules/questionnaire.js';
import {
  actionPlan,
  answerErrors,
  bandOf,
  MIN_PEERS,
  PEER_KIND_LABELS,
  questionnaire,
  scoresOf,
} from './rules/scoring.js';

/**
 * Diagnostics: answers scored per theme and overall, the action plan linked to the operator's
 * catalogue services with the member's share of their cost (the pricing engine, through the
 * `ServiceCost` the routes pass in), the previous diagnostic and the peers' anonymised median.
 */

export { questionnaire };

/**
 * The member's yearly share of a service, in cents, or null when it cannot be priced. Called after
 * the request's transaction (the pricing model is read in a transaction of its own: on PGlite a
 * second transaction opened inside the first would wait forever).
 */
export type ServiceCost = (
  memberId: string,
  serviceId: string,
  subscribed: boolean,
) => Promise<number | null>;

/** The diagnostic with its plan's services priced. */
export async function priceActionPlan(diagnostic: Diagnostic, cost: ServiceCost): Promise<Diagnostic> {
  const prices = new Map<string, number | null>();
  for (const m of diagnostic.actionPlan) {
    if (m.service && !prices.has(m.service.id)) {
      prices.set(m.service.id, await cost(diagnostic.memberId, m.service.id, m.service.subscribed));
    }
  }
  return {
    ...diagnostic,
    actionPlan: diagnostic.actionPlan.map((m) =>
      m.service ? { ...m, service: { ...m.service, annualCostCents: prices.get(m.service.id) ?? null } } : m,
    ),
  };
}

type Row = typeof cyberDiagnostics.$inferSelect;

const themeScoresOf = (scores: Record<string, number>) =>
  DIAGNOSTIC_THEMES.map((theme) => ({
    theme,
    label: DIAGNOSTIC_THEME_LABELS[theme],
    score: scores[theme] ?? 0,
  }));

function summaryOf(row: Row, createdBy: string | null): DiagnosticSummary {
  return {
    id: row.id,
    memberId: row.memberId,
    createdAt: row.createdAt.toISOString(),
    createdBy,
    overallScore: row.overallScore,
    maturity: maturityOf(row.overallScore),
  };
}

export async function createDiagnostic(
  db: Executor,
  memberId: string,
  input: DiagnosticInput,
  source: AuditSource,
): Promise<Diagnostic> {
  const errors = answerErrors(input.answers);
  if (errors.length > 0) {
    throw invalid(
      `Le questionnaire est incomplet ou contient des questions inconnues (${errors.length}).`,
      errors,
    );
  }
  const { themeScores, overall } = scoresOf(input.answers);
  const [row] = await db
    .insert(cyberDiagnostics)
    .values({
      memberId,
      questionnaireVersion: QUESTIONNAIRE_VERSION,
      answers: input.answers,
      themeScores,
      overallScore: overall,
      respondents: input.respondents || null,
      createdBy: source.actorUserId,
    })
    .returning();
  if (!row) throw new Error('diagnostic not inserted');
  await recordAudit(db, {
    ...source,
    action: 'cyber.diagnostic.create',
    memberId,
    targetType: 'cyber_diagnostic',
    targetId: row.id,
    details: { overall },
  });
  return getDiagnostic(db, memberId, row.id);
}

export async function listDiagnostics(
  db: Executor,
  memberId: string,
  query: { limit: number; cursor?: string },
) {
  const cursor = decodeInstantCursor(query.cursor);
  const rows = await db
    .select({
      row: cyberDiagnostics,
      by: users.displayName,
      stamp: cursorInstant(cyberDiagnostics.createdAt),
    })
    .from(cyberDiagnostics)
    .leftJoin(users, eq(users.id, cyberDiagnostics.createdBy))
    .where(
      and(
        eq(cyberDiagnostics.memberId, memberId),
        cursor
          ? or(
              sql`${cursorInstant(cyberDiagnostics.createdAt)} < ${cursor.sortValue}`,
              and(
                sql`${cursorInstant(cyberDiagnostics.createdAt)} = ${cursor.sortValue}`,
                lt(cyberDiagnostics.id, cursor.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(cyberDiagnostics.createdAt), desc(cyberDiagnostics.id))
    .limit(query.limit + 1);
  const [total] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cyberDiagnostics)
    .where(eq(cyberDiagnostics.memberId, memberId));
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.row.id));
  return {
    items: page.items.map((r) => summaryOf(r.row, r.by)),
    total: toCount(total?.n),
    nextCursor: page.nextCursor,
  };
}

async function peersOf(db: Executor, memberId: string): Promise<Diagnostic['peers']> {
  const [member] = await db
    .select({ kind: organisations.kind, population: organisations.population })
    .from(organisations)
    .where(eq(organisations.id, memberId));
  if (!member || member.kind === 'operator') return null;
  const band = bandOf(member.population);
  const rows = rowsOf<{ theme: string; median: number; peers: number }>(
    await db.execute(
      sql`SELECT theme, median, peers FROM cyber_peer_medians(${member.kind}, ${band.min}, ${band.max})`,
    ),
  );
  const overall = rows.find((r) => r.theme === '_overall');
  if (!overall || toCount(overall.peers) < MIN_PEERS) return null;
  const scores = Object.fromEntries(rows.map((r) => [r.theme, toCount(r.median)]));
  return {
    count: toCount(overall.peers),
    label: `${PEER_KIND_LABELS[member.kind]} de ${band.label}`,
    overallScore: toCount(overall.median),
    themeScores: themeScoresOf(scores),
  };
}

async function planOf(db: Executor, memberId: string, answers: Row['answers']): Promise<PlanMeasure[]> {
  const plan = actionPlan(answers);
  const codes = new Set(plan.map((m) => m.serviceCode).filter((c): c is string => Boolean(c)));
  if (codes.size === 0) return plan.map((m) => ({ ...strip(m), service: null }));
  const [services, subscriptions] = await Promise.all([
    listServices(db, { limit: 200 }),
    listForMember(db, memberId),
  ]);
  const held = new Set(
    subscriptions.items
      .filter((s) => s.status === 'active' || s.status === 'termination_requested')
      .map((s) => s.service.id),
  );
  const byCode = new Map(services.items.filter((s) => codes.has(s.code)).map((s) => [s.code, s]));
  return plan.map((m) => {
    const service = m.serviceCode ? byCode.get(m.serviceCode) : undefined;
    return {
      ...strip(m),
      service: service
        ? {
            id: service.id,
            name: service.name,
            subscribed: held.has(service.id),
            annualCostCents: null,
          }
        : null,
    };
  });
}

function strip(m: ReturnType<typeof actionPlan>[number]): Omit<PlanMeasure, 'service'> {
  return {
    questionId: m.questionId,
    theme: m.theme,
    title: m.title,
    description: m.description,
    effort: m.effort,
    cost: m.cost,
    impact: m.impact,
    priority: m.priority,
  };
}

export async function getDiagnostic(db: Executor, memberId: string, id: string): Promise<Diagnostic> {
  const [found] = await db
    .select({ row: cyberDiagnostics, by: users.displayName })
    .from(cyberDiagnostics)
    .leftJoin(users, eq(users.id, cyberDiagnostics.createdBy))
    .where(and(eq(cyberDiagnostics.memberId, memberId), eq(cyberDiagnostics.id, id)));
  if (!found) throw notFound("Ce diagnostic n'existe pas pour cette structure.");
  const row = found.row;
  const [previous] = await db
    .select()
    .from(cyberDiagnostics)
    .where(
      and(
        eq(cyberDiagnostics.memberId, memberId),
        or(
          lt(cyberDiagnostics.createdAt, row.createdAt),
          and(eq(cyberDiagnostics.createdAt, row.createdAt), lt(cyberDiagnostics.id, row.id)),
        ),
      ),
    )
    .orderBy(desc(cyberDiagnostics.createdAt), desc(cyberDiagnostics.id))
    .limit(1);
  return {
    ...summaryOf(row, found.by),
    questionnaireVersion: row.questionnaireVersion,
    respondents: row.respondents,
    answers: row.answers,
    themeScores: themeScoresOf(row.themeScores),
    actionPlan: await planOf(db, memberId, row.answers),
    previous: previous
      ? {
          id: previous.id,
          createdAt: previous.createdAt.toISOString(),
          overallScore: previous.overallScore,
          themeScores: themeScoresOf(previous.themeScores),
        }
      : null,
    peers: await peersOf(db, memberId),
  };
}

/** The current year, for pricing a measure's service. */
export const pricingYear = () => currentYear();
