import { Link, useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import {
  ASSEMBLY_KIND_LABELS,
  type AssemblyKind,
  ITEM_STATUS_LABELS,
  type ItemStatus,
  SESSION_STATUS_LABELS,
  type SessionStatus,
} from '../../../contracts/governance.js';
import { type Auth, useAuth } from '../../app/auth.js';
import { Badge, type BadgeTone } from '../../ui/index.js';
import './governance.css';

/**
 * Where governance pages are shown: the operator's team (`/operateur/assemblees`), a member's people
 * (`/espace/assemblees`), or an elected official reading their own assemblies (`/espace/elu`). The same
 * page components serve the three; links stay in the area they were opened from.
 */
export type GovernanceArea = 'operator' | 'member' | 'official';

export function useGovernanceArea(): GovernanceArea {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  if (pathname.startsWith('/operateur')) return 'operator';
  if (pathname.startsWith('/espace/elu')) return 'official';
  return 'member';
}

/** Operator admins and agents holding the `governance` scope manage the operator's assemblies. */
export function isGovernanceTeam(auth: Auth): boolean {
  return auth.isOperator && (auth.current?.role === 'admin' || !!auth.current?.scopes.includes('governance'));
}

/** A member's admin or its `assemblees` people manage the member's assemblies. */
export function isMemberAssembliesManager(auth: Auth): boolean {
  return (
    !!auth.current &&
    !auth.isOperator &&
    (auth.current.role === 'admin' || auth.current.role === 'assemblees')
  );
}

export function useCanManageGovernance(): boolean {
  const auth = useAuth();
  return isGovernanceTeam(auth) || isMemberAssembliesManager(auth);
}

export const assemblyKindLabel = (kind: AssemblyKind) => ASSEMBLY_KIND_LABELS[kind];

const SESSION_TONES: Record<SessionStatus, BadgeTone> = {
  planned: 'default',
  convened: 'info',
  held: 'new',
  closed: 'success',
};

export function SessionStatusBadge({ status }: { status: SessionStatus }) {
  return <Badge tone={SESSION_TONES[status]}>{SESSION_STATUS_LABELS[status]}</Badge>;
}

const ITEM_TONES: Record<ItemStatus, BadgeTone> = {
  pending: 'default',
  adopted: 'success',
  rejected: 'error',
};

export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  return <Badge tone={ITEM_TONES[status]}>{ITEM_STATUS_LABELS[status]}</Badge>;
}

/** The list of assemblies, in the area the page was opened from. */
export function AssembliesLink({ children }: { children: ReactNode }) {
  const area = useGovernanceArea();
  if (area === 'operator') return <Link to="/operateur/assemblees">{children}</Link>;
  if (area === 'official') return <Link to="/espace/elu">{children}</Link>;
  return <Link to="/espace/assemblees">{children}</Link>;
}

export function AssemblyLink({ assemblyId, children }: { assemblyId: string; children: ReactNode }) {
  const area = useGovernanceArea();
  if (area === 'operator') {
    return (
      <Link to="/operateur/assemblees/$assemblyId" params={{ assemblyId }}>
        {children}
      </Link>
    );
  }
  if (area === 'official') {
    return (
      <Link to="/espace/elu/assemblees/$assemblyId" params={{ assemblyId }}>
        {children}
      </Link>
    );
  }
  return (
    <Link to="/espace/assemblees/$assemblyId" params={{ assemblyId }}>
      {children}
    </Link>
  );
}

export function SessionLink({ sessionId, children }: { sessionId: string; children: ReactNode }) {
  const area = useGovernanceArea();
  if (area === 'operator') {
    return (
      <Link to="/operateur/seances/$sessionId" params={{ sessionId }}>
        {children}
      </Link>
    );
  }
  if (area === 'official') {
    return (
      <Link to="/espace/elu/seances/$sessionId" params={{ sessionId }}>
        {children}
      </Link>
    );
  }
  return (
    <Link to="/espace/seances/$sessionId" params={{ sessionId }}>
      {children}
    </Link>
  );
}

export function NewSessionLink({ assemblyId, children }: { assemblyId: string; children: ReactNode }) {
  const area = useGovernanceArea();
  const className = 'btn';
  return area === 'operator' ? (
    <Link
      className={className}
      to="/operateur/assemblees/$assemblyId/nouvelle-seance"
      params={{ assemblyId }}
    >
      {children}
    </Link>
  ) : (
    <Link className={className} to="/espace/assemblees/$assemblyId/nouvelle-seance" params={{ assemblyId }}>
      {children}
    </Link>
  );
}

/**
 * The deliberation an adopted item became, on the acts module's pages: the member's own register page
 * for its people; otherwise (the operator's comité, whose acts have no register page in the acts module
 * yet) the public portal once published, the number alone before.
 */
export function DeliberationLink({
  organisationId,
  act,
}: {
  organisationId: string;
  act: { id: string; number: string; publishedAt?: string | null };
}) {
  const auth = useAuth();
  const label = `Délibération n° ${act.number}`;
  if (auth.current && auth.current.id === organisationId) {
    return (
      <Link to="/espace/actes/$actId" params={{ actId: act.id }}>
        {label}
      </Link>
    );
  }
  if (!act.publishedAt) return <>{label}</>;
  return (
    <Link to="/adherents/$memberId/actes" params={{ memberId: organisationId }} search={{ q: act.number }}>
      {label}
    </Link>
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

/** The breadcrumb of governance pages: the list, then what the page shows. */
export function GovernanceBreadcrumb({ trail, current }: { trail?: ReactNode[]; current: string }) {
  const area = useGovernanceArea();
  return (
    <nav className="breadcrumb" aria-label="Fil d'Ariane">
      <ol>
        <li>
          <AssembliesLink>{area === 'official' ? 'Espace élu' : 'Assemblées'}</AssembliesLink>
        </li>
        {trail?.map((part, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the trail is fixed for a page
          <li key={index}>{part}</li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
