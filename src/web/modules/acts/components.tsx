import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import {
  ACT_NATURE_LABELS,
  ACT_STATUS_LABELS,
  type ActNature,
  type ActStatus,
} from '../../../contracts/acts.js';
import { useAuth } from '../../app/auth.js';
import { keepsOperatorActs } from '../../app/guards.js';
import { Badge, type BadgeTone, formatDate, type Option } from '../../ui/index.js';
import './acts.css';

/** The national matières of the acts classification (level 1; sub-levels come from the prefecture). */
export const MATIERES: Option[] = [
  { value: '1', label: '1 — Commande publique' },
  { value: '2', label: '2 — Urbanisme' },
  { value: '3', label: '3 — Domaine et patrimoine' },
  { value: '4', label: '4 — Fonction publique' },
  { value: '5', label: '5 — Institutions et vie politique' },
  { value: '6', label: '6 — Libertés publiques et pouvoirs de police' },
  { value: '7', label: '7 — Finances locales' },
  { value: '8', label: '8 — Domaines de compétences par thèmes' },
  { value: '9', label: '9 — Autres domaines de compétences' },
];

const STATUS_TONES: Record<ActStatus, BadgeTone> = {
  draft: 'default',
  ready: 'info',
  transmitting: 'new',
  acknowledged: 'success',
  error: 'error',
  cancelled: 'warning',
};

export function ActStatusBadge({ status }: { status: ActStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{ACT_STATUS_LABELS[status]}</Badge>;
}

export function PublishedBadge({ publishedAt }: { publishedAt: string | null }) {
  return publishedAt ? (
    <Badge tone="success">Publié le {formatDate(publishedAt)}</Badge>
  ) : (
    <span className="muted">Non publié</span>
  );
}

export const natureLabel = (nature: ActNature) => ACT_NATURE_LABELS[nature];

/** Members' admins and their `actes` people prepare, transmit and publish; other users read. */
export function useCanWriteActs(): boolean {
  const auth = useAuth();
  return (
    (!!auth.current &&
      !auth.isOperator &&
      (auth.current.role === 'admin' || auth.current.role === 'actes')) ||
    keepsOperatorActs(auth)
  );
}

/** Operator admins and agents holding the `demat` scope follow every member's transmissions. */
export function useIsDemat(): boolean {
  const auth = useAuth();
  return auth.isOperator && (auth.current?.role === 'admin' || !!auth.current?.scopes.includes('demat'));
}

/** A SHA-256 fingerprint: monospace, breakable, read as text by screen readers. */
export function Sha256({ value }: { value: string | null }) {
  if (!value) return <span className="muted">—</span>;
  return <code className="acts-hash">{value}</code>;
}

/** The executory date, or why the act is not executory yet. */
export function Executory({ act }: { act: { executoryOn: string | null; executoryReason?: string | null } }) {
  if (act.executoryOn) return <>Exécutoire depuis le {formatDate(act.executoryOn)}</>;
  return <>Pas encore exécutoire{act.executoryReason ? ` : ${act.executoryReason}` : ''}</>;
}

/** Pages of the member's acts space share this sub-menu. */
export function ActsNav({ memberId, canWrite }: { memberId: string; canWrite: boolean }) {
  // The operator's own register has no member page on the public portal.
  const publicPortal = !useAuth().isOperator;
  return (
    <nav aria-label="Rubriques des actes" className="acts-subnav">
      <ul>
        <li>
          <Link to="/espace/actes" activeOptions={{ exact: true, includeSearch: false }}>
            Registre des actes
          </Link>
        </li>
        {canWrite && (
          <li>
            <Link to="/espace/actes/nouveau">Nouvel acte</Link>
          </li>
        )}
        {publicPortal && (
          <li>
            <Link to="/adherents/$memberId/actes" params={{ memberId }}>
              Portail public des actes
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** A definition list's row that only appears when it has a value. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
