import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../../../contracts/members.js';
import { checkTransition, nextStatuses } from './membership.lifecycle.js';

const FULL = {
  documentId: '00000000-0000-4000-8000-000000000001',
  decisionReference: 'CS-2026-12',
  note: 'motif',
};

/** The whole table: every (from, to) pair not listed here must be refused. */
const LEGAL: Record<string, { byMember: boolean; requires: (keyof typeof FULL)[] }> = {
  'prospect>requested': { byMember: true, requires: ['documentId'] },
  'requested>accepted': { byMember: false, requires: ['decisionReference'] },
  'requested>prospect': { byMember: false, requires: ['note'] },
  'accepted>member': { byMember: false, requires: [] },
  'member>withdrawal_requested': { byMember: true, requires: ['documentId'] },
  'withdrawal_requested>withdrawn': { byMember: false, requires: ['decisionReference'] },
  'withdrawn>requested': { byMember: true, requires: ['documentId'] },
};

const pairs = MEMBERSHIP_STATUSES.flatMap((from) => MEMBERSHIP_STATUSES.map((to) => [from, to] as const));

describe('membership lifecycle transitions', () => {
  it('covers all 36 pairs of statuses', () => {
    expect(pairs).toHaveLength(36);
  });

  it.each(pairs)('%s → %s follows the transition table', (from, to) => {
    const legal = LEGAL[`${from}>${to}`];
    const result = checkTransition(from, to, FULL);
    if (legal) {
      expect(result).toEqual({ ok: true, byMember: legal.byMember });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe('illegal');
      expect(result.message).toMatch(/^Impossible de passer de « .+ » à « .+ » : /);
    }
  });

  it.each(Object.entries(LEGAL).filter(([, v]) => v.requires.length > 0))(
    '%s is refused without what it requires, naming the field',
    (pair, { requires }) => {
      const [from, to] = pair.split('>') as [MembershipStatus, MembershipStatus];
      const input = { ...FULL };
      for (const field of requires) delete input[field];
      const result = checkTransition(from, to, input);
      expect(result.ok).toBe(false);
      if (result.ok || result.reason !== 'missing') throw new Error('expected a missing-field refusal');
      expect(result.errors.map((e) => e.path)).toEqual(requires.map((f) => `body.${f}`));
      expect(result.message).toContain('Pour passer de');
    },
  );

  it('explains in French why a prospect cannot become a member directly', () => {
    const result = checkTransition('prospect', 'member', FULL);
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        "Impossible de passer de « Prospect » à « Adhérent » : la structure doit d'abord demander son adhésion",
      ),
    });
    if (!result.ok) expect(result.message).toContain("« Demande d'adhésion »");
  });

  it('refuses a step to the current status', () => {
    const result = checkTransition('member', 'member', FULL);
    expect(!result.ok && result.message).toContain('déjà au statut « Adhérent »');
  });

  it('lists the next possible steps of each status', () => {
    expect(nextStatuses('requested').sort()).toEqual(['accepted', 'prospect']);
    expect(nextStatuses('withdrawn')).toEqual(['requested']);
  });
});
