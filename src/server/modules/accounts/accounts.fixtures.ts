import type { Db } from '../../platform/db/client.js';
import { buildOperator, buildOrganisation, buildUser } from '../../test/builders.js';

/**
 * The cast of the accounts tests: the operator with an admin and two agents, and two members each with
 * their admin; member A also has an agent and a reader.
 */
export async function buildCast(db: Db) {
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Commune A' });
  const memberB = await buildOrganisation(db, { name: 'Commune B' });
  const operatorAdmin = await buildUser(db, {
    displayName: 'Olivia Admin',
    roles: [{ organisation: operator, role: 'admin' }],
  });
  const operatorDpo = await buildUser(db, {
    displayName: 'Denis DPO',
    roles: [{ organisation: operator, role: 'agent', scopes: ['dpo'] }],
  });
  const operatorAgent = await buildUser(db, {
    displayName: 'Agathe Agent',
    roles: [{ organisation: operator, role: 'agent' }],
  });
  const adminA = await buildUser(db, {
    displayName: 'Anne Référente A',
    roles: [{ organisation: memberA, role: 'admin' }],
  });
  const agentA = await buildUser(db, {
    displayName: 'Alain Agent A',
    roles: [{ organisation: memberA, role: 'agent' }],
  });
  const readerA = await buildUser(db, {
    displayName: 'Rita Lectrice A',
    roles: [{ organisation: memberA, role: 'reader' }],
  });
  const adminB = await buildUser(db, {
    displayName: 'Bruno Référent B',
    roles: [{ organisation: memberB, role: 'admin' }],
  });
  return {
    operator,
    memberA,
    memberB,
    operatorAdmin,
    operatorDpo,
    operatorAgent,
    adminA,
    agentA,
    readerA,
    adminB,
  };
}
