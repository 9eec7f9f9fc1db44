/**
 * pdfkit reads its standard fonts when it is imported (~18 MB resident): the server loads it on the
 * first PDF asked for, not at start.
 */
export async function newPdfDocument(options: PDFKit.PDFDocumentOptions): Promise<PDFKit.PDFDocument> {
  const { default: PDFDocument } = await import('pdfkit');
  return new PDFDocument(options);
}
