import { INCIDENT_CLOCK_LABELS, type IncidentClockView } from '../../../contracts/cyber.js';
import { useMinuteClock } from '../rgpd/components.js';
import { CLOCK_STEPS, describeClock } from './clocks.js';

/**
 * One regulator's clock as a sentence (time left or late by, and the deadline in Paris time), refreshed
 * each minute; the colour of its border only repeats what the words say. A change of state (deadline
 * passed, step done) is announced politely, not every minute.
 */
export function ClockLine({ clock, headingLevel }: { clock: IncidentClockView; headingLevel?: 3 | 4 }) {
  const now = useMinuteClock();
  const view = describeClock(CLOCK_STEPS[clock.clock], clock.deadline, clock.doneAt, now);
  const Heading = headingLevel === 4 ? 'h4' : 'h3';
  return (
    <div className={`cyber-clock cyber-clock--${view.state}`}>
      {headingLevel ? (
        <Heading className="cyber-clock__title">
          {INCIDENT_CLOCK_LABELS[clock.clock]} : {view.stateLabel}
        </Heading>
      ) : null}
      <p>{view.text}</p>
      <p className="sr-only" aria-live="polite">
        {INCIDENT_CLOCK_LABELS[clock.clock]} : {view.stateLabel}.
      </p>
    </div>
  );
}

/** The next clock of an incident in a table cell: the sentence only. */
export function NextClock({ clock }: { clock: IncidentClockView | null }) {
  const now = useMinuteClock();
  if (!clock) return <span className="muted">Aucune échéance en cours</span>;
  const view = describeClock(CLOCK_STEPS[clock.clock], clock.deadline, clock.doneAt, now);
  return (
    <span className={view.state === 'overdue' ? 'cyber-overdue' : undefined}>
      {INCIDENT_CLOCK_LABELS[clock.clock]} — {view.text}
    </span>
  );
}
