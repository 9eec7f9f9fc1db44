import { describe, expect, it } from 'vitest';
import { alonePriceFor } from '../../../contracts/catalogue.js';
import { terminationEndDate } from '../../../contracts/subscriptions.js';
import type { Actor, OperatorScope, Role } from '../../platform/auth/context.js';
import { policyActor } from '../../test/actors.js';
import { cataloguePolicy } from '../catalogue/catalogue.policy.js';
import { findCycle } from '../catalogue/catalogue.service.js';
import { SUBSCRIPTION_ACTIONS, type SubscriptionAction, subscriptionPolicy } from './subscriptions.policy.js';
import {
  bulkRefusals,
  type MemberFacts,
  requestRefusals,
  type ServiceFacts,
  startRefusals,
  terminationRefusals,
} from './subscriptions.rules.js';

describe('terminationEndDate: last day of the month in which the notice ends', () => {
  it.each([
    ['2026-03-15', 3, '2026-06-30'],
    ['2026-03-01', 3, '2026-06-30'],
    ['2026-03-31', 0, '2026-03-31'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2027-12-05', 2, '2028-02-29'],
    ['2026-11-20', 2, '2027-01-31'],
    ['2026-06-10', 12, '2027-06-30'],
  ])('asked on %s with %i months of notice → %s', (requestedOn, notice, expected) => {
    expect(terminationEndDate(requestedOn, notice)).toBe(expected);
  });

  it('never ends before a start date still to come', () => {
    expect(terminationEndDate('2026-03-15', 0, '2026-09-01')).toBe('2026-09-01');
    expect(terminationEndDate('2026-03-15', 0, '2026-01-01')).toBe('2026-03-31');
  });
});

describe('alonePriceFor', () => {
  const strata = [
    { upToPopulation: null, aloneCents: 900 },
    { upToPopulation: 500, aloneCents: 100 },
    { upToPopulation: 2000, aloneCents: 300 },
  ];
  it('takes the first stratum whose inclusive bound holds the population', () => {
    expect(alonePriceFor(strata, 0)).toBe(100);
    expect(alonePriceFor(strata, 500)).toBe(100);
    expect(alonePriceFor(strata, 501)).toBe(300);
    expect(alonePriceFor(strata, 2_000_000)).toBe(900);
    expect(alonePriceFor(strata, null)).toBeNull();
    expect(alonePriceFor([], 10)).toBeNull();
  });
});

describe('findCycle', () => {
  it('finds the loop back to the start, or nothing', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycle(edges, 'a')).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(edges, 'd')).toBeNull();
    expect(findCycle(new Map([['x', ['y']]]), 'x')).toBeNull();
  });
});

