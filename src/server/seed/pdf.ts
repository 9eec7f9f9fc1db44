/**
 * A one-page PDF written by hand (PDF 1.4, standard Helvetica fonts, WinAnsi encoding): enough for
 * demo délibérations, and it passes any "is this really a PDF" check since it is one.
 */
export interface PdfLine {
  text: string;
  bold?: boolean;
  size?: number;
  /** Extra space before the line, in points. */
  gapBefore?: number;
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 60;

/** Characters outside Latin-1 are replaced: the standard fonts cannot draw them. */
function encodeText(text: string): string {
  const latin = text
    .replace(/[’‘]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\u202f|\u00a0/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: any non-Latin-1 character is dropped on purpose
    .replace(/[^\x00-\xff]/g, '?');
  return latin.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** Splits on spaces so that no line is wider than `maxChars` (Helvetica averages ~0.5 em). */
function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > maxChars) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.length > 0 ? lines : [''];
}

export function renderPdf(title: string, lines: PdfLine[]): Buffer {
  const ops: string[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  for (const line of lines) {
    const size = line.size ?? 11;
    const maxChars = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.5));
    y -= line.gapBefore ?? 0;
    for (const part of wrap(line.text, maxChars)) {
      y -= size * 1.4;
      if (y < MARGIN) break;
      ops.push(
        `BT /${line.bold ? 'F2' : 'F1'} ${size} Tf ${MARGIN} ${y.toFixed(1)} Td (${encodeText(part)}) Tj ET`,
      );
    }
  }
  const content = ops.join('\n');

  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      '/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    `<< /Title (${encodeText(title)}) /Producer (Socle) >>`,
  ];

  // Offsets are byte positions, so the file is assembled as Latin-1 bytes, not UTF-16 string lengths.
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\n`;
  body += `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
