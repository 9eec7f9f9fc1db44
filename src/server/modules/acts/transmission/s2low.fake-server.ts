import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ACT_NATURE_CODES, type ActNature } from '../../../../contracts/acts.js';
import { now as clockNow, today } from '../../../platform/clock.js';
import type { EnvelopeFile } from './connector.js';
import { departementCode, prefectureIdentifier, S2LOW_NUMBER_PATTERN } from './prefecture-identifier.js';
import { FAKE_CLASSIFICATION_DATE, FAKE_MATIERES, FAKE_NATURES } from './s2low.fake-classification.js';
import {
  ANSWER_REFUSE,
  ANSWER_SEND,
  arActeXml,
  type ClassificationNode,
  classificationXml,
  encodeLatin1,
  MESSAGE_TYPE_BY_KIND,
  NATURE_BY_CODE,
  type NatureTypologies,
  type PrefectureMessageKind,
  prefectureMessageXml,
  S2LOW_PATHS,
  TYPOLOGY_PATTERN,
} from './s2low.protocol.js';

/**
 * A fake S²LOW, speaking the wire format of the real one at the same paths (see s2low.protocol.ts for
 * the sources), for the tests and the demo. State lives in memory. The transmission's progress is
 * computed from the time (posted → en attente → transmis → acquittement reçu after `ackDelayMs`), so it
 * needs no timer and survives any pause of the caller.
 *
 * Collectivités: S²LOW knows the authority from the account. The fake has accounts (`authorities`, HTTP
 * Basic login/password); when a request carries no known login and `requireAccount` is false (the
 * default), it takes the collectivité from the `siren`/`departement` hints the Socle client sends,
 * creating it on the fly.
 *
 * What it checks, in S²LOW's order and with its messages (actes_transac_create.php, ActesTransaction):
 * total size and number of files, the number's pattern, a decision date in the future, the nature code,
 * the number already used by the collectivité (whatever became of that transaction), the main document
 * present with its typology, its type by magic bytes (PDF; XML only for a budget document classified
 * 7.1), the annexes' types (PDF, XML, PNG, JPEG) and typologies, the two first classification levels.
 * Beyond S²LOW (which lets the ministry reject it later): the classification code must exist in the
 * classification file (a refusal with a message of the fake's own).
 */

export interface FakeAuthority {
  siren: string;
  departement: string;
  name?: string;
  login?: string;
  password?: string;
}

export interface FakeFile {
  id: number;
  /** The stored name (@CTES style), and the name it was posted with. */
  name: string;
  postedFilename: string;
  mimetype: string;
  content: Buffer;
  typology: string;
}

export interface FakeTransaction {
  id: number;
  authorityId: number;
  /** 1 transmission, 2–5 prefecture messages (or answers to them, `answerType` set), 6 cancellation. */
  type: number;
  relatedId: number | null;
  natureCode: number;
  number: string;
  subject: string;
  decidedOn: string;
  classification: string;
  classificationDate: string;
  files: FakeFile[];
  postedAt: number;
  /** Statuses set by an event (anomaly, cancellation…); they stop the time-based progress. */
  events: { at: number; status: number; message: string }[];
  /** For a message: whether the collectivité's side marked it read (list_document_prefecture). */
  read: boolean;
  /** For an answer: 4 pieces sent / justification, 3 explicit refusal. */
  answerType: number | null;
  description: string | null;
}

export type OutageMode = 'http503' | 'refused' | 'hang';

export interface FakeS2lowOptions {
  port?: number;
  host?: string;
  /** Time from posting to the prefecture's acknowledgement. Default 3 s. */
  ackDelayMs?: number;
  authorities?: FakeAuthority[];
  /** Refuse requests without a known account instead of using the client's hints. Default false. */
  requireAccount?: boolean;
  classification?: { date: string; natures?: NatureTypologies[]; matieres: ClassificationNode[] };
  /** Total size S²LOW accepts for one post (PHP post_max_size). Default 150 MB. */
  maxEnvelopeBytes?: number;
  /** Files in one post (PHP max_file_uploads). Default 20. */
  maxFiles?: number;
  /** Encoding of the text fields received and of the answers. Default ISO-8859-1, as S²LOW. */
  charset?: 'latin1' | 'utf-8';
  /** Milliseconds since the epoch; defaults to the platform clock (tests move it with useClock). */
  now?: () => number;
}

