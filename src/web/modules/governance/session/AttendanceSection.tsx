import { useEffect, useId, useState } from 'react';
import { countOf } from '../../../../contracts/french.js';
import {
  ATTENDANCE_STATUS_LABELS,
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  SEAT_KIND_LABELS,
} from '../../../../contracts/governance.js';
import { errorMessage } from '../../../app/api.js';
import { Alert, Button } from '../../../ui/index.js';
import { type SessionDetail, useRecordAttendance } from '../api.js';

type Entry = SessionDetail['attendance'][number];

/** One person's attendance: a status saved as soon as it is chosen; a proxy holder for « représenté ». */
function AttendanceRow({
  entry,
  entries,
  onSave,
  disabled,
}: {
  entry: Entry;
  entries: Entry[];
  onSave: (status: AttendanceStatus, proxySeatId: string | null) => void;
  disabled: boolean;
}) {
  const id = useId();
  const [status, setStatus] = useState<string>(entry.status ?? '');
  // A new answer (another secretary, the bulk button) shows its status; the focus stays where it is.
  useEffect(() => setStatus(entry.status ?? ''), [entry.status]);
  const holders = entries.filter((e) => e.seatId !== entry.seatId && e.status === 'present');
  const nameOf = (seatId: string | null) => entries.find((e) => e.seatId === seatId)?.fullName;
  return (
    <tr>
      <th scope="row">
        {entry.fullName}
        {entry.replacedBySeatId && (
          <span className="field__hint">
            Remplacé par {nameOf(entry.replacedBySeatId) ?? 'son suppléant'}
          </span>
        )}
      </th>
      <td>{SEAT_KIND_LABELS[entry.seatKind]}</td>
      <td>
        <label htmlFor={`${id}-status`} className="sr-only">
          Présence de {entry.fullName}
        </label>
        <select
          id={`${id}-status`}
          className="select"
          value={status}
          disabled={disabled}
          onChange={(e) => {
            const value = e.target.value;
            setStatus(value);
            if (value && value !== 'represented') onSave(value as AttendanceStatus, null);
          }}
        >
          <option value="">Non renseigné</option>
          {ATTENDANCE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ATTENDANCE_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </td>
      <td>
        {status === 'represented' ? (
          <>
            <label htmlFor={`${id}-proxy`} className="sr-only">
              Pouvoir de {entry.fullName} donné à
            </label>
            <select
              id={`${id}-proxy`}
              className="select"
              value={entry.proxySeatId ?? ''}
              disabled={disabled}
              onChange={(e) => e.target.value && onSave('represented', e.target.value)}
            >
              <option value="">Choisir un élu présent…</option>
              {holders.map((h) => (
                <option key={h.seatId} value={h.seatId}>
                  {h.fullName}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

/**
 * Attendance as the secretary records it, each choice saved at once so the quorum above follows:
 * present, absent, excused, represented (a present member holds the proxy, one at most).
 */
export function AttendanceSection({ session }: { session: SessionDetail }) {
  const record = useRecordAttendance(session.id);
  const entries = session.attendance;
  const unset = entries.filter((e) => e.status === null && e.seatKind === 'titular');
  const counts = ATTENDANCE_STATUSES.map((s) => [s, entries.filter((e) => e.status === s).length] as const);
  const editable = session.status !== 'closed';
  const save = (seatId: string, status: AttendanceStatus, proxySeatId: string | null) =>
    record.mutate({ entries: [{ seatId, status, proxySeatId }] });
  return (
    <section aria-labelledby="presences-titre">
      <h2 id="presences-titre">Présences</h2>
      <p>
        {counts
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${ATTENDANCE_STATUS_LABELS[s]} : ${n}`)
          .join(' ; ') || 'Aucune présence enregistrée.'}
        {unset.length > 0 &&
          ` ${countOf(unset.length, 'titulaire non renseigné', 'titulaires non renseignés')}.`}
      </p>
      {record.isError && (
        <Alert type="error" title="Présence non enregistrée" live>
          <p>{errorMessage(record.error)}</p>
        </Alert>
      )}
      {editable && unset.length > 0 && (
        <p className="gov-actions">
          <Button
            variant="secondary"
            pending={record.isPending}
            onClick={() =>
              record.mutate({ entries: unset.map((e) => ({ seatId: e.seatId, status: 'present' as const })) })
            }
          >
            Marquer présents les{' '}
            {countOf(unset.length, 'titulaire non renseigné', 'titulaires non renseignés')}
          </Button>
        </p>
      )}
      <div className="table-wrap gov-attendance">
        <table className="table">
          <caption>Présence de chaque élu</caption>
          <thead>
            <tr>
              <th scope="col">Élu</th>
              <th scope="col">Siège</th>
              <th scope="col">Présence</th>
              <th scope="col">Pouvoir donné à</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AttendanceRow
                key={entry.seatId}
                entry={entry}
                entries={entries}
                disabled={!editable}
                onSave={(status, proxy) => save(entry.seatId, status, proxy)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
