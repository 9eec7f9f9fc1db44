import { type Subscription, terminationEndDate } from '../../../../contracts/subscriptions.js';
import {
  Button,
  Form,
  formatNumber,
  ModalDialog,
  TextAreaField,
  TextField,
  today,
} from '../../../ui/index.js';
import { useSubscriptionAction } from '../api.js';

export type Decision = { subscription: Subscription; action: 'accept' | 'refuse' | 'confirm-termination' };

export function DecisionDialog({ decision, onClose }: { decision: Decision; onClose: () => void }) {
  const act = useSubscriptionAction();
  const { subscription: s, action } = decision;
  const title =
    action === 'accept'
      ? 'Accepter la demande'
      : action === 'refuse'
        ? 'Refuser la demande'
        : 'Confirmer la résiliation';
  const defaultEnd =
    action === 'confirm-termination'
      ? terminationEndDate(s.updatedAt.slice(0, 10), s.service.noticeMonths, s.startDate)
      : '';
  return (
    <ModalDialog title={title} isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        <strong>{s.memberName}</strong> — {s.service.name}
        {s.units != null && ` (${formatNumber(s.units)} ${s.service.unitLabel ?? 'unités'})`}
      </p>
      <Form
        id="decision"
        error={act.error}
        onSubmit={(data) => {
          const value = (key: string) => String(data.get(key) ?? '').trim();
          const note = value('note');
          const body: Record<string, unknown> =
            action === 'accept'
              ? { startDate: value('startDate'), ...(note ? { note } : {}) }
              : action === 'refuse'
                ? { reason: value('reason') }
                : { ...(value('endDate') ? { endDate: value('endDate') } : {}), ...(note ? { note } : {}) };
          act.mutate({ subscription: s, action, body }, { onSuccess: onClose });
        }}
      >
        {action === 'accept' && (
          <>
            <TextField
              name="startDate"
              label="Date de démarrage"
              type="date"
              defaultValue={today()}
              required
            />
            <TextAreaField name="note" label="Note (facultative)" rows={2} />
          </>
        )}
        {action === 'refuse' && (
          <TextAreaField
            name="reason"
            label="Motif du refus"
            hint="Il est communiqué à la structure : soyez précis sur ce qui manque."
            rows={3}
            required
          />
        )}
        {action === 'confirm-termination' && (
          <>
            <TextField
              name="endDate"
              label="Date de fin"
              hint="Par défaut, la fin du préavis"
              type="date"
              defaultValue={defaultEnd}
            />
            <TextAreaField name="note" label="Note (facultative)" rows={2} />
          </>
        )}
        <div className="form-actions">
          <Button type="submit" variant={action === 'refuse' ? 'danger' : 'primary'} pending={act.isPending}>
            {title}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
