import { useState } from 'react';
import {
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_TRANSITIONS,
  type MemberDetail,
  type MembershipStatus,
} from '../../../../contracts/members.js';
import {
  Button,
  EmptyState,
  FileField,
  Form,
  formatDate,
  formatDateTime,
  ModalDialog,
  QueryView,
  SelectField,
  TextAreaField,
  TextField,
  today,
} from '../../../ui/index.js';
import { documentUrl, useDocuments, useHistory, useTransition, useUploadDocument } from '../api.js';
import { StatusBadge } from '../components.js';
import { isPdfName, uploadForm } from './form-data.js';

type Step = (typeof MEMBERSHIP_TRANSITIONS)[number];

const STEP_LABELS: Record<string, string> = {
  'prospect>requested': "Demander l'adhésion",
  'requested>accepted': 'Accepter la demande (comité syndical)',
  'requested>prospect': 'Refuser la demande',
  'accepted>member': "Prononcer l'adhésion",
  'member>withdrawal_requested': 'Demander le retrait',
  'withdrawal_requested>withdrawn': 'Acter le retrait (comité syndical)',
  'withdrawn>requested': "Demander à nouveau l'adhésion",
};

const DATE_LABELS: Record<MembershipStatus, string> = {
  prospect: 'Date du refus',
  requested: "Date de la délibération d'adhésion",
  accepted: 'Date de la décision du comité syndical',
  member: "Date d'effet de l'adhésion",
  withdrawal_requested: 'Date de la délibération de retrait',
  withdrawn: 'Date de la décision du comité syndical',
};

const stepKey = (s: Step) => `${s.from}>${s.to}`;

