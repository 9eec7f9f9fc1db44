import { useEffect, useRef, useState } from 'react';
import type { ActDetail } from '../../../../contracts/acts.js';
import { errorMessage } from '../../../app/api.js';
import { Alert, Button, ModalDialog } from '../../../ui/index.js';
import { type ActTransition, useActTransition } from '../api.js';

const DONE: Record<ActTransition, string> = {
  ready: 'Acte marqué prêt à transmettre.',
  transmit:
    "Transmission demandée : l'acte part vers la préfecture. Son statut se met à jour tout seul sur cette page.",
  publish: 'Acte publié : il figure sur le portail public, avec la mention de publication et son empreinte.',
  cancel: 'Annulation transmise à la préfecture.',
  retry: 'Transmission relancée.',
};

/**
 * The act's next steps, as its state allows them: « Prêt à transmettre », « Transmettre », « Publier »
 * (after a confirmation: it is permanent) and « Annuler » for an acknowledged act.
 */
export function ActActions({ act }: { act: ActDetail }) {
  const ready = useActTransition(act.memberId, act.id, 'ready');
  const transmit = useActTransition(act.memberId, act.id, 'transmit');
  const publish = useActTransition(act.memberId, act.id, 'publish');
  const cancel = useActTransition(act.memberId, act.id, 'cancel');
  const [confirm, setConfirm] = useState<'publish' | 'cancel' | null>(null);
  const [done, setDone] = useState<ActTransition | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const message = useRef<HTMLDivElement>(null);
  // The button that was used may be gone (a published act has no « Publier »): the outcome takes the focus.
  useEffect(() => {
    if (done || failed) message.current?.focus();
  }, [done, failed]);

  const run = (transition: ActTransition, mutation: ReturnType<typeof useActTransition>) => {
    setDone(null);
    setFailed(null);
    mutation.mutate(undefined, {
      onSuccess: () => setDone(transition),
      onError: (error) => setFailed(error),
      onSettled: () => setConfirm(null),
    });
  };

  const hasMain = act.documents.some((d) => d.role === 'main');
  const canReady = act.status === 'draft' || act.status === 'error';
  const canTransmit = act.status === 'ready' && act.transmissionRequired;
  const canPublish = !act.publishedAt && hasMain;
  const canCancel = act.status === 'acknowledged';
  const pending = ready.isPending || transmit.isPending || publish.isPending || cancel.isPending;

  return (
    <section aria-labelledby="actions-titre">
      <h2 id="actions-titre">Actions</h2>
      <div ref={message} tabIndex={-1}>
        {done && (
          <Alert type="success" live>
            <p>{DONE[done]}</p>
          </Alert>
        )}
        {failed !== null && (
          <Alert type="error" title="Action impossible" live>
            <p>{errorMessage(failed)}</p>
          </Alert>
        )}
      </div>
      {!canReady && !canTransmit && !canPublish && !canCancel ? (
        <p className="muted">Aucune action possible sur cet acte dans son état actuel.</p>
      ) : (
        <div className="acts-actions">
          {canReady && (
            <Button onClick={() => run('ready', ready)} pending={ready.isPending} disabled={pending}>
              Prêt à transmettre
            </Button>
          )}
          {canTransmit && (
            <Button onClick={() => run('transmit', transmit)} pending={transmit.isPending} disabled={pending}>
              Transmettre à la préfecture
            </Button>
          )}
          {canPublish && (
            <Button variant="secondary" onClick={() => setConfirm('publish')} disabled={pending}>
              Publier
            </Button>
          )}
          {canCancel && (
            <Button variant="danger" onClick={() => setConfirm('cancel')} disabled={pending}>
              Annuler l'acte
            </Button>
          )}
        </div>
      )}
      {canReady && !hasMain && (
        <p className="field__hint">Déposez le document principal (PDF signé) avant de marquer l'acte prêt.</p>
      )}
      {confirm === 'publish' && (
        <ModalDialog
          title="Publier l'acte : action définitive"
          isOpen
          onOpenChange={(o) => !o && setConfirm(null)}
        >
          <p>
            L'acte {act.number} sera publié sur le portail public de la structure, sans connexion, avec la
            mention de publication apposée sur le PDF signé, la date de publication enregistrée par Socle et
            son empreinte SHA-256.
          </p>
          <p>
            <strong>
              Une publication est définitive : l'acte publié ne pourra être ni retiré, ni modifié.
            </strong>{' '}
            Pour le corriger, vous publierez un acte rectificatif qui figurera à côté de lui.
          </p>
          <div className="form-actions">
            <Button onClick={() => run('publish', publish)} pending={publish.isPending}>
              Publier définitivement
            </Button>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Ne pas publier
            </Button>
          </div>
        </ModalDialog>
      )}
      {confirm === 'cancel' && (
        <ModalDialog
          title="Annuler l'acte auprès de la préfecture"
          isOpen
          onOpenChange={(o) => !o && setConfirm(null)}
        >
          <p>
            L'annulation est transmise à la préfecture par le tiers de télétransmission : l'acte {act.number}{' '}
            y sera enregistré comme annulé. Elle ne peut pas être reprise.
          </p>
          <div className="form-actions">
            <Button variant="danger" onClick={() => run('cancel', cancel)} pending={cancel.isPending}>
              Confirmer l'annulation
            </Button>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Garder l'acte
            </Button>
          </div>
        </ModalDialog>
      )}
    </section>
  );
}
