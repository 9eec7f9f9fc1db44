import type { ActNature, PublicAct } from '../../../contracts/acts.js';
import { now } from '../../platform/clock.js';
import { presentAct, publicDocumentUrl } from './acts.present.js';
import type { ActListRow } from './acts.repository.js';
import {
  type ActEnvelope,
  type ActsConnector,
  type ClassificationFile,
  ConnectorRefused,
  ConnectorUnavailable,
  type EnvelopeFile,
  type PrefectureMessage,
  type TransactionStatus,
} from './transmission/connector.js';

/**
 * A tiers de télétransmission in memory, for service and job tests: it keeps transactions with their
 * ids, checks envelopes and refuses bad ones as S²LOW does, answers the same transaction for a second
 * `create` of the same act, moves a transaction to acknowledged once `ackDelayMs` has passed on the
 * platform clock (with the official identifier), and can be made unreachable.
 */

export const TEST_CLASSIFICATION: ClassificationFile = {
  date: '2026-01-15',
  entries: [
    { code: '1', label: 'Commande publique', level: 1 },
    { code: '1.1', label: 'Marchés publics', level: 2 },
    { code: '2', label: 'Urbanisme', level: 1 },
    { code: '2.1', label: "Documents d'urbanisme", level: 2 },
    { code: '4', label: 'Fonction publique', level: 1 },
    { code: '4.1', label: 'Personnel titulaire et stagiaire de la FPT', level: 2 },
    { code: '7', label: 'Finances locales', level: 1 },
    { code: '7.1', label: 'Décisions budgétaires', level: 2 },
    { code: '9', label: 'Autres domaines de compétences', level: 1 },
    { code: '9.1', label: 'Autres domaines de compétences des communes', level: 2 },
  ],
};

interface Transaction {
  id: string;
  envelope: ActEnvelope;
  createdAt: Date;
  state: TransactionStatus['state'];
  message?: string;
  acknowledgedAt?: Date;
  prefectureId?: string;
  messages: PrefectureMessage[];
  answers: { messageId: string; documents: EnvelopeFile[] }[];
}

const CODES: Record<TransactionStatus['state'], number> = {
  posted: 1,
  waiting: 2,
  transmitted: 3,
  acknowledged: 4,
  cancelled: 5,
  error: -1,
  other: 0,
};

export class MemoryActsConnector implements ActsConnector {
  readonly transactions = new Map<string, Transaction>();
  /** Calls made, by name (create, status…), to count them in tests. */
  readonly calls: string[] = [];
  classification: ClassificationFile = TEST_CLASSIFICATION;
  /** Until set back to false, every call throws ConnectorUnavailable. */
  down = false;
  private next = 1;

  constructor(public ackDelayMs = 0) {}

  private call(name: string) {
    this.calls.push(name);
    if (this.down) throw new ConnectorUnavailable('S²LOW ne répond pas (503 Service Unavailable)');
  }

  count(name: string) {
    return this.calls.filter((c) => c === name).length;
  }

  async fetchClassification(siren: string) {
    this.call('fetchClassification');
    if (!/^\d{9}$/.test(siren)) throw new ConnectorRefused(`SIREN inconnu : ${siren}`);
    return this.classification;
  }

  async create(envelope: ActEnvelope) {
    this.call('create');
    const same = [...this.transactions.values()].find(
      (t) =>
        t.envelope.siren === envelope.siren &&
        t.envelope.number === envelope.number &&
        t.state !== 'error' &&
        t.state !== 'cancelled',
    );
    if (same) return { transactionId: same.id };
    if (envelope.main.mediaType !== 'application/pdf') {
      throw new ConnectorRefused("Le fichier principal de l'acte doit être au format PDF");
    }
    if (!/^[A-Z0-9_]{1,15}$/.test(envelope.number)) {
      throw new ConnectorRefused("Le numéro interne de l'acte est invalide");
    }
    if (!this.classification.entries.some((e) => e.code === envelope.classification)) {
      throw new ConnectorRefused(`La classification ${envelope.classification} n'existe pas`);
    }
    if (envelope.classificationDate < this.classification.date) {
      throw new ConnectorRefused('La classification utilisée n’est plus à jour');
    }
    const id = String(this.next++);
    this.transactions.set(id, {
      id,
      envelope,
      createdAt: now(),
      state: 'posted',
      messages: [],
      answers: [],
    });
    return { transactionId: id };
  }