export interface FakeS2low {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Simulates an outage: HTTP 503 (default), connection refused, or requests left unanswered. */
  outage(on: boolean, mode?: OutageMode): Promise<void>;
  /** The next request to `path` is processed, then its connection cut before the answer. */
  dropNextResponse(path?: string): void;
  addAuthority(authority: FakeAuthority): void;
  setClassification(classification: FakeS2lowOptions['classification']): void;
  setAckDelay(ms: number): void;
  transactions(): FakeTransaction[];
  transmissions(): FakeTransaction[];
  transaction(id: number | string): FakeTransaction | undefined;
  /** The numeric status S²LOW would answer now. */
  statusOf(id: number | string): number;
  /** The prefecture reports an anomaly on a transmission not yet acknowledged: status -1. */
  reject(id: number | string, detail: string, nature?: string): void;
  /** The prefecture sends a message about an acknowledged transmission; answers the message's id. */
  sendMessage(
    id: number | string,
    message: {
      kind: PrefectureMessageKind;
      documents?: EnvelopeFile[];
      description?: string;
      sentOn?: string;
    },
  ): number;
  /** The collectivité's answers to a message. */
  answers(messageId: number | string): FakeTransaction[];
  /** Requests received, per path (tests count calls). */
  hits(path: string): number;
}

/**
 * The fake's transactions by id, with each one's related transactions (its messages, their answers,
 * its cancellation) indexed as they are added: reading an act's messages does not scan every
 * transaction the fake ever received (a bench sends tens of thousands). Transactions are never removed.
 */
class TransactionTable extends Map<number, FakeTransaction> {
  private readonly related = new Map<number, FakeTransaction[]>();

  override set(id: number, tx: FakeTransaction): this {
    super.set(id, tx);
    if (tx.relatedId !== null) {
      const list = this.related.get(tx.relatedId);
      if (list) list.push(tx);
      else this.related.set(tx.relatedId, [tx]);
    }
    return this;
  }

  /** The transactions whose relatedId is `id`, in the order they were added. */
  relatedTo(id: number): readonly FakeTransaction[] {
    return this.related.get(id) ?? [];
  }
}

const MIME_EXT: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/xml': 'xml',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** What libmagic (mime_content_type) would say, for the types S²LOW cares about. */
export function sniffMediaType(content: Buffer): string {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  const head = content
    .subarray(0, 200)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (head.startsWith('<?xml')) return 'text/xml';
  if (content.length === 0) return 'application/x-empty';
  const isText = content
    .subarray(0, 512)
    .every(
      (byte) =>
        byte === 0x09 ||
        byte === 0x0a ||
        byte === 0x0d ||
        (byte >= 0x20 && byte !== 0x7f && (byte < 0x80 || byte >= 0xa0)),
    );
  return isText ? 'text/plain' : 'application/octet-stream';
}

interface Form {
  fields: Record<string, string[]>;
  files: Record<string, { filename: string; content: Buffer; contentType: string }[]>;
  fileCount: number;
}

function parseMultipart(body: Buffer, boundary: string, decode: (b: Buffer) => string): Form {
  const form: Form = { fields: {}, files: {}, fileCount: 0 };
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('latin1');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const contentType =
        /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined) {
        const key = name.replace(/\[\]$/, '');
        if (filename !== undefined) {
          form.files[key] = [...(form.files[key] ?? []), { filename, content, contentType }];
          form.fileCount++;
        } else {
          form.fields[key] = [...(form.fields[key] ?? []), decode(content)];
        }
      }
    }
    start = next;
  }
  return form;
}

function parseUrlEncoded(body: Buffer, decode: (b: Buffer) => string): Form {
  const form: Form = { fields: {}, files: {}, fileCount: 0 };
  // Percent-decoding to bytes, then the form's charset (decodeURIComponent would insist on UTF-8).
  const bytes = (s: string) =>
    Buffer.from(
      s
        .replace(/\+/g, ' ')
        .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    );
  for (const pair of body.toString('latin1').split('&')) {
    if (!pair) continue;
    const [rawKey = '', rawValue = ''] = pair.split('=');
    const key = decode(bytes(rawKey)).replace(/\[\]$/, '');
    form.fields[key] = [...(form.fields[key] ?? []), decode(bytes(rawValue))];
  }
  return form;
}

class Ko extends Error {}

