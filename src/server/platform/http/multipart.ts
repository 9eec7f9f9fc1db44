/**
 * Uploads: every route that takes a file reads its multipart/form-data body here, with the same French
 * refusals naming the field `file`. The multipart plugin (app.ts) leaves such bodies unparsed; the
 * size limit is enforced while streaming, so an oversized file is refused without being held whole.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, invalid } from '../errors.js';
import type { UploadedFile } from '../storage/files.js';

export interface UploadOptions {
  /** What the form carries, for the messages: « le fichier CSV », « le document »… */
  what: string;
  /** How many `file` parts at most (1 by default). */
  maxFiles?: number;
  /** Bytes per file at most: the app's `UPLOAD_MAX_BYTES` by default. */
  maxBytes?: number;
  /** What to do about a file over the size, after the refusal (« Réduisez-le puis déposez-le à nouveau. »). */
  tooLargeAdvice?: string;
}

/** The body's description in the OpenAPI document: a form with a `file` field. */
export const fileUploadBody = (description: string) =>
  z.any().meta({
    type: 'object',
    properties: { file: { type: 'string', format: 'binary', description } },
    required: ['file'],
  });

const codeOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';

/** Megabytes in French (« 2,9 »). */
const megabytes = (bytes: number) =>
  new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024);

/**
 * Reads a multipart form: its text fields, and its files sent in parts named `file` (a file input
 * left empty, without name nor bytes, is no file). Refused with a 400 when the body is not multipart
 * or holds too many files, and with `too_large` (413) when a file is over the size.
 */
export async function readUpload(
  request: FastifyRequest,
  options: UploadOptions,
): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  if (!request.isMultipart()) {
    throw invalid(`Envoyez ${options.what} en multipart/form-data, dans le champ « file ».`, [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  }
  const maxFiles = options.maxFiles ?? 1;
  const maxBytes = options.maxBytes ?? request.server.config.UPLOAD_MAX_BYTES;
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let current = '';
  try {
    for await (const part of request.parts({ limits: { files: maxFiles, fileSize: maxBytes, fields: 20 } })) {
      if (part.type === 'file') {
        current = part.filename;
        const data = await part.toBuffer();
        if (part.fieldname === 'file' && (part.filename || data.length > 0)) {
          files.push({ data, fileName: part.filename });
        }
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    const code = codeOf(error);
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      const mb = megabytes(maxBytes);
      const name = current ? `« ${current} »` : 'Le fichier';
      throw new DomainError(
        'too_large',
        'Fichier trop volumineux',
        `${name} dépasse la taille maximale autorisée (${mb} Mo). ${
          options.tooLargeAdvice ?? 'Réduisez-le puis déposez-le à nouveau.'
        }`,
        [{ path: 'body.file', message: `${mb} Mo au plus` }],
      );
    }
    if (code === 'FST_FILES_LIMIT') {
      const plural = maxFiles > 1 ? 's' : '';
      throw invalid(`Envoyez ${maxFiles} fichier${plural} au plus à la fois.`, [
        { path: 'body.file', message: `${maxFiles} fichier${plural} au plus` },
      ]);
    }
    throw error;
  }
  return { fields, files };
}

/** The form's one file, refused by a 400 naming `file` when it is missing or empty. */
export function oneFile(files: readonly UploadedFile[], what: string): UploadedFile {
  const [file] = files;
  if (!file) {
    throw invalid(`Aucun fichier reçu : joignez ${what} dans le champ « file ».`, [
      { path: 'body.file', message: 'fichier manquant' },
    ]);
  }
  if (file.data.length === 0) {
    throw invalid(`${file.fileName ? `« ${file.fileName} »` : 'Le fichier envoyé'} est vide.`, [
      { path: 'body.file', message: 'fichier vide' },
    ]);
  }
  return file;
}

/** An upload of one file and nothing else (a CSV import, a document). */
export async function readOneFile(request: FastifyRequest, options: UploadOptions): Promise<UploadedFile> {
  return oneFile((await readUpload(request, options)).files, options.what);
}
