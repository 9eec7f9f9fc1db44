import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_MATIERES, FAKE_NATURES } from './s2low.fake-classification.js';
import { type FakeS2low, fakeS2lowFromEnv, sniffMediaType, startFakeS2low } from './s2low.fake-server.js';
import {
  arActeXml,
  classificationXml,
  decodeAnswer,
  encodeLatin1,
  parseArActe,
  parseClassificationXml,
  parseOkKo,
  S2LOW_PATHS,
  transactionState,
} from './s2low.protocol.js';

describe('S²LOW wire helpers', () => {
  it('reads OK/KO answers in all their forms', () => {
    expect(parseOkKo('OK\n1234\n')).toEqual({ ok: true, lines: ['1234', ''] });
    expect(parseOkKo('OK\r\n4\r\n<xml/>')).toEqual({ ok: true, lines: ['4', '<xml/>'] });
    expect(parseOkKo('KO\nL&#039;acte n&#39;est pas &quot;valide&quot; &amp; c&apos;est tout\n')).toEqual({
      ok: false,
      message: "L'acte n'est pas \"valide\" & c'est tout",
    });
    expect(parseOkKo('OK : id généré : 57\n')).toEqual({ ok: true, lines: ['57', ''] });
    expect(parseOkKo('KO : Accès refusé')).toEqual({ ok: false, message: 'Accès refusé' });
    expect(parseOkKo('<html><body>Connexion</body></html>')).toBeNull();
    expect(parseOkKo('')).toBeNull();
  });

  it('encodes ISO-8859-1 as S²LOW reads it, and decodes either encoding', () => {
    expect([...encodeLatin1('é à ç «»')]).toEqual([0xe9, 0x20, 0xe0, 0x20, 0xe7, 0x20, 0xab, 0xbb]);
    expect(encodeLatin1('l’œuvre – 10 € 😀').toString('latin1')).toBe("l'oeuvre - 10 EUR ?");
    expect(decodeAnswer(Buffer.from([0x4b, 0x4f, 0x0a, 0xc9, 0x63, 0x68, 0x65, 0x63]))).toBe('KO\nÉchec');
    expect(decodeAnswer(Buffer.from('KO\nÉchec', 'utf8'))).toBe('KO\nÉchec');
  });

  it('maps every numeric status to a state', () => {
    expect([-1, 0, 1, 2, 3, 4, 5, 6, 7, 17, 18, 21].map(transactionState)).toEqual([
      'error',
      'cancelled',
      'posted',
      'waiting',
      'transmitted',
      'acknowledged',
      'other',
      'error',
      'other',
      'waiting',
      'waiting',
      'other',
    ]);
  });

  it('writes and reads the classification file', () => {
    const file = parseClassificationXml(
      encodeLatin1(classificationXml('2025-09-15', FAKE_NATURES, FAKE_MATIERES)).toString('latin1'),
    );
    expect(file.date).toBe('2025-09-15');
    expect(file.entries.filter((e) => e.level === 1)).toHaveLength(9);
    expect(file.entries.find((e) => e.code === '1.1.2')).toEqual({
      code: '1.1.2',
      label: "Marchés sur appel d'offres",
      level: 3,
    });
    // After a third level, the next second level starts again from its matière.
    expect(file.entries.find((e) => e.code === '1.2')?.label).toBe('Délégation de service public');
    expect(file.typologies?.filter((t) => t.nature === 'BF').map((t) => t.code)).toEqual(['99_BU', '99_AU']);
    expect(() => parseClassificationXml('<actes:RetourClassification/>')).toThrow(
      /DateClassification absente/,
    );
  });

  it('writes and reads the acknowledgement', () => {
    const xml = arActeXml({
      identifier: '085-218501914-20261204-DEL2026_042-DE',
      receivedOn: '2026-12-05',
      decidedOn: '2026-12-04',
      number: 'DEL2026_042',
      natureCode: 1,
      classification: '7.1',
      subject: 'Budget & « comptes »',
      classificationDate: '2025-09-15',
    });
    expect(xml).toContain('<actes:CodeMatiere2 actes:CodeMatiere="1"/>');
    expect(parseArActe(xml)).toEqual({
      identifier: '085-218501914-20261204-DEL2026_042-DE',
      receivedOn: '2026-12-05',
    });
    expect(parseArActe('<actes:ARActe actes:IDActe="x"/>')).toBeNull();
  });

  it('recognises documents by their first bytes, not their name', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from('\uFEFF<?xml version="1.0"?><a/>', 'utf8'))).toBe('text/xml');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('%PDF'))).toBe('text/plain');
    expect(sniffMediaType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBe('application/octet-stream');
  });
});

