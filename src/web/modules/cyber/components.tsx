import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import {
  EXPOSURE_STATE_LABELS,
  type ExposureState,
  INCIDENT_STATUS_LABELS,
  type IncidentStatus,
  MATURITY_LEVEL_LABELS,
  type MaturityLevel,
  REMEDIATION_STATE_LABELS,
  type RemediationState,
  SEVERITY_LABELS,
  type Severity,
} from '../../../contracts/cyber.js';
import { useAuth } from '../../app/auth.js';
import { Badge, type BadgeTone } from '../../ui/index.js';
import './cyber.css';

const SEVERITY_TONES: Record<Severity, BadgeTone> = {
  critical: 'error',
  high: 'warning',
  medium: 'info',
  low: 'default',
  none: 'default',
};

/** « Gravité : Critique »: the word says it, the colour only repeats it. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

const EXPOSURE_TONES: Record<ExposureState, BadgeTone> = {
  to_do: 'warning',
  overdue: 'error',
  remediated: 'success',
};

export function ExposureBadge({ state }: { state: ExposureState }) {
  return <Badge tone={EXPOSURE_TONES[state]}>{EXPOSURE_STATE_LABELS[state]}</Badge>;
}

const REMEDIATION_TONES: Record<RemediationState, BadgeTone> = {
  to_do: 'warning',
  patched: 'success',
  mitigated: 'success',
  not_affected: 'default',
  risk_accepted: 'info',
};

export function RemediationBadge({ state }: { state: RemediationState }) {
  return <Badge tone={REMEDIATION_TONES[state]}>{REMEDIATION_STATE_LABELS[state]}</Badge>;
}

const INCIDENT_TONES: Record<IncidentStatus, BadgeTone> = {
  open: 'error',
  contained: 'warning',
  closed: 'success',
};

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={INCIDENT_TONES[status]}>{INCIDENT_STATUS_LABELS[status]}</Badge>;
}

/** The maturity level's name without its range: « Maîtrisé ». */
export const maturityName = (level: MaturityLevel | 'none' | null) =>
  level === null || level === 'none' ? 'Jamais diagnostiquée' : MATURITY_LEVEL_LABELS[level].split(' (')[0];

/** A member's admins and its référents sécurité (`cyber` role) manage its cybersecurity. */
export function useCanManageCyber(): boolean {
  const auth = useAuth();
  return (
    !!auth.current && !auth.isOperator && (auth.current.role === 'admin' || auth.current.role === 'cyber')
  );
}

/** Operator admins and agents holding the `cyber` scope act on every member's cybersecurity. */
export function useIsCyberTeam(): boolean {
  const auth = useAuth();
  return auth.isOperator && (auth.current?.role === 'admin' || !!auth.current?.scopes.includes('cyber'));
}

function SubNav({ label, children }: { label: string; children: ReactNode }) {
  return (
    <nav aria-label={label} className="cyber-subnav">
      <ul>{children}</ul>
    </nav>
  );
}

/** The member's cybersecurity pages share this sub-menu. */
export function MemberCyberNav() {
  return (
    <SubNav label="Rubriques de cybersécurité">
      <li>
        <Link to="/espace/cyber" activeOptions={{ exact: true, includeSearch: false }}>
          Vue d’ensemble
        </Link>
      </li>
      <li>
        <Link to="/espace/cyber/inventaire" activeOptions={{ includeSearch: false }}>
          Inventaire
        </Link>
      </li>
      <li>
        <Link to="/espace/cyber/diagnostics">Diagnostics</Link>
      </li>
      <li>
        <Link to="/espace/cyber/avis" activeOptions={{ includeSearch: false }}>
          Avis de sécurité
        </Link>
      </li>
      <li>
        <Link to="/espace/cyber/incidents">Incidents</Link>
      </li>
    </SubNav>
  );
}

/** The cyber team's pages share this sub-menu. */
export function OperatorCyberNav() {
  return (
    <SubNav label="Rubriques de l’équipe cybersécurité">
      <li>
        <Link to="/operateur/cyber" activeOptions={{ exact: true, includeSearch: false }}>
          Tableau de bord
        </Link>
      </li>
      <li>
        <Link to="/operateur/cyber/avis" activeOptions={{ includeSearch: false }}>
          Avis de sécurité
        </Link>
      </li>
      <li>
        <Link to="/operateur/cyber/adherents" activeOptions={{ includeSearch: false }}>
          Structures
        </Link>
      </li>
      <li>
        <Link to="/operateur/cyber/reglages">Réglages et services</Link>
      </li>
    </SubNav>
  );
}

/** A figure with its label, for the overview cards. */
export function Figure({ value, label }: { value: ReactNode; label: ReactNode }) {
  return (
    <>
      <span className="stat">{value}</span>
      <span className="stat-label">{label}</span>
    </>
  );
}
