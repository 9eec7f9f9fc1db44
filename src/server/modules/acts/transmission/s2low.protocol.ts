import { TZDate } from '@date-fns/tz';
import { ACT_NATURE_CODES, ACT_NATURES, type ActNature } from '../../../../contracts/acts.js';
import type { ClassificationFile, PrefectureMessage, TransactionState } from './connector.js';

/**
 * The S²LOW "actes" wire format, shared by the client (`s2low.client.ts`) and the fake server
 * (`s2low.fake-server.ts`). Facts read in libriciel/s2low (the server, public.ssl/modules/actes/*) and in
 * Pastell's S²LOW connector (libriciel/pastell connecteur/s2low/S2low.php, megalis-bretagne/pastell
 * connecteur/s2low/S2low.class.php); our own code, written from those facts.
 *
 * - Calls are plain HTTP(S) on `modules/actes/*.php`; the account is chosen by the TLS client certificate
 *   and, when the certificate is shared, HTTP Basic login/password (Pastell: setClientCertificate +
 *   httpAuthentication). The authority (collectivité: SIREN, département) is the account's, never a
 *   parameter.
 * - With `api=1` (POST or GET) the answer is text: `OK\n<payload>\n` or `KO\n<message>\n`, HTTP 200 either
 *   way (ResponseHelper::returnAndExit). Since S²LOW 5 the payload is converted to ISO-8859-1 and the KO
 *   message HTML-escaped (mb_convert_encoding + get_hecho); older versions answered UTF-8. Pastell sends
 *   the subject in ISO-8859-1 (`utf8_decode($objet)`) and utf8_encode()s answers.
 */

export const S2LOW_PATHS = {
  classification: '/modules/actes/actes_classification_fetch.php',
  create: '/modules/actes/actes_transac_create.php',
  status: '/modules/actes/actes_transac_get_status.php',
  cancel: '/modules/actes/actes_transac_cancel.php',
  /** For a transmission: one line `type-status-id` per prefecture message about it. */
  documents: '/modules/actes/actes_transac_get_document.php',
  filesList: '/modules/actes/actes_transac_get_files_list.php',
  downloadFile: '/modules/actes/actes_download_file.php',
  answer: '/modules/actes/actes_transac_reponse_create.php',
  /** ActesAPI::listActesAction: the authority's transactions whose last status is `status_id`, JSON. */
  listActes: '/modules/actes/api/list_actes.php',
  /** ActesAPI::listDocumentPrefectureAction: unread prefecture messages of the authority, JSON. */
  listDocumentPrefecture: '/modules/actes/api/list_document_prefecture.php',
  markDocumentRead: '/modules/actes/api/document_prefecture_mark_as_read.php',
} as const;

/** S²LOW's numeric statuses (TdtConnecteur constants in Pastell; ActesStatusSQL in S²LOW). */
export const S2LOW_STATUS = {
  error: -1,
  cancelled: 0,
  posted: 1,
  waiting: 2,
  transmitted: 3,
  acknowledged: 4,
  validated: 5,
  refused: 6,
  /** On a prefecture message: received by the tiers, an acknowledgement is due (demande de pièces, LO). */
  documentReceived: 7,
  documentReceivedAckSent: 8,
  /** "En attente d'être postée" (deposited with en_attente=1, waits for a signed confirmation). */
  waitingToBePosted: 17,
  waitingForSignature: 18,
  /** On a prefecture message that calls for no acknowledgement (courrier simple, déféré). */
  documentReceivedNoAck: 21,
} as const;

export const S2LOW_STATUS_LABELS: Record<number, string> = {
  [-1]: 'Erreur',
  0: 'Annulé',
  1: 'Posté',
  2: 'En attente de transmission',
  3: 'Transmis',
  4: 'Acquittement reçu',
  5: 'Validé',
  6: 'Refusé',
  7: 'Document reçu',
  8: 'Document reçu, accusé de réception envoyé',
  17: "En attente d'être postée",
  18: "En attente d'être signée",
  21: "Document reçu (pas d'accusé de réception)",
};

/** Maps a numeric status of a transmission to the connector's state. */
export function transactionState(code: number): TransactionState {
  switch (code) {
    case -1:
    case 6:
      return 'error';
    case 0:
      return 'cancelled';
    case 1:
      return 'posted';
    case 2:
    case 17:
    case 18:
      return 'waiting';
    case 3:
      return 'transmitted';
    case 4:
      return 'acknowledged';
    default:
      return 'other';
  }
}

