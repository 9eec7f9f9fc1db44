import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ActEnvelope, ConnectorRefused, ConnectorUnavailable, type EnvelopeFile } from './connector.js';
import { createS2lowClient, S2lowAuthenticationError, type S2lowClient } from './s2low.client.js';
import { FAKE_CLASSIFICATION_DATE, FAKE_MATIERES } from './s2low.fake-classification.js';
import { type FakeS2low, startFakeS2low } from './s2low.fake-server.js';
import { S2LOW_PATHS } from './s2low.protocol.js';

/** The fake's own clock: tests move time instead of sleeping. */
let clock = Date.parse('2026-12-04T10:00:00Z');
const advance = (ms: number) => {
  clock += ms;
};

const pdf = (text = 'acte'): Buffer =>
  Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`, 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><DocumentBudgetaire/>', 'latin1');
const docx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0]);
const file = (filename: string, content: Buffer, mediaType = 'application/pdf'): EnvelopeFile => ({
  filename,
  mediaType,
  content,
});

let sequence = 0;
function envelope(overrides: Partial<ActEnvelope> = {}): ActEnvelope {
  sequence += 1;
  return {
    siren: '218501914',
    departement: '85',
    nature: 'DE',
    classification: '7.1',
    classificationDate: FAKE_CLASSIFICATION_DATE,
    number: `T${String(sequence).padStart(4, '0')}`,
    decidedOn: '2026-12-04',
    subject: 'Budget primitif 2027 du budget principal',
    main: file('délibération budget.pdf', pdf()),
    annexes: [file('annexe 1.pdf', pdf('annexe')), file('plan.png', png, 'image/png')],
    ...overrides,
  };
}

const ACK = 1000;
let fake: FakeS2low;
let client: S2lowClient;

beforeAll(async () => {
  fake = await startFakeS2low({ ackDelayMs: ACK, now: () => clock });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setAckDelay(ACK);
  client = createS2lowClient({ baseUrl: fake.url, timeoutMs: 2000, now: () => clock });
});
afterEach(async () => {
  await fake.outage(false);
});

async function refusal(promise: Promise<unknown>): Promise<ConnectorRefused> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorRefused);
  return error as ConnectorRefused;
}

describe('S²LOW client against the fake S²LOW', () => {
  it('checks each envelope against a classification kept per SIREN (one fetch per collectivité a minute)', async () => {
    const before = fake.hits(S2LOW_PATHS.classification);
    const other = { siren: '200071546', departement: '85' };
    // Envelopes of two collectivités interleaved, as the platform's single client sends them.
    await Promise.all(
      [envelope(), envelope(other), envelope(), envelope(other)].map((e) => client.create(e)),
    );
    await client.create(envelope(other));
    expect(fake.hits(S2LOW_PATHS.classification) - before).toBe(2);
    advance(60_001);
    await client.create(envelope());
    expect(fake.hits(S2LOW_PATHS.classification) - before).toBe(3);
  });

  it('transmits an act up to its acknowledgement with the official identifier', async () => {
    const env = envelope({ number: 'DEL2026_042' });
    const { transactionId } = await client.create(env);
    expect(transactionId).toMatch(/^\d+$/);

    expect(await client.status(transactionId)).toEqual({ state: 'posted', code: 1 });
    advance(ACK / 4);
    expect((await client.status(transactionId)).state).toBe('waiting');
    advance(ACK / 4);
    expect(await client.status(transactionId)).toEqual({ state: 'transmitted', code: 3 });
    advance(ACK / 2);
    const acknowledged = await client.status(transactionId);
    expect(acknowledged.state).toBe('acknowledged');
    expect(acknowledged.code).toBe(4);
    expect(acknowledged.prefectureId).toBe('085-218501914-20261204-DEL2026_042-DE');
    expect(acknowledged.acknowledgedAt?.toISOString()).toBe('2026-12-03T23:00:00.000Z'); // midnight in Paris

    const stored = fake.transaction(transactionId);
    expect(stored?.classification).toBe('7.1');
    expect(stored?.files.map((f) => [f.postedFilename, f.mimetype, f.typology])).toEqual([
      ['deliberation budget.pdf', 'application/pdf', '99_DE'],
      ['annexe 1.pdf', 'application/pdf', '99_DE'],
      ['plan.png', 'image/png', '99_DE'],
    ]);
  });

  it('progresses with real time too (no timer in the fake)', async () => {
    const realFake = await startFakeS2low({ ackDelayMs: 60, now: Date.now });
    try {
      const realClient = createS2lowClient({ baseUrl: realFake.url, timeoutMs: 2000 });
      await realClient.fetchClassification('218501914');
      const started = Date.now();
      const { transactionId } = await realClient.create(envelope({ decidedOn: '2020-01-15' }));
      let status = await realClient.status(transactionId);
      while (status.state !== 'acknowledged' && Date.now() - started < 2000) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = await realClient.status(transactionId);
      }
      expect(status.state).toBe('acknowledged');
      expect(Date.now() - started).toBeGreaterThanOrEqual(60);
      expect(status.prefectureId).toMatch(/^085-218501914-20200115-T\d{4}-DE$/);
    } finally {
      await realFake.close();
    }
  });

  it('works over an injected fetch too (timeouts and outages included)', async () => {
    const viaFetch = createS2lowClient({ baseUrl: `${fake.url}/`, fetch: globalThis.fetch, timeoutMs: 2000 });
    const { transactionId } = await viaFetch.create(envelope({ number: 'FETCH_1' }));
    advance(ACK);
    expect((await viaFetch.status(transactionId)).prefectureId).toBe('085-218501914-20261204-FETCH_1-DE');
    await fake.outage(true);
    await expect(viaFetch.status(transactionId)).rejects.toThrow(/S²LOW est injoignable \(HTTP 503\)/);
    await fake.outage(false);
    expect(() =>
      createS2lowClient({ baseUrl: fake.url, fetch: globalThis.fetch, pfx: Buffer.from('x') }),
    ).toThrow(/certificat client/);
  });

  it('sends the subject in ISO-8859-1, typographic characters made readable', async () => {
    const { transactionId } = await client.create(
      envelope({ subject: 'Délibération relative à l’œuvre « Été » – 2 000 €' }),
    );
    expect(fake.transaction(transactionId)?.subject).toBe(
      "Délibération relative à l'oeuvre « Été » - 2 000 EUR",
    );
  });

  it('fetches the classification: matières, sub-levels, date and typologies', async () => {
    const classification = await client.fetchClassification('218501914');
    expect(classification.date).toBe(FAKE_CLASSIFICATION_DATE);
    expect(classification.entries.filter((e) => e.level === 1).map((e) => e.code)).toEqual(
      FAKE_MATIERES.map((m) => String(m.code)),
    );
    expect(classification.entries).toContainEqual({ code: '1', label: 'Commande publique', level: 1 });
    expect(classification.entries).toContainEqual({ code: '7.1', label: 'Décisions budgétaires', level: 2 });
    expect(classification.entries).toContainEqual({ code: '7.10', label: 'Divers', level: 2 });
    expect(classification.entries).toContainEqual({
      code: '7.1.2',
      label: 'Décision modificative',
      level: 3,
    });
    expect(classification.entries).toContainEqual({ code: '9.4', label: 'Voeux et motions', level: 2 });
    expect(classification.typologies).toContainEqual({ nature: 'DE', code: '99_DE', label: 'Délibération' });
    expect(classification.typologies).toContainEqual({
      nature: 'CC',
      code: '99_DC',
      label: 'Contrat, convention ou avenant',
    });
  });

  describe('refusals, each with its message', () => {
    const cases: [string, () => Partial<ActEnvelope>, RegExp][] = [
      [
        'a malformed number',
        () => ({ number: '_DEL1' }),
        /S²LOW a refusé l'envoi : Le numéro n'est pas correct/,
      ],
      [
        'a decision date in the future',
        () => ({ decidedOn: '2026-12-05' }),
        /La date de décision est une date dans le futur/,
      ],
      ['an unknown nature (locally)', () => ({ nature: 'XX' as 'DE' }), /Nature d'acte inconnue : « XX »/],
      [
        'a main document that is not a PDF',
        () => ({ main: file('acte.pdf', png, 'application/pdf') }),
        /Le fichier de l'acte " acte.pdf " est de type " image\/png ". Fichier PDF ou XML requis\./,
      ],
      [
        'an XML main document outside budget documents',
        () => ({ main: file('budget.xml', xml, 'application/xml') }),
        /Seuls les documents budgétaires et financiers peuvent être au format XML/,
      ],
      [
        'an XML budget document not classified 7.1',
        () => ({ nature: 'BF', classification: '7.2', main: file('budget.xml', xml, 'application/xml') }),
        /Seule la classification 7\.1 est autorisée pour la transmission au format XML/,
      ],
      [
        'an annex of a refused type',
        () => ({ annexes: [file('rapport.docx', docx, 'application/octet-stream')] }),
        /Le fichier attaché " rapport.docx " est de type " application\/octet-stream ". Fichier PDF, XML, PNG ou JPEG requis\./,
      ],
      ['an empty subject', () => ({ subject: '   ' }), /Objet de l'acte : champ obligatoire/],
      [
        'a subject over 499 characters',
        () => ({ subject: 'é'.repeat(500) }),
        /Objet de l'acte : 499 caractères maximum/,
      ],
      [
        'a bad typology',
        () => ({ main: { ...file('acte.pdf', pdf()), typology: '99' } }),
        /Le code de la PJ doit faire 5 caractères/,
      ],
    ];
    for (const [what, overrides, message] of cases) {
      it(`refuses ${what}`, async () => {
        const before = fake.transmissions().length;
        const error = await refusal(client.create(envelope(overrides())));
        expect(error.message).toMatch(message);
        expect(fake.transmissions()).toHaveLength(before);
      });
    }

    it('accepts JPEG, PNG, PDF annexes and an XML budget document classified 7.1', async () => {
      const { transactionId } = await client.create(
        envelope({
          nature: 'BF',
          classification: '7.1',
          main: file('budget.xml', xml, 'application/xml'),
          annexes: [file('annexe.pdf', pdf())],
        }),
      );
      expect(fake.transaction(transactionId)?.files.map((f) => f.mimetype)).toEqual([
        'text/xml',
        'application/pdf',
      ]);
      const second = await client.create(envelope({ annexes: [file('photo.jpg', jpeg, 'image/jpeg')] }));
      expect(fake.transaction(second.transactionId)?.files[1]?.mimetype).toBe('image/jpeg');
    });

    it('refuses an unknown or outdated classification before sending anything', async () => {
      const creates = fake.hits(S2LOW_PATHS.create);
      expect((await refusal(client.create(envelope({ classification: '7.99' })))).message).toBe(
        `La classification 7.99 n'existe pas dans la classification de la préfecture (version du ${FAKE_CLASSIFICATION_DATE}).`,
      );
      expect((await refusal(client.create(envelope({ classificationDate: '2024-01-01' })))).message).toMatch(
        /La classification utilisée \(version du 2024-01-01\) n'est plus à jour : la préfecture a publié celle du 2025-09-15/,
      );
      expect(fake.hits(S2LOW_PATHS.create)).toBe(creates);
    });

    it("relays S²LOW's own refusals of the classification when the local check is off", async () => {
      const unchecked = createS2lowClient({ baseUrl: fake.url, checkClassification: false });
      expect((await refusal(unchecked.create(envelope({ classification: '7' })))).message).toMatch(
        /Les deux premiers niveaux de classification sont obligatoires\./,
      );
      expect((await refusal(unchecked.create(envelope({ classification: '7.99' })))).message).toMatch(
        /La classification 7\.99 n'existe pas dans la classification de la collectivité/,
      );
    });

    it('refuses an envelope over the size limit and too many files', async () => {
      const small = await startFakeS2low({ maxEnvelopeBytes: 5000, maxFiles: 3, now: () => clock });
      try {
        const smallClient = createS2lowClient({ baseUrl: small.url });
        expect(
          (await refusal(smallClient.create(envelope({ main: file('gros.pdf', pdf('x'.repeat(6000))) }))))
            .message,
        ).toMatch(/La taille totale des fichiers est trop importante \(max : 5000 octets\)/);
        const annexes = [1, 2, 3].map((i) => file(`a${i}.pdf`, pdf()));
        expect((await refusal(smallClient.create(envelope({ annexes })))).message).toMatch(
          /Le nombre d'annexes est trop important \(max : 3\)/,
        );
        expect(small.transmissions()).toHaveLength(0);
      } finally {
        await small.close();
      }
    });

    it('refuses a number another act of the collectivité already uses', async () => {
      await client.create(envelope({ number: 'ARR2026_7', subject: 'Arrêté de voirie' }));
      const error = await refusal(
        client.create(envelope({ number: 'ARR2026_7', subject: 'Tout autre chose' })),
      );
      expect(error.message).toMatch(
        /Le numéro ARR2026_7 est déjà utilisé sur S²LOW par un autre acte \(transaction \d+, « Arrêté de voirie »\)/,
      );
      // Another collectivité may use the same number.
      const other = await client.create(
        envelope({ number: 'ARR2026_7', siren: '200071546', departement: '85' }),
      );
      expect(other.transactionId).toMatch(/^\d+$/);
    });
  });

  describe('outages', () => {
    it('turns a 503, a refused connection and a silent server into ConnectorUnavailable, then recovers', async () => {
      const quick = createS2lowClient({ baseUrl: fake.url, timeoutMs: 300 });
      await fake.outage(true);
      await expect(client.create(envelope())).rejects.toThrow(ConnectorUnavailable);
      await expect(client.status('1000')).rejects.toThrow(/S²LOW est injoignable \(HTTP 503\)/);

      await fake.outage(true, 'refused');
      await expect(client.status('1000')).rejects.toThrow(/S²LOW est injoignable \(ECONN(REFUSED|RESET)\)/);
      await expect(client.status('1000')).rejects.toThrow(/S²LOW est injoignable \(ECONNREFUSED\)/);

      await fake.outage(false);
      await fake.outage(true, 'hang');
      await expect(quick.fetchClassification('218501914')).rejects.toThrow(/pas de réponse en 0 s/);

      await fake.outage(false);
      const { transactionId } = await quick.create(envelope());
      expect((await quick.status(transactionId)).state).toBe('posted');
    });

    it('reports an authentication failure as a connector problem, not the act’s', async () => {
      const guarded = await startFakeS2low({
        requireAccount: true,
        authorities: [{ siren: '218501914', departement: '85', login: 'lrsy', password: 'secret' }],
        now: () => clock,
      });
      try {
        const wrong = createS2lowClient({ baseUrl: guarded.url, login: 'lrsy', password: 'nope' });
        const error = await wrong.create(envelope()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(S2lowAuthenticationError);
        expect(error).toBeInstanceOf(ConnectorUnavailable);
        expect((error as Error).message).toMatch(/Échec de l'authentification/);

        // The account decides the collectivité: hints are not needed (and not trusted).
        const right = createS2lowClient({
          baseUrl: guarded.url,
          login: 'lrsy',
          password: 'secret',
          authorityHints: false,
        });
        const { transactionId } = await right.create(envelope({ number: 'DEL2026_900' }));
        advance(ACK * 4);
        expect((await right.status(transactionId)).prefectureId).toBe(
          '085-218501914-20261204-DEL2026_900-DE',
        );
      } finally {
        await guarded.close();
      }
    });
  });

  describe('a process killed between create and status', () => {
    it('answers the same transaction on retry; the fake holds one transaction', async () => {
      const env = envelope({ number: 'DEL2026_777' });
      fake.dropNextResponse(S2LOW_PATHS.create);
      // The answer lost with its connection: the client sends again at once and recognises its act.
      const first = await client.create(env);
      const held = fake.transmissions().filter((t) => t.number === 'DEL2026_777');
      expect(held).toHaveLength(1);
      expect(first.transactionId).toBe(String(held[0]?.id));

      const retried = await client.create(env);
      expect(retried.transactionId).toBe(String(held[0]?.id));
      advance(ACK / 2);
      const again = await client.create(env);
      expect(again.transactionId).toBe(String(held[0]?.id));
      advance(ACK);
      expect((await client.status(again.transactionId)).prefectureId).toBe(
        '085-218501914-20261204-DEL2026_777-DE',
      );
      expect(fake.transmissions().filter((t) => t.number === 'DEL2026_777')).toHaveLength(1);
    });

    it('sends an envelope again once when the kept-alive connection was reset, and gets the same transaction', async () => {
      let resets = 0;
      const resetting = createS2lowClient({
        baseUrl: fake.url,
        timeoutMs: 2000,
        now: () => clock,
        // The envelope reaches S²LOW, then the connection drops before its answer.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (String(input).includes(S2LOW_PATHS.create) && resets++ === 0) {
            throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          }
          return response;
        },
      });
      const env = envelope({ number: 'DEL2026_RST' });
      const { transactionId } = await resetting.create(env);
      const held = fake.transmissions().filter((t) => t.number === 'DEL2026_RST');
      expect(held.map((t) => String(t.id))).toEqual([transactionId]);
      expect(resets).toBe(2);
      // Other writes are not sent twice: a reset cancellation is reported, not repeated.
      resets = 0;
      const cancels = fake.hits(S2LOW_PATHS.cancel);
      const cancelling = createS2lowClient({
        baseUrl: fake.url,
        timeoutMs: 2000,
        now: () => clock,
        fetch: async (input, init) => {
          if (String(input).includes(S2LOW_PATHS.cancel)) {
            await fetch(input, init);
            throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          }
          return fetch(input, init);
        },
      });
      advance(ACK);
      await expect(cancelling.cancel(transactionId)).rejects.toThrow(ConnectorUnavailable);
      expect(fake.hits(S2LOW_PATHS.cancel) - cancels).toBe(1);
    });

    it('sends it again on a new connection when every kept-alive one was reset, not on another of them', async () => {
      // A proxy in front of the fake: once armed, the connections it already holds are reset by their
      // next request (as a server's idle timeout closes them all at once); new ones pass.
      const held = new Set<net.Socket>();
      let armed = false;
      const target = new URL(fake.url);
      const proxy = net.createServer((socket) => {
        const stale = armed;
        held.add(socket);
        socket.on('close', () => held.delete(socket));
        socket.on('error', () => {});
        const upstream = net.connect(Number(target.port), target.hostname);
        upstream.on('error', () => socket.destroy());
        socket.on('data', (chunk) => {
          if (armed && !stale) socket.resetAndDestroy();
          else upstream.write(chunk);
        });
        upstream.on('data', (chunk) => socket.write(chunk));
        socket.on('close', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const proxied = createS2lowClient({
        baseUrl: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
        timeoutMs: 2000,
        now: () => clock,
      });
      try {
        // Three envelopes at once: three kept-alive connections in the client's pool.
        const first = await Promise.all([1, 2, 3].map(() => proxied.create(envelope())));
        expect(held.size).toBeGreaterThanOrEqual(2);
        armed = true;
        const env = envelope({ number: 'DEL2026_POOL' });
        const { transactionId } = await proxied.create(env);
        expect(
          fake
            .transmissions()
            .filter((t) => t.number === 'DEL2026_POOL')
            .map((t) => String(t.id)),
        ).toEqual([transactionId]);
        // A reading too.
        expect((await proxied.status(first[0].transactionId)).code).toBeGreaterThan(0);
      } finally {
        proxied.close();
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => proxy.close(resolve));
      }
    });

    it('finds the transaction among many (list_actes pages)', async () => {
      const env = envelope({ number: 'DEL2026_PAGED' });
      const { transactionId } = await client.create(env);
      for (let i = 0; i < 105; i++) await client.create(envelope({ subject: `Acte ${i}` }));
      expect((await client.findTransmission('DEL2026_PAGED', env.siren))?.id).toBe(transactionId);
      expect((await client.create(env)).transactionId).toBe(transactionId);
    });

    it('does not resurrect a transmission the prefecture put in error', async () => {
      const env = envelope({ number: 'DEL2026_ERR' });
      const { transactionId } = await client.create(env);
      advance(ACK / 2);
      fake.reject(transactionId, 'Le document principal est illisible');
      const status = await client.status(transactionId);
      expect(status).toMatchObject({ state: 'error', code: -1 });
      expect(status.message).toBe(
        'Anomalie signalee par le MIAT : Erreur de contenu - Le document principal est illisible',
      );
      advance(ACK * 2);
      expect((await client.status(transactionId)).state).toBe('error');

      const error = await refusal(client.create(env));
      expect(error.message).toMatch(
        new RegExp(
          `Cet acte a déjà été transmis à S²LOW \\(transaction ${transactionId}\\), qui l'a mis en erreur : Anomalie signalee`,
        ),
      );
      expect(error.message).toMatch(/ajoutez un suffixe au numéro/);
    });
  });

  describe('cancellation', () => {
    it('cancels an acknowledged act; the act is cancelled once the prefecture acknowledges it', async () => {
      const { transactionId } = await client.create(envelope());
      const early = await refusal(client.cancel(transactionId));
      expect(early.message).toMatch(
        /Impossible d'annuler une transaction qui n'est pas en état « Acquittement reçu »/,
      );

      advance(ACK);
      await client.cancel(transactionId);
      await client.cancel(transactionId); // a retry while the cancellation is under way is not an error
      expect(
        fake.transactions().filter((t) => t.type === 6 && t.relatedId === Number(transactionId)),
      ).toHaveLength(1);
      expect((await client.status(transactionId)).state).toBe('acknowledged');
      advance(ACK);
      expect(await client.status(transactionId)).toEqual({ state: 'cancelled', code: 0 });
      // The cancellation is listed among the act's related transactions (type 6): not a message.
      expect(await client.messages(transactionId)).toEqual([]);
      expect((await refusal(client.cancel(transactionId))).message).toMatch(
        /n'est pas en état « Acquittement reçu »/,
      );
    });

    it('refuses to cancel an unknown transaction', async () => {
      expect((await refusal(client.cancel('999999'))).message).toMatch(
        /Erreur d'initialisation de la transaction/,
      );
      expect((await refusal(client.status('999999'))).message).toMatch(/Numéro de transaction invalide/);
    });
  });

  describe('messages from the prefecture', () => {
    it('lists the messages with their documents and dates, and sends the answer to a demande de pièces', async () => {
      const { transactionId } = await client.create(envelope());
      expect(() => fake.sendMessage(transactionId, { kind: 'courrier_simple' })).toThrow(/acquitté/);
      advance(ACK);
      expect(await client.messages(transactionId)).toEqual([]);

      const letter = pdf('demande de pièces');
      const demandeId = fake.sendMessage(transactionId, {
        kind: 'demande_pieces',
        description: 'Merci de transmettre le rapport de présentation.',
        documents: [file('demande-pieces.pdf', letter)],
        sentOn: '2026-12-10',
      });
      advance(1000);
      const courrierId = fake.sendMessage(transactionId, {
        kind: 'courrier_simple',
        documents: [file('courrier.pdf', pdf('courrier'))],
        sentOn: '2026-12-11',
      });
      const observationsId = fake.sendMessage(transactionId, {
        kind: 'lettre_observations',
        documents: [],
        sentOn: '2026-12-12',
      });
      const defereId = fake.sendMessage(transactionId, {
        kind: 'defere',
        documents: [file('requete.pdf', pdf('TA'))],
        sentOn: '2026-12-13',
      });

      const messages = await client.messages(transactionId);
      expect(messages.map((m) => [m.id, m.kind, m.receivedAt.toISOString()])).toEqual([
        [String(demandeId), 'demande_pieces', '2026-12-09T23:00:00.000Z'],
        [String(courrierId), 'courrier_simple', '2026-12-10T23:00:00.000Z'],
        [String(observationsId), 'lettre_observations', '2026-12-11T23:00:00.000Z'],
        [String(defereId), 'defere', '2026-12-12T23:00:00.000Z'],
      ]);
      expect(messages[0]?.description).toBe('Merci de transmettre le rapport de présentation.');
      expect(messages[0]?.documents).toEqual([
        { filename: 'demande-pieces.pdf', mediaType: 'application/pdf', content: letter },
      ]);
      expect(messages[2]?.documents).toEqual([]);

      await client.answer(transactionId, String(demandeId), [
        file('réponse.pdf', pdf('réponse')),
        file('rapport.pdf', pdf('rapport')),
        file('plan.png', png, 'image/png'),
      ]);
      const answers = fake.answers(demandeId);
      expect(answers).toHaveLength(1);
      expect(answers[0]?.answerType).toBe(4);
      expect(answers[0]?.files.map((f) => [f.postedFilename, f.mimetype])).toEqual([
        ['reponse.pdf', 'application/pdf'],
        ['rapport.pdf', 'application/pdf'],
        ['plan.png', 'image/png'],
      ]);
      // S²LOW then lists the answer in the message's place (getCourrierInfo): it is not a new message, and
      // the answered demande is no longer listed as received.
      expect((await client.messages(transactionId)).map((m) => [m.id, m.kind])).toEqual([
        [String(courrierId), 'courrier_simple'],
        [String(observationsId), 'lettre_observations'],
        [String(defereId), 'defere'],
      ]);

      expect(
        (await refusal(client.answer(transactionId, String(defereId), [file('r.pdf', pdf())]))).message,
      ).toMatch(/Mauvais type de transaction/);
      expect(
        (await refusal(client.answer(transactionId, String(demandeId), [file('r.docx', docx)]))).message,
      ).toMatch(/Le fichier de réponse " r.docx " est de type " application\/octet-stream "/);
      expect((await refusal(client.answer(transactionId, '424242', [file('r.pdf', pdf())]))).message).toMatch(
        /Transaction de référence introuvable/,
      );
    });
  });
});
