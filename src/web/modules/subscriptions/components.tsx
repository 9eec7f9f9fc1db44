import { SUBSCRIPTION_STATUS_LABELS, type SubscriptionStatus } from '../../../contracts/subscriptions.js';
import { Badge, type BadgeTone } from '../../ui/index.js';

const TONES: Record<SubscriptionStatus, BadgeTone> = {
  requested: 'new',
  active: 'success',
  refused: 'error',
  termination_requested: 'warning',
  terminated: 'default',
};

export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  return <Badge tone={TONES[status]}>{SUBSCRIPTION_STATUS_LABELS[status]}</Badge>;
}
