import type { FastifyReply } from 'fastify';

/** `Content-Disposition` for a download, with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export interface Download {
  /** The answer's Content-Type. */
  type: string;
  /** The file's name, as `Content-Disposition` gives it (attachment(): ASCII fallback, UTF-8 name). */
  filename: string;
  body: Buffer | Uint8Array | string;
  /** Shown by the browser (a PDF opened in a tab) rather than saved: `inline` for `attachment`. */
  inline?: boolean;
  /** Further headers, after those two, in this order (`cache-control`, `x-omitted-rows`…). */
  headers?: Record<string, string>;
}

/**
 * Answers a route with a file: its type, `Content-Disposition` from its name, any further headers,
 * then its bytes. Every download of the API goes through here.
 */
export function sendDownload(reply: FastifyReply, download: Download): FastifyReply {
  const disposition = attachment(download.filename);
  reply
    .type(download.type)
    .header(
      'content-disposition',
      download.inline ? disposition.replace(/^attachment/, 'inline') : disposition,
    );
  for (const [name, value] of Object.entries(download.headers ?? {})) reply.header(name, value);
  return reply.send(download.body);
}
