import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheFor, TtlCache } from './cache.js';

describe('TtlCache', () => {
  afterEach(() => vi.useRealTimers());

  it('computes a value once while it is fresh, then again once it expired', async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<number>(1000);
    let calls = 0;
    const load = async () => ++calls;
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    vi.advanceTimersByTime(1001);
    expect(await cache.get('k', load)).toBe(2);
  });

  it('forgets everything on clear, so a writer sees its own change at once', async () => {
    const cache = new TtlCache<number>(60_000);
    let calls = 0;
    await cache.get('k', async () => ++calls);
    cache.clear();
    expect(await cache.get('k', async () => ++calls)).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(60_000);
    await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('is disabled with a zero lifetime', async () => {
    const cache = new TtlCache<number>(0);
    let calls = 0;
    await cache.get('k', async () => ++calls);
    expect(await cache.get('k', async () => ++calls)).toBe(2);
  });

  it('keeps one cache per owner and name', () => {
    const a = {};
    const b = {};
    expect(cacheFor(a, 'x', 1000)).toBe(cacheFor(a, 'x', 1000));
    expect(cacheFor(a, 'x', 1000)).not.toBe(cacheFor(b, 'x', 1000));
    expect(cacheFor(a, 'x', 1000)).not.toBe(cacheFor(a, 'y', 1000));
  });
});
