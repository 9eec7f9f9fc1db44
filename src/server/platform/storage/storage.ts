import fs from 'node:fs/promises';
import path from 'node:path';
import { now } from '../clock.js';

/** A stored object as listed: its key and when it was last written. */
export interface StoredObject {
  key: string;
  modifiedAt: Date;
}

/** Object storage for documents. Local disk by default; an S3-compatible store fits the same interface. */
export interface ObjectStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  /**
   * Every object, temporary files of interrupted writes included (keys ending in `.tmp`): the
   * start-up sweep (storage/sweep.ts) reads it.
   */
  list(): Promise<StoredObject[]>;
}

const SAFE_KEY = /^[a-zA-Z0-9][a-zA-Z0-9/_.-]*$/;

function checkKey(key: string) {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`invalid storage key: ${key}`);
}

export class LocalDiskStorage implements ObjectStorage {
  constructor(private readonly root: string) {}
  async put(key: string, data: Buffer) {
    checkKey(key);
    const file = path.join(this.root, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  }
  async get(key: string) {
    checkKey(key);
    return fs.readFile(path.join(this.root, key));
  }
  async delete(key: string) {
    checkKey(key);
    await fs.rm(path.join(this.root, key), { force: true });
  }
  async list() {
    const out: StoredObject[] = [];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const key = path.relative(this.root, file).split(path.sep).join('/');
      if (!SAFE_KEY.test(key) || key.includes('..')) continue;
      const stat = await fs.stat(file).catch(() => null);
      if (stat) out.push({ key, modifiedAt: stat.mtime });
    }
    return out;
  }
}

export class MemoryStorage implements ObjectStorage {
  readonly objects = new Map<string, Buffer>();
  /** When each object was written (the clock's time, so a test can age them). */
  readonly modified = new Map<string, Date>();
  async put(key: string, data: Buffer) {
    checkKey(key);
    this.objects.set(key, Buffer.from(data));
    this.modified.set(key, now());
  }
  async get(key: string) {
    const data = this.objects.get(key);
    if (!data) throw new Error(`no object at ${key}`);
    return data;
  }
  async delete(key: string) {
    this.objects.delete(key);
    this.modified.delete(key);
  }
  async list() {
    return [...this.objects.keys()].map((key) => ({ key, modifiedAt: this.modified.get(key) ?? now() }));
  }
}

/** An object to write: its key and its bytes. */
export interface ObjectToStore {
  key: string;
  data: Buffer;
}

/**
 * Writes the objects, then runs `record`, which inserts the rows that point at them in the caller's
 * transaction. When `record` throws (a refusal, a unique violation…) the objects are removed before the
 * error goes on, so a refused upload leaves nothing behind. When the caller's transaction rolls back
 * later, the objects are left to the start-up sweep (storage/sweep.ts), which removes what no row of
 * the owner's table points to. Every module that stores files goes through here.
 */
export async function storeThenRecord<T>(
  storage: ObjectStorage,
  objects: ObjectToStore | readonly ObjectToStore[],
  record: () => Promise<T>,
): Promise<T> {
  const list = Array.isArray(objects) ? objects : [objects as ObjectToStore];
  const written: string[] = [];
  try {
    for (const object of list) {
      await storage.put(object.key, object.data);
      written.push(object.key);
    }
    return await record();
  } catch (error) {
    for (const key of written) await storage.delete(key).catch(() => {});
    throw error;
  }
}
