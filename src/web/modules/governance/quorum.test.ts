import { describe, expect, it } from 'vitest';
import { quorumRule, quorumText } from './quorum.js';

const NBSP = '\u00a0';

describe('the quorum announced on the session page', () => {
  it('says it is reached with the figures', () => {
    expect(quorumText({ inOffice: 55, required: 28, present: 28, reached: true })).toBe(
      `Quorum atteint : 28${NBSP}présents sur 28 requis`,
    );
  });

  it('says how many are still missing when it is not', () => {
    expect(quorumText({ inOffice: 55, required: 28, present: 12, reached: false })).toBe(
      `Quorum non atteint : 12${NBSP}présents sur 28 requis (encore 16)`,
    );
    expect(quorumText({ inOffice: 3, required: 2, present: 1, reached: false })).toBe(
      `Quorum non atteint : 1${NBSP}présent sur 2 requis (encore 1)`,
    );
    expect(quorumText({ inOffice: 3, required: 2, present: 0, reached: false })).toBe(
      `Quorum non atteint : 0${NBSP}présent sur 2 requis (encore 2)`,
    );
  });

  it('tells a second convocation needs no quorum', () => {
    expect(quorumText({ inOffice: 55, required: 0, present: 9, reached: true })).toBe(
      `Pas de quorum requis (seconde convocation) : 9${NBSP}présents`,
    );
  });

  it('states the rule in words, with thousands grouped', () => {
    expect(quorumRule({ inOffice: 1000, required: 501 })).toBe(
      `1${'\u202f'}000${NBSP}membres en exercice ; quorum : 501${NBSP}présents (la moitié plus un, procurations non comptées)`,
    );
  });
});
