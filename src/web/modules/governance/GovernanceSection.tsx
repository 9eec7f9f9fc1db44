import { Link } from '@tanstack/react-router';
import { SEAT_KIND_LABELS } from '../../../contracts/governance.js';
import type { Auth } from '../../app/auth.js';
import { formatDate, formatDateTime, Loading } from '../../ui/index.js';
import { useAssemblies, useDelegates } from './api.js';
import { assemblyKindLabel } from './components.js';

/** The member's delegates in the operator's comité syndical. */
function Delegates({ memberId, comiteId }: { memberId: string; comiteId: string | null }) {
  const delegates = useDelegates(memberId);
  if (delegates.isPending) return <Loading label="Chargement des délégués…" />;
  if (!delegates.data) return null;
  const seats = delegates.data.seats.filter((s) => s.inOffice);
  return (
    <>
      <h3>Délégués au comité syndical</h3>
      {seats.length === 0 ? (
        <p>Aucun délégué en exercice.</p>
      ) : (
        <ul>
          {seats.map((s) => (
            <li key={s.id}>
              {s.fullName} — {SEAT_KIND_LABELS[s.kind].toLowerCase()} depuis le {formatDate(s.termStart)}
              {s.designationDocument ? ` (délibération « ${s.designationDocument.title} »)` : ''}
            </li>
          ))}
        </ul>
      )}
      {comiteId && (
        <p>
          <Link to="/operateur/assemblees/$assemblyId" params={{ assemblyId: comiteId }}>
            Sièges du comité syndical
          </Link>
        </p>
      )}
    </>
  );
}

/**
 * The « Assemblées » section of a member's page: its own councils (the member's people) and its
 * delegates to the operator's comité syndical (both views).
 */
export function GovernanceSection({
  memberId,
  auth,
  asOperator,
}: {
  memberId: string;
  auth: Auth;
  asOperator: boolean;
}) {
  const assemblies = useAssemblies();
  const items = assemblies.data?.items ?? [];
  const own = items.filter((a) => a.organisationId === memberId);
  const comite = asOperator
    ? items.find((a) => a.kind === 'comite_syndical' && a.organisationId !== memberId)
    : undefined;
  const manages = !asOperator && !!auth.current && ['admin', 'assemblees'].includes(auth.current.role);
  return (
    <section aria-labelledby="assemblees-titre">
      <h2 id="assemblees-titre">Assemblées</h2>
      {assemblies.isPending && <Loading label="Chargement des assemblées…" />}
      {!asOperator && (
        <>
          {own.length > 0 ? (
            <ul>
              {own.map((a) => (
                <li key={a.id}>
                  <Link to="/espace/assemblees/$assemblyId" params={{ assemblyId: a.id }}>
                    {a.name}
                  </Link>{' '}
                  ({assemblyKindLabel(a.kind)})
                  {a.nextSessionAt ? ` — prochaine séance le ${formatDateTime(a.nextSessionAt)}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            !assemblies.isPending && <p>Aucun conseil de la structure n'est géré sur la plateforme.</p>
          )}
          <ul>
            <li>
              <Link to="/espace/assemblees">Assemblées de la structure</Link>
            </li>
            {manages && (
              <li>
                <Link to="/espace/delegues">Désigner les délégués au comité syndical</Link>
              </li>
            )}
          </ul>
        </>
      )}
      <Delegates memberId={memberId} comiteId={comite?.id ?? null} />
    </section>
  );
}
