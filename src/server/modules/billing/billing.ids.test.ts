import { describe, expect, it } from 'vitest';
import { thousands } from './billing.format.js';
import { orderedIds } from './billing.ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('orderedIds', () => {
  it('gives version 7 UUIDs, strictly increasing within a call and from one call to the next', () => {
    const ids = [...orderedIds(3), ...orderedIds(0), ...orderedIds(1_000), ...orderedIds(2)];
    expect(ids).toHaveLength(1_005);
    for (const id of ids) expect(id).toMatch(V7);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1], `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    const [id] = orderedIds(1);
    const ms = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a count it cannot number', () => {
    expect(() => orderedIds(-1)).toThrow(RangeError);
    expect(() => orderedIds(2 ** 31)).toThrow(RangeError);
  });
});

describe('thousands', () => {
  it('groups digits by three with a plain space, as the regular expression it replaces did', () => {
    const reference = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    const samples = [0, 7, 999, 1_000, 12_345, 123_456, 1_234_567, 2_133_111, -5, -123, -1_234, 1_234.5];
    for (let n = 0; n < 2_000_000; n += 997) samples.push(n);
    for (const n of samples) expect(thousands(n), String(n)).toBe(reference(n));
    expect(thousands(1_234_567)).toBe('1 234 567');
  });
});