/** Transaction types (ActesTransaction::$transactionTypes). */
export const S2LOW_TRANSACTION_TYPE = {
  transmission: 1,
  courrierSimple: 2,
  demandePieces: 3,
  lettreObservations: 4,
  defere: 5,
  cancellation: 6,
  classificationRequest: 7,
} as const;

export type PrefectureMessageKind = PrefectureMessage['kind'];

export const MESSAGE_KIND_BY_TYPE: Record<number, PrefectureMessageKind> = {
  2: 'courrier_simple',
  3: 'demande_pieces',
  4: 'lettre_observations',
  5: 'defere',
};
export const MESSAGE_TYPE_BY_KIND: Record<PrefectureMessageKind, number> = {
  courrier_simple: 2,
  demande_pieces: 3,
  lettre_observations: 4,
  defere: 5,
};

/** `type_envoie` of an answer: 4 sends the pieces / a justification, 3 refuses explicitly. */
export const ANSWER_SEND = 4;
export const ANSWER_REFUSE = 3;

export const NATURE_BY_CODE: Record<number, ActNature> = Object.fromEntries(
  ACT_NATURES.map((nature) => [ACT_NATURE_CODES[nature], nature]),
) as Record<number, ActNature>;

/**
 * Default "typologie" of a document (type_acte / type_pj[], 5 characters, required since S²LOW 4:
 * "typologie absente" otherwise): the codes S²LOW's create script falls back to per nature code.
 */
export const DEFAULT_TYPOLOGY: Record<ActNature, string> = {
  DE: '99_DE',
  AR: '99_AR',
  AI: '99_AI',
  CC: '99_DC',
  BF: '99_BU',
  AU: '99_AU',
};
export const TYPOLOGY_PATTERN = /^[A-Z0-9_]{5}$/;

// Text encodings ---------------------------------------------------------------------------------

/** Typographic characters outside ISO-8859-1, replaced before encoding (PHP would write "?"). */
const TRANSLITERATIONS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2026': '...',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u0153': 'oe',
  '\u0152': 'OE',
  '\u20AC': 'EUR',
  '\u202F': ' ',
  '\u2009': ' ',
};

/** ISO-8859-1 bytes of a string; characters beyond it become `?` (as mb_convert_encoding does). */
export function encodeLatin1(text: string): Buffer {
  const normalized = text
    .normalize('NFC')
    .replace(
      /[\u2018-\u201E\u2026\u2013\u2014\u2212\u0152\u0153\u20AC\u202F\u2009]/g,
      (c) => TRANSLITERATIONS[c] ?? '?',
    );
  const bytes: number[] = [];
  for (const char of normalized) {
    const code = char.codePointAt(0) ?? 0x3f;
    bytes.push(code <= 0xff ? code : 0x3f);
  }
  return Buffer.from(bytes);
}

/** Decodes an answer: UTF-8 when it is valid UTF-8 (older S²LOW), ISO-8859-1 otherwise. */
export function decodeAnswer(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return body.toString('latin1');
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? '';
  });
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

// OK / KO answers --------------------------------------------------------------------------------

export type OkKo = { ok: true; lines: string[] } | { ok: false; message: string };

/**
 * Reads an `api=1` answer: `OK\n…` / `KO\n…` (ResponseHelper), and the variants of the answer script
 * (`OK : id généré : 42`, `KO : message`, actes_transac_reponse_create.php). Null when the text is neither
 * (an HTML page: a proxy, a login page, a wrong URL).
 */
export function parseOkKo(text: string): OkKo | null {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const inline = /^(OK|KO)\s*:\s*(.*)$/s.exec(normalized.split('\n')[0] ?? '');
  if (inline) {
    const rest = [inline[2] ?? '', ...normalized.split('\n').slice(1)];
    if (inline[1] === 'OK') {
      const id = /(\d+)\s*$/.exec((inline[2] ?? '').trim());
      return { ok: true, lines: [id?.[1] ?? (inline[2] ?? '').trim(), ...rest.slice(1)] };
    }
    return { ok: false, message: decodeEntities(rest.join('\n').trim()) };
  }
  const lines = normalized.split('\n');
  const head = (lines[0] ?? '').trim();
  if (head === 'OK') return { ok: true, lines: lines.slice(1) };
  if (head === 'KO') return { ok: false, message: decodeEntities(lines.slice(1).join('\n').trim()) };
  return null;
}

