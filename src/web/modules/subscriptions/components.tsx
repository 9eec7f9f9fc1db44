import { de } from '../../../contracts/french.js';
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

/** « Nombre d'agents », « Nombre de postes »: the label of a service's declared units. */
export const unitsLabel = (unitLabel: string) => `Nombre ${de(unitLabel)}`;

/**
 * Reads the declared units of a subscription form: `undefined` when the service has no unit, the
 * French message in `error` when the value is not a whole number of at least 1.
 */
export function readUnits(
  data: FormData,
  unitLabel: string | null | undefined,
): { units?: number; error?: string } {
  if (!unitLabel) return {};
  const units = Number(String(data.get('units') ?? '').trim());
  if (!Number.isInteger(units) || units < 1) {
    return { error: `Indiquez le nombre ${de(unitLabel)} (un nombre entier, au moins 1).` };
  }
  return { units };
}
