import { ACT_NATURES, ACT_NUMBER_PATTERN, type ActNature } from '../../../../contracts/acts.js';

/**
 * The official unique identifier the prefecture (the ministry's @CTES platform) gives an act in its
 * acknowledgement (`ARActe`, attribute `actes:IDActe`): `DDD-SIREN-YYYYMMDD-NUMBER-NATURE`, e.g.
 * `085-218501914-20261204-DEL2026_042-DE`.
 *
 * - DDD: the département on 3 characters, as the envelope's `actes:Departement` carries it: metropolitan
 *   départements padded with a leading zero (`85` → `085`, `1` → `001`), Corsica keeps its letter
 *   (`2A` → `02A`, `2B` → `02B`), overseas départements and collectivités already have 3 characters
 *   (`971`–`978`, `986`–`988`). Real identifiers seen in the wild: `006-210600235-20180522-684-AI`,
 *   `044-214400152-20181106-TEST_DGCL_4-DE` (tests of an @CTES receiver, read through the code search).
 *   S²LOW builds its file names the same way: département, SIREN, decision date `Ymd`, internal
 *   number, the nature's short code (libriciel/s2low, ActesTransaction::getStdFileName).
 * - SIREN: 9 digits.
 * - YYYYMMDD: the decision date (not the transmission date).
 * - NUMBER: the internal number, S²LOW's rule `^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$` (ActesTransaction::
 *   NUMBER_REGEXP): 1 to 15 capitals, digits and `_`, neither first nor last character being `_`.
 * - NATURE: the nature's letters (`DE`, `AR`, `AI`, `CC`, `BF`, `AU`), the `TypeAbrege` of the
 *   classification file.
 */

/** S²LOW's rule for the internal number (stricter than "[A-Z0-9_]{1,15}": no `_` at either end). */
/** S²LOW's rule for act numbers: the contract's own (`ACT_NUMBER_PATTERN`). */
export const S2LOW_NUMBER_PATTERN = ACT_NUMBER_PATTERN;

export class InvalidIdentifierPart extends Error {
  override name = 'InvalidIdentifierPart';
}

/**
 * The département on 3 characters (`85` → `085`, `2A` → `02A`, `971` → `971`); throws for anything else
 * (including the pre-1976 Corsican `20`).
 */
export function departementCode(departement: string): string {
  const value = departement.trim().toUpperCase();
  if (/^\d{1,2}$/.test(value) && value !== '20' && Number(value) >= 1 && Number(value) <= 95) {
    return value.padStart(3, '0');
  }
  if (/^0\d{2}$/.test(value) && value !== '020' && Number(value) >= 1 && Number(value) <= 95) return value;
  if (/^0?2[AB]$/.test(value)) return value.padStart(3, '0');
  if (/^97[1-8]$/.test(value) || /^98[6-8]$/.test(value)) return value;
  throw new InvalidIdentifierPart(
    `Département invalide : « ${departement} » (attendu par ex. 85, 2A ou 971)`,
  );
}

export interface PrefectureIdentifierParts {
  departement: string;
  siren: string;
  /** The decision date, `YYYY-MM-DD`. */
  decidedOn: string;
  number: string;
  nature: ActNature;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === value;
}

/** Builds the official identifier; throws `InvalidIdentifierPart` (French message) on a bad part. */
export function prefectureIdentifier(parts: PrefectureIdentifierParts): string {
  const departement = departementCode(parts.departement);
  if (!/^\d{9}$/.test(parts.siren)) {
    throw new InvalidIdentifierPart(`SIREN invalide : « ${parts.siren} » (9 chiffres attendus)`);
  }
  if (!isCalendarDate(parts.decidedOn)) {
    throw new InvalidIdentifierPart(
      `Date de décision invalide : « ${parts.decidedOn} » (AAAA-MM-JJ attendu)`,
    );
  }
  if (!S2LOW_NUMBER_PATTERN.test(parts.number)) {
    throw new InvalidIdentifierPart(
      `Numéro invalide : « ${parts.number} » (1 à 15 majuscules, chiffres ou « _ », sans « _ » au début ni à la fin)`,
    );
  }
  if (!(ACT_NATURES as readonly string[]).includes(parts.nature)) {
    throw new InvalidIdentifierPart(`Nature invalide : « ${parts.nature} »`);
  }
  return `${departement}-${parts.siren}-${parts.decidedOn.replaceAll('-', '')}-${parts.number}-${parts.nature}`;
}

const IDENTIFIER_PATTERN =
  /^(0\d{2}|02[AB]|9[78]\d)-(\d{9})-(\d{4})(\d{2})(\d{2})-(([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9])-(DE|AR|AI|CC|BF|AU)$/;

/** Reads an identifier back into its parts (département as written, on 3 characters); null if malformed. */
export function parsePrefectureIdentifier(identifier: string): PrefectureIdentifierParts | null {
  const match = IDENTIFIER_PATTERN.exec(identifier);
  if (!match) return null;
  const [, departement = '', siren = '', y, m, d, number = '', , nature] = match;
  const decidedOn = `${y}-${m}-${d}`;
  if (!isCalendarDate(decidedOn)) return null;
  return { departement, siren, decidedOn, number, nature: nature as ActNature };
}
