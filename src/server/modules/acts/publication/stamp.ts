import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { invalidField } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/storage/files.js';
import { parisNumericDate, parisTime } from './dates.js';
import { fallbackOf } from './text.js';

/**
 * The publication mention stamped on an act published electronically (CGCT L2131-1, since
 * 1 July 2022). As the tiers de télétransmission do with their « tampon », a framed box is drawn in the
 * top-right corner of the first page (the page a reader opens and prints first), reading e.g.:
 *
 *   Publié le 04/12/2026 à 14:32
 *   Reçu en préfecture le 04/12/2026
 *   Identifiant préfecture :
 *   085-218501914-20261204-DEL2026_042-DE
 *   Commune de La Roche-sur-Yon
 *
 * Dates and times are in Europe/Paris. The box is drawn over the page (a new content stream appended
 * to the page); the act's own content streams, fonts and images are kept as they are.
 *
 * The file is rewritten as a whole (pdf-lib cannot append an incremental update): an electronic
 * signature embedded in the signed PDF (PAdES) no longer verifies on the stamped copy. The service
 * therefore keeps the signed original unchanged beside the stamped publication copy;
 * `hadSignature` tells it the original carried one.
 */
export interface PublicationMention {
  /** Recorded by the server when the act is published. */
  publishedAt: Date;
  /** The official identifier `DDD-SIREN-YYYYMMDD-NUMBER-NATURE`, when the act was transmitted. */
  prefectureId: string | null;
  /** When the prefecture acknowledged receipt, when it did. */
  acknowledgedAt?: Date | null;
  /** The member that published the act (« Commune de La Roche-sur-Yon »). */
  memberName: string;
  /** The document's title in its metadata; by default « <number> — <memberName> » or the member's name. */
  title?: string;
  /** The act's internal number, used in the default title. */
  actNumber?: string;
}

export interface StampedPdf {
  pdf: Buffer;
  /** SHA-256 of the stamped file, hex. */
  sha256: string;
  pageCount: number;
  /** The original carried an electronic signature (a `/ByteRange`), which the stamped copy no longer verifies. */
  hadSignature: boolean;
}

const FONT_SIZE = 8;
const LINE_HEIGHT = 10;
const PADDING = 5;
/** Distance from the page's edges. */
const MARGIN = 12;
const MAX_BOX_WIDTH = 240;
/** The mention's ink, as pdf-lib's `rgb(0.05, 0.15, 0.45)`. */
const INK = [0.05, 0.15, 0.45] as const;

const refused = (message: string) => invalidField('file', message);

/** The lines of the mention, in reading order; the first is written in bold. */
export function mentionLines(mention: PublicationMention): string[] {
  const lines = [`Publié le ${parisNumericDate(mention.publishedAt)} à ${parisTime(mention.publishedAt)}`];
  if (mention.acknowledgedAt) lines.push(`Reçu en préfecture le ${parisNumericDate(mention.acknowledgedAt)}`);
  if (mention.prefectureId) lines.push('Identifiant préfecture :', mention.prefectureId);
  lines.push(mention.memberName.trim());
  return lines;
}

/**
 * Stamps the publication mention on a PDF, sets its metadata (title, producer « Socle », subject =
 * the mention, modification date = publication date) and answers the stamped file with its SHA-256.
 * The same PDF and mention give the same bytes. Encrypted, damaged or non-PDF files are refused with
 * a French error on the field `file`.
 */
