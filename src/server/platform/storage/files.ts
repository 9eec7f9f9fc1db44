/**
 * Files people upload (members' documents, acts' annexes, agenda documents, support attachments): the
 * one place that says what a name may keep and whether a file's first bytes are what its extension
 * claims. Each module keeps its own list of accepted types and its own French refusals.
 */

import { createHash } from 'node:crypto';

/** A file as sent: its bytes and the name the sender gave it (cleaned by cleanFileName before it is kept). */
export interface UploadedFile {
  data: Buffer;
  fileName: string;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const pdf = (d: Buffer) => d.subarray(0, 5).toString('latin1') === '%PDF-';
const png = (d: Buffer) => d.subarray(0, 8).equals(PNG);
const jpeg = (d: Buffer) => d.length > 3 && d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff;
const gif = (d: Buffer) => d.subarray(0, 4).toString('latin1') === 'GIF8';
const webp = (d: Buffer) =>
  d.subarray(0, 4).toString('latin1') === 'RIFF' && d.subarray(8, 12).toString('latin1') === 'WEBP';
/** OpenDocument and Office Open XML files are zip archives. */
const zip = (d: Buffer) => d.subarray(0, 4).equals(ZIP);
/** Plain text: no NUL byte in its first 64 kB. */
const text = (d: Buffer) => !d.subarray(0, 65_536).includes(0);

const SIGNATURES: Record<string, (data: Buffer) => boolean> = {
  pdf,
  png,
  jpg: jpeg,
  jpeg,
  gif,
  webp,
  odt: zip,
  ods: zip,
  docx: zip,
  xlsx: zip,
  txt: text,
  log: text,
  csv: text,
  eml: text,
};

/** The extension of a file name, lower-case, without its dot ('' when there is none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/**
 * Whether the content starts as a file of that extension does: true or false for the extensions known
 * here, null for any other (which no module accepts without its own check).
 */
export function contentMatches(extension: string, data: Buffer): boolean | null {
  const matches = SIGNATURES[extension.toLowerCase()];
  return matches ? matches(data) : null;
}

/**
 * A name safe to store and to give back in Content-Disposition: the last path segment, without control
 * characters nor double quotes, at most 200 characters; `fallback` when nothing is left.
 */
export function cleanFileName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f' && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || fallback;
}

/** The SHA-256 of a file's bytes, in hexadecimal: the fingerprint each stored document keeps. */
export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
