import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, ButtonLink, Form, PageTitle, QueryView } from '../../../ui/index.js';
import { useMember } from '../../members/api.js';
import { type ApplyReport, type Processing, useCopyProcessing, useProcessing } from '../api.js';
import { RequireDpo } from '../scope.js';
import { ChosenList } from './ChosenList.js';
import { CopyReport } from './CopyReport.js';
import { TargetSearch } from './TargetSearch.js';
import { plural, type Target } from './targets.js';

/**
 * The DPO copies one member's processing into other members' registries (issue 4, section 2): search
 * members by name, département or kind, choose some, copy, then read the report member by member.
 */
export function CopyProcessingPage() {
  const { memberId, processingId } = useParams({
    from: '/operateur/rgpd/adherents/$memberId/traitements/$processingId/copie',
  });
  return (
    <RequireDpo>
      <CopyProcessing memberId={memberId} processingId={processingId} />
    </RequireDpo>
  );
}

function CopyProcessing({ memberId, processingId }: { memberId: string; processingId: string }) {
  const processing = useProcessing(memberId, processingId);
  const member = useMember(memberId);
  const memberName = member.data?.name ?? 'Structure';
  const name = processing.data?.name ?? 'Traitement';
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/rgpd">DPO mutualisé</Link>
          </li>
          <li>
            <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId }}>
              {member.data ? `Registre : ${memberName}` : 'Registre de la structure'}
            </Link>
          </li>
          <li>
            <Link
              to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
              params={{ memberId, processingId }}
            >
              {name}
            </Link>
          </li>
          <li aria-current="page">Copier vers d'autres structures</li>
        </ol>
      </nav>
      <PageTitle title={processing.data ? `Copier le traitement : ${name}` : 'Copier un traitement'} />
      <QueryView query={processing} loadingLabel="Chargement du traitement…">
        {(p) => <CopyWorkflow memberId={memberId} memberName={memberName} processing={p} />}
      </QueryView>
    </>
  );
}

function CopyWorkflow({
  memberId,
  memberName,
  processing,
}: {
  memberId: string;
  memberName: string;
  processing: Processing;
}) {
  const copy = useCopyProcessing(memberId, processing.id);
  const [chosen, setChosen] = useState<Target[]>([]);
  const [report, setReport] = useState<ApplyReport | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  // After « another copy », the search field takes the focus back (the report it replaces is gone).
  const [again, setAgain] = useState(false);

  if (report) {
    return (
      <CopyReport
        report={report}
        memberId={memberId}
        processingId={processing.id}
        onAgain={() => {
          setReport(null);
          copy.reset();
          setAgain(true);
        }}
      />
    );
  }

  const choose = (targets: Target[]) => {
    // The « nothing chosen » error no longer holds once a member is chosen.
    setClientErrors({});
    setChosen((current) => [...current, ...targets.filter((t) => !current.some((c) => c.id === t.id))]);
  };
  const unchoose = (id: string) => setChosen((current) => current.filter((c) => c.id !== id));

  return (
    <>
      <p>
        Chaque structure choisie reçoit dans son registre une fiche en brouillon qui reprend ce traitement de{' '}
        {memberName}
        {processing.processors.length > 0 ? ', avec ses sous-traitants' : ''}
        {processing.templateName ? ` et son lien au modèle « ${processing.templateName} »` : ''} ; elle
        l'ajuste ensuite localement.{' '}
        {processing.templateName
          ? 'Les structures qui ont déjà une fiche issue de ce modèle ne sont pas modifiées.'
          : 'Les structures qui ont déjà un traitement de ce nom ne sont pas modifiées.'}
      </p>
      <TargetSearch
        sourceId={memberId}
        chosen={chosen}
        onChoose={choose}
        onUnchoose={unchoose}
        focusOnMount={again}
      />
      <section aria-labelledby="choix-titre">
        <h2 id="choix-titre">Structures choisies</h2>
        <Form
          id="copie"
          error={copy.error}
          clientErrors={clientErrors}
          aria-labelledby="choix-titre"
          onSubmit={() => {
            if (chosen.length === 0) {
              setClientErrors({
                memberIds:
                  'Choisissez au moins une structure : recherchez-la puis cochez-la dans les résultats.',
              });
              return;
            }
            setClientErrors({});
            copy.mutate(
              chosen.map((c) => c.id),
              {
                onSuccess: (r) => {
                  setChosen([]);
                  setReport(r);
                },
              },
            );
          }}
        >
          <ChosenList chosen={chosen} onRemove={unchoose} onClear={() => setChosen([])} />
          <div className="form-actions">
            <Button type="submit" pending={copy.isPending}>
              {chosen.length > 0
                ? `Copier vers ${plural(chosen.length, 'structure', 'structures')}`
                : 'Copier le traitement'}
            </Button>
            <ButtonLink
              variant="secondary"
              to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
              params={{ memberId, processingId: processing.id }}
            >
              Retour au traitement
            </ButtonLink>
          </div>
        </Form>
      </section>
    </>
  );
}
