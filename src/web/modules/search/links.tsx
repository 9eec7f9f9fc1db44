import { Link } from '@tanstack/react-router';
import type { SearchHit } from '../../../contracts/search.js';
import type { Auth } from '../../app/auth.js';

/**
 * Where a result leads, by kind (the kinds of the server's search providers). A module that adds a
 * provider adds its kind here; an unknown kind is shown without a link.
 */
export function HitLink({ hit, auth }: { hit: SearchHit; auth: Auth }) {
  const operator = auth.isOperator;
  switch (hit.kind) {
    case 'member':
      return operator ? (
        <Link to="/operateur/adherents/$memberId" params={{ memberId: hit.memberId }}>
          {hit.label}
        </Link>
      ) : (
        <Link to="/espace">{hit.label}</Link>
      );
    case 'invoice': {
      const number = hit.label.split(' ').at(-1) ?? '';
      return operator ? (
        <Link to="/operateur/facturation" search={{ q: number }}>
          {hit.label}
        </Link>
      ) : (
        <Link to="/espace/factures">{hit.label}</Link>
      );
    }
    case 'processing':
      return operator ? (
        <Link
          to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
          params={{ memberId: hit.memberId, processingId: hit.id }}
        >
          {hit.label}
        </Link>
      ) : (
        <Link to="/espace/rgpd/traitements/$processingId" params={{ processingId: hit.id }}>
          {hit.label}
        </Link>
      );
    case 'act':
      // The operator's demat team has no act page of its own: the member's page shows its acts.
      return operator ? (
        <Link to="/operateur/adherents/$memberId" params={{ memberId: hit.memberId }}>
          {hit.label}
        </Link>
      ) : (
        <Link to="/espace/actes/$actId" params={{ actId: hit.id }}>
          {hit.label}
        </Link>
      );
    case 'ticket':
      return operator ? (
        <Link to="/operateur/assistance/$ticketId" params={{ ticketId: hit.id }}>
          {hit.label}
        </Link>
      ) : (
        <Link to="/espace/assistance/$ticketId" params={{ ticketId: hit.id }}>
          {hit.label}
        </Link>
      );
    default:
      return <>{hit.label}</>;
  }
}
