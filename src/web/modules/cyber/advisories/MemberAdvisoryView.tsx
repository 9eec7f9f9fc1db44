import { countOf } from '../../../../contracts/french.js';
import { formatDate, QueryView } from '../../../ui/index.js';
import { useMemberAdvisory } from '../api.js';
import { ExposureBadge, SeverityBadge } from '../components.js';
import { RemediationItem } from './RemediationForm.js';

/** One advisory as a member sees it: what it is, and each of its assets concerned with its remediation. */
export function MemberAdvisoryView({
  memberId,
  advisoryId,
  canEdit,
  title,
}: {
  memberId: string;
  advisoryId: string;
  canEdit: boolean;
  title: (reference: string, advisoryTitle: string) => React.ReactNode;
}) {
  const advisory = useMemberAdvisory(memberId, advisoryId);
  return (
    <QueryView query={advisory} loadingLabel="Chargement de l’avis…">
      {(a) => (
        <>
          {title(a.reference, a.title)}
          <dl className="dl">
            <dt>Gravité</dt>
            <dd>
              <SeverityBadge severity={a.severity} />
            </dd>
            <dt>État pour la structure</dt>
            <dd>
              <ExposureBadge state={a.state} />
            </dd>
            <dt>Échéance de traitement</dt>
            <dd className={a.state === 'overdue' ? 'cyber-overdue' : undefined}>{formatDate(a.dueOn)}</dd>
            <dt>Vulnérabilités (CVE)</dt>
            <dd>{a.cves.length ? a.cves.join(', ') : '—'}</dd>
            {a.url && (
              <>
                <dt>Source</dt>
                <dd>
                  <a href={a.url} rel="noreferrer" target="_blank">
                    {a.url} (nouvelle fenêtre)
                  </a>
                </dd>
              </>
            )}
          </dl>
          {a.summary && <p>{a.summary}</p>}
          <section aria-labelledby="equipements-titre">
            <h2 id="equipements-titre">Équipements concernés</h2>
            <p>
              {countOf(a.remediations.length, 'équipement ou logiciel', 'équipements ou logiciels')} de
              l’inventaire correspond{a.remediations.length > 1 ? 'ent' : ''} à l’avis. Indiquez pour chacun
              s’il est corrigé, contourné, non concerné, ou si le risque est accepté (avec sa justification).
            </p>
            {a.remediations.map((r) => (
              <RemediationItem key={r.id} memberId={memberId} remediation={r} canEdit={canEdit} />
            ))}
          </section>
        </>
      )}
    </QueryView>
  );
}
