import { describe, expect, it } from 'vitest';
import { type TemplateFields, templateFieldsSchema } from '../../../../contracts/rgpd.js';
import { today } from '../../../platform/clock.js';
import { fullProcessing } from '../rgpd.test-support.js';
import {
  applyReviewRule,
  completionOf,
  diffSnapshots,
  dpiaErrors,
  isDpiaRequired,
  legalBasisErrors,
  memberCompletion,
  type ProcessingSnapshot,
  templateDifferences,
} from './rgpd.processings.rules.js';

const snapshot = (overrides: Partial<ProcessingSnapshot> = {}): ProcessingSnapshot => ({
  ...templateFieldsSchema.parse(fullProcessing()),
  status: 'draft',
  lastReviewOn: null,
  nextReviewOn: null,
  dpiaStatus: 'not_started',
  dpiaNotRequiredReason: null,
  isPublic: false,
  processorIds: [],
  ...overrides,
});

describe('DPIA rule (EDPB: two criteria or more)', () => {
  it.each([
    [[], false],
    [['large_scale'], false],
    [['large_scale', 'large_scale'], false],
    [['large_scale', 'vulnerable_subjects'], true],
    [['large_scale', 'vulnerable_subjects', 'sensitive_data'], true],
  ])('%j → required %s', (criteria, expected) => {
    expect(isDpiaRequired(criteria)).toBe(expected);
  });

  it('needs a reason when declared not required', () => {
    expect(dpiaErrors({ dpiaStatus: 'not_required', dpiaNotRequiredReason: ' ' })).toHaveLength(1);
    expect(dpiaErrors({ dpiaStatus: 'not_required', dpiaNotRequiredReason: 'Liste fermée CNIL' })).toEqual(
      [],
    );
    expect(dpiaErrors({ dpiaStatus: 'done', dpiaNotRequiredReason: null })).toEqual([]);
  });
});

describe('completion', () => {
  it('is 100 for a complete processing', () => {
    expect(completionOf(snapshot())).toEqual({ percent: 100, missing: [] });
  });

  it('counts conditional checks only when they apply', () => {
    const sensitive = completionOf(snapshot({ sensitiveData: true }));
    expect(sensitive.missing).toEqual(['Exception (art. 9.2)']);
    expect(sensitive.percent).toBe(91);
    const transfer = completionOf(snapshot({ transfers: [{ country: 'Maroc', safeguard: '' }] }));
    expect(transfer.missing).toEqual(['Transferts hors UE']);
    const dpia = completionOf(snapshot({ dpiaCriteria: ['large_scale', 'sensitive_data'] }));
    expect(dpia.missing).toEqual(['Statut de l’AIPD']);
    expect(
      completionOf(snapshot({ dpiaCriteria: ['large_scale', 'sensitive_data'], dpiaStatus: 'in_progress' }))
        .percent,
    ).toBe(100);
  });

  it('is low for a bare name and rounds down', () => {
    const bare = completionOf(snapshot({ ...templateFieldsSchema.parse({ name: 'Seul un nom' }) }));
    expect(bare.percent).toBe(9);
    expect(bare.missing).toHaveLength(10);
  });

  it('averages per member, 0 for an empty registry', () => {
    expect(memberCompletion([])).toBe(0);
    expect(memberCompletion([100, 50, 0])).toBe(50);
  });
});

describe('legal basis', () => {
  it('refuses legitimate interest to public authorities, allows it to SPL', () => {
    expect(legalBasisErrors('legitimate_interest', ['commune'])).toHaveLength(1);
    expect(legalBasisErrors('legitimate_interest', [])).toHaveLength(1);
    expect(legalBasisErrors('legitimate_interest', ['spl', 'ccas'])).toHaveLength(1);
    expect(legalBasisErrors('legitimate_interest', ['spl'])).toEqual([]);
    expect(legalBasisErrors('public_task', ['commune'])).toEqual([]);
  });
});

describe('review dates', () => {
  it('sets last review today and next a year later on validation, unless given', () => {
    const next = applyReviewRule(
      snapshot(),
      snapshot({ status: 'validated' }),
      { lastReviewOn: false, nextReviewOn: false },
      '2024-02-29',
    );
    expect([next.lastReviewOn, next.nextReviewOn]).toEqual(['2024-02-29', '2025-02-28']);
    const given = applyReviewRule(
      null,
      snapshot({ status: 'validated', nextReviewOn: '2026-06-01' }),
      { lastReviewOn: false, nextReviewOn: true },
      '2025-01-10',
    );
    expect([given.lastReviewOn, given.nextReviewOn]).toEqual(['2025-01-10', '2026-06-01']);
    const already = snapshot({ status: 'validated', lastReviewOn: '2020-01-01' });
    expect(
      applyReviewRule(already, already, { lastReviewOn: false, nextReviewOn: false }, '2025-01-10')
        .lastReviewOn,
    ).toBe('2020-01-01');
  });

  it('reads today in Europe/Paris (late evening UTC is already tomorrow)', () => {
    expect(today(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(today(new Date('2025-07-14T21:59:00Z'))).toBe('2025-07-14');
    expect(today(new Date('2025-07-14T22:00:00Z'))).toBe('2025-07-15');
  });
});

describe('diff and template merge', () => {
  it('diffs regardless of key order', () => {
    const a = snapshot();
    const b = snapshot({
      securityMeasures: { ...a.securityMeasures },
      name: 'Autre',
    });
    expect(diffSnapshots(a, b)).toEqual([{ field: 'name', before: a.name, after: 'Autre' }]);
    expect(diffSnapshots(null, { name: 'x' }, ['name', 'purposes'])).toEqual([
      { field: 'name', before: null, after: 'x' },
    ]);
  });

  const fields = (overrides: Partial<TemplateFields> = {}): TemplateFields => ({
    ...templateFieldsSchema.parse(fullProcessing()),
    ...overrides,
  });

  it('proposes only what the template changed and the processing does not already hold', () => {
    const base = fields();
    const proposed = fields({
      purposes: 'Nouvelles finalités',
      software: 'Nouveau logiciel',
      department: 'Population',
    });
    const current = fields({
      software: 'Logiciel local',
      dataCategories: ['Identité'],
      department: 'Population',
    });
    expect(templateDifferences(base, proposed, current)).toEqual([
      { field: 'purposes', current: base.purposes, proposed: 'Nouvelles finalités', base: base.purposes },
      { field: 'software', current: 'Logiciel local', proposed: 'Nouveau logiciel', base: base.software },
    ]);
  });

  it('proposes every differing field when the base version is unknown', () => {
    const proposed = fields({ purposes: 'P' });
    const current = fields({ software: 'S' });
    expect(templateDifferences(null, proposed, current).map((d) => d.field)).toEqual([
      'purposes',
      'software',
    ]);
  });
});
