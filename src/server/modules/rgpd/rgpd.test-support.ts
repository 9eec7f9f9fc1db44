import type { TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';
import { rgpdEditors } from './rgpd.schema.js';

/**
 * The RGPD cast: the operator's admin, its DPO agent and an agent without the dpo scope; commune A
 * (admin, agent, reader, and an agent holding the member `rgpd` role), commune B (admin) and an SPL.
 */
export async function buildRgpdCast(t: TestApp) {
  const db = t.database.db;
  const operator = await buildOperator(db);
  const communeA = await buildOrganisation(db, {
    name: 'La Roche-sur-Yon',
    kind: 'commune',
    communeCode: SAMPLE.laRocheSurYon,
    epciCode: SAMPLE.epciLaRoche,
    departementCode: '85',
  });
  const communeB = await buildOrganisation(db, {
    name: 'Aizenay',
    kind: 'commune',
    communeCode: SAMPLE.aizenay,
    epciCode: SAMPLE.epciLaRoche,
    departementCode: '85',
  });
  const spl = await buildOrganisation(db, {
    name: 'SPL Agence de services',
    kind: 'spl',
    departementCode: '44',
  });
  const editorA = await sessionAs(t, communeA, 'agent', [], 'Claude Éditrice');
  await db.insert(rgpdEditors).values({ memberId: communeA.id, userId: editorA.userId });
  return {
    operator,
    communeA,
    communeB,
    spl,
    operatorAdmin: await sessionAs(t, operator, 'admin', [], 'Alex Opérateur'),
    dpo: await sessionAs(t, operator, 'agent', ['dpo'], 'Dominique DPO'),
    cyberAgent: await sessionAs(t, operator, 'agent', ['cyber']),
    adminA: await sessionAs(t, communeA, 'admin', [], 'Maire Adjoint'),
    agentA: await sessionAs(t, communeA, 'agent'),
    readerA: await sessionAs(t, communeA, 'reader'),
    editorA,
    adminB: await sessionAs(t, communeB, 'admin'),
    adminSpl: await sessionAs(t, spl, 'admin'),
  };
}

/** A well-filled processing body (every Art. 30 field), to vary per test. */
export function fullProcessing(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Gestion de l’état civil',
    purposes: 'Tenue des registres d’état civil, délivrance des actes.',
    legalBasis: 'legal_obligation',
    legalBasisJustification: 'Code civil, art. 34 et suivants.',
    dataSubjects: [{ category: 'Usagers', estimatedCount: 5000 }],
    dataCategories: ['Identité', 'Filiation'],
    sources: 'Déclarations des usagers',
    collectionMethod: 'Guichet',
    recipients: [{ name: 'Procureur de la République', type: 'external' }],
    retention: [{ dataCategory: 'Actes', duration: '75 ans', finalFate: 'archiving' }],
    securityMeasures: { accessControl: 'Comptes nominatifs', backups: 'Quotidiennes' },
    software: 'Logiciel d’état civil',
    department: 'Service état civil',
    ...overrides,
  };
}
