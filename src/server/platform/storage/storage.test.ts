import { describe, expect, it } from 'vitest';
import { MemoryStorage, storeThenRecord } from './storage.js';

describe('storeThenRecord', () => {
  const objects = [
    { key: 'docs/a', data: Buffer.from('a') },
    { key: 'docs/b', data: Buffer.from('b') },
  ];

  it('keeps the objects when the rows are recorded, and gives back what the record returned', async () => {
    const storage = new MemoryStorage();
    const seen: number[] = [];
    const result = await storeThenRecord(storage, objects, async () => {
      seen.push(storage.objects.size);
      return 'recorded';
    });
    expect(result).toBe('recorded');
    expect(seen).toEqual([2]);
    expect([...storage.objects.keys()].sort()).toEqual(['docs/a', 'docs/b']);
  });

  it('removes every object it wrote when the record fails, and passes the error on', async () => {
    const storage = new MemoryStorage();
    await storage.put('docs/other', Buffer.from('kept'));
    await expect(
      storeThenRecord(storage, objects, async () => {
        throw new Error('unique violation');
      }),
    ).rejects.toThrow('unique violation');
    expect([...storage.objects.keys()]).toEqual(['docs/other']);
  });

  it('removes the objects already written when a later write fails', async () => {
    const storage = new MemoryStorage();
    let record = false;
    await expect(
      storeThenRecord(storage, [objects[0], { key: '../escape', data: Buffer.from('x') }], async () => {
        record = true;
      }),
    ).rejects.toThrow('invalid storage key');
    expect(record).toBe(false);
    expect(storage.objects.size).toBe(0);
  });
});
