import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { ACT_NATURE_CODES } from '../../../../contracts/acts.js';
import {
  type ActEnvelope,
  type ActsConnector,
  type ClassificationFile,
  ConnectorRefused,
  ConnectorUnavailable,
  type EnvelopeFile,
  type PrefectureMessage,
  type TransactionStatus,
} from './connector.js';
import {
  ANSWER_SEND,
  DEFAULT_TYPOLOGY,
  decodeAnswer,
  encodeLatin1,
  MESSAGE_KIND_BY_TYPE,
  type OkKo,
  parisMidnight,
  parseArActe,
  parseClassificationXml,
  parseOkKo,
  parsePrefectureMessageXml,
  S2LOW_PATHS,
  S2LOW_STATUS,
  S2LOW_STATUS_LABELS,
  safeFilename,
  transactionState,
} from './s2low.protocol.js';

/**
 * The S²LOW client: `ActsConnector` over S²LOW's HTTP API (see s2low.protocol.ts for where each wire
 * fact was read). One client is one S²LOW account, i.e. one collectivité: S²LOW takes the SIREN and the
 * département from the account (certificate and/or login), never from the request.
 */

export interface S2lowClientOptions {
  /** e.g. `https://s2low.example.fr` (no trailing `/modules/...`). */
  baseUrl: string;
  /** HTTP Basic login/password, when the account's certificate is shared (Pastell's `user_login`). */
  login?: string;
  password?: string;
  /** The account's client certificate, PKCS#12 (`.p12`/`.pfx`), and its passphrase. */
  pfx?: Buffer;
  passphrase?: string;
  /** Extra certificate authorities to trust for S²LOW's server certificate (PEM). */
  ca?: string | Buffer;
  /** Each call's deadline; beyond it the call fails with `ConnectorUnavailable`. Default 30 s. */
  timeoutMs?: number;
  /**
   * Replaces the transport with a fetch function (tests, proxies). Not combinable with `pfx`: a client
   * certificate needs node:https (used by default), or an undici Agent the caller would pass in its fetch.
   */
  fetch?: typeof fetch;
  /**
   * Encoding of the text fields sent (the subject). S²LOW reads ISO-8859-1, which Pastell sends
   * (`utf8_decode`); `utf-8` for an instance configured otherwise.
   */
  charset?: 'latin1' | 'utf-8';
  /**
   * Also send the envelope's SIREN and département (`siren`, `departement` fields or query parameters).
   * The real S²LOW ignores them (the account decides); the fake server uses them to pick the
   * collectivité when it runs without accounts (tests, demo). Default true.
   */
  authorityHints?: boolean;
  /**
   * Before sending, compare the envelope's classification date with S²LOW's current classification and
   * refuse locally when it is outdated or the code unknown (Pastell's verifClassif). Default true.
   */
  checkClassification?: boolean;
  /** How long a fetched classification is reused by that check. Default 60 s. */
  classificationCacheMs?: number;
  /** Clock for the classification cache (tests). */
  now?: () => number;
}

/** S²LOW answered that the account is not allowed in: a configuration problem, retried once fixed. */
export class S2lowAuthenticationError extends ConnectorUnavailable {
  override name = 'S2lowAuthenticationError';
}

interface WireResponse {
  status: number;
  body: Buffer;
  contentType: string;
}

interface WireRequest {
  method: 'GET' | 'POST';
  /**
   * A POST that may be sent again when a kept-alive connection turns out closed (ECONNRESET, EPIPE):
   * the envelope's creation, whose repetition S²LOW refuses as a duplicate number, which the client
   * recognises as the same act (recoverDuplicate).
   */
  resendable?: boolean;
  path: string;
  query?: Record<string, string>;
  body?: Buffer;
  contentType?: string;
}

type Part = { name: string; value: string } | { name: string; file: EnvelopeFile };

const RECEIVED_STATUSES = new Set<number>([
  S2LOW_STATUS.documentReceived,
  S2LOW_STATUS.documentReceivedAckSent,
  S2LOW_STATUS.documentReceivedNoAck,
]);
const DUPLICATE_NUMBER = /même numéro( interne)? existe déjà/i;
const AUTH_FAILURES = /Échec de l'authentification|Accès refusé|certificat/i;

export interface S2lowListedTransaction {
  id: string;
  number: string;
  subject: string;
  decidedOn: string | null;
  type: number;
  statusCode: number;
}