export async function stampPublicationMention(pdf: Buffer, mention: PublicationMention): Promise<StampedPdf> {
  if (!pdf.subarray(0, 1024).includes('%PDF-')) throw refused("Le fichier n'est pas un PDF.");
  // pdf-lib (~20 MB resident) is loaded at the first publication, not with the server.
  const { PDFDocument, StandardFonts, degrees, rgb } = await import('pdf-lib');
  let doc: PDFDocument;
  try {
    // Loaded even when encrypted, to tell that case apart from a damaged file.
    doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    throw refused('Le PDF est illisible ou endommagé : enregistrez-le de nouveau en PDF.');
  }
  if (doc.isEncrypted)
    throw refused('Le PDF est chiffré ou protégé par un mot de passe : publiez une version sans protection.');
  const pages = doc.getPages();
  if (pages.length === 0) throw refused('Le PDF ne contient aucune page.');

  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const lines = mentionLines(mention).map((line) => drawable(line, regular));
  drawMention(pages[0], lines, regular, bold, { degrees, rgb });

  const title =
    mention.title ??
    (mention.actNumber
      ? `${mention.actNumber} — ${mention.memberName}`
      : (doc.getTitle() ?? mention.memberName));
  doc.setTitle(drawable(title, regular));
  doc.setSubject(lines.join(' — '));
  doc.setProducer('Socle');
  if (mention.prefectureId) doc.setKeywords([mention.prefectureId]);
  doc.setModificationDate(mention.publishedAt);

  let stamped: Buffer;
  try {
    stamped = Buffer.from(await doc.save({ useObjectStreams: false }));
  } catch {
    throw refused('Le PDF est illisible ou endommagé : enregistrez-le de nouveau en PDF.');
  }
  return {
    pdf: stamped,
    sha256: sha256Hex(stamped),
    pageCount: pages.length,
    hadSignature: pdf.includes('/ByteRange'),
  };
}

/** Characters the standard font cannot draw (outside WinAnsi) lose their accent, or become « ? ». */
function drawable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return [...text.replace(/[\u00a0\u202f]/g, ' ')]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      if (supported.has(code)) return char;
      return fallbackOf(char, (bare) => [...bare].every((c) => supported.has(c.codePointAt(0) ?? 0)));
    })
    .join('');
}

/** Splits a line on spaces (or anywhere, for a long word) so that it fits `width`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (t: string) => font.widthOfTextAtSize(t, size) <= width;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Draws the framed mention in the top-right corner of the page as it is displayed: a page with a
 * /Rotate entry is turned by the viewer, so positions and the text direction are turned with it.
 */
function drawMention(
  page: PDFPage,
  rawLines: string[],
  regular: PDFFont,
  bold: PDFFont,
  { degrees, rgb }: Pick<typeof import('pdf-lib'), 'degrees' | 'rgb'>,
) {
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const box = page.getCropBox();
  const turned = rotation === 90 || rotation === 270;
  const viewWidth = turned ? box.height : box.width;
  const viewHeight = turned ? box.width : box.height;

  const textWidth = Math.min(MAX_BOX_WIDTH, viewWidth - 2 * MARGIN) - 2 * PADDING;
  const lines = rawLines.flatMap((line, i) =>
    wrap(line, i === 0 ? bold : regular, FONT_SIZE, textWidth).map((text) => ({ text, bold: i === 0 })),
  );
  const widest = Math.max(
    ...lines.map((l) => (l.bold ? bold : regular).widthOfTextAtSize(l.text, FONT_SIZE)),
  );
  const width = widest + 2 * PADDING;
  const height = lines.length * LINE_HEIGHT + 2 * PADDING - (LINE_HEIGHT - FONT_SIZE);
  // The box's bottom-left corner, in the displayed page's coordinates.
  const left = viewWidth - MARGIN - width;
  const bottom = viewHeight - MARGIN - height;

  /** From displayed coordinates to the page's own (unrotated) user space. */
  const toPage = (x: number, y: number) => {
    switch (rotation) {
      case 90:
        return { x: box.x + box.width - y, y: box.y + x };
      case 180:
        return { x: box.x + box.width - x, y: box.y + box.height - y };
      case 270:
        return { x: box.x + y, y: box.y + box.height - x };
      default:
        return { x: box.x + x, y: box.y + y };
    }
  };
  const rotate = degrees(rotation);

  page.drawRectangle({
    ...toPage(left, bottom),
    width,
    height,
    rotate,
    color: rgb(1, 1, 1),
    opacity: 0.92,
    borderColor: rgb(...INK),
    borderWidth: 0.8,
  });
  lines.forEach((line, i) => {
    const baseline = bottom + height - PADDING - FONT_SIZE - i * LINE_HEIGHT + 1.5;
    page.drawText(line.text, {
      ...toPage(left + PADDING, baseline),
      size: FONT_SIZE,
      font: line.bold ? bold : regular,
      color: rgb(...INK),
      rotate,
    });
  });
}
