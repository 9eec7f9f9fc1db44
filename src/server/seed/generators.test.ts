import { describe, expect, it } from 'vitest';
import { defined } from '../../contracts/defined.js';
import { isValidSiren } from '../../contracts/identifiers.js';
import { MEMBERSHIP_STATUSES, MEMBERSHIP_TRANSITIONS } from '../../contracts/members.js';
import {
  HISTORY_END,
  membershipHistory,
  numberCommitteeDecisions,
  ofPlace,
  SirenFactory,
  slug,
} from './generators.js';
import { renderPdf } from './pdf.js';
import { Random } from './random.js';

describe('seed generators', () => {
  it('draw the same sequence from the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 5 }, () => a.uuid())).toEqual(Array.from({ length: 5 }, () => b.uuid()));
    expect(new Random(43).uuid()).not.toBe(new Random(42).uuid());
  });

  it.each(MEMBERSHIP_STATUSES)('build a legal, dated history ending in %s', (status) => {
    const rng = new Random(7);
    for (let i = 0; i < 200; i++) {
      const steps = membershipHistory(rng, status);
      expect(steps[0]).toMatchObject({ from: null, to: 'prospect' });
      expect(steps.at(-1)?.to).toBe(status);
      for (let j = 1; j < steps.length; j++) {
        const step = steps[j];
        expect(step.from).toBe(steps[j - 1].to);
        expect(MEMBERSHIP_TRANSITIONS.some((t) => t.from === step.from && t.to === step.to)).toBe(true);
        expect(step.on >= steps[j - 1].on).toBe(true);
      }
      for (const step of steps) {
        expect(step.on >= '2014-01-01' && step.on <= HISTORY_END).toBe(true);
        const needsDocument = step.to === 'requested' || step.to === 'withdrawal_requested';
        expect(step.deliberation !== null).toBe(needsDocument);
        expect(step.committeeDecision).toBe(step.to === 'accepted' || step.to === 'withdrawn');
      }
    }
  });

  it('number committee decisions in date order within each year', () => {
    const decisions: { on: string; reference?: string | null }[] = [
      { on: '2023-06-15' },
      { on: '2023-02-10' },
      { on: '2024-02-09' },
    ];
    numberCommitteeDecisions(decisions);
    expect(decisions.map((d) => d.reference)).toEqual(['CS-2023-002', 'CS-2023-001', 'CS-2024-001']);
  });

  it('make valid SIRENs that avoid the taken ones', () => {
    const first = new SirenFactory(new Set()).next('26');
    const factory = new SirenFactory(new Set([first]));
    const made = Array.from({ length: 50 }, () => factory.next('26'));
    expect(made.every(isValidSiren)).toBe(true);
    expect(new Set(made).size).toBe(50);
    expect(made).not.toContain(first);
  });

  it('slug names for demo e-mail domains', () => {
    expect(slug("Les Sables-d'Olonne")).toBe('lessablesdolonne');
    expect(slug('CC Vendée, Sèvre, Autise', '-')).toBe('cc-vendee-sevre-autise');
  });

  it('contract "de" before place names as French does', () => {
    expect(ofPlace("Les Sables-d'Olonne")).toBe("des Sables-d'Olonne");
    expect(ofPlace('Le Mans')).toBe('du Mans');
    expect(ofPlace('Angers')).toBe("d'Angers");
    expect(ofPlace('Évron')).toBe("d'Évron");
    expect(ofPlace('La Roche-sur-Yon')).toBe('de La Roche-sur-Yon');
  });

  it('render a PDF whose cross-reference table points at its objects', () => {
    const pdf = renderPdf('Délibération (test)', [{ text: 'Séance du 12/03/2019 — adhésion', bold: true }]);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const xrefAt = Number(defined(/startxref\n(\d+)/.exec(text), 'the startxref line')[1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(7);
    offsets.forEach((offset, i) => {
      expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(text).toContain('S\xe9ance du 12/03/2019 - adh\xe9sion');
  });
});
