/**
 * The CSAF document the cyber team gives, read in the browser before it is sent: a file or pasted
 * text, parsed as JSON, with a French message naming what is wrong (the server validates the CSAF
 * itself and names the fields at fault).
 */

export type CsafInput =
  | { document: Record<string, unknown>; error?: undefined }
  | { document?: undefined; error: string };

/** Where the JSON syntax error is, as a line and column when the engine tells its position. */
function position(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const offset = Number(m[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` (ligne ${line}, colonne ${column})`;
}

export function readCsaf(text: string): CsafInput {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { error: 'Choisissez un fichier ou collez le document CSAF.' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    return { error: `Le document n’est pas un JSON valide${position(trimmed, message)}.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'Le document doit être un objet JSON CSAF (il commence par « { »).' };
  }
  const document = value as Record<string, unknown>;
  const head = document.document;
  if (typeof head !== 'object' || head === null || !('csaf_version' in head)) {
    return { error: 'Ce JSON n’est pas un avis CSAF : la rubrique « document.csaf_version » manque.' };
  }
  return { document };
}
