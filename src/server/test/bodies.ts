/** What tests send and read: multipart form bodies, a tiny PDF, list and problem+json answers. */

/** A list answer (`listOf` / `cappedListOf` in contracts/common.ts), as tests read it. */
export interface Page<T> {
  items: T[];
  total: number;
  totalIsExact?: boolean;
  totalIsEstimate?: boolean;
  nextCursor: string | null;
}

/** A problem+json answer's detail and field errors, as tests read them. */
export interface ProblemBody {
  detail: string;
  errors: { path: string; message: string }[];
}

/** A minimal but well-formed PDF (header, one empty page, xref and trailer). */
export function tinyPdf(padding = 0): Buffer {
  const body =
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n' +
    `%${'x'.repeat(padding)}\n`;
  const xref = body.length;
  return Buffer.from(
    `${body}xref\n0 4\n0000000000 65535 f \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    'latin1',
  );
}

/** A multipart/form-data body, as a browser form would send it. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; type?: string; field?: string },
) {
  const boundary = `----socle${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
