import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { MEMBERSHIP_STATUS_LABELS, type MemberSummary } from '../../../contracts/members.js';
import type { APPLY_OUTCOMES } from '../../../contracts/rgpd.js';
import { useFieldBinding } from '../../ui/Form.js';
import {
  Alert,
  Button,
  ButtonLink,
  EmptyState,
  Form,
  formatNumber,
  PageTitle,
  QueryView,
  SelectField,
  TextField,
} from '../../ui/index.js';
import { useMember } from '../members/api.js';
import { KIND_OPTIONS, kindLabel, useDepartementOptions } from '../members/components.js';
import {
  type ApplyReport,
  type CopyTargetSearch,
  type Processing,
  useCopyProcessing,
  useCopyTargets,
  useProcessing,
} from './api.js';
import { ApplyReportTable, Checkbox } from './components.js';
import { RequireDpo } from './scope.js';

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

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n > 1 ? many : one}`;

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

type Target = Pick<MemberSummary, 'id' | 'name' | 'kind' | 'epciType' | 'departementCode' | 'status'>;

const targetLabel = (m: Target) =>
  `${m.name} — ${kindLabel(m.kind, m.epciType)}${m.departementCode ? ` (${m.departementCode})` : ''}`;

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

const SEARCH_FORM = 'recherche-structures';

function TargetSearch({
  sourceId,
  chosen,
  onChoose,
  onUnchoose,
  focusOnMount,
}: {
  sourceId: string;
  chosen: Target[];
  onChoose: (targets: Target[]) => void;
  onUnchoose: (id: string) => void;
  focusOnMount: boolean;
}) {
  const departements = useDepartementOptions();
  const [search, setSearch] = useState<CopyTargetSearch | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const results = useCopyTargets(search);
  useEffect(() => {
    if (focusOnMount) document.getElementById(`${SEARCH_FORM}-q`)?.focus();
  }, [focusOnMount]);
  const items = search ? (results.data?.items ?? []) : [];
  const total = results.data?.total ?? 0;
  const selectable = items.filter((m) => m.id !== sourceId && !chosen.some((c) => c.id === m.id));
  let status = '';
  if (search && results.isFetching) status = 'Recherche en cours…';
  else if (search && results.isError) status = 'La recherche a échoué : réessayez.';
  else if (search && results.data) {
    status =
      total === 0
        ? 'Aucune structure ne correspond à cette recherche.'
        : `${plural(total, 'structure trouvée', 'structures trouvées')}${
            total > items.length
              ? ` : les ${formatNumber(items.length)} premières sont affichées, précisez la recherche pour voir les autres.`
              : '.'
          }`;
  }
  return (
    <section aria-labelledby="recherche-titre">
      <h2 id="recherche-titre">Rechercher des structures</h2>
      <search aria-label="Recherche de structures">
        <Form
          id={SEARCH_FORM}
          clientErrors={clientErrors}
          onSubmit={(data) => {
            const next: CopyTargetSearch = {};
            for (const key of ['q', 'departement', 'kind'] as const) {
              const value = String(data.get(key) ?? '').trim();
              if (value) next[key] = value;
            }
            if (!next.q && !next.departement && !next.kind) {
              setClientErrors({ q: 'Indiquez un nom, un département ou un type de structure.' });
              return;
            }
            setClientErrors({});
            setSearch(next);
          }}
        >
          <div className="filters">
            <TextField name="q" type="search" label="Nom de la structure" autoComplete="off" />
            <SelectField
              name="departement"
              label="Département"
              placeholder="Tous les départements"
              options={departements}
              key={departements.length}
            />
            <SelectField
              name="kind"
              label="Type de structure"
              placeholder="Tous les types"
              options={KIND_OPTIONS}
            />
            <div className="actions row">
              <Button type="submit">Rechercher</Button>
            </div>
          </div>
        </Form>
      </search>
      <p role="status" className={status ? undefined : 'sr-only'}>
        {status}
      </p>
      {items.length > 0 && (
        <fieldset className="field">
          <legend className="label">Résultats de la recherche : cochez les structures à choisir</legend>
          <div className="rgpd-checklist">
            {items.map((m) => {
              const isSource = m.id === sourceId;
              return (
                <Checkbox
                  key={m.id}
                  label={targetLabel(m)}
                  checked={chosen.some((c) => c.id === m.id)}
                  disabled={isSource}
                  hint={
                    isSource
                      ? 'Structure d’origine du traitement'
                      : m.status !== 'member'
                        ? `Statut : ${MEMBERSHIP_STATUS_LABELS[m.status]}`
                        : undefined
                  }
                  onChange={(checked) => (checked ? onChoose([m]) : onUnchoose(m.id))}
                />
              );
            })}
          </div>
          {selectable.length > 1 && (
            <Button variant="secondary" small onClick={() => onChoose(selectable)}>
              Cocher les {formatNumber(selectable.length)} structures affichées
            </Button>
          )}
        </fieldset>
      )}
    </section>
  );
}

/**
 * The chosen members, kept across searches. The error summary's link lands on the group itself
 * (focusable), which names the error through aria-describedby.
 */
function ChosenList({
  chosen,
  onRemove,
  onClear,
}: {
  chosen: Target[];
  onRemove: (id: string) => void;
  onClear: () => void;
}) {
  const { id, error } = useFieldBinding('memberIds', 'Structures choisies');
  const group = useRef<HTMLFieldSetElement>(null);
  // A removed row takes its button with it: the focus goes to the next row's button, else the group.
  const [refocus, setRefocus] = useState<number | null>(null);
  useEffect(() => {
    if (refocus === null) return;
    const buttons = group.current?.querySelectorAll<HTMLButtonElement>('li button');
    const next = buttons && buttons.length > 0 ? buttons[Math.min(refocus, buttons.length - 1)] : null;
    (next ?? group.current)?.focus();
    setRefocus(null);
  }, [refocus]);
  return (
    <fieldset
      id={id}
      ref={group}
      tabIndex={-1}
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="label">Structures qui recevront une copie ({formatNumber(chosen.length)})</legend>
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
      {chosen.length === 0 ? (
        <p className="muted">Aucune structure choisie pour l'instant.</p>
      ) : (
        <>
          <ul className="rgpd-chosen">
            {chosen.map((m, i) => (
              <li key={m.id} className="row">
                <span>{targetLabel(m)}</span>
                <Button
                  variant="tertiary"
                  small
                  onClick={() => {
                    onRemove(m.id);
                    setRefocus(i);
                  }}
                >
                  Retirer<span className="sr-only"> {m.name}</span>
                </Button>
              </li>
            ))}
          </ul>
          {chosen.length > 1 && (
            <Button
              variant="secondary"
              small
              onClick={() => {
                onClear();
                setRefocus(0);
              }}
            >
              Retirer toutes les structures
            </Button>
          )}
        </>
      )}
    </fieldset>
  );
}

/** Why a member got no copy, in the DPO's words. */
const OUTCOMES: Record<(typeof APPLY_OUTCOMES)[number], string> = {
  created: 'Fiche créée (brouillon)',
  already_present: 'Ignorée : la structure a déjà ce traitement',
  not_applicable: 'Ignorée : base légale impossible pour ce type de structure',
  not_found: 'Ignorée : structure introuvable',
};

function CopyReport({
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