export interface S2lowClient extends ActsConnector {
  /**
   * Finds the authority's transmission with this internal number (list_actes.php, scanning the statuses
   * a transmission can be in, newest first). Null when S²LOW has none.
   */
  findTransmission(number: string, siren?: string): Promise<S2lowListedTransaction | null>;
  /** Closes the kept-alive connections (on shutdown; idle ones do not hold the process anyway). */
  close(): void;
}

/** SIRENs whose classification the client keeps (the oldest fetched is dropped first). */
const CLASSIFICATION_CACHE_SIZE = 2_000;

export function createS2lowClient(options: S2lowClientOptions): S2lowClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const charset = options.charset ?? 'latin1';
  const hints = options.authorityHints ?? true;
  const now = options.now ?? Date.now;
  const cacheMs = options.classificationCacheMs ?? 60_000;
  if (options.fetch && options.pfx) {
    throw new Error(
      'S²LOW : un certificat client (pfx) demande le transport node:https, pas une fonction fetch',
    );
  }
  const authorization =
    options.login !== undefined
      ? `Basic ${Buffer.from(`${options.login}:${options.password ?? ''}`, 'utf8').toString('base64')}`
      : undefined;
  const tls = { pfx: options.pfx, passphrase: options.passphrase, ca: options.ca };
  const agent = baseUrl.startsWith('https:')
    ? new https.Agent({ keepAlive: true, ...tls })
    : new http.Agent({ keepAlive: true });
  /**
   * New connections only, closed after their exchange: for the second try of an exchange whose
   * kept-alive connection was reset. The pool may hold other connections the server closed at the
   * same moment (an idle timeout closes them together); a second try taken from it failed the same
   * way, and the job waited for its retry, 30 s later.
   */
  const freshAgent = baseUrl.startsWith('https:')
    ? new https.Agent({ keepAlive: false, ...tls })
    : new http.Agent({ keepAlive: false });

  const encodeText = (text: string): Buffer =>
    charset === 'latin1' ? encodeLatin1(text) : Buffer.from(text.normalize('NFC'), 'utf8');

  function unavailable(reason: string): ConnectorUnavailable {
    return new ConnectorUnavailable(`S²LOW est injoignable (${reason}) : nouvel essai plus tard`);
  }

  async function viaNode(request: WireRequest, url: URL, fresh: boolean): Promise<WireResponse> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<WireResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: '*/*' };
      if (authorization) headers.authorization = authorization;
      if (request.body) {
        headers['content-type'] = request.contentType ?? 'application/octet-stream';
        headers['content-length'] = request.body.length;
      }
      // A deadline for the whole exchange (a socket timeout would only catch silence).
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      };
      const via = fresh ? freshAgent : agent;
      const req = transport.request(url, { method: request.method, headers, agent: via }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            contentType: String(res.headers['content-type'] ?? ''),
          });
        });
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      });
      req.on('error', fail);
      req.end(request.body);
    });
  }

  async function viaFetch(request: WireRequest, url: URL, fetcher: typeof fetch): Promise<WireResponse> {
    const headers: Record<string, string> = { accept: '*/*' };
    if (authorization) headers.authorization = authorization;
    if (request.body) headers['content-type'] = request.contentType ?? 'application/octet-stream';
    const response = await fetcher(url, {
      method: request.method,
      headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? '',
    };
  }

  /** One HTTP exchange; network failures, timeouts and 5xx become ConnectorUnavailable. */
  async function call(request: WireRequest): Promise<WireResponse> {
    const url = new URL(baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const exchange = (fresh: boolean) =>
      options.fetch ? viaFetch(request, url, options.fetch) : viaNode(request, url, fresh);
    let response: WireResponse;
    try {
      try {
        response = await exchange(false);
      } catch (error) {
        // A kept-alive connection the server had just closed: a reading, or a creation (see resendable),
        // is safely tried once more, on a new connection. Only if that fails too is S²LOW unreachable
        // (the job then retries with its backoff, as for any outage).
        const code = (error as { code?: string }).code;
        const resendable = request.method === 'GET' || request.resendable;
        if (!resendable || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw error;
        response = await exchange(true);
      }
    } catch (error) {
      const code = (error as { code?: string; name?: string }).code ?? (error as Error).name;
      if (code === 'ETIMEDOUT' || code === 'TimeoutError') {
        throw unavailable(`pas de réponse en ${Math.round(timeoutMs / 1000)} s`);
      }
      throw unavailable(code ?? 'erreur réseau');
    }
    if (response.status === 401 || response.status === 403) {
      throw new S2lowAuthenticationError(
        `S²LOW refuse l'accès (HTTP ${response.status}) : vérifiez l'identifiant, le mot de passe ou le certificat du connecteur`,
      );
    }
    if (response.status >= 500) throw unavailable(`HTTP ${response.status}`);
    if (response.status < 200 || response.status >= 300) {
      throw unavailable(`HTTP ${response.status} sur ${request.path}, vérifiez l'adresse du connecteur`);
    }
    return response;
  }

  /** An `OK/KO` call; an answer that is neither (an HTML page…) is treated as unavailability. */
  async function callOkKo(request: WireRequest): Promise<OkKo & { text: string }> {
    const response = await call(request);
    const text = decodeAnswer(response.body);
    const parsed = parseOkKo(text);
    if (!parsed) {
      throw unavailable(`réponse inattendue : « ${text.replace(/\s+/g, ' ').trim().slice(0, 80)} »`);
    }
    if (!parsed.ok) refuseOrRetry(parsed.message);
    return { ...parsed, text };
  }

  /** A KO that is about the account is not the act's fault: retried once the configuration is fixed. */
  function refuseOrRetry(message: string): void {
    if (AUTH_FAILURES.test(message)) {
      throw new S2lowAuthenticationError(
        `S²LOW refuse l'accès : ${message} (vérifiez l'identifiant, le mot de passe ou le certificat du connecteur)`,
      );
    }
    if (/Erreur d'initialisation du module/i.test(message)) throw unavailable(message);
  }

  function multipart(parts: Part[]): { body: Buffer; contentType: string } {
    const boundary = `----socle${randomBytes(12).toString('hex')}`;
    const chunks: Buffer[] = [];
    for (const part of parts) {
      if ('value' in part) {
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`,
            'latin1',
          ),
          encodeText(part.value),
          Buffer.from('\r\n', 'latin1'),
        );
      } else {
        const filename = safeFilename(part.file.filename);
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${filename}"\r\nContent-Type: ${part.file.mediaType}\r\n\r\n`,
            'latin1',
          ),
          part.file.content,
          Buffer.from('\r\n', 'latin1'),
        );
      }
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
    return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function postForm(path: string, parts: Part[], resendable = false): Promise<OkKo & { text: string }> {
    const { body, contentType } = multipart(parts);
    return callOkKo({ method: 'POST', path, body, contentType, resendable });
  }

  /**
   * Classifications fetched, per SIREN: one client serves every member of the platform, and sends
   * interleave members, so a single slot would fetch and parse the file again for nearly every
   * envelope. Concurrent misses for one SIREN share the same request.
   */
  const cached = new Map<string, { file: ClassificationFile; at: number }>();
  const fetching = new Map<string, Promise<ClassificationFile>>();

  async function fetchClassification(siren: string): Promise<ClassificationFile> {
    const response = await call({
      method: 'GET',
      path: S2LOW_PATHS.classification,
      query: { api: '1', ...(hints && siren ? { siren } : {}) },
    });
    const text = decodeAnswer(response.body);
    const okKo = parseOkKo(text);
    if (okKo && !okKo.ok) {
      refuseOrRetry(okKo.message);
      throw new ConnectorRefused(`S²LOW ne donne pas la classification : ${okKo.message}`);
    }
    try {
      const file = parseClassificationXml(text);
      if (cached.size >= CLASSIFICATION_CACHE_SIZE) cached.delete(cached.keys().next().value as string);
      cached.delete(siren);
      cached.set(siren, { file, at: now() });
      return file;
    } catch (error) {
      throw unavailable(`classification illisible : ${(error as Error).message}`);
    }
  }

  async function currentClassification(siren: string): Promise<ClassificationFile> {
    const hit = cached.get(siren);
    if (hit && now() - hit.at < cacheMs) return hit.file;
    let pending = fetching.get(siren);
    if (!pending) {
      pending = fetchClassification(siren).finally(() => fetching.delete(siren));
      fetching.set(siren, pending);
    }
    return pending;
  }

  async function listTransactions(statusId: number, offset: number, limit: number, siren?: string) {
    const response = await call({
      method: 'GET',
      path: S2LOW_PATHS.listActes,
      query: {
        status_id: String(statusId),
        offset: String(offset),
        limit: String(limit),
        ...(hints && siren ? { siren } : {}),
      },
    });
    const text = decodeAnswer(response.body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const okKo = parseOkKo(text);
      if (okKo && !okKo.ok) refuseOrRetry(okKo.message);
      throw unavailable(`liste des actes illisible : « ${text.slice(0, 80)} »`);
    }
    const rows = (parsed as { transactions?: unknown }).transactions;
    if (!Array.isArray(rows)) throw unavailable('liste des actes illisible');
    return rows.map((row: Record<string, unknown>) => ({
      id: String(row.id),
      number: String(row.number ?? ''),
      subject: String(row.subject ?? ''),
      decidedOn: typeof row.date === 'string' ? row.date.slice(0, 10) : null,
      type: Number(row.type ?? 1),
      statusCode: statusId,
    }));
  }

  /** Statuses a transmission may sit in, most likely first for a retry minutes after the first call. */
  const SCANNED_STATUSES = [1, 2, 3, 4, 17, 18, -1, 0, 6, 5];
  const PAGE = 100;
  const MAX_PAGES = 20;

  async function findTransmission(number: string, siren?: string): Promise<S2lowListedTransaction | null> {
    for (const statusId of SCANNED_STATUSES) {
      for (let page = 0; page < MAX_PAGES; page++) {
        const rows = await listTransactions(statusId, page * PAGE, PAGE, siren);
        const found = rows.find((row) => row.number === number && row.type === 1);
        if (found) return found;
        if (rows.length < PAGE) break;
      }
    }
    return null;
  }

  const comparable = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();

  /**
   * S²LOW refused the number as already used (it never accepts a number twice per collectivité, whatever
   * the first transaction became). If that transaction is this act (same decision date and subject), it
   * is a retry after the process stopped before it recorded the answer: answer its id.
   */
  async function recoverDuplicate(
    envelope: ActEnvelope,
    message: string,
  ): Promise<{ transactionId: string }> {
    const existing = await findTransmission(envelope.number, envelope.siren);
    if (!existing) {
      throw new ConnectorRefused(`S²LOW a refusé l'envoi : ${message}`);
    }
    const sameAct =
      (existing.decidedOn === null || existing.decidedOn === envelope.decidedOn) &&
      comparable(existing.subject) === comparable(envelope.subject);
    if (!sameAct) {
      throw new ConnectorRefused(
        `Le numéro ${envelope.number} est déjà utilisé sur S²LOW par un autre acte (transaction ${existing.id}, « ${existing.subject} ») : changez le numéro de l'acte (par exemple en ajoutant un suffixe).`,
      );
    }
    if (existing.statusCode === S2LOW_STATUS.error || existing.statusCode === S2LOW_STATUS.refused) {
      const status = await getStatus(existing.id);
      throw new ConnectorRefused(
        `Cet acte a déjà été transmis à S²LOW (transaction ${existing.id}), qui l'a mis en erreur${status.message ? ` : ${status.message}` : ''}. S²LOW n'accepte pas deux fois le même numéro : ajoutez un suffixe au numéro puis transmettez à nouveau.`,
      );
    }
    if (existing.statusCode === S2LOW_STATUS.cancelled) {
      throw new ConnectorRefused(
        `Cet acte a déjà été transmis puis annulé sur S²LOW (transaction ${existing.id}) : S²LOW n'accepte pas deux fois le même numéro, donnez-lui un nouveau numéro.`,
      );
    }
    return { transactionId: existing.id };
  }

  async function create(envelope: ActEnvelope): Promise<{ transactionId: string }> {
    const levels = envelope.classification.split('.');
    if (!(envelope.nature in ACT_NATURE_CODES)) {
      throw new ConnectorRefused(
        `Nature d'acte inconnue : « ${envelope.nature} » (DE, AR, AI, CC, BF ou AU)`,
      );
    }
    if (options.checkClassification ?? true) {
      const current = await currentClassification(envelope.siren);
      if (current.date !== envelope.classificationDate) {
        throw new ConnectorRefused(
          `La classification utilisée (version du ${envelope.classificationDate}) n'est plus à jour : la préfecture a publié celle du ${current.date}. Mettez à jour la classification puis reclassez l'acte.`,
        );
      }
      if (!current.entries.some((entry) => entry.code === envelope.classification)) {
        throw new ConnectorRefused(
          `La classification ${envelope.classification} n'existe pas dans la classification de la préfecture (version du ${current.date}).`,
        );
      }
    }
    const mainTypology = envelope.main.typology ?? DEFAULT_TYPOLOGY[envelope.nature];
    const parts: Part[] = [
      { name: 'api', value: '1' },
      { name: 'nature_code', value: String(ACT_NATURE_CODES[envelope.nature]) },
      ...levels.map((level, i) => ({ name: `classif${i + 1}`, value: level })),
      { name: 'number', value: envelope.number },
      { name: 'decision_date', value: envelope.decidedOn },
      { name: 'subject', value: envelope.subject },
      { name: 'en_attente', value: '0' },
      { name: 'document_papier', value: '0' },
      { name: 'type_acte', value: mainTypology },
      ...envelope.annexes.map((annex) => ({
        name: 'type_pj[]',
        value: annex.typology ?? DEFAULT_TYPOLOGY[envelope.nature],
      })),
      ...(hints
        ? [
            { name: 'siren', value: envelope.siren },
            { name: 'departement', value: envelope.departement },
          ]
        : []),
      { name: 'acte_pdf_file', file: envelope.main },
      ...envelope.annexes.map((annex) => ({ name: 'acte_attachments[]', file: annex })),
    ];
    const answer = await postForm(S2LOW_PATHS.create, parts, true);
    if (!answer.ok) {
      if (DUPLICATE_NUMBER.test(answer.message)) return recoverDuplicate(envelope, answer.message);
      throw new ConnectorRefused(`S²LOW a refusé l'envoi : ${answer.message}`);
    }
    const id = (answer.lines[0] ?? '').trim();
    if (!/^\d+$/.test(id))
      throw unavailable(`identifiant de transaction absent de la réponse « ${answer.text.slice(0, 80)} »`);
    return { transactionId: id };
  }

  async function getStatus(transactionId: string): Promise<TransactionStatus> {
    const answer = await callOkKo({
      method: 'GET',
      path: S2LOW_PATHS.status,
      query: { transaction: transactionId },
    });
    if (!answer.ok)
      throw new ConnectorRefused(
        `S²LOW ne donne pas l'état de la transaction ${transactionId} : ${answer.message}`,
      );
    const code = Number((answer.lines[0] ?? '').trim());
    if (!Number.isInteger(code)) throw unavailable(`état illisible « ${answer.text.slice(0, 80)} »`);
    const flux = answer.lines.slice(1).join('\n');
    const status: TransactionStatus = { state: transactionState(code), code };
    if (code === S2LOW_STATUS.acknowledged) {
      const ar = parseArActe(flux);
      if (ar) {
        status.prefectureId = ar.identifier;
        status.acknowledgedAt = parisMidnight(ar.receivedOn);
      }
    }
    if (status.state === 'error') {
      // Status -1: the flux (an AnomalieActe, when the ministry sent one) then S²LOW's message.
      const afterXml = flux.includes('<?xml') ? flux.slice(flux.lastIndexOf('>') + 1) : flux;
      const detail = /<actes:Detail>([\s\S]*?)<\/actes:Detail>/.exec(flux)?.[1]?.trim();
      status.message = afterXml.trim() || detail || S2LOW_STATUS_LABELS[code] || 'Erreur';
    }
    return status;
  }

  async function cancel(transactionId: string): Promise<void> {
    const answer = await postForm(S2LOW_PATHS.cancel, [
      { name: 'api', value: '1' },
      { name: 'id', value: transactionId },
    ]);
    if (answer.ok) return;
    // A retry after the process stopped: the first request did create the cancellation.
    if (/demande d'annulation est déjà en cours/i.test(answer.message)) return;
    throw new ConnectorRefused(`S²LOW a refusé l'annulation : ${answer.message}`);
  }

  async function download(fileId: string): Promise<Buffer> {
    const response = await call({ method: 'GET', path: S2LOW_PATHS.downloadFile, query: { file: fileId } });
    return response.body;
  }

  async function messages(transactionId: string): Promise<PrefectureMessage[]> {
    const listing = await call({ method: 'GET', path: S2LOW_PATHS.documents, query: { id: transactionId } });
    const text = decodeAnswer(listing.body).trim();
    const okKo = parseOkKo(text);
    if (okKo && !okKo.ok) {
      refuseOrRetry(okKo.message);
      throw new ConnectorRefused(
        `S²LOW ne donne pas les messages de la transaction ${transactionId} : ${okKo.message}`,
      );
    }
    const result: PrefectureMessage[] = [];
    for (const line of text ? text.split('\n') : []) {
      // `type-status-id` (ActesTransaction::getCourrierInfo): messages received carry a "document reçu"
      // status (7, 8, 21); a line with another status is the collectivité's answer to a message (listed
      // in its place once answered) or the cancellation (type 6): not a message from the prefecture.
      const [type, status, id] = line.trim().split('-');
      const kind = MESSAGE_KIND_BY_TYPE[Number(type)];
      if (!kind || !id || !/^\d+$/.test(id) || !RECEIVED_STATUSES.has(Number(status))) continue;
      const filesResponse = await call({
        method: 'GET',
        path: S2LOW_PATHS.filesList,
        query: { transaction: id },
      });
      const filesText = decodeAnswer(filesResponse.body);
      let files: { id: string | number; name: string; posted_filename?: string; mimetype?: string }[];
      try {
        files = JSON.parse(filesText);
      } catch {
        throw unavailable(`liste des fichiers du message ${id} illisible`);
      }
      let receivedAt: Date | undefined;
      let description: string | undefined;
      const documents: PrefectureMessage['documents'] = [];
      for (const file of files) {
        const content = await download(String(file.id));
        if (/_0\.xml$/.test(file.name)) {
          const parsed = parsePrefectureMessageXml(decodeAnswer(content));
          if (parsed.sentOn) receivedAt = parisMidnight(parsed.sentOn);
          if (parsed.description) description = parsed.description;
          continue;
        }
        documents.push({
          filename: file.posted_filename || file.name,
          mediaType: file.mimetype || 'application/octet-stream',
          content,
        });
      }
      result.push({ id, kind, receivedAt: receivedAt ?? new Date(now()), documents, description });
    }
    return result.sort(
      (a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || Number(a.id) - Number(b.id),
    );
  }

  async function answer(_transactionId: string, messageId: string, documents: EnvelopeFile[]): Promise<void> {
    const [letter, ...pieces] = documents;
    if (!letter) throw new ConnectorRefused('La réponse à la préfecture demande au moins un document');
    const fallback = '99_AU';
    const result = await postForm(S2LOW_PATHS.answer, [
      { name: 'api', value: '1' },
      { name: 'id', value: messageId },
      { name: 'type_envoie', value: String(ANSWER_SEND) },
      { name: 'type_acte', value: letter.typology ?? fallback },
      ...pieces.map((piece) => ({ name: 'type_pj[]', value: piece.typology ?? fallback })),
      { name: 'acte_pdf_file', file: letter },
      ...pieces.map((piece) => ({ name: 'acte_attachments[]', file: piece })),
    ]);
    if (!result.ok) throw new ConnectorRefused(`S²LOW a refusé la réponse : ${result.message}`);
  }

  return {
    fetchClassification,
    create,
    status: getStatus,
    cancel,
    messages,
    answer,
    findTransmission,
    close: () => {
      agent.destroy();
      freshAgent.destroy();
    },
  };
}

/**
 * The client's options from the environment (suggested names; one account, i.e. one collectivité):
 * S2LOW_URL, S2LOW_LOGIN, S2LOW_PASSWORD, S2LOW_CERTIFICATE (path of a .p12/.pfx file),
 * S2LOW_CERTIFICATE_PASSPHRASE, S2LOW_CA (path of a PEM file), S2LOW_TIMEOUT_MS. Null without S2LOW_URL.
 */
export async function s2lowOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Promise<S2lowClientOptions | null> {
  const baseUrl = env.S2LOW_URL;
  if (!baseUrl) return null;
  const { readFile } = await import('node:fs/promises');
  return {
    baseUrl,
    login: env.S2LOW_LOGIN || undefined,
    password: env.S2LOW_PASSWORD || undefined,
    pfx: env.S2LOW_CERTIFICATE ? await readFile(env.S2LOW_CERTIFICATE) : undefined,
    passphrase: env.S2LOW_CERTIFICATE_PASSPHRASE || undefined,
    ca: env.S2LOW_CA ? await readFile(env.S2LOW_CA) : undefined,
    timeoutMs: env.S2LOW_TIMEOUT_MS ? Number(env.S2LOW_TIMEOUT_MS) : undefined,
  };
}