  private find(id: string) {
    const transaction = this.transactions.get(id);
    if (!transaction) throw new ConnectorRefused(`Transaction ${id} inconnue`);
    return transaction;
  }

  async status(transactionId: string): Promise<TransactionStatus> {
    this.call('status');
    const t = this.find(transactionId);
    if (t.state === 'posted' || t.state === 'transmitted') {
      if (now().getTime() - t.createdAt.getTime() >= this.ackDelayMs) {
        t.state = 'acknowledged';
        t.acknowledgedAt = now();
        t.prefectureId = officialIdentifier(t.envelope);
      } else {
        t.state = 'transmitted';
      }
    }
    return {
      state: t.state,
      code: CODES[t.state],
      prefectureId: t.prefectureId,
      acknowledgedAt: t.acknowledgedAt,
      message: t.message,
    };
  }

  /** The prefecture refuses the transaction (an error status on the next poll). */
  refuse(transactionId: string, message: string) {
    const t = this.find(transactionId);
    t.state = 'error';
    t.message = message;
  }

  /** The prefecture writes about the transaction. */
  addMessage(transactionId: string, message: PrefectureMessage) {
    this.find(transactionId).messages.push(message);
  }

  async cancel(transactionId: string) {
    this.call('cancel');
    const t = this.find(transactionId);
    if (t.state !== 'acknowledged') throw new ConnectorRefused("Seule une transaction acquittée s'annule");
    t.state = 'cancelled';
  }

  async messages(transactionId: string) {
    this.call('messages');
    return [...this.find(transactionId).messages];
  }

  async answer(transactionId: string, messageId: string, documents: EnvelopeFile[]) {
    this.call('answer');
    const t = this.find(transactionId);
    const message = t.messages.find((m) => m.id === messageId);
    if (message?.kind !== 'demande_pieces') {
      throw new ConnectorRefused("Ce message n'est pas une demande de pièces complémentaires");
    }
    t.answers.push({ messageId, documents });
  }
}

/** `DDD-SIREN-YYYYMMDD-NUMBER-NATURE`: département on three digits (2A/2B kept), the decision date. */
export function officialIdentifier(envelope: {
  departement: string;
  siren: string;
  decidedOn: string;
  number: string;
  nature: ActNature;
}) {
  const departement = envelope.departement.padStart(3, '0');
  return `${departement}-${envelope.siren}-${envelope.decidedOn.replace(/-/g, '')}-${envelope.number}-${envelope.nature}`;
}

/**
 * One act as the public portal showed it when the list was presented in Node (the register's row, its
 * dates derived by executory.ts, then picked): the oracle the portal's statement, which now writes
 * the JSON itself (publicActsPage), is compared with.
 */
export function presentPublicAct(row: ActListRow): PublicAct {
  const act = presentAct(row);
  return {
    id: act.id,
    memberId: act.memberId,
    nature: act.nature,
    classification: act.classification,
    classificationLabel: act.classificationLabel,
    number: act.number,
    decidedOn: act.decidedOn,
    subject: act.subject,
    sessionOn: act.sessionOn,
    prefectureId: act.prefectureId,
    acknowledgedAt: act.acknowledgedAt,
    publishedAt: act.publishedAt,
    sha256: act.sha256,
    executoryOn: act.executoryOn,
    correctsActId: act.correctsActId,
    correctedByActId: act.correctedByActId,
    documentUrl: publicDocumentUrl(act.memberId, act.id),
  };
}
