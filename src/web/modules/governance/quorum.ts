/** The quorum and vote sentences of a session's page, in French (pure: tested without a browser). */
import { countOf, plural } from '../../../contracts/french.js';

export interface QuorumFigures {
  inOffice: number;
  required: number;
  present: number;
  reached: boolean;
}

const number = new Intl.NumberFormat('fr-FR');

/**
 * « Quorum atteint : 28 présents sur 28 requis », « Quorum non atteint : 12 présents sur 28 requis
 * (encore 16) »; none on a second convocation. Proxies are not counted in the quorum (CGCT): only those present are.
 */
export function quorumText(q: QuorumFigures): string {
  if (q.required === 0) {
    return `Pas de quorum requis (seconde convocation) : ${countOf(q.present, 'présent', 'présents')}`;
  }
  const figures = `${countOf(q.present, 'présent', 'présents')} sur ${number.format(q.required)} ${plural(q.required, 'requis', 'requis')}`;
  if (q.reached) return `Quorum atteint : ${figures}`;
  const missing = Math.max(0, q.required - q.present);
  return `Quorum non atteint : ${figures} (encore ${number.format(missing)})`;
}

/** « 55 membres en exercice ; quorum : 28 présents (la moitié plus un, procurations non comptées) ». */
export function quorumRule(q: Pick<QuorumFigures, 'inOffice' | 'required'>): string {
  return `${countOf(q.inOffice, 'membre', 'membres')} en exercice ; quorum : ${countOf(q.required, 'présent', 'présents')} (la moitié plus un, procurations non comptées)`;
}
