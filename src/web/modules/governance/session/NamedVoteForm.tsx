import { useId, useState } from 'react';
import { VOTE_CHOICE_LABELS, VOTE_CHOICES, type VoteChoice } from '../../../../contracts/governance.js';
import { Alert, announce, Button, Form, SelectField } from '../../../ui/index.js';
import { type SessionDetail, useVote } from '../api.js';

type Item = SessionDetail['items'][number];

/**
 * A named vote (and weighted votes: the server sums each college's weight): one choice per member
 * present or represented, sent as ballots; the chair's vote breaks a tie.
 */
export function NamedVoteForm({ session, item }: { session: SessionDetail; item: Item }) {
  const vote = useVote(session.id, item.id);
  const id = useId();
  const voters = session.attendance.filter((e) => e.status === 'present' || e.status === 'represented');
  const [choices, setChoices] = useState<Record<string, VoteChoice | ''>>({});
  const [missing, setMissing] = useState<string | null>(null);
  return (
    <Form
      id={`vote-${item.position}`}
      aria-label={`Vote du point n° ${item.position}`}
      error={vote.error}
      onSubmit={(data) => {
        const unset = voters.filter((v) => !choices[v.seatId]);
        if (unset.length > 0) {
          setMissing(`Indiquez le vote de : ${unset.map((v) => v.fullName).join(', ')}.`);
          return;
        }
        setMissing(null);
        const chair = String(data.get('chairVote') ?? '');
        vote.mutate(
          {
            ballots: voters.map((v) => ({ seatId: v.seatId, choice: choices[v.seatId] as VoteChoice })),
            chairVote: chair === 'for' || chair === 'against' ? chair : null,
          },
          {
            onSuccess: (outcome) =>
              announce(`Point n° ${item.position} ${outcome.status === 'adopted' ? 'adopté' : 'rejeté'}.`),
          },
        );
      }}
    >
      {missing && (
        <Alert type="error" live>
          <p>{missing}</p>
        </Alert>
      )}
      <div className="table-wrap">
        <table className="table">
          <caption>Vote nominatif du point n° {item.position}</caption>
          <thead>
            <tr>
              <th scope="col">Élu</th>
              <th scope="col">Vote</th>
            </tr>
          </thead>
          <tbody>
            {voters.map((v) => (
              <tr key={v.seatId}>
                <th scope="row">
                  {v.fullName}
                  {v.status === 'represented' ? ' (représenté)' : ''}
                </th>
                <td>
                  <label htmlFor={`${id}-${v.seatId}`} className="sr-only">
                    Vote de {v.fullName}
                  </label>
                  <select
                    id={`${id}-${v.seatId}`}
                    className="select"
                    value={choices[v.seatId] ?? ''}
                    onChange={(e) =>
                      setChoices((previous) => ({ ...previous, [v.seatId]: e.target.value as VoteChoice }))
                    }
                  >
                    <option value="">Choisir…</option>
                    {VOTE_CHOICES.map((c) => (
                      <option key={c} value={c}>
                        {VOTE_CHOICE_LABELS[c]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <Button
          variant="tertiary"
          small
          onClick={() =>
            setChoices(Object.fromEntries(voters.map((v) => [v.seatId, choices[v.seatId] || 'for'])))
          }
        >
          Compter « Pour » les élus sans vote indiqué
        </Button>
      </p>
      {!item.secretBallot && (
        <SelectField
          name="chairVote"
          label="Voix du président en cas de partage"
          placeholder="Pas de partage"
          options={[
            { value: 'for', label: VOTE_CHOICE_LABELS.for },
            { value: 'against', label: VOTE_CHOICE_LABELS.against },
          ]}
        />
      )}
      <div className="form-actions">
        <Button type="submit" pending={vote.isPending}>
          Enregistrer le vote du point n° {item.position}
        </Button>
      </div>
    </Form>
  );
}