// A little XML (the @CTES messages are small, flat and generated by machines) ------------------------

function attributesOf(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1] ?? ''] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

/** The attributes of the first `<name …>` element, or null. */
export function xmlAttributes(xml: string, name: string): Record<string, string> | null {
  const match = new RegExp(`<${name}(\\s[^>]*?)?/?>`).exec(xml);
  return match ? attributesOf(match[1] ?? '') : null;
}

/** The text of the first `<name>…</name>` element, or null. */
export function xmlText(xml: string, name: string): string | null {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeEntities(match[1] ?? '').trim() : null;
}

const ACTES_NS =
  'xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216" xmlns:insee="http://xml.insee.fr/schema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.interieur.gouv.fr/ACTES#v1.1-20040216 actesv1_1.xsd"';
const XML_DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>';

// Classification (`RetourClassification`, what actes_classification_fetch.php pushes) ---------------

export interface ClassificationNode {
  code: number;
  label: string;
  children?: ClassificationNode[];
}

export interface NatureTypologies {
  nature: ActNature;
  label: string;
  typologies: { code: string; label: string }[];
}

/**
 * Writes a `RetourClassification` the way the prefecture sends it (read by S²LOW's
 * ActesUpdateClassificationSQL: `actes:DateClassification`, `actes:NaturesActes/actes:NatureActe`
 * with `CodeNatureActe`, `TypeAbrege`, `Libelle` and `TypePJNatureActe` children, then
 * `actes:Matieres` with nested `actes:MatiereN` carrying `CodeMatiere` and `Libelle`).
 */
export function classificationXml(
  date: string,
  natures: NatureTypologies[],
  matieres: ClassificationNode[],
): string {
  const natureXml = natures
    .map((n) => {
      const types = n.typologies
        .map(
          (t) =>
            `<actes:TypePJNatureActe actes:CodeTypePJ="${escapeXml(t.code)}" actes:Libelle="${escapeXml(t.label)}"/>`,
        )
        .join('');
      return `<actes:NatureActe actes:CodeNatureActe="${ACT_NATURE_CODES[n.nature]}" actes:Libelle="${escapeXml(n.label)}" actes:TypeAbrege="${n.nature}">${types}</actes:NatureActe>`;
    })
    .join('\n  ');
  const matiere = (node: ClassificationNode, level: number): string => {
    const inner = (node.children ?? []).map((child) => matiere(child, level + 1)).join('');
    const open = `<actes:Matiere${level} actes:CodeMatiere="${node.code}" actes:Libelle="${escapeXml(node.label)}"`;
    return inner ? `${open}>${inner}</actes:Matiere${level}>` : `${open}/>`;
  };
  return `${XML_DECLARATION}
<actes:RetourClassification ${ACTES_NS}>
 <actes:DateClassification>${date}</actes:DateClassification>
 <actes:NaturesActes>
  ${natureXml}
 </actes:NaturesActes>
 <actes:Matieres>${matieres.map((m) => matiere(m, 1)).join('\n')}</actes:Matieres>
</actes:RetourClassification>
`;
}

/** Reads a `RetourClassification` into codes `7`, `7.1`, `7.1.2`… with their level and label. */
export function parseClassificationXml(xml: string): ClassificationFile {
  const date = xmlText(xml, 'actes:DateClassification');
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error('Fichier de classification illisible (DateClassification absente)');
  }
  const entries: ClassificationFile['entries'] = [];
  const typologies: NonNullable<ClassificationFile['typologies']> = [];
  const path: string[] = [];
  let nature: ActNature | undefined;
  for (const tag of xml.matchAll(
    /<(actes:Matiere(\d)|actes:NatureActe|actes:TypePJNatureActe)\b([^>]*?)\/?>/g,
  )) {
    const attributes = attributesOf(tag[3] ?? '');
    if (tag[1] === 'actes:NatureActe') {
      nature = NATURE_BY_CODE[Number(attributes['actes:CodeNatureActe'])];
    } else if (tag[1] === 'actes:TypePJNatureActe') {
      const code = attributes['actes:CodeTypePJ'];
      if (nature && code) typologies.push({ nature, code, label: attributes['actes:Libelle'] ?? code });
    } else {
      const level = Number(tag[2]);
      const code = attributes['actes:CodeMatiere'];
      if (!code || level < 1 || level > 5 || level > path.length + 1) continue;
      path.length = level - 1;
      path.push(String(Number(code)));
      entries.push({ code: path.join('.'), label: attributes['actes:Libelle'] ?? '', level });
    }
  }
  if (entries.length === 0) throw new Error('Fichier de classification illisible (aucune matière)');
  return { date, entries, typologies };
}

