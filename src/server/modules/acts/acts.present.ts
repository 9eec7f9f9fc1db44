import type { Act, ActDocument } from '../../../contracts/acts.js';
import type { ActDocumentRow, ActListRow } from './acts.repository.js';
import { executoryState, legalityCheckEndsOn, transmissionDueOn } from './publication/executory.js';

/** Rows of the register as the API shows them, with the dates the law derives from them. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** When the act became executory (or why not yet), its transmission deadline and legality-check end. */
export function deadlinesOf(row: ActListRow) {
  const executory = executoryState({
    nature: row.nature,
    transmissionRequired: row.transmissionRequired,
    acknowledgedAt: row.acknowledgedAt,
    publishedAt: row.publishedAt,
    notifiedOn: row.notifiedOn,
  });
  return {
    executoryOn: executory.executoryOn,
    executoryReason: executory.reason,
    transmissionDueOn: transmissionDueOn(row.nature, row.signedOn, row.transmissionRequired),
    legalityCheckEndsOn: legalityCheckEndsOn(row.acknowledgedAt),
  };
}

export function presentAct(row: ActListRow): Act {
  return {
    id: row.id,
    memberId: row.memberId,
    nature: row.nature,
    classification: row.classification,
    classificationLabel: row.classificationLabel,
    number: row.number,
    decidedOn: row.decidedOn,
    subject: row.subject,
    signatoryName: row.signatoryName,
    signedOn: row.signedOn,
    sessionOn: row.sessionOn,
    transmissionRequired: row.transmissionRequired,
    notifiedOn: row.notifiedOn,
    status: row.status,
    errorMessage: row.errorMessage,
    prefectureId: row.prefectureId,
    transmittedAt: iso(row.transmittedAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    publishedAt: iso(row.publishedAt),
    sha256: row.publishedSha256,
    ...deadlinesOf(row),
    correctsActId: row.correctsActId,
    correctedByActId: row.correctedByActId,
    votesMembers: row.votesMembers,
    votesPresent: row.votesPresent,
    votesFor: row.votesFor,
    votesAgainst: row.votesAgainst,
    votesAbstention: row.votesAbstention,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The public portal's URLs of a member's register start so (publicActsPage builds them in SQL too). */
export const PUBLIC_MEMBERS_PREFIX = '/api/v1/public/members/';

export const publicDocumentUrl = (memberId: string, actId: string) =>
  `${PUBLIC_MEMBERS_PREFIX}${memberId}/acts/${actId}/document`;

export function presentDocument(d: ActDocumentRow): ActDocument {
  return {
    id: d.id,
    role: d.role,
    filename: d.fileName,
    mediaType: d.mediaType,
    size: d.sizeBytes,
    sha256: d.sha256,
    createdAt: d.createdAt.toISOString(),
  };
}
