import type { MemberDetail } from '../../../../contracts/members.js';
import { formatDate, formatNumber } from '../../../ui/index.js';
import { kindLabel, StatusBadge } from '../components.js';

export function MemberDetails({ member }: { member: MemberDetail }) {
  const p = member.private;
  return (
    <dl className="dl">
      <dt>Type</dt>
      <dd>{kindLabel(member.kind, member.epciType)}</dd>
      <dt>SIREN</dt>
      <dd>{member.siren}</dd>
      {p && (
        <>
          <dt>SIRET</dt>
          <dd>{p.siret ?? '—'}</dd>
          <dt>Code service Chorus Pro</dt>
          <dd>{p.chorusServiceCode ?? (p.chorusServiceCodeRequired ? 'exigé, non renseigné' : '—')}</dd>
        </>
      )}
      {member.communeCode && (
        <>
          <dt>Code INSEE</dt>
          <dd>{member.communeCode}</dd>
        </>
      )}
      {member.epciCode && (
        <>
          <dt>Code EPCI</dt>
          <dd>{member.epciCode}</dd>
        </>
      )}
      <dt>Département</dt>
      <dd>
        {member.departementName
          ? `${member.departementCode} — ${member.departementName}`
          : (member.departementCode ?? '—')}
      </dd>
      <dt>Population</dt>
      <dd>{member.population == null ? '—' : `${formatNumber(member.population)} habitants`}</dd>
      {member.parent && (
        <>
          <dt>Structure de rattachement</dt>
          <dd>{member.parent.name}</dd>
        </>
      )}
      {p && (
        <>
          <dt>Adresse</dt>
          <dd>
            {[p.address, [p.postalCode, p.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—'}
          </dd>
        </>
      )}
      <dt>Statut d'adhésion</dt>
      <dd>
        <StatusBadge status={member.status} /> depuis le {formatDate(member.statusChangedAt)}
      </dd>
    </dl>
  );
}