function TransitionDialog({
  member,
  step,
  onClose,
}: {
  member: MemberDetail;
  step: Step;
  onClose: () => void;
}) {
  const transition = useTransition(member.id);
  const upload = useUploadDocument(member.id);
  const documents = useDocuments(member.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const requires = step.requires as readonly string[];
  const needsDocument = requires.includes('documentId');
  const isDeliberation = step.to === 'requested' || step.to === 'withdrawal_requested';
  const existing = (documents.data ?? []).filter((d) => (isDeliberation ? d.kind === 'deliberation' : true));
  const submit = async (data: FormData) => {
    const effectiveOn = String(data.get('effectiveOn') ?? '');
    const decisionReference = String(data.get('decisionReference') ?? '').trim();
    const note = String(data.get('note') ?? '').trim();
    const file = data.get('file');
    const chosen = String(data.get('existingDocument') ?? '');
    const hasFile = file instanceof File && file.size > 0;
    const errors: Record<string, string> = {};
    if (!effectiveOn) errors.effectiveOn = 'Indiquez la date.';
    if (requires.includes('decisionReference') && !decisionReference)
      errors.decisionReference = 'Indiquez la référence de la décision du comité syndical.';
    if (requires.includes('note') && !note) errors.note = 'Indiquez le motif.';
    if (needsDocument && !hasFile && !chosen) errors.file = 'Joignez la délibération en PDF.';
    if (hasFile && !isPdfName(file)) errors.file = 'Le fichier doit être un PDF.';
    setClientErrors(errors);
    if (Object.keys(errors).length) return;
    let documentId = chosen || undefined;
    try {
      if (hasFile) {
        const title = isDeliberation
          ? `${step.to === 'requested' ? "Délibération d'adhésion" : 'Délibération de retrait'} du ${formatDate(effectiveOn)}`
          : `Décision du ${formatDate(effectiveOn)}`;
        const doc = await upload.mutateAsync(
          uploadForm(
            { kind: isDeliberation ? 'deliberation' : 'decision', title, documentDate: effectiveOn },
            file,
          ),
        );
        documentId = doc.id;
      }
      await transition.mutateAsync({
        to: step.to,
        effectiveOn,
        ...(decisionReference ? { decisionReference } : {}),
        ...(note ? { note } : {}),
        ...(documentId ? { documentId } : {}),
      });
      onClose();
    } catch {
      // the error is shown by the form's summary
    }
  };
  return (
    <ModalDialog
      title={STEP_LABELS[stepKey(step)] ?? 'Changer le statut'}
      isOpen
      onOpenChange={(o) => !o && onClose()}
    >
      <p>
        {member.name} passera de « {MEMBERSHIP_STATUS_LABELS[step.from]} » à «{' '}
        {MEMBERSHIP_STATUS_LABELS[step.to]} ».
      </p>
      <Form
        id="etape-adhesion"
        error={upload.error ?? transition.error}
        clientErrors={clientErrors}
        onSubmit={submit}
      >
        <TextField
          name="effectiveOn"
          label={DATE_LABELS[step.to]}
          type="date"
          defaultValue={today()}
          required
        />
        {(requires.includes('decisionReference') || !step.byMember) && step.to !== 'prospect' && (
          <TextField
            name="decisionReference"
            label="Référence de la décision"
            hint="Par exemple : CS-2026-014"
            required={requires.includes('decisionReference')}
          />
        )}
        {needsDocument && existing.length > 0 && (
          <SelectField
            name="existingDocument"
            label="Délibération déjà déposée"
            placeholder="Aucune : je joins un fichier ci-dessous"
            options={existing.map((d) => ({
              value: d.id,
              label: `${d.title} (${formatDate(d.documentDate)})`,
            }))}
          />
        )}
        <FileField
          name="file"
          label={isDeliberation ? 'Délibération (PDF)' : 'Document de décision (PDF, facultatif)'}
          hint="Format PDF uniquement, 20 Mo au plus"
          accept="application/pdf,.pdf"
          required={needsDocument && existing.length === 0}
        />
        <TextAreaField
          name="note"
          label={requires.includes('note') ? 'Motif' : 'Note (facultative)'}
          required={requires.includes('note')}
        />
        <div className="form-actions">
          <Button type="submit" pending={upload.isPending || transition.isPending}>
            Valider
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

/** Current status, the steps this person may take from it, and the dated history. */
export function MembershipSection({
  member,
  asOperatorAdmin,
  asMemberAdmin,
}: {
  member: MemberDetail;
  asOperatorAdmin: boolean;
  asMemberAdmin: boolean;
}) {
  const history = useHistory(member.id);
  const [step, setStep] = useState<Step | null>(null);
  const steps = MEMBERSHIP_TRANSITIONS.filter(
    (s) => s.from === member.status && (asOperatorAdmin || (asMemberAdmin && s.byMember)),
  );
  return (
    <section aria-labelledby="adhesion-titre">
      <h2 id="adhesion-titre">Adhésion</h2>
      <p>
        Statut actuel : <StatusBadge status={member.status} /> depuis le {formatDate(member.statusChangedAt)}.
      </p>
      {steps.length > 0 ? (
        <div className="row">
          {steps.map((s) => (
            <Button
              key={stepKey(s)}
              variant={s.to === 'prospect' ? 'secondary' : 'primary'}
              onClick={() => setStep(s)}
            >
              {STEP_LABELS[stepKey(s)]}
            </Button>
          ))}
        </div>
      ) : (
        !asOperatorAdmin &&
        asMemberAdmin && (
          <p className="muted">
            Aucune démarche n'est à faire de votre part : la suite relève du comité syndical.
          </p>
        )
      )}
      {step && <TransitionDialog member={member} step={step} onClose={() => setStep(null)} />}
      <h3>Historique</h3>
      <QueryView query={history} loadingLabel="Chargement de l'historique…">
        {(events) =>
          events.length === 0 ? (
            <EmptyState>Aucun événement.</EmptyState>
          ) : (
            <ol className="timeline">
              {events.map((e) => (
                <li key={e.id} className="timeline__item">
                  <strong>{MEMBERSHIP_STATUS_LABELS[e.toStatus]}</strong> — le {formatDate(e.effectiveOn)}
                  <div className="timeline__meta">
                    {e.fromStatus ? `Depuis « ${MEMBERSHIP_STATUS_LABELS[e.fromStatus]} »` : 'Création'}
                    {e.decisionReference && ` · décision ${e.decisionReference}`}
                    {` · enregistré le ${formatDateTime(e.createdAt)}`}
                    {e.actor && ` par ${e.actor.displayName}`}
                  </div>
                  {e.document && (
                    <div>
                      Document :{' '}
                      <a href={documentUrl(member.id, e.document.id)} download>
                        {e.document.title}
                      </a>
                    </div>
                  )}
                  {e.note && <div>Note : {e.note}</div>}
                </li>
              ))}
            </ol>
          )
        }
      </QueryView>
    </section>
  );
}
