import { Link } from '@tanstack/react-router';
import { formatNumber } from '../../ui/index.js';
import { useActs } from './api.js';
import { useCanWriteActs, useIsDemat } from './components.js';

/**
 * The « Actes » section of a member's page: the register and its figures for the member's own users,
 * the public portal for everyone, the transmissions for the operator's dematerialisation team.
 */
export function ActsSection({ memberId, asOperator }: { memberId: string; asOperator: boolean }) {
  const canWrite = useCanWriteActs();
  const isDemat = useIsDemat();
  return (
    <section aria-labelledby="actes-titre">
      <h2 id="actes-titre">Actes</h2>
      {!asOperator && <RegisterFigures memberId={memberId} />}
      <ul>
        {!asOperator && (
          <li>
            <Link to="/espace/actes">Registre des actes de la structure</Link>
          </li>
        )}
        {!asOperator && canWrite && (
          <li>
            <Link to="/espace/actes/nouveau">Créer un acte (délibération, arrêté…)</Link>
          </li>
        )}
        <li>
          <Link to="/adherents/$memberId/actes" params={{ memberId }}>
            Portail public des actes publiés
          </Link>
        </li>
        {asOperator && isDemat && (
          <li>
            <Link to="/operateur/teletransmission" search={{ structure: memberId }}>
              Transmissions de la structure
            </Link>
          </li>
        )}
      </ul>
    </section>
  );
}

function RegisterFigures({ memberId }: { memberId: string }) {
  const all = useActs(memberId, {}, undefined);
  const errors = useActs(memberId, { status: 'error' }, undefined);
  if (!all.data) return null;
  const inError = errors.data?.total ?? 0;
  return (
    <p>
      {formatNumber(all.data.total)} acte{all.data.total > 1 ? 's' : ''} au registre
      {inError > 0 && (
        <>
          , dont{' '}
          <Link to="/espace/actes" search={{ statut: 'error' }}>
            {formatNumber(inError)} en erreur de transmission
          </Link>
        </>
      )}
      .
    </p>
  );
}
