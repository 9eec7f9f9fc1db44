/** Reads a PDF back as a person would: its text, page by page, and its document information. */
export async function readPdf(data: Uint8Array): Promise<{
  text: string;
  pages: string[];
  info: Record<string, unknown>;
}> {
  const { PDFParse } = await import('pdf-parse');
  // pdf.js may transfer (detach) the buffer it is given: it reads a copy.
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    const text = await parser.getText();
    const { info } = await parser.getInfo();
    return {
      text: text.text.replace(/\s+/g, ' '),
      pages: text.pages.map((p) => p.text.replace(/\s+/g, ' ')),
      info: (info ?? {}) as Record<string, unknown>,
    };
  } finally {
    await parser.destroy();
  }
}
