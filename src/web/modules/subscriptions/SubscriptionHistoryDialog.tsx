import { SUBSCRIPTION_STATUS_LABELS } from '../../../contracts/subscriptions.js';
import { Button, formatDate, formatDateTime, ModalDialog, QueryView } from '../../ui/index.js';
import { useSubscription } from './api.js';

/** The dated, attributed history of one subscription, in a dialog. */
export function SubscriptionHistoryDialog({
  subscription,
  onClose,
}: {
  subscription: { id: string; memberId: string };
  onClose: () => void;
}) {
  const detail = useSubscription(subscription.memberId, subscription.id);
  return (
    <ModalDialog title="Historique de l'abonnement" isOpen onOpenChange={(open) => !open && onClose()}>
      <QueryView query={detail} loadingLabel="Chargement de l'historique…">
        {(d) => (
          <>
            <p>
              {d.service.name} — {d.memberName}
            </p>
            <ol className="timeline">
              {d.events.map((e) => (
                <li key={e.id} className="timeline__item">
                  <strong>
                    {e.fromStatus ? `${SUBSCRIPTION_STATUS_LABELS[e.fromStatus]} → ` : ''}
                    {SUBSCRIPTION_STATUS_LABELS[e.toStatus]}
                  </strong>{' '}
                  à compter du {formatDate(e.effectiveOn)}
                  {e.note && <p>{e.note}</p>}
                  <span className="timeline__meta">
                    {formatDateTime(e.createdAt)}
                    {e.actor ? ` — ${e.actor.displayName}` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </>
        )}
      </QueryView>
      <div className="form-actions">
        <Button variant="secondary" onClick={onClose}>
          Fermer
        </Button>
      </div>
    </ModalDialog>
  );
}