// Acknowledgement (`ARActe`, the flux returned with status 4) ----------------------------------------

export function arActeXml(input: {
  identifier: string;
  receivedOn: string;
  decidedOn: string;
  number: string;
  natureCode: number;
  classification: string;
  subject: string;
  classificationDate: string;
}): string {
  const matieres = input.classification
    .split('.')
    .map((code, i) => `<actes:CodeMatiere${i + 1} actes:CodeMatiere="${code}"/>`)
    .join('');
  return `${XML_DECLARATION}
<actes:ARActe ${ACTES_NS} actes:DateReception="${input.receivedOn}" actes:IDActe="${escapeXml(input.identifier)}">
 <actes:ActeRecu actes:CodeNatureActe="${input.natureCode}" actes:Date="${input.decidedOn}" actes:NumeroInterne="${escapeXml(input.number)}">
  ${matieres}
  <actes:Objet>${escapeXml(input.subject)}</actes:Objet>
  <actes:ClassificationDateVersion>${input.classificationDate}</actes:ClassificationDateVersion>
 </actes:ActeRecu>
 <actes:ClassificationDateVersionEnCours>${input.classificationDate}</actes:ClassificationDateVersionEnCours>
</actes:ARActe>
`;
}

export function parseArActe(xml: string): { identifier: string; receivedOn: string } | null {
  const attributes = xmlAttributes(xml, 'actes:ARActe');
  const identifier = attributes?.['actes:IDActe'];
  const receivedOn = attributes?.['actes:DateReception'];
  if (!identifier || !receivedOn || !/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) return null;
  return { identifier, receivedOn };
}

/** Midnight in Europe/Paris of a calendar date: the instant a date-only @CTES attribute stands for. */
export function parisMidnight(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, 'Europe/Paris').getTime());
}

// Prefecture messages (the message's own XML, `<id>-<type>-1_0.xml` in its files) --------------------

const MESSAGE_ROOT: Record<PrefectureMessageKind, string> = {
  courrier_simple: 'CourrierSimple',
  demande_pieces: 'DemandePieceComplementaire',
  lettre_observations: 'LettreObservations',
  defere: 'DefereTA',
};

export function prefectureMessageXml(input: {
  kind: PrefectureMessageKind;
  identifier: string;
  sentOn: string;
  description: string;
  filenames: string[];
}): string {
  const root = MESSAGE_ROOT[input.kind];
  const documents = input.filenames
    .map((name) => `<actes:Document><actes:NomFichier>${escapeXml(name)}</actes:NomFichier></actes:Document>`)
    .join('');
  return `${XML_DECLARATION}
<actes:${root} ${ACTES_NS} actes:IDActe="${escapeXml(input.identifier)}" actes:DateCourrierPref="${input.sentOn}">
 <actes:Description>${escapeXml(input.description)}</actes:Description>
 ${documents}
</actes:${root}>
`;
}

export function parsePrefectureMessageXml(xml: string): {
  sentOn: string | null;
  description: string | null;
} {
  const match = /actes:DateCourrierPref\s*=\s*"(\d{4}-\d{2}-\d{2})/.exec(xml);
  return { sentOn: match?.[1] ?? null, description: xmlText(xml, 'actes:Description') };
}

/** Filenames S²LOW accepts: it (and Pastell) replace anything but `[a-zA-Z0-9._ ]` by `_`. */
export function safeFilename(name: string): string {
  const cleaned = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z0-9._ ]/g, '_');
  return cleaned.length > 0 ? cleaned.slice(-200) : 'document.pdf';
}
