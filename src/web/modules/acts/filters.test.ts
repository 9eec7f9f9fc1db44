import { describe, expect, it } from 'vitest';
import { hasFilters, toApiSearch } from './filters.js';

describe('the acts filters of the address', () => {
  it('become the API query, with the status only for the register', () => {
    const search = {
      q: ' zéphyrine ',
      statut: 'error',
      nature: 'DE',
      matiere: '7.1',
      du: '2026-01-01',
      au: '2026-12-31',
    };
    expect(toApiSearch(search, true)).toEqual({
      q: 'zéphyrine',
      status: 'error',
      nature: 'DE',
      classification: '7.1',
      from: '2026-01-01',
      to: '2026-12-31',
    });
    expect(toApiSearch(search, false)).not.toHaveProperty('status');
  });

  it('drops the values the API would refuse (a shared link edited by hand)', () => {
    expect(
      toApiSearch({ statut: 'lost', nature: 'XX', matiere: '12', du: '31/12/2026', q: '   ' }, true),
    ).toEqual({});
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ nature: 'DE' })).toBe(true);
  });
});
