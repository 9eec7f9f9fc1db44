import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { countOf } from '../../../../contracts/french.js';
import { BREACH_NATURE_LABELS, BREACH_NATURES, type BreachNature } from '../../../../contracts/rgpd-cases.js';
import { isLiveStatus } from '../../../../contracts/subscriptions.js';
import {
  Alert,
  Button,
  CheckboxGroup,
  Form,
  ModalDialog,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { useMySubscriptions } from '../../subscriptions/api.js';
import { useAskDpo, useOwnDpoRequests, useReportBreach } from '../api.js';
import { formatParisDateTime, fromParisLocalInput, toParisLocalInput } from '../format.js';

/** The catalogue code of the mutualised DPO service (seed/demo-catalogue.ts). */
export const DPO_SERVICE_CODE = 'RGPD-DPO';

/** Whether the member holds (or has requested) the mutualised DPO service; undefined while loading. */
export function useHasMutualisedDpo(memberId: string): boolean | undefined {
  const subscriptions = useMySubscriptions(memberId);
  if (!subscriptions.data) return undefined;
  return subscriptions.data.items.some((s) => s.service.code === DPO_SERVICE_CODE && isLiveStatus(s.status));
}

function ReportBreachDialog({ memberId, onDone }: { memberId: string; onDone: (sent: boolean) => void }) {
  const report = useReportBreach(memberId);
  const [nature, setNature] = useState<string[]>([]);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <ModalDialog
      title="Signaler une violation de données au DPO"
      isOpen
      onOpenChange={(open) => !open && onDone(false)}
    >
      <p>
        Perte, vol, accès ou envoi non autorisé, données effacées ou altérées : signalez-le sans attendre. Le
        DPO qualifie la violation et, si elle présente un risque, la notifie à la CNIL dans les 72 heures
        suivant sa découverte.
      </p>
      <Form
        id="signalement-violation"
        error={report.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const errors: Record<string, string> = {};
          const awareAt = fromParisLocalInput(String(data.get('awareAt') ?? ''));
          const description = String(data.get('description') ?? '').trim();
          if (!awareAt) errors.awareAt = 'Indiquez la date et l’heure de la découverte.';
          if (description.length < 10)
            errors.description = 'Décrivez ce qui s’est passé (10 caractères au moins).';
          setClientErrors(errors);
          if (!awareAt || Object.keys(errors).length > 0) return;
          report.mutate(
            {
              awareAt,
              description,
              nature: nature.filter((n): n is BreachNature => BREACH_NATURES.some((b) => b === n)),
            },
            { onSuccess: () => onDone(true) },
          );
        }}
      >
        <TextField
          name="awareAt"
          type="datetime-local"
          label="Découverte le (heure de Paris)"
          defaultValue={toParisLocalInput(new Date().toISOString())}
          required
        />
        <TextAreaField
          name="description"
          label="Que s’est-il passé ?"
          hint="Ce qui est arrivé, les données et les personnes concernées, ce que vous avez déjà fait"
          rows={5}
          required
        />
        <CheckboxGroup
          name="nature"
          legend="Nature de la violation (si vous la connaissez)"
          options={BREACH_NATURES.map((n) => ({ value: n, label: BREACH_NATURE_LABELS[n] }))}
          values={nature}
          onChange={setNature}
        />
        <div className="form-actions">
          <Button type="submit" variant="danger" pending={report.isPending}>
            Signaler au DPO
          </Button>
          <Button variant="secondary" onClick={() => onDone(false)}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

function AskDpoDialog({
  memberId,
  suggestion,
  onDone,
}: {
  memberId: string;
  suggestion: string;
  onDone: (sent: boolean) => void;
}) {
  const ask = useAskDpo(memberId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <ModalDialog title="Écrire au DPO mutualisé" isOpen onOpenChange={(open) => !open && onDone(false)}>
      <Form
        id="demande-dpo"
        error={ask.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const message = String(data.get('message') ?? '').trim();
          if (message.length < 10) {
            setClientErrors({ message: 'Écrivez votre demande (10 caractères au moins).' });
            return;
          }
          setClientErrors({});
          ask.mutate({ message }, { onSuccess: () => onDone(true) });
        }}
      >
        <TextAreaField
          name="message"
          label="Votre demande"
          hint="Le DPO vous répond à l’adresse de votre compte"
          rows={5}
          defaultValue={suggestion}
          required
        />
        <div className="form-actions">
          <Button type="submit" pending={ask.isPending}>
            Envoyer au DPO
          </Button>
          <Button variant="secondary" onClick={() => onDone(false)}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

/**
 * What any user of a member may do towards the mutualised DPO: report a breach, ask for help. The
 * confirmation is announced politely once the dialog closes.
 */
export function DpoActions({ memberId, suggestion = '' }: { memberId: string; suggestion?: string }) {
  const [dialog, setDialog] = useState<'breach' | 'ask' | null>(null);
  const [sent, setSent] = useState<'breach' | 'ask' | null>(null);
  const done = (kind: 'breach' | 'ask') => (ok: boolean) => {
    setDialog(null);
    if (ok) setSent(kind);
  };
  return (
    <>
      <div role="status">
        {sent === 'breach' && (
          <Alert type="success" title="Violation signalée au DPO">
            <p>
              Le DPO a été prévenu par courriel ; la violation est inscrite au{' '}
              <Link to="/espace/rgpd/violations">registre des violations</Link> de votre structure avec son
              échéance de 72 heures.
            </p>
          </Alert>
        )}
        {sent === 'ask' && (
          <Alert type="success" title="Demande envoyée au DPO">
            <p>Le DPO mutualisé a reçu votre demande : il vous répondra à l'adresse de votre compte.</p>
          </Alert>
        )}
      </div>
      <p className="row">
        <Button variant="danger" onClick={() => setDialog('breach')}>
          Signaler une violation au DPO
        </Button>
        <Button variant="secondary" onClick={() => setDialog('ask')}>
          Écrire au DPO
        </Button>
      </p>
      <OpenDpoRequests memberId={memberId} />
      {dialog === 'breach' && <ReportBreachDialog memberId={memberId} onDone={done('breach')} />}
      {dialog === 'ask' && <AskDpoDialog memberId={memberId} suggestion={suggestion} onDone={done('ask')} />}
    </>
  );
}

/** What the member wrote to the DPO and the DPO has not closed yet (nothing shown when none). */
function OpenDpoRequests({ memberId }: { memberId: string }) {
  const requests = useOwnDpoRequests(memberId);
  const items = requests.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <details>
      <summary>{countOf(items.length, 'demande en cours', 'demandes en cours')} auprès du DPO</summary>
      <ul>
        {items.map((r) => (
          <li key={r.id}>
            {r.message}{' '}
            <span className="muted">
              ({r.requester}, le {formatParisDateTime(r.createdAt)})
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** An empty registry says why and what to do next, depending on whether the member has the DPO service. */
export function EmptyRegistryHelp({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const hasDpo = useHasMutualisedDpo(memberId);
  if (hasDpo === undefined) return null;
  if (hasDpo) {
    return (
      <Alert type="info" title="Votre registre est vide">
        <p>
          Votre structure a souscrit le DPO mutualisé : c'est lui qui constitue le registre avec vous, à
          partir des modèles de traitements des collectivités. Demandez-lui de le préparer
          {canEdit ? ', ou ajoutez vous-même un premier traitement ci-dessous' : ''}.
        </p>
        <DpoActions
          memberId={memberId}
          suggestion="Notre registre des traitements est vide : pouvez-vous nous aider à le constituer ?"
        />
      </Alert>
    );
  }
  return (
    <Alert type="info" title="Votre registre est vide">
      <p>
        Toute collectivité tient un registre de ses traitements de données personnelles (article 30 du RGPD).{' '}
        {canEdit
          ? 'Ajoutez un premier traitement ci-dessous, ou confiez'
          : 'Votre référent peut le tenir ici, ou confier'}{' '}
        cette mission au DPO mutualisé : <Link to="/catalogue">voir le service dans le catalogue</Link>.
      </p>
    </Alert>
  );
}