describe('the fake S²LOW on the wire (without the Socle client)', () => {
  let fake: FakeS2low;
  beforeAll(async () => {
    fake = await startFakeS2low({
      ackDelayMs: 0,
      authorities: [{ siren: '218501914', departement: '85', login: 'lrsy', password: 'secret' }],
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  const auth = { authorization: `Basic ${Buffer.from('lrsy:secret').toString('base64')}` };

  function form(fields: Record<string, string>, withPdf = true): FormData {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    if (withPdf) data.append('acte_pdf_file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'acte.pdf');
    return data;
  }
  const valid = {
    api: '1',
    nature_code: '2',
    classif1: '6',
    classif2: '1',
    number: 'ARR_2026_1',
    decision_date: '2026-01-15',
    subject: 'Arrete de circulation',
    type_acte: '99_AR',
  };

  it('answers a post like Pastell sends it, in ISO-8859-1', async () => {
    const created = await fetch(fake.url + S2LOW_PATHS.create, {
      method: 'POST',
      headers: auth,
      body: form(valid),
    });
    expect(created.headers.get('content-type')).toBe('text/plain; charset=ISO-8859-1');
    const body = await created.text();
    expect(body).toMatch(/^OK\n\d+\n$/);
    const id = body.split('\n')[1] ?? '';

    const duplicate = Buffer.from(
      await (
        await fetch(fake.url + S2LOW_PATHS.create, { method: 'POST', headers: auth, body: form(valid) })
      ).arrayBuffer(),
    );
    expect(duplicate.includes(0xea)).toBe(true); // « même » in ISO-8859-1
    expect(duplicate.toString('latin1')).toBe(
      'KO\nUn acte portant le même numéro interne existe déjà dans la base de données.\nIl faut peut-être ajouter un suffixe au numéro.\n',
    );

    const status = await (
      await fetch(`${fake.url + S2LOW_PATHS.status}?transaction=${id}`, { headers: auth })
    ).text();
    expect(status.split('\n').slice(0, 2)).toEqual(['OK', '4']);
    expect(parseArActe(status)?.identifier).toBe(
      `085-218501914-${'2026-01-15'.replaceAll('-', '')}-ARR_2026_1-AR`,
    );

    const listed = await (
      await fetch(`${fake.url + S2LOW_PATHS.listActes}?status_id=4`, { headers: auth })
    ).json();
    expect(listed.transactions).toEqual([
      expect.objectContaining({
        id: Number(id),
        number: 'ARR_2026_1',
        date: '2026-01-15',
        type: '1',
        classification: '6.1',
      }),
    ]);
  });

  it('refuses with S²LOW’s messages', async () => {
    const post = async (
      fields: Record<string, string>,
      withPdf = true,
      headers: Record<string, string> = auth,
    ) =>
      Buffer.from(
        await (
          await fetch(fake.url + S2LOW_PATHS.create, { method: 'POST', headers, body: form(fields, withPdf) })
        ).arrayBuffer(),
      ).toString('latin1');
    expect(await post({ ...valid, number: 'A2', nature_code: '9' })).toBe(
      "KO\nErreur lors de l'enregistrement de la transaction :\nNature de l'acte : valeur incorrecte\n",
    );
    expect(await post({ ...valid, number: 'A3' }, false)).toBe("KO\nAucun fichier acte n'a été posté \n");
    expect(await post({ ...valid, number: 'A4', type_acte: '' })).toBe(
      'KO\nErreur lors de la réception du fichier acte.pdf : typologie absente\n',
    );
    expect(await post({ ...valid, number: 'A5', decision_date: '2026-13-45' })).toMatch(
      /Date de la décision : date incorrecte/,
    );
    expect(await post({ ...valid, number: 'A6' }, true, { authorization: 'Basic bHJzeTpub3Bl' })).toBe(
      "KO\nÉchec de l'authentification\n",
    );
    const unknown = Buffer.from(
      await (
        await fetch(`${fake.url + S2LOW_PATHS.status}?transaction=4242`, { headers: auth })
      ).arrayBuffer(),
    ).toString('latin1');
    expect(unknown).toBe('KO\nNuméro de transaction invalide.');
    const cancel = await fetch(fake.url + S2LOW_PATHS.cancel, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'api=1&id=',
    });
    expect(Buffer.from(await cancel.arrayBuffer()).toString('latin1')).toBe(
      "KO\nPas d'identifiant de transaction à annuler spécifié.\n",
    );
    expect((await fetch(`${fake.url}/modules/actes/nope.php`)).status).toBe(404);
  });

  it('lists unread prefecture messages and answers in the answer script’s own format', async () => {
    const created = await (
      await fetch(fake.url + S2LOW_PATHS.create, {
        method: 'POST',
        headers: auth,
        body: form({ ...valid, number: 'ARR_2026_2' }),
      })
    ).text();
    const id = created.split('\n')[1] ?? '';
    const messageId = fake.sendMessage(id, { kind: 'demande_pieces', documents: [] });
    const unread = await (
      await fetch(fake.url + S2LOW_PATHS.listDocumentPrefecture, { headers: auth })
    ).json();
    expect(unread).toEqual([
      expect.objectContaining({
        id: String(messageId),
        type: '3',
        related_transaction_id: id,
        last_status_id: '7',
      }),
    ]);
    await fetch(`${fake.url + S2LOW_PATHS.markDocumentRead}?transaction_id=${messageId}`, { headers: auth });
    expect(
      await (await fetch(fake.url + S2LOW_PATHS.listDocumentPrefecture, { headers: auth })).json(),
    ).toEqual([]);

    const answered = await fetch(`${fake.url + S2LOW_PATHS.answer}?api=1`, {
      method: 'POST',
      headers: auth,
      body: form({ id: String(messageId), type_envoie: '4', type_acte: '99_AU' }),
    });
    const text = Buffer.from(await answered.arrayBuffer()).toString('latin1');
    expect(text).toMatch(/^OK : id généré : \d+\n$/);
    expect(parseOkKo(text)).toEqual({ ok: true, lines: [String(fake.answers(messageId)[0]?.id), ''] });
  });

  it('starts from the environment for the demo, only when asked', async () => {
    expect(await fakeS2lowFromEnv({})).toBeNull();
    const demo = await fakeS2lowFromEnv({ S2LOW_FAKE: '1', S2LOW_FAKE_ACK_DELAY_MS: '10' });
    try {
      expect(demo?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const xml = await (await fetch(`${demo?.url}${S2LOW_PATHS.classification}?api=1`)).text();
      expect(xml).toContain('<actes:RetourClassification');
    } finally {
      await demo?.close();
    }
  });
});
