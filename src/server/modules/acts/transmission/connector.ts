import type { ActNature } from '../../../../contracts/acts.js';

/**
 * What the acts module needs from a tiers de télétransmission. The first implementation speaks the
 * S²LOW HTTP API (`s2low.client.ts`); `s2low.fake-server.ts` plays S²LOW in tests and in the demo.
 * The service never sees HTTP: it sees these calls and the two errors below.
 */

export interface EnvelopeFile {
  filename: string;
  mediaType: string;
  content: Buffer;
  /**
   * The document's @CTES "typologie" (5 characters, e.g. `99_DE`), from the classification file's
   * `typologies`. Optional: the S²LOW client falls back to the nature's default (`99_DE`, `99_AR`…).
   */
  typology?: string;
}

export interface ActEnvelope {
  /** The member's SIREN (9 digits) and département (as in the territory: `85`, `2A`, `971`). */
  siren: string;
  departement: string;
  nature: ActNature;
  /** Classification code, e.g. `7.1`. */
  classification: string;
  /** The classification file's date the act was classified against (`YYYY-MM-DD`). */
  classificationDate: string;
  number: string;
  decidedOn: string;
  subject: string;
  main: EnvelopeFile;
  annexes: EnvelopeFile[];
}

/** The states of a transaction, mapped from S²LOW's numeric statuses. */
export type TransactionState =
  | 'posted' // 1 posté
  | 'waiting' // 2 en attente de transmission (17/18: en attente d'être postée / signée)
  | 'transmitted' // 3 transmis
  | 'acknowledged' // 4 acquittement reçu
  | 'error' // -1 erreur, 6 refusé
  | 'cancelled' // 0 annulé (the prefecture acknowledged the cancellation)
  | 'other';

export interface TransactionStatus {
  state: TransactionState;
  /** S²LOW's own numeric status, kept for support. */
  code: number;
  /** The official identifier once acknowledged (`085-218501914-20261204-DEL2026_042-DE`). */
  prefectureId?: string;
  acknowledgedAt?: Date;
  /** The error message, in French, when state is `error`. */
  message?: string;
}

export interface PrefectureMessage {
  /** The tiers' own id of the message transaction. */
  id: string;
  kind: 'courrier_simple' | 'demande_pieces' | 'lettre_observations' | 'defere';
  receivedAt: Date;
  documents: EnvelopeFile[];
  /** The prefecture's own words about it (`actes:Description`), when it gives some. */
  description?: string;
}

export interface ClassificationFile {
  /** The date the prefecture gives its classification (`YYYY-MM-DD`). */
  date: string;
  entries: { code: string; label: string; level: number }[];
  /** The document typologies the prefecture accepts per nature (`TypePJNatureActe`), when given. */
  typologies?: { nature: ActNature; code: string; label: string }[];
}

export interface ActsConnector {
  fetchClassification(siren: string): Promise<ClassificationFile>;
  /**
   * Sends an envelope and answers the tiers' transaction id. If a transaction for the same member and
   * number already exists (a retry after the process stopped between the call and its answer), answers
   * that transaction's id instead of creating a second one.
   */
  create(envelope: ActEnvelope): Promise<{ transactionId: string }>;
  status(transactionId: string): Promise<TransactionStatus>;
  cancel(transactionId: string): Promise<void>;
  /**
   * Messages from the prefecture about this transaction, oldest first. S²LOW stops listing a message
   * once it is answered (it lists the answer instead): keep what was recorded.
   */
  messages(transactionId: string): Promise<PrefectureMessage[]>;
  /** Answers a demande de pièces complémentaires with documents. */
  answer(transactionId: string, messageId: string, documents: EnvelopeFile[]): Promise<void>;
}

/** The tiers could not be reached or answered 5xx: retry later (the job backs off). */
export class ConnectorUnavailable extends Error {
  override name = 'ConnectorUnavailable';
}

/** The tiers refused the envelope: the act goes to `error` with this French message. */
export class ConnectorRefused extends Error {
  override name = 'ConnectorRefused';
}
