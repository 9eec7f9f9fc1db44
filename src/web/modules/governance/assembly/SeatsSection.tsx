import { useState } from 'react';
import { countOf } from '../../../../contracts/french.js';
import { SEAT_KIND_LABELS } from '../../../../contracts/governance.js';
import { errorMessage } from '../../../app/api.js';
import { Alert, announce, Badge, Button, formatDate, ModalDialog, Table } from '../../../ui/index.js';
import { type AssemblyDetail, useRemoveSeat } from '../api.js';

type Seat = AssemblyDetail['seats'][number];

function term(seat: Seat) {
  return seat.termEnd
    ? `du ${formatDate(seat.termStart)} au ${formatDate(seat.termEnd)}`
    : `depuis le ${formatDate(seat.termStart)}`;
}

function SeatsTable({
  caption,
  seats,
  all,
  onRemove,
}: {
  caption: string;
  seats: Seat[];
  all: Seat[];
  onRemove: ((seat: Seat) => void) | null;
}) {
  const nameOf = (id: string | null) => all.find((s) => s.id === id)?.fullName;
  return (
    <Table
      caption={caption}
      columns={[
        {
          key: 'name',
          header: 'Élu',
          rowHeader: true,
          render: (s) => (
            <>
              {s.fullName} {s.isChair && <Badge tone="info">Président</Badge>}
            </>
          ),
        },
        {
          key: 'kind',
          header: 'Siège',
          render: (s) =>
            s.kind === 'substitute' && s.substituteForSeatId
              ? `${SEAT_KIND_LABELS.substitute} de ${nameOf(s.substituteForSeatId) ?? '—'}`
              : SEAT_KIND_LABELS[s.kind],
        },
        { key: 'designatedBy', header: 'Désigné par', render: (s) => s.designatedBy?.name ?? '—' },
        { key: 'term', header: 'Mandat', render: (s) => (s.inOffice ? term(s) : <>{term(s)} (terminé)</>) },
        {
          key: 'convocation',
          header: 'Convocation',
          render: (s) => (s.paperConvocation || !s.email ? 'Papier' : s.email),
        },
        ...(onRemove
          ? [
              {
                key: 'actions',
                header: <span className="sr-only">Actions</span>,
                render: (s: Seat) => (
                  <Button
                    variant="tertiary"
                    small
                    onClick={() => onRemove(s)}
                    aria-label={`Retirer le siège de ${s.fullName}`}
                  >
                    Retirer
                  </Button>
                ),
              },
            ]
          : []),
      ]}
      rows={seats}
      rowKey={(s) => s.id}
    />
  );
}

/** Seats grouped by college (the operator's statutes), titulars first; a seat may be removed. */
export function SeatsSection({ assembly }: { assembly: AssemblyDetail }) {
  const remove = useRemoveSeat(assembly.id);
  const [removing, setRemoving] = useState<Seat | null>(null);
  const ordered = [...assembly.seats].sort(
    (a, b) =>
      Number(b.inOffice) - Number(a.inOffice) ||
      (a.kind === b.kind ? 0 : a.kind === 'titular' ? -1 : 1) ||
      a.fullName.localeCompare(b.fullName, 'fr'),
  );
  const onRemove = assembly.canManage ? setRemoving : null;
  const groups =
    assembly.colleges.length > 0
      ? [
          ...assembly.colleges.map((c) => ({
            key: c.id,
            caption: `${c.name} : ${countOf(c.filled, 'siège pourvu', 'sièges pourvus')} sur ${c.seats}${
              c.voteWeight > 1 ? `, ${countOf(c.voteWeight, 'voix', 'voix')} par délégué` : ''
            }`,
            seats: ordered.filter((s) => s.collegeId === c.id),
          })),
          { key: 'none', caption: 'Sans collège', seats: ordered.filter((s) => !s.collegeId) },
        ].filter((g) => g.seats.length > 0 || g.key !== 'none')
      : [{ key: 'all', caption: 'Sièges', seats: ordered }];
  return (
    <section aria-labelledby="sieges-titre">
      <h2 id="sieges-titre">Sièges</h2>
      <p>
        {countOf(assembly.inOffice, 'titulaire', 'titulaires')} en exercice,{' '}
        {countOf(
          assembly.seats.filter((s) => s.kind === 'substitute' && s.inOffice).length,
          'suppléant',
          'suppléants',
        )}
        .
      </p>
      {remove.isError && (
        <Alert type="error" title="Retrait impossible" live>
          <p>{errorMessage(remove.error)}</p>
        </Alert>
      )}
      {groups.map((g) =>
        g.seats.length === 0 ? (
          <p key={g.key}>
            <strong>{g.caption}</strong> : aucun siège pourvu.
          </p>
        ) : (
          <SeatsTable
            key={g.key}
            caption={g.caption}
            seats={g.seats}
            all={assembly.seats}
            onRemove={onRemove}
          />
        ),
      )}
      {removing && (
        <ModalDialog title="Retirer un siège" isOpen onOpenChange={(open) => !open && setRemoving(null)}>
          <p>
            {removing.fullName} ne siégera plus dans l'assemblée « {assembly.name} » : il ne sera plus
            convoqué ni compté dans le quorum. Les séances passées gardent sa présence et ses votes.
          </p>
          <div className="form-actions">
            <Button
              variant="danger"
              pending={remove.isPending}
              onClick={() =>
                remove.mutate(removing.id, {
                  onSuccess: () => announce(`Siège de ${removing.fullName} retiré.`),
                  onSettled: () => setRemoving(null),
                })
              }
            >
              Retirer le siège
            </Button>
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Garder le siège
            </Button>
          </div>
        </ModalDialog>
      )}
    </section>
  );
}