/** `YYYY-M-D` (S²LOW's pattern) as a padded calendar date, or null when it is no date. */
function calendarDate(value: string): string | null {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (!match) return null;
  const padded = `${match[1]}-${(match[2] ?? '').padStart(2, '0')}-${(match[3] ?? '').padStart(2, '0')}`;
  const date = new Date(`${padded}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === padded ? padded : null;
}

export async function startFakeS2low(options: FakeS2lowOptions = {}): Promise<FakeS2low> {
  const now = options.now ?? (() => clockNow().getTime());
  let ackDelayMs = options.ackDelayMs ?? 3000;
  const maxEnvelopeBytes = options.maxEnvelopeBytes ?? 150 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 20;
  const charset = options.charset ?? 'latin1';
  const encode = (text: string) => (charset === 'latin1' ? encodeLatin1(text) : Buffer.from(text, 'utf8'));
  const decode = (bytes: Buffer) =>
    charset === 'latin1' ? bytes.toString('latin1') : bytes.toString('utf8');

  let classification = options.classification ?? {
    date: FAKE_CLASSIFICATION_DATE,
    natures: FAKE_NATURES,
    matieres: FAKE_MATIERES,
  };
  let classificationCodes = new Set<string>();
  const indexClassification = () => {
    classificationCodes = new Set();
    const walk = (nodes: ClassificationNode[], prefix: string) => {
      for (const node of nodes) {
        const code = prefix ? `${prefix}.${node.code}` : String(node.code);
        classificationCodes.add(code);
        walk(node.children ?? [], code);
      }
    };
    walk(classification.matieres, '');
  };
  indexClassification();

  const authorities: (FakeAuthority & { id: number })[] = [];
  const addAuthority = (authority: FakeAuthority) => {
    const existing = authorities.find((a) => a.siren === authority.siren && a.login === authority.login);
    if (existing) {
      Object.assign(existing, authority);
      return existing;
    }
    const created = {
      ...authority,
      departement: departementCode(authority.departement),
      id: authorities.length + 1,
    };
    authorities.push(created);
    return created;
  };
  for (const authority of options.authorities ?? []) addAuthority(authority);

  const transactions = new TransactionTable();
  /** `authorityId:number` → the transmission that used the number. */
  const numbers = new Map<string, number>();
  let nextTransactionId = 1000;
  let nextFileId = 1;
  const hitCounts = new Map<string, number>();
  let outage: OutageMode | null = null;
  const drops = new Set<string>();

  const storedFile = (
    name: string,
    posted: string,
    mimetype: string,
    content: Buffer,
    typology: string,
  ): FakeFile => ({
    id: nextFileId++,
    name,
    postedFilename: posted,
    mimetype,
    content,
    typology,
  });

  const authorityOf = (tx: FakeTransaction) => authorities.find((a) => a.id === tx.authorityId);

  const identifierOf = (tx: FakeTransaction): string => {
    const authority = authorityOf(tx);
    return prefectureIdentifier({
      departement: authority?.departement ?? '000',
      siren: authority?.siren ?? '000000000',
      decidedOn: tx.decidedOn,
      number: tx.number,
      nature: NATURE_BY_CODE[tx.natureCode] ?? 'AU',
    });
  };

  /** [time, status] steps of a posted transaction, before any event stops it. */
  const progress = (tx: FakeTransaction): [number, number, string][] => [
    [tx.postedAt, 1, 'Posté'],
    [tx.postedAt + ackDelayMs / 4, 2, 'Attente de transmission'],
    [tx.postedAt + ackDelayMs / 2, 3, 'Transmis au MIAT'],
    [tx.postedAt + ackDelayMs, 4, `Reçu par le MIAT le ${today(new Date(tx.postedAt + ackDelayMs))}`],
  ];

  function currentStatus(
    tx: FakeTransaction,
    at = now(),
  ): { status: number; message: string; since: number } {
    if (tx.type >= 2 && tx.type <= 5 && tx.answerType === null) {
      const status = tx.type === 3 || tx.type === 4 ? 7 : 21;
      return {
        status,
        message: status === 7 ? 'Reçu par le Tdt' : "Reçu par le Tdt (pas d'AR envoyé)",
        since: tx.postedAt,
      };
    }
    const firstEvent = tx.events[0]?.at ?? Number.POSITIVE_INFINITY;
    const steps = [
      ...progress(tx).filter(([time]) => time < firstEvent || time <= tx.postedAt),
      ...tx.events.map((e): [number, number, string] => [e.at, e.status, e.message]),
    ].sort((a, b) => a[0] - b[0]);
    let current: [number, number, string] = [tx.postedAt, 1, 'Posté'];
    for (const step of steps) if (step[0] <= at) current = step;
    return { status: current[1], message: current[2], since: current[0] };
  }

  // HTTP ------------------------------------------------------------------------------------------

  function resolveAuthority(req: http.IncomingMessage, hint: { siren?: string; departement?: string }) {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [login, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      const account = authorities.find((a) => a.login !== undefined && a.login === login);
      if (account) {
        if ((account.password ?? '') !== rest.join(':')) throw new Ko("Échec de l'authentification");
        return account;
      }
    }
    if (options.requireAccount) throw new Ko("Échec de l'authentification");
    if (!hint.siren) return null;
    if (!/^\d{9}$/.test(hint.siren)) throw new Ko("Échec de l'authentification");
    const known = authorities.find((a) => a.siren === hint.siren);
    if (known) return known;
    if (!hint.departement) return null;
    try {
      return addAuthority({ siren: hint.siren, departement: hint.departement });
    } catch {
      throw new Ko("Échec de l'authentification");
    }
  }

  function requireAuthority(req: http.IncomingMessage, hint: { siren?: string; departement?: string }) {
    const authority = resolveAuthority(req, hint);
    if (!authority) throw new Ko("Échec de l'authentification");
    return authority;
  }

  /** The transaction, if the caller may see it (any, without accounts; its collectivité's, with one). */
  function visibleTransaction(req: http.IncomingMessage, rawId: string | null): FakeTransaction {
    const tx = rawId && /^\d+$/.test(rawId) ? transactions.get(Number(rawId)) : undefined;
    if (!tx) throw new Ko('Numéro de transaction invalide.');
    const authority = resolveAuthority(req, {});
    if (authority && authority.id !== tx.authorityId) throw new Ko('Accès refusé');
    return tx;
  }

  const field = (form: Form, name: string) => form.fields[name]?.[0]?.trim() ?? '';

  function create(req: http.IncomingMessage, form: Form): string {
    const authority = requireAuthority(req, {
      siren: field(form, 'siren'),
      departement: field(form, 'departement'),
    });
    const natureCode = field(form, 'nature_code');
    const number = field(form, 'number');
    if (!S2LOW_NUMBER_PATTERN.test(number)) throw new Ko("Le numéro n'est pas correct");
    // strtotime() of an impossible date is false, never "in the future": that is refused at saving.
    const decidedOn = calendarDate(field(form, 'decision_date'));
    if (decidedOn && decidedOn > today(new Date(now()))) {
      throw new Ko('La date de décision est une date dans le futur');
    }
    const subject = form.fields.subject?.[0] ?? '';
    const nature = NATURE_BY_CODE[Number(natureCode)];
    // ActesTransaction::isUnique: any earlier transaction of the collectivité with that number, whatever
    // became of it (error, cancelled…), forbids the number.
    if (numbers.has(`${authority.id}:${number}`)) {
      throw new Ko(
        'Un acte portant le même numéro interne existe déjà dans la base de données.\nIl faut peut-être ajouter un suffixe au numéro.',
      );
    }
    const main = form.files.acte_pdf_file?.[0];
    if (!main || main.content.length === 0) throw new Ko("Aucun fichier acte n'a été posté ");
    const typeActe = field(form, 'type_acte');
    if (!typeActe)
      throw new Ko(`Erreur lors de la réception du fichier ${main.filename} : typologie absente`);
    const levels = [1, 2, 3, 4, 5].map((i) => field(form, `classif${i}`));
    const classificationLevels: string[] = [];
    for (const level of levels) {
      if (!/^\d+$/.test(level)) break;
      classificationLevels.push(String(Number(level)));
    }
    const errors: string[] = [];
    const mainType = sniffMediaType(main.content);
    const mainExt = MIME_EXT[mainType];
    if (mainExt !== 'pdf' && mainExt !== 'xml') {
      errors.push(
        `Erreur de validation du fichier de l'acte :\nLe fichier de l'acte " ${main.filename} " est de type " ${mainType} ". Fichier PDF ou XML requis.`,
      );
    } else if (mainExt === 'xml') {
      if (natureCode !== '5') {
        errors.push(
          "Erreur de validation du fichier de l'acte :\nSeuls les documents budgétaires et financiers peuvent être au format XML.",
        );
      } else if (levels[0] !== '7' || levels[1] !== '1') {
        errors.push(
          "Erreur de validation du fichier de l'acte :\nSeule la classification 7.1 est autorisée pour la transmission au format XML",
        );
      }
    }
    if (!TYPOLOGY_PATTERN.test(typeActe)) {
      errors.push("Erreur de validation du fichier de l'acte :\nLe code de la PJ doit faire 5 caractères");
    }
    const attachments = form.files.acte_attachments ?? [];
    const typePj = form.fields.type_pj ?? [];
    for (const [i, attachment] of attachments.entries()) {
      if (attachment.content.length === 0) continue;
      if (!typePj[i]) {
        throw new Ko(
          `Erreur lors de la réception du fichier annexe ${attachment.filename} : typologie absente`,
        );
      }
      const type = sniffMediaType(attachment.content);
      if (!MIME_EXT[type]) {
        errors.push(
          `Erreur de validation d'un fichier de pièce jointe :\nLe fichier attaché " ${attachment.filename} " est de type " ${type} ". Fichier PDF, XML, PNG ou JPEG requis.`,
        );
      } else if (mainExt === 'xml' && type !== 'application/pdf') {
        errors.push(
          "Erreur de validation d'un fichier de pièce jointe :\nLes pièces jointes doivent être au format PDF avec un acte au format XML",
        );
      } else if (!TYPOLOGY_PATTERN.test(typePj[i] ?? '')) {
        errors.push(
          "Erreur de validation d'un fichier de pièce jointe :\nLe code de la PJ doit faire 5 caractères",
        );
      }
    }
    if (errors.length > 0) throw new Ko(errors.join('\n'));
    const saveErrors: string[] = [];
    if (!nature) saveErrors.push("Nature de l'acte : valeur incorrecte");
    if (!decidedOn) {
      saveErrors.push('Date de la décision : date incorrecte (AAAA-MM-JJ attendu)');
    }
    if (subject.trim() === '') saveErrors.push("Objet de l'acte : champ obligatoire");
    if ([...subject].length > 499) saveErrors.push("Objet de l'acte : 499 caractères maximum");
    if (classificationLevels.length < 2) {
      saveErrors.push('Les deux premiers niveaux de classification sont obligatoires.');
    }
    if (saveErrors.length > 0) {
      throw new Ko(`Erreur lors de l'enregistrement de la transaction :\n${saveErrors.join('\n')}`);
    }
    const code = classificationLevels.join('.');
    if (!classificationCodes.has(code)) {
      throw new Ko(
        `La classification ${code} n'existe pas dans la classification de la collectivité (version du ${classification.date}).`,
      );
    }
    if (!decidedOn || !nature) throw new Ko("Erreur lors de l'enregistrement de la transaction.");
    const id = nextTransactionId++;
    const stem = `${authority.departement}-${authority.siren}-${decidedOn.replaceAll('-', '')}-${number}-${nature}-1-1`;
    const files = [
      storedFile(`${typeActe}-${stem}_1.${mainExt}`, main.filename, mainType, main.content, typeActe),
      ...attachments
        .filter((a) => a.content.length > 0)
        .map((a, i) => {
          const type = sniffMediaType(a.content);
          return storedFile(
            `${typePj[i]}-${stem}_${i + 2}.${MIME_EXT[type]}`,
            a.filename,
            type,
            a.content,
            typePj[i] ?? '',
          );
        }),
    ];
    numbers.set(`${authority.id}:${number}`, id);
    transactions.set(id, {
      id,
      authorityId: authority.id,
      type: 1,
      relatedId: null,
      natureCode: Number(natureCode),
      number,
      subject,
      decidedOn,
      classification: code,
      classificationDate: classification.date,
      files,
      postedAt: now(),
      events: [],
      read: true,
      answerType: null,
      description: null,
    });
    return `${id}\n`;
  }

  function statusAnswer(tx: FakeTransaction): string {
    const { status, message, since } = currentStatus(tx);
    if (status === 4 && tx.type === 1) {
      return `OK\n4\n${arActeXml({
        identifier: identifierOf(tx),
        receivedOn: today(new Date(since)),
        decidedOn: tx.decidedOn,
        number: tx.number,
        natureCode: tx.natureCode,
        classification: tx.classification,
        subject: tx.subject,
        classificationDate: tx.classificationDate,
      })}`;
    }
    if (status === -1) return `OK\n-1\n${message}`;
    return `OK\n${status}\n`;
  }

  function cancel(req: http.IncomingMessage, form: Form): string {
    const rawId = field(form, 'id');
    if (!rawId) throw new Ko("Pas d'identifiant de transaction à annuler spécifié.");
    const tx = transactions.get(Number(rawId));
    if (!tx) throw new Ko("Erreur d'initialisation de la transaction.");
    const authority = resolveAuthority(req, {});
    if (authority && authority.id !== tx.authorityId) throw new Ko('Accès refusé.');
    if (tx.type !== 1) throw new Ko('Ce type de transaction ne peut pas être annulé.');
    const pending = transactions
      .relatedTo(tx.id)
      .some((t) => t.type === 6 && currentStatus(t).status > 0 && currentStatus(t).status < 4);
    if (pending) throw new Ko("Une demande d'annulation est déjà en cours pour cette transaction.");
    if (currentStatus(tx).status !== 4) {
      throw new Ko("Impossible d'annuler une transaction qui n'est pas en état « Acquittement reçu ».");
    }
    const id = nextTransactionId++;
    const at = now();
    transactions.set(id, { ...tx, id, type: 6, relatedId: tx.id, files: [], postedAt: at, events: [] });
    // ARAnnulation: the cancellation transaction is acknowledged, the act becomes "Annulé" (status 0).
    tx.events.push({
      at: at + ackDelayMs,
      status: 0,
      message: `Annulation reçue par le MIAT le ${today(new Date(at + ackDelayMs))}`,
    });
    return `${id}\n`;
  }

  /**
   * actes_transac_get_document.php on a transmission, as ActesTransaction::getCourrierInfo builds it:
   * one line `type-status-id` per transaction related to the act (messages, and the cancellation,
   * type 6); a message that was answered is listed under its answer's id and status (the answer's
   * type being the message's), so it no longer shows as received.
   */
  function courrierLines(tx: FakeTransaction): string {
    const lines: string[] = [];
    for (const related of transactions.relatedTo(tx.id)) {
      if (related.answerType !== null) continue;
      const answers = transactions.relatedTo(related.id).filter((t) => t.type !== 6);
      if (answers.length === 0) lines.push(`${related.type}-${currentStatus(related).status}-${related.id}`);
      for (const answered of answers)
        lines.push(`${related.type}-${currentStatus(answered).status}-${answered.id}`);
    }
    return lines.map((line) => `${line}\n`).join('');
  }

  function answer(req: http.IncomingMessage, form: Form): string {
    const message = transactions.get(Number(field(form, 'id')));
    if (!message || message.answerType !== null || message.type < 2 || message.type > 5) {
      throw new Ko('Transaction de référence introuvable.');
    }
    const authority = resolveAuthority(req, {});
    if (authority && authority.id !== message.authorityId) throw new Ko('Accès refusé');
    const typeActe = field(form, 'type_acte');
    if (!typeActe) throw new Ko('Erreur lors de la réception du fichier : typologie absente');
    const typeEnvoi = Number(field(form, 'type_envoie'));
    if (message.type !== 2 && typeEnvoi !== ANSWER_SEND && typeEnvoi !== ANSWER_REFUSE) {
      throw new Ko("Erreur lors de la génération de l'acte : Vous devez choisir un type de réponse");
    }
    if (message.type === 5)
      throw new Ko("Erreur lors de la génération de l'acte : Mauvais type de transaction.");
    const letter = form.files.acte_pdf_file?.[0];
    if (!letter || letter.content.length === 0) throw new Ko('Envoi de fichier illégal.');
    const documents = [
      letter,
      ...(message.type === 3 && typeEnvoi === ANSWER_SEND ? (form.files.acte_attachments ?? []) : []),
    ];
    const typePj = form.fields.type_pj ?? [];
    for (const [i, document] of documents.entries()) {
      const type = sniffMediaType(document.content);
      if (!MIME_EXT[type]) {
        throw new Ko(
          `Erreur de validation du fichier de l'acte :\nLe fichier de réponse " ${document.filename} " est de type " ${type} ". Fichier PDF, XML, PNG ou JPEG requis.`,
        );
      }
      if (i > 0 && !typePj[i - 1]) {
        throw new Ko(
          `Erreur lors de la réception du fichier annexe ${document.filename} : typologie absente`,
        );
      }
    }
    const id = nextTransactionId++;
    const stem = `${identifierOf(message)}-${message.type}-${typeEnvoi}`;
    transactions.set(id, {
      ...message,
      id,
      relatedId: message.id,
      answerType: typeEnvoi,
      postedAt: now(),
      events: [],
      read: true,
      description: null,
      files: documents.map((d, i) => {
        const type = sniffMediaType(d.content);
        return storedFile(
          `${stem}_${i + 1}.${MIME_EXT[type]}`,
          d.filename,
          type,
          d.content,
          i === 0 ? typeActe : (typePj[i - 1] ?? ''),
        );
      }),
    });
    return `${id}\n`;
  }

  const listJson = (rows: unknown) => JSON.stringify(rows);

  async function readBody(req: http.IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxEnvelopeBytes) tooLarge = true;
      else chunks.push(chunk as Buffer);
    }
    return { body: Buffer.concat(chunks), tooLarge };
  }

  async function handle(
    req: http.IncomingMessage,
  ): Promise<{ status: number; type: string; body: Buffer; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = (payload: string, status = 200) => ({
      status,
      type: `text/plain; charset=${charset === 'latin1' ? 'ISO-8859-1' : 'UTF-8'}`,
      body: encode(payload),
    });
    const okKo = (run: () => string) => {
      try {
        return text(`OK\n${run()}`);
      } catch (error) {
        if (error instanceof Ko) return text(`KO\n${error.message}\n`);
        throw error;
      }
    };
    const query = (name: string) => url.searchParams.get(name);
    let form: Form = { fields: {}, files: {}, fileCount: 0 };
    if (req.method === 'POST') {
      const { body, tooLarge } = await readBody(req);
      if (tooLarge) {
        const max =
          maxEnvelopeBytes >= 1024 * 1024
            ? `${Math.round(maxEnvelopeBytes / 1024 / 1024)}M`
            : `${maxEnvelopeBytes} octets`;
        return text(`KO\nLa taille totale des fichiers est trop importante (max : ${max})\n`);
      }
      const contentType = req.headers['content-type'] ?? '';
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
      form = boundary
        ? parseMultipart(body, boundary[1] ?? boundary[2] ?? '', decode)
        : parseUrlEncoded(body, decode);
      if (form.fileCount > maxFiles) {
        return text(`KO\nLe nombre d'annexes est trop important (max : ${maxFiles})\n`);
      }
    }
    switch (url.pathname) {
      case S2LOW_PATHS.classification: {
        try {
          // Without accounts the classification (the same for every collectivité here) is served to all.
          resolveAuthority(req, { siren: query('siren') ?? undefined });
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}\n`);
          throw error;
        }
        return {
          status: 200,
          type: 'text/xml',
          body: encodeLatin1(
            classificationXml(
              classification.date,
              classification.natures ?? FAKE_NATURES,
              classification.matieres,
            ),
          ),
        };
      }
      case S2LOW_PATHS.create:
        if (req.method !== 'POST')
          return text('KO\nLa taille totale des fichiers est trop importante (max : 150M)\n');
        return okKo(() => create(req, form));
      case S2LOW_PATHS.status:
        try {
          return text(statusAnswer(visibleTransaction(req, query('transaction'))));
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}`);
          throw error;
        }
      case S2LOW_PATHS.cancel:
        return okKo(() => cancel(req, form));
      case S2LOW_PATHS.documents:
        try {
          const tx = visibleTransaction(req, query('id'));
          if (tx.type !== 1)
            return {
              status: 302,
              type: 'text/plain',
              body: Buffer.alloc(0),
              headers: { location: `actes_download_file.php?env=${tx.id}` },
            };
          return text(courrierLines(tx));
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}`);
          throw error;
        }
      case S2LOW_PATHS.filesList:
        try {
          const tx = visibleTransaction(req, query('transaction'));
          if ([1, 2, 3].includes(currentStatus(tx).status)) return text("KO\nPas d'acquittement recu");
          return {
            status: 200,
            type: 'application/json',
            body: Buffer.from(
              listJson(
                tx.files.map((f) => ({
                  id: String(f.id),
                  name: f.name,
                  posted_filename: f.postedFilename,
                  mimetype: f.mimetype,
                  size: String(f.content.length),
                  sign: null,
                  code_pj: f.typology,
                })),
              ),
            ),
          };
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}`);
          throw error;
        }
      case S2LOW_PATHS.downloadFile: {
        const fileId = Number(query('file'));
        for (const tx of transactions.values()) {
          const file = tx.files.find((f) => f.id === fileId);
          if (!file) continue;
          const authority = resolveAuthority(req, {});
          if (authority && authority.id !== tx.authorityId) break;
          return {
            status: 200,
            type: file.mimetype,
            body: file.content,
            headers: { 'content-disposition': `attachment; filename="${file.postedFilename}"` },
          };
        }
        return { status: 302, type: 'text/plain', body: Buffer.alloc(0), headers: { location: '/' } };
      }
      case S2LOW_PATHS.answer: {
        const apiInQuery = query('api') !== null;
        try {
          const id = answer(req, form).trim();
          return text(apiInQuery ? `OK : id généré : ${id}\n` : `OK\n${id}\n`);
        } catch (error) {
          if (error instanceof Ko)
            return text(apiInQuery ? `KO : ${error.message}` : `KO\n${error.message}\n`);
          throw error;
        }
      }
      case S2LOW_PATHS.listActes: {
        try {
          const authority = resolveAuthority(req, { siren: query('siren') ?? undefined });
          if (!authority && options.requireAccount) throw new Ko("Échec de l'authentification");
          const statusId = Number(query('status_id') ?? 0);
          const offset = Number(query('offset') ?? 0);
          const limit = Number(query('limit') ?? 100);
          const rows = [...transactions.values()]
            .filter((tx) => tx.authorityId === authority?.id && currentStatus(tx).status === statusId)
            .sort((a, b) => b.id - a.id)
            .slice(offset, offset + limit)
            .map((tx) => ({
              id: tx.id,
              subject: tx.subject,
              number: tx.number,
              date: tx.decidedOn,
              nature_descr:
                FAKE_NATURES.find((n) => ACT_NATURE_CODES[n.nature] === tx.natureCode)?.label ?? '',
              classification: tx.classification,
              type: String(tx.type),
            }));
          return {
            status: 200,
            type: 'application/json',
            body: Buffer.from(
              listJson({
                status_id: statusId,
                authority_id: authority?.id ?? 0,
                offset,
                limit,
                transactions: rows,
              }),
            ),
          };
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}`);
          throw error;
        }
      }
      case S2LOW_PATHS.listDocumentPrefecture: {
        try {
          const authority = requireAuthority(req, { siren: query('siren') ?? undefined });
          const rows = [...transactions.values()]
            .filter(
              (t) =>
                t.authorityId === authority.id &&
                t.type >= 2 &&
                t.type <= 5 &&
                t.answerType === null &&
                !t.read,
            )
            .map((t) => ({
              id: String(t.id),
              type: String(t.type),
              related_transaction_id: String(t.relatedId),
              number: t.number,
              unique_id: identifierOf(t),
              last_status_id: String(currentStatus(t).status),
            }));
          return { status: 200, type: 'application/json', body: Buffer.from(listJson(rows)) };
        } catch (error) {
          if (error instanceof Ko) return text(`KO\n${error.message}`);
          throw error;
        }
      }
      case S2LOW_PATHS.markDocumentRead: {
        const tx = transactions.get(Number(query('transaction_id')));
        if (tx) tx.read = true;
        return { status: 200, type: 'application/json', body: Buffer.from(listJson({ result: 'ok' })) };
      }
      default:
        return { status: 404, type: 'text/html', body: Buffer.from('<html><body>Not Found</body></html>') };
    }
  }

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    hitCounts.set(url.pathname, (hitCounts.get(url.pathname) ?? 0) + 1);
    if (outage === 'hang') {
      req.resume();
      return;
    }
    if (outage === 'http503') {
      req.resume();
      res
        .writeHead(503, { 'content-type': 'text/html' })
        .end('<html><body>Service Unavailable</body></html>');
      return;
    }
    handle(req).then(
      (answer) => {
        if (drops.has(url.pathname) || drops.has('*')) {
          drops.delete(url.pathname);
          drops.delete('*');
          req.socket.destroy();
          return;
        }
        res
          .writeHead(answer.status, { 'content-type': answer.type, ...(answer.headers ?? {}) })
          .end(answer.body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  const find = (id: number | string) => transactions.get(Number(id));

  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      if (server.listening) await stopListening();
    },
    async outage(on, mode = 'http503') {
      if (!on) {
        if (outage === 'refused') await listen(port);
        if (outage === 'hang') for (const socket of sockets) socket.destroy();
        outage = null;
        return;
      }
      if (outage === 'refused') return;
      outage = mode;
      if (mode === 'refused') await stopListening();
    },
    dropNextResponse(path = '*') {
      drops.add(path);
    },
    addAuthority: (authority) => {
      addAuthority(authority);
    },
    setClassification(next) {
      classification = next ?? {
        date: FAKE_CLASSIFICATION_DATE,
        natures: FAKE_NATURES,
        matieres: FAKE_MATIERES,
      };
      indexClassification();
    },
    setAckDelay(ms) {
      ackDelayMs = ms;
    },
    transactions: () => [...transactions.values()],
    transmissions: () => [...transactions.values()].filter((t) => t.type === 1),
    transaction: find,
    statusOf(id) {
      const tx = find(id);
      if (!tx) throw new Error(`Transaction ${id} inconnue du faux S²LOW`);
      return currentStatus(tx).status;
    },
    reject(id, detail, nature = 'Erreur de contenu') {
      const tx = find(id);
      if (tx?.type !== 1) throw new Error(`Transmission ${id} inconnue du faux S²LOW`);
      if (currentStatus(tx).status === 4) throw new Error(`La transmission ${id} est déjà acquittée`);
      tx.events.push({
        at: now(),
        status: -1,
        message: `Anomalie signalee par le MIAT : ${nature} - ${detail}`,
      });
    },
    sendMessage(id, message) {
      const tx = find(id);
      if (tx?.type !== 1) throw new Error(`Transmission ${id} inconnue du faux S²LOW`);
      if (currentStatus(tx).status !== 4) {
        throw new Error(`La préfecture n'écrit qu'au sujet d'un acte acquitté (transaction ${id})`);
      }
      const messageId = nextTransactionId++;
      const type = MESSAGE_TYPE_BY_KIND[message.kind];
      const identifier = identifierOf(tx);
      const stem = `${identifier}-${type}-1`;
      const documents = message.documents ?? [];
      const sentOn = message.sentOn ?? today(new Date(now()));
      const xml = prefectureMessageXml({
        kind: message.kind,
        identifier,
        sentOn,
        description: message.description ?? '',
        filenames: documents.map((_, i) => `${stem}_${i + 1}.pdf`),
      });
      transactions.set(messageId, {
        ...tx,
        id: messageId,
        type,
        relatedId: tx.id,
        postedAt: now(),
        events: [],
        read: false,
        answerType: null,
        description: message.description ?? null,
        files: [
          storedFile(`${stem}_0.xml`, `${stem}_0.xml`, 'text/xml', encodeLatin1(xml), ''),
          ...documents.map((d, i) =>
            storedFile(
              `${stem}_${i + 1}.${MIME_EXT[sniffMediaType(d.content)] ?? 'pdf'}`,
              d.filename,
              sniffMediaType(d.content),
              d.content,
              '',
            ),
          ),
        ],
      });
      return messageId;
    },
    answers: (messageId) => transactions.relatedTo(Number(messageId)).filter((t) => t.answerType !== null),
    hits: (path) => hitCounts.get(path) ?? 0,
  };
}

/**
 * The fake S²LOW of the demo, from the environment: started when S2LOW_FAKE is `1`/`true`, on
 * S2LOW_FAKE_PORT (default 0: a free port), acknowledging after S2LOW_FAKE_ACK_DELAY_MS (default 3000).
 * Null otherwise. The caller points the client at `url` and closes it on shutdown.
 */
export async function fakeS2lowFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<FakeS2low | null> {
  if (!['1', 'true', 'yes'].includes((env.S2LOW_FAKE ?? '').toLowerCase())) return null;
  return startFakeS2low({
    port: env.S2LOW_FAKE_PORT ? Number(env.S2LOW_FAKE_PORT) : 0,
    ackDelayMs: env.S2LOW_FAKE_ACK_DELAY_MS ? Number(env.S2LOW_FAKE_ACK_DELAY_MS) : 3000,
  });
}

/** The nature letters of a numeric code (tests, the demo). */
export const natureOfCode = (code: number): ActNature | undefined => NATURE_BY_CODE[code];
