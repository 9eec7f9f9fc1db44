import { Link } from '@tanstack/react-router';
import { countOf, plural } from '../../../../contracts/french.js';
import { Alert, Loading } from '../../../ui/index.js';
import { useAboveAlone } from '../api.js';
import { formatCents } from '../money.js';

/**
 * Warns the operator of every service whose pooled share exceeds what some subscribers would pay
 * alone, with the members concerned: pooling should never cost a member more than buying alone.
 */
export function AboveAloneSection({ year }: { year: number }) {
  const above = useAboveAlone(year);
  if (above.isPending) return <Loading label="Comparaison avec les prix seuls…" />;
  // The page's other sections report loading errors; this warning simply stays away.
  if (above.isError || above.data.services.length === 0) return null;
  const { services } = above.data;
  return (
    <section aria-labelledby="prix-seul-titre">
      <Alert
        type="warning"
        title={
          <span id="prix-seul-titre">
            {services.length === 1
              ? 'Un service coûte plus cher mutualisé que seul à certains abonnés'
              : `${services.length} services coûtent plus cher mutualisés que seuls à certains abonnés`}
          </span>
        }
      >
        <p>
          Pour ces abonnés, la part calculée dépasse le prix de référence d'un achat seul : revoyez le montant
          à répartir, la règle ou les prix seuls du catalogue. Leur page de coûts l'explique.
        </p>
        {services.map((s) => (
          <details key={s.serviceId}>
            <summary>
              {s.serviceName} : {countOf(s.count, 'abonné', 'abonnés')} sur {s.subscribers} ({s.ruleText})
            </summary>
            <ul>
              {s.members.map((m) => (
                <li key={m.memberId}>
                  <Link to="/operateur/adherents/$memberId" params={{ memberId: m.memberId }}>
                    {m.memberName}
                    {m.departementCode ? ` (${m.departementCode})` : ''}
                  </Link>{' '}
                  : part {formatCents(m.shareCents)}, seul {formatCents(m.aloneCents)}, soit{' '}
                  {formatCents(m.shareCents - m.aloneCents)} de plus
                </li>
              ))}
            </ul>
            {s.count > s.members.length && (
              <p>
                … et {countOf(s.count - s.members.length, 'autre', 'autres')}{' '}
                {plural(s.count - s.members.length, 'abonné', 'abonnés')}.
              </p>
            )}
          </details>
        ))}
      </Alert>
    </section>
  );
}
