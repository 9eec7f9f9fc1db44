import { useEffect, useRef } from 'react';
import type { APPLY_OUTCOMES } from '../../../../contracts/rgpd.js';
import { Alert, Button, ButtonLink, EmptyState } from '../../../ui/index.js';
import type { ApplyReport } from '../api.js';
import { ApplyReportTable } from '../components.js';
import { plural } from './targets.js';

/** Why a member got no copy, in the DPO's words. */
const OUTCOMES: Record<(typeof APPLY_OUTCOMES)[number], string> = {
  created: 'Fiche créée (brouillon)',
  already_present: 'Ignorée : la structure a déjà ce traitement',
  not_applicable: 'Ignorée : base légale impossible pour ce type de structure',
  not_found: 'Ignorée : structure introuvable',
};

export function CopyReport({
  report,
  memberId,
  processingId,
  onAgain,
}: {
  report: ApplyReport;
  memberId: string;
  processingId: string;
  onAgain: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section aria-labelledby="compte-rendu-titre">
      <h2 id="compte-rendu-titre" tabIndex={-1} ref={heading}>
        Compte rendu de la copie
      </h2>
      <Alert type={report.created > 0 ? 'success' : 'info'} title="Copie terminée" live>
        <p>
          {plural(report.created, 'fiche créée', 'fiches créées')},{' '}
          {plural(report.skipped, 'structure ignorée', 'structures ignorées')}.
        </p>
      </Alert>
      {report.members.length === 0 ? (
        <EmptyState>Aucune structure à traiter : la structure d'origine ne reçoit pas de copie.</EmptyState>
      ) : (
        <ApplyReportTable
          report={report}
          caption="Résultat par structure"
          outcomeLabels={OUTCOMES}
          linkLabel={(m) => (m.outcome === 'created' ? 'Ouvrir la fiche créée' : 'Ouvrir la fiche existante')}
        />
      )}
      <div className="form-actions">
        <Button onClick={onAgain}>Copier vers d'autres structures</Button>
        <ButtonLink
          variant="secondary"
          to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
          params={{ memberId, processingId }}
        >
          Retour au traitement
        </ButtonLink>
      </div>
    </section>
  );
}
