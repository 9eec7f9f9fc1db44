import fs from 'node:fs';
import path from 'node:path';
import type { InventoryItemInput } from '../../../contracts/cyber.js';
import { request, type Session, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';
import { QUESTIONS } from './rules/questionnaire.js';

/** A real published CSAF 2.0 advisory kept in fixtures/ (BSI, Cisco, Red Hat). */
export const csafFixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

/**
 * The cyber cast: the operator's admin, its cyber agent and a DPO agent; commune A (admin, référent
 * sécurité, agent, reader) and commune B (admin, référent sécurité).
 */
export async function buildCyberCast(t: TestApp) {
  const db = t.database.db;
  const operator = await buildOperator(db);
  const communeA = await buildOrganisation(db, {
    name: 'La Roche-sur-Yon',
    kind: 'commune',
    communeCode: SAMPLE.laRocheSurYon,
    epciCode: SAMPLE.epciLaRoche,
  });
  const communeB = await buildOrganisation(db, {
    name: 'Aizenay',
    kind: 'commune',
    communeCode: SAMPLE.aizenay,
    epciCode: SAMPLE.epciLaRoche,
  });
  return {
    operator,
    communeA,
    communeB,
    operatorAdmin: await sessionAs(t, operator, 'admin', [], 'Alex Opérateur'),
    cyberTeam: await sessionAs(t, operator, 'agent', ['cyber'], 'Camille Cyber'),
    dpo: await sessionAs(t, operator, 'agent', ['dpo'], 'Dominique DPO'),
    adminA: await sessionAs(t, communeA, 'admin', [], 'Maire Adjoint'),
    cyberA: await sessionAs(t, communeA, 'cyber', [], 'Référent Sécurité A'),
    agentA: await sessionAs(t, communeA, 'agent'),
    readerA: await sessionAs(t, communeA, 'reader'),
    adminB: await sessionAs(t, communeB, 'admin', [], 'Admin B'),
    cyberB: await sessionAs(t, communeB, 'cyber', [], 'Référent Sécurité B'),
  };
}

export async function addItem(
  t: TestApp,
  session: Session,
  memberId: string,
  item: Partial<InventoryItemInput>,
) {
  const response = await request(t.app, session, 'POST', `/api/v1/members/${memberId}/inventory`, {
    kind: 'software',
    name: 'Logiciel',
    ...item,
  });
  if (response.statusCode !== 201) throw new Error(`inventory: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string };
}

/** Every question answered `answer`, then `overrides`. */
export const answersOf = (
  answer: 'yes' | 'partial' | 'no' | 'unknown',
  overrides: Record<string, string> = {},
) => ({
  ...Object.fromEntries(QUESTIONS.map((q) => [q.id, answer])),
  ...overrides,
});
