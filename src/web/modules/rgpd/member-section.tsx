import { Link } from '@tanstack/react-router';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { Card, QueryView } from '../../ui/index.js';
import { useDesignation, useRegistrySummary } from './api.js';
import { formatParisDate } from './format.js';
import { DpoActions, EmptyRegistryHelp } from './member-registry/DpoContact.js';

/** The member's Art. 30 registry in figures, its DPO designation, and the way to the full RGPD pages. */
function Rgpd({ member, auth, view }: MemberSectionProps) {
  const summary = useRegistrySummary(member.id);
  const designation = useDesignation(member.id);
  const operator = view === 'operator';
  const d = designation.data;
  return (
    <section aria-labelledby="rgpd-titre">
      <h2 id="rgpd-titre">RGPD</h2>
      <QueryView query={summary} loadingLabel="Chargement du registre…">
        {(s) => (
          <>
            {s.processings === 0 && !operator ? (
              <EmptyRegistryHelp memberId={member.id} canEdit={s.canEdit} />
            ) : (
              <div className="grid">
                <Card title="Traitements au registre">
                  <span className="stat">{s.processings}</span>
                  <span className="stat-label">dont {s.validated} validés</span>
                </Card>
                <Card title="Complétude moyenne">
                  <span className="stat">{s.processings === 0 ? '—' : `${s.completion} %`}</span>
                  <span className="stat-label">
                    {s.processings === 0 ? 'registre vide : aucun traitement' : 'des fiches de traitement'}
                  </span>
                </Card>
                <Card title="À revoir">
                  <span className="stat">{s.dueForReview}</span>
                  <span className="stat-label">
                    revues dues, {s.dpiaRequiredNotDone} AIPD à mener, {s.templateUpdatesAvailable} mises à
                    jour de modèle
                  </span>
                </Card>
              </div>
            )}
          </>
        )}
      </QueryView>
      <h3>Délégué à la protection des données</h3>
      {d && (d.dpoName || d.cnilNumber) ? (
        <dl className="dl">
          <dt>DPO désigné</dt>
          <dd>{d.dpoName ?? 'non renseigné'}</dd>
          <dt>Numéro de désignation CNIL</dt>
          <dd>{d.cnilNumber ?? 'non renseigné'}</dd>
          <dt>Date de désignation</dt>
          <dd>{d.designatedOn ? formatParisDate(d.designatedOn) : 'non renseignée'}</dd>
        </dl>
      ) : (
        <p>
          Aucune désignation de DPO enregistrée.{' '}
          {operator
            ? 'Enregistrez-la depuis le registre de la structure.'
            : auth.isMemberAdmin
              ? 'Enregistrez-la depuis votre espace RGPD une fois faite auprès de la CNIL.'
              : 'Votre référent l’enregistre une fois la désignation faite auprès de la CNIL.'}
        </p>
      )}
      {operator ? (
        <p>
          <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: member.id }}>
            Ouvrir le registre, les demandes et les violations de la structure
          </Link>
        </p>
      ) : (
        <>
          {summary.data && summary.data.processings > 0 && <DpoActions memberId={member.id} />}
          <p>
            <Link to="/espace/rgpd">Ouvrir mon espace RGPD</Link>
          </p>
        </>
      )}
    </section>
  );
}

registerMemberSection({
  id: 'rgpd',
  label: 'RGPD',
  order: 90,
  visible: ({ auth, view }) =>
    view === 'member' || auth.isOperatorAdmin || !!auth.current?.scopes.includes('dpo'),
  Component: Rgpd,
});
