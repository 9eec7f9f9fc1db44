import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart, tinyPdf } from '../../test/bodies.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { useClock } from '../clock.js';
import { LocalDiskStorage } from './storage.js';
import { storedFileOwners, sweepStorage } from './sweep.js';

let t: TestApp;
let opAdmin: Session;
let memberId: string;

beforeAll(async () => {
  t = await createTestApp();
  const operator = await buildOperator(t.database.db);
  memberId = (await buildOrganisation(t.database.db)).id;
  opAdmin = await sessionAs(t, operator, 'admin');
});
afterAll(() => t?.close());

const upload = async () => {
  const { payload, headers } = multipart(
    { kind: 'deliberation', title: 'Délibération' },
    {
      name: 'deliberation.pdf',
      data: tinyPdf(),
    },
  );
  const response = await request(
    t.app,
    opAdmin,
    'POST',
    `/api/v1/members/${memberId}/documents`,
    payload,
    headers,
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
};

describe('start-up storage sweep', () => {
  it('knows the members documents as an owner of stored files', () => {
    expect(storedFileOwners().map((o) => o.name)).toContain('members.documents');
  });

  it('removes old temporary files and old files no row points to; keeps the rest', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const restore = useClock(twoHoursAgo);
    let kept: { id: string };
    try {
      kept = await upload();
      await t.storage.put(`members/${memberId}/orphelin.pdf`, tinyPdf());
      await t.storage.put(`members/${memberId}/interrompu.pdf.123.tmp`, Buffer.from('%PDF-'));
      // Under no registered owner's prefix: nobody can tell it is an orphan, it stays.
      await t.storage.put('autre-module/fichier.pdf', tinyPdf());
    } finally {
      restore();
    }
    // An upload in progress: its file is written, its row not yet committed.
    await t.storage.put(`members/${memberId}/en-cours.pdf`, tinyPdf());
    await t.storage.put(`members/${memberId}/en-cours.pdf.456.tmp`, Buffer.from('%PDF-'));

    const report = await sweepStorage(t.database.db, t.storage);
    expect(report).toEqual({ temporary: 1, orphans: 1 });
    const keys = [...t.storage.objects.keys()].sort();
    expect(keys).toEqual(
      [
        'autre-module/fichier.pdf',
        `members/${memberId}/${kept.id}.pdf`,
        `members/${memberId}/en-cours.pdf`,
        `members/${memberId}/en-cours.pdf.456.tmp`,
      ].sort(),
    );
    // The document still downloads.
    const download = await request(t.app, opAdmin, 'GET', `/api/v1/members/${memberId}/documents/${kept.id}`);
    expect(download.statusCode, download.body).toBe(200);
    // A second sweep has nothing left to do.
    expect(await sweepStorage(t.database.db, t.storage)).toEqual({ temporary: 0, orphans: 0 });
  });

  it('lists the files of the local disk storage with their age, temporary files included', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'socle-sweep-'));
    try {
      const storage = new LocalDiskStorage(root);
      await storage.put(`members/${memberId}/orphelin.pdf`, tinyPdf());
      await fs.writeFile(path.join(root, 'members', memberId, 'orphelin.pdf.99.tmp'), 'x');
      await fs.writeFile(path.join(root, 'members', memberId, 'recent.pdf.98.tmp'), 'x');
      const old = new Date(Date.now() - 3 * 3600_000);
      for (const name of ['orphelin.pdf', 'orphelin.pdf.99.tmp']) {
        await fs.utimes(path.join(root, 'members', memberId, name), old, old);
      }
      const listed = await storage.list();
      expect(listed.map((o) => o.key).sort()).toEqual(
        [
          `members/${memberId}/orphelin.pdf`,
          `members/${memberId}/orphelin.pdf.99.tmp`,
          `members/${memberId}/recent.pdf.98.tmp`,
        ].sort(),
      );
      expect(await sweepStorage(t.database.db, storage)).toEqual({ temporary: 1, orphans: 1 });
      expect((await storage.list()).map((o) => o.key)).toEqual([`members/${memberId}/recent.pdf.98.tmp`]);
      // A storage folder not created yet lists nothing.
      expect(await new LocalDiskStorage(path.join(root, 'absent')).list()).toEqual([]);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
