import type { Quorum } from '../api.js';
import { quorumRule, quorumText } from '../quorum.js';

/**
 * The quorum, announced politely whenever it changes (attendance recorded here or by another secretary,
 * the page polling while the session is held): « Quorum atteint : 28 présents sur 28 requis ».
 */
export function QuorumStatus({ quorum }: { quorum: Quorum }) {
  return (
    <section aria-labelledby="quorum-titre">
      <h2 id="quorum-titre">Quorum</h2>
      <div className={quorum.reached ? 'gov-quorum gov-quorum--reached' : 'gov-quorum'}>
        <p role="status" aria-live="polite" aria-atomic="true" className="gov-quorum__text">
          {quorumText(quorum)}
        </p>
        {quorum.required > 0 && <span className="gov-quorum__rule">{quorumRule(quorum)}</span>}
      </div>
    </section>
  );
}
