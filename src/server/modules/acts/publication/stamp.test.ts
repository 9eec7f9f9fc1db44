import { createHash } from 'node:crypto';
import { decodePDFRawStream, degrees, PDFArray, PDFDocument, PDFRawStream, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../platform/errors.js';
import { newPdfDocument } from '../../../platform/export/pdf.js';
import { renderPdf } from '../../../seed/pdf.js';
import { readPdf } from './pdf-reader.test-support.js';
import { mentionLines, stampPublicationMention } from './stamp.js';

const deliberation = () =>
  renderPdf('Délibération DEL2026_042', [
    { text: 'Conseil municipal de La Roche-sur-Yon', bold: true, size: 14 },
    { text: 'Délibération n° DEL2026_042 : tarifs de la restauration scolaire', gapBefore: 10 },
    { text: 'Le conseil municipal, après en avoir délibéré, adopte les tarifs ci-annexés.' },
  ]);

const mention = {
  // 14:32 in Paris (UTC+1 in December).
  publishedAt: new Date('2026-12-04T13:32:00Z'),
  acknowledgedAt: new Date('2026-12-03T09:10:00Z'),
  prefectureId: '085-218501914-20261204-DEL2026_042-DE',
  memberName: 'Commune de La Roche-sur-Yon',
  actNumber: 'DEL2026_042',
};

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function refusal(pdf: Buffer): Promise<DomainError> {
  try {
    await stampPublicationMention(pdf, mention);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the PDF was accepted');
}

async function pdfkitDocument(options: PDFKit.PDFDocumentOptions, text: string): Promise<Buffer> {
  const doc = await newPdfDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

describe('stampPublicationMention', () => {
  it('writes the publication date (Paris time), the prefecture identifier and the member on page 1', async () => {
    const original = deliberation();
    const stamped = await stampPublicationMention(original, mention);
    const { text, pages, info } = await readPdf(stamped.pdf);

    expect(pages).toHaveLength(1);
    expect(text).toContain('Publié le 04/12/2026 à 14:32');
    expect(text).toContain('Reçu en préfecture le 03/12/2026');
    expect(text).toContain('Identifiant préfecture :');
    expect(text).toContain('085-218501914-20261204-DEL2026_042-DE');
    expect(text).toContain('Commune de La Roche-sur-Yon');
    // The act itself is still there, word for word.
    expect(text).toContain('Délibération n° DEL2026_042 : tarifs de la restauration scolaire');
    expect(text).toContain('adopte les tarifs ci-annexés.');

    expect(info.Producer).toBe('Socle');
    expect(info.Title).toBe('DEL2026_042 — Commune de La Roche-sur-Yon');
    expect(String(info.Subject)).toContain('Publié le 04/12/2026 à 14:32');
    expect(info.Keywords).toBe('085-218501914-20261204-DEL2026_042-DE');
  });

  it('answers the SHA-256 of the stamped file, the same for the same input', async () => {
    const original = deliberation();
    const stamped = await stampPublicationMention(original, mention);
    expect(stamped.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stamped.sha256).toBe(sha256(stamped.pdf));
    expect(stamped.sha256).not.toBe(sha256(original));
    const again = await stampPublicationMention(original, mention);
    expect(again.sha256).toBe(stamped.sha256);
    const later = await stampPublicationMention(original, {
      ...mention,
      publishedAt: new Date('2026-12-04T13:33:00Z'),
    });
    expect(later.sha256).not.toBe(stamped.sha256);
  });

  it('keeps the original page content stream and stamps the first page only', async () => {
    const source = await PDFDocument.create();
    const font = await source.embedFont(StandardFonts.Helvetica);
    for (const n of [1, 2, 3])
      source.addPage([595, 842]).drawText(`Page ${n} de l'arrêté`, { x: 60, y: 700, font });
    const original = Buffer.from(await source.save());
    const stamped = await stampPublicationMention(original, { ...mention, acknowledgedAt: null });

    const { pages } = await readPdf(stamped.pdf);
    expect(stamped.pageCount).toBe(3);
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('Publié le 04/12/2026 à 14:32');
    expect(pages[0]).not.toContain('Reçu en préfecture');
    for (const [i, page] of pages.entries()) expect(page).toContain(`Page ${i + 1} de l'arrêté`);
    expect(pages[1]).not.toContain('Publié le');

    // The first page's original content stream is still drawn, byte for byte: the mention is a
    // stream appended after it.
    const streamsOf = async (bytes: Uint8Array) => {
      const doc = await PDFDocument.load(bytes);
      const contents = doc.getPages()[0].node.Contents();
      const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
      return refs.map((ref) => {
        const stream = doc.context.lookup(ref);
        return stream instanceof PDFRawStream
          ? Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
          : '';
      });
    };
    const [originalStream] = await streamsOf(original);
    const stampedStreams = await streamsOf(stamped.pdf);
    expect(originalStream).toContain('Tj');
    expect(stampedStreams).toContain(originalStream);
    expect(stampedStreams.length).toBeGreaterThan(1);
  });

  it('stamps without an identifier when the act was not transmitted, in summer time', async () => {
    const stamped = await stampPublicationMention(deliberation(), {
      publishedAt: new Date('2026-07-01T22:05:00Z'),
      prefectureId: null,
      memberName: 'Syndicat mixte e-Collectivités Vendée',
    });
    const { text, info } = await readPdf(stamped.pdf);
    // 22:05 UTC on 1 July is 00:05 on 2 July in Paris.
    expect(text).toContain('Publié le 02/07/2026 à 00:05');
    expect(text).not.toContain('Identifiant préfecture');
    expect(text).toContain('Syndicat mixte e-Collectivités Vendée');
    expect(info.Keywords).toBeUndefined();
  });

  it('stamps a rotated page where the reader sees its top, with text a machine still reads', async () => {
    const source = await PDFDocument.create();
    const page = source.addPage([842, 595]);
    page.setRotation(degrees(90));
    const stamped = await stampPublicationMention(Buffer.from(await source.save()), mention);
    const { text } = await readPdf(stamped.pdf);
    expect(text).toContain('085-218501914-20261204-DEL2026_042-DE');
  });

  it('draws names the standard font cannot encode without failing', async () => {
    const lines = mentionLines({ ...mention, memberName: 'Commune de Saint-Ŵenceslas 🏛' });
    expect(lines.at(-1)).toBe('Commune de Saint-Ŵenceslas 🏛');
    const stamped = await stampPublicationMention(deliberation(), {
      ...mention,
      memberName: 'Commune de Saint-Ŵenceslas 🏛',
    });
    expect((await readPdf(stamped.pdf)).text).toContain('Commune de Saint-Wenceslas ?');
  });

  it('reports an embedded electronic signature, which the stamped copy cannot keep valid', async () => {
    const original = deliberation();
    expect((await stampPublicationMention(original, mention)).hadSignature).toBe(false);
    // A signature dictionary's byte range, as a PAdES signature writes it.
    const signed = Buffer.from(
      original.toString('latin1').replace('/Producer (Socle)', '/Producer (Socle) /ByteRange [0 10 20 30]'),
      'latin1',
    );
    expect((await stampPublicationMention(signed, mention)).hadSignature).toBe(true);
  });

  it('refuses what is not a PDF', async () => {
    const error = await refusal(Buffer.from('Ceci est un fichier texte.'));
    expect(error.kind).toBe('invalid');
    expect(error.errors).toEqual([{ path: 'file', message: "Le fichier n'est pas un PDF." }]);
  });

  it('refuses a damaged PDF', async () => {
    const truncated = deliberation().subarray(0, 120);
    const error = await refusal(truncated);
    expect(error.errors?.[0].path).toBe('file');
    expect(error.errors?.[0].message).toMatch(/illisible ou endommagé|aucune page/);
  });

  it('refuses an encrypted PDF', async () => {
    const encrypted = await pdfkitDocument({ userPassword: 'secret', ownerPassword: 'owner' }, 'Arrêté');
    const error = await refusal(encrypted);
    expect(error.errors).toEqual([
      {
        path: 'file',
        message: 'Le PDF est chiffré ou protégé par un mot de passe : publiez une version sans protection.',
      },
    ]);
  });

  it('stamps a PDF written by pdfkit (the project’s own generated documents)', async () => {
    const generated = await pdfkitDocument({ size: 'A4' }, 'Liste des délibérations');
    const stamped = await stampPublicationMention(generated, mention);
    const { text } = await readPdf(stamped.pdf);
    expect(text).toContain('Liste des délibérations');
    expect(text).toContain('Publié le 04/12/2026 à 14:32');
  });
});
