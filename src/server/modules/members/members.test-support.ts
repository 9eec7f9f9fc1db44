import { eq } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import { createSession, hashToken } from '../../platform/auth/session.js';
import { type organisations, sessions } from '../../platform/db/schema.js';
import type { Session, TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../test/builders.js';

type Organisation = typeof organisations.$inferSelect;

/**
 * A logged-in session for a new user holding `role` in `organisation`, made directly in the
 * sessions table so these tests do not depend on the login route.
 */
export async function sessionAs(
  t: TestApp,
  organisation: Organisation,
  role: Role,
  scopes: OperatorScope[] = [],
  displayName = 'Camille Test',
): Promise<Session> {
  const user = await buildUser(t.database.db, { displayName, roles: [{ organisation, role, scopes }] });
  const { token } = await createSession(t.database.db, user.id, organisation.id, 1);
  const [row] = await t.database.db
    .select({ csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(eq(sessions.id, hashToken(token)));
  return { cookie: `socle_session=${token}`, csrfToken: row.csrfToken, userId: user.id };
}

/** The usual cast: operator admin and agent, and two members each with admin, agent and reader. */
export async function buildCast(t: TestApp) {
  const db = t.database.db;
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Syndicat des eaux A', status: 'member' });
  const memberB = await buildOrganisation(db, { name: 'Syndicat des eaux B', status: 'member' });
  return {
    operator,
    memberA,
    memberB,
    operatorAdmin: await sessionAs(t, operator, 'admin', [], 'Alex Opérateur'),
    operatorAgent: await sessionAs(t, operator, 'agent', ['dpo']),
    adminA: await sessionAs(t, memberA, 'admin', [], 'Dominique Référente'),
    agentA: await sessionAs(t, memberA, 'agent'),
    readerA: await sessionAs(t, memberA, 'reader'),
    adminB: await sessionAs(t, memberB, 'admin'),
  };
}

/** A list answer (`listOf` in contracts/common.ts), as tests read it. */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** A problem+json answer's detail and field errors, as tests read them. */
export interface ProblemBody {
  detail: string;
  errors: { path: string; message: string }[];
}

/** `value`, or a failed test naming `what` when it is missing (instead of a non-null assertion). */
export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}

/** A minimal but well-formed PDF (header, one empty page, xref and trailer). */
export function tinyPdf(padding = 0): Buffer {
  const body =
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n' +
    `%${'x'.repeat(padding)}\n`;
  const xref = body.length;
  return Buffer.from(
    `${body}xref\n0 4\n0000000000 65535 f \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    'latin1',
  );
}

/** A multipart/form-data body, as a browser form would send it. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; type?: string; field?: string },
) {
  const boundary = `----socle${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
