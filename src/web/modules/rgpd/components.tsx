import { Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useId, useState } from 'react';
import {
  type APPLY_OUTCOMES,
  type ApplyReport,
  DPIA_STATUS_LABELS,
  type DpiaStatus,
  PROCESSING_STATUS_LABELS,
  type ProcessingStatus,
} from '../../../contracts/rgpd.js';
import type { Breach } from '../../../contracts/rgpd-cases.js';
import { useFieldBinding } from '../../ui/Form.js';
import { Badge, type BadgeTone, Table } from '../../ui/index.js';
import { formatDuration, formatParisDateTime } from './format.js';
import './rgpd.css';

const STATUS_TONES: Record<ProcessingStatus, BadgeTone> = {
  draft: 'default',
  to_review: 'warning',
  validated: 'success',
};

export function ProcessingStatusBadge({ status }: { status: ProcessingStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{PROCESSING_STATUS_LABELS[status]}</Badge>;
}

/** « AIPD requise » only matters while the DPIA is not done (or justified as not required). */
export function DpiaBadge({ required, status }: { required: boolean; status: DpiaStatus }) {
  if (!required) return <span className="muted">Non requise</span>;
  if (status === 'done') return <Badge tone="success">AIPD réalisée</Badge>;
  if (status === 'not_required') return <Badge>{DPIA_STATUS_LABELS.not_required}</Badge>;
  return <Badge tone="error">AIPD requise{status === 'in_progress' ? ' (en cours)' : ''}</Badge>;
}

/** The percentage is the information; the bar only repeats it for sighted users. */
export function Completion({ value }: { value: number | null }) {
  if (value == null) return <span className="muted">—</span>;
  const tone = value >= 80 ? 'good' : value >= 50 ? 'mid' : 'low';
  return (
    <span className="completion">
      <span className="completion__track" aria-hidden="true">
        <span className={`completion__fill completion__fill--${tone}`} style={{ width: `${value}%` }} />
      </span>
      {value} %
    </span>
  );
}

export interface CheckboxProps {
  name?: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  disabled?: boolean;
}

export function Checkbox({ name, label, checked, onChange, hint, disabled }: CheckboxProps) {
  const generated = useId();
  const binding = useFieldBinding(name, typeof label === 'string' ? label : (name ?? ''));
  const id = binding.id ?? generated;
  return (
    <div className="rgpd-checkbox">
      <div className="checkbox">
        <input
          id={id}
          type="checkbox"
          name={name}
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint && (
        <span className="field__hint rgpd-checkbox__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** The current time, refreshed at each new minute (a countdown in minutes needs no finer clock). */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let interval: ReturnType<typeof setInterval> | undefined;
    const timeout = setTimeout(
      () => {
        setNow(Date.now());
        interval = setInterval(() => setNow(Date.now()), 60_000);
      },
      60_000 - (Date.now() % 60_000),
    );
    return () => {
      clearTimeout(timeout);
      if (interval) clearInterval(interval);
    };
  }, []);
  return now;
}

type CountdownState = 'not_required' | 'notified' | 'running' | 'overdue';

const STATE_MESSAGES: Record<CountdownState, string> = {
  not_required: 'Notification à la CNIL non requise.',
  notified: 'Violation notifiée à la CNIL.',
  running: 'Délai de notification à la CNIL en cours.',
  overdue: 'Le délai de 72 heures pour notifier la CNIL est dépassé.',
};

/**
 * A 72 h countdown as text, refreshed each minute without being read aloud each minute: only a change
 * of state (deadline passed, notified) is announced, politely.
 */
export function DeadlineCountdown({
  deadline,
  deadlineLabel,
  notifiedAt,
  required = true,
}: {
  deadline: string;
  deadlineLabel?: string;
  notifiedAt?: string | null;
  required?: boolean;
}) {
  const now = useMinuteClock();
  const end = new Date(deadline).getTime();
  const state: CountdownState = notifiedAt
    ? 'notified'
    : !required
      ? 'not_required'
      : end > now
        ? 'running'
        : 'overdue';
  const minutes = Math.floor((end - now) / 60_000);
  const label = deadlineLabel || formatParisDateTime(deadline);
  const late = state === 'notified' && !!notifiedAt && new Date(notifiedAt).getTime() > end;
  let text: ReactNode;
  if (state === 'running') {
    text = (
      <>
        <strong>Il reste {formatDuration(minutes)}</strong> pour notifier la CNIL (avant le {label}).
      </>
    );
  } else if (state === 'overdue') {
    text = (
      <>
        <strong>Délai dépassé de {formatDuration(-minutes)}</strong> : la notification devait partir avant le{' '}
        {label}.
      </>
    );
  } else if (state === 'notified') {
    text = (
      <>
        Notifiée le {formatParisDateTime(notifiedAt)}
        {late ? ' (hors délai)' : ''}.
      </>
    );
  } else {
    text = 'Notification à la CNIL non requise.';
  }
  return (
    <div className={`countdown countdown--${late ? 'late' : state}`}>
      <p className="countdown__text">{text}</p>
      <p className="sr-only" aria-live="polite">
        {STATE_MESSAGES[state]}
      </p>
    </div>
  );
}

export function BreachCountdown({ breach }: { breach: Breach }) {
  return (
    <DeadlineCountdown
      deadline={breach.notificationDeadline}
      deadlineLabel={breach.notificationDeadlineLabel}
      notifiedAt={breach.notifiedAt}
      required={breach.cnilNotificationRequired}
    />
  );
}

/** A list of values joined for display, or a dash. */
export const listText = (values: readonly string[]) => (values.length ? values.join(', ') : '—');

type ReportRow = ApplyReport['members'][number];

/**
 * Per-structure result of applying a template or copying a processing: the structure, its outcome and
 * a link to the record created or already there.
 */
export function ApplyReportTable({
  report,
  caption,
  outcomeLabels,
  linkLabel,
}: {
  report: ApplyReport;
  caption: string;
  outcomeLabels: Record<(typeof APPLY_OUTCOMES)[number], string>;
  linkLabel: (row: ReportRow) => string;
}) {
  return (
    <Table
      caption={caption}
      rows={report.members}
      rowKey={(m) => m.memberId}
      columns={[
        {
          key: 'member',
          header: 'Structure',
          rowHeader: true,
          render: (m) => (
            <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: m.memberId }}>
              {m.memberName ?? m.memberId}
            </Link>
          ),
        },
        {
          key: 'outcome',
          header: 'Résultat',
          render: (m) =>
            m.outcome === 'created' ? (
              <Badge tone="success">{outcomeLabels.created}</Badge>
            ) : (
              outcomeLabels[m.outcome]
            ),
        },
        {
          key: 'processing',
          header: 'Fiche',
          render: (m) =>
            m.processingId ? (
              <Link
                to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
                params={{ memberId: m.memberId, processingId: m.processingId }}
              >
                {linkLabel(m)}
                <span className="sr-only"> de {m.memberName}</span>
              </Link>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
