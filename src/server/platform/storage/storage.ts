import fs from 'node:fs/promises';
import path from 'node:path';

/** Object storage for documents. Local disk by default; an S3-compatible store fits the same interface. */
export interface ObjectStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
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
}

export class MemoryStorage implements ObjectStorage {
  readonly objects = new Map<string, Buffer>();
  async put(key: string, data: Buffer) {
    checkKey(key);
    this.objects.set(key, Buffer.from(data));
  }
  async get(key: string) {
    const data = this.objects.get(key);
    if (!data) throw new Error(`no object at ${key}`);
    return data;
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
}