describe('eligibility rules', () => {
  const member: MemberFacts = { name: 'Mairie de Test', kind: 'commune', status: 'member' };
  const actes: ServiceFacts = {
    id: 's1',
    name: 'Télétransmission des actes',
    status: 'open',
    eligibleKinds: ['commune'],
  };
  const parapheur: ServiceFacts = {
    id: 's2',
    name: 'Parapheur électronique',
    status: 'open',
    eligibleKinds: ['commune'],
  };
  const prereq = [{ id: 's1', name: 'Télétransmission des actes' }];

  it('lets a member request a service whose prerequisite is requested or active', () => {
    expect(requestRefusals(member, actes, [], [])).toEqual([]);
    for (const status of ['requested', 'active'] as const) {
      expect(
        requestRefusals(member, parapheur, prereq, [{ serviceId: 's1', status, startDate: null }]),
      ).toEqual([]);
    }
    expect(
      requestRefusals(member, parapheur, prereq, [
        { serviceId: 's1', status: 'termination_requested', startDate: '2026-01-01' },
      ]),
    ).toEqual([
      'Le service « Parapheur électronique » nécessite le service « Télétransmission des actes », dont la résiliation est demandée.',
    ]);
  });

  it('gives every reason at once', () => {
    const reasons = requestRefusals(
      { ...member, kind: 'spl', status: 'withdrawal_requested' },
      { ...parapheur, status: 'closed' },
      prereq,
      [{ serviceId: 's2', status: 'active', startDate: '2026-01-01' }],
    );
    expect(reasons).toEqual([
      "Seules les structures adhérentes peuvent souscrire un service : « Mairie de Test » est au statut « Retrait demandé ». L'adhésion doit d'abord être effective.",
      'Le service « Parapheur électronique » est fermé aux nouvelles souscriptions.',
      "Le service « Parapheur électronique » n'est pas proposé aux structures de type « SPL / SEM » (réservé aux types : Commune).",
      'Votre structure a déjà une souscription au service « Parapheur électronique » (statut : Active).',
      "Le service « Parapheur électronique » nécessite une souscription au service « Télétransmission des actes » : demandez-la d'abord.",
    ]);
    expect(requestRefusals(member, { ...actes, status: 'retired' }, [], [])[0]).toContain(
      'retiré du catalogue',
    );
  });

  it('starts a service only once its prerequisites have started', () => {
    const held = [{ serviceId: 's1', status: 'active' as const, startDate: '2026-03-01' }];
    expect(startRefusals(member, parapheur, prereq, held, '2026-03-01')).toEqual([]);
    expect(startRefusals(member, parapheur, prereq, held, '2026-02-28')[0]).toContain(
      'ne démarre que le 01/03/2026',
    );
    expect(
      startRefusals(
        member,
        parapheur,
        prereq,
        [{ serviceId: 's1', status: 'requested', startDate: null }],
        '2026-03-01',
      ),
    ).toHaveLength(1);
    expect(
      bulkRefusals(
        member,
        parapheur,
        prereq,
        [...held, { serviceId: 's2', status: 'requested', startDate: null }],
        '2026-03-01',
      ),
    ).toEqual(['Déjà souscrit (statut : Demandée).']);
  });

  it('terminates a prerequisite only after the services that need it', () => {
    expect(terminationRefusals(actes, [{ name: 'Parapheur électronique', status: 'active' }])).toHaveLength(
      1,
    );
    expect(
      terminationRefusals(actes, [{ name: 'Parapheur électronique', status: 'termination_requested' }]),
    ).toEqual([]);
  });
});

const OPERATOR = 'op-0000';
const OWN = 'member-a';
const OTHER = 'member-b';

function actor(kind: 'operator' | 'member', role: Role, scopes: OperatorScope[] = []): Actor {
  return policyActor(kind, role, scopes, { operatorId: OPERATOR, memberId: OWN });
}

const ACTORS: (Actor | null)[] = [
  null,
  actor('operator', 'admin'),
  actor('operator', 'agent', ['finance']),
  actor('operator', 'agent', ['dpo']),
  actor('member', 'admin'),
  actor('member', 'agent'),
  actor('member', 'reader'),
];
const Y = true;
const N = false;
/** Columns: anonymous, operator admin, finance agent, dpo agent, member admin, member agent, reader. */
const TABLE: Record<SubscriptionAction, { own: boolean[]; other: boolean[] }> = {
  'subscriptions:read': { own: [N, Y, Y, Y, Y, Y, Y], other: [N, Y, Y, Y, N, N, N] },
  'subscriptions:request': { own: [N, Y, Y, N, Y, N, N], other: [N, Y, Y, N, N, N, N] },
  'subscriptions:decide': { own: [N, Y, Y, N, N, N, N], other: [N, Y, Y, N, N, N, N] },
  'subscriptions:readAll': { own: [N, Y, Y, Y, N, N, N], other: [N, Y, Y, Y, N, N, N] },
  'subscriptions:bulk': { own: [N, Y, Y, N, N, N, N], other: [N, Y, Y, N, N, N, N] },
};

describe('subscription and catalogue policies', () => {
  it.each(SUBSCRIPTION_ACTIONS)('%s', (action) => {
    expect(ACTORS.map((a) => subscriptionPolicy(a, action, OWN))).toEqual(TABLE[action].own);
    expect(ACTORS.map((a) => subscriptionPolicy(a, action, OTHER))).toEqual(TABLE[action].other);
  });

  it('keeps catalogue editing to operator admins; every operator user reads the history', () => {
    expect(ACTORS.map((a) => cataloguePolicy(a, 'catalogue:edit'))).toEqual([N, Y, N, N, N, N, N]);
    expect(ACTORS.map((a) => cataloguePolicy(a, 'catalogue:history'))).toEqual([N, Y, Y, Y, N, N, N]);
  });
});
