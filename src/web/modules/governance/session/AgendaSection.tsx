import { useState } from 'react';
import { VOTE_CHOICE_LABELS } from '../../../../contracts/governance.js';
import { Alert, announce, Button, Form, formatDateTime, SelectField, TextField } from '../../../ui/index.js';
import { itemDocumentUrl, type SessionDetail, useVote } from '../api.js';
import { DeliberationLink, ItemStatusBadge } from '../components.js';
import { readVoteForm, VOTE_FIELDS, voteResultText } from '../vote-form-data.js';
import { AddItemDocumentForm, ItemDocumentList } from './ItemDocuments.js';
import { NamedVoteForm } from './NamedVoteForm.js';

type Item = SessionDetail['items'][number];

/** The counts of one item's vote, the chair's casting vote on a tie (never for a secret ballot). */
function VoteForm({ session, item }: { session: SessionDetail; item: Item }) {
  const vote = useVote(session.id, item.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const voters = session.attendance.filter(
    (e) => e.status === 'present' || e.status === 'represented',
  ).length;
  return (
    <Form
      id={`vote-${item.position}`}
      aria-label={`Vote du point n° ${item.position}`}
      error={vote.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const { body, errors } = readVoteForm(data, voters > 0 ? voters : null);
        setClientErrors(errors);
        if (body) {
          vote.mutate(body, {
            onSuccess: (outcome) =>
              announce(
                `Point n° ${item.position} ${outcome.status === 'adopted' ? 'adopté' : 'rejeté'}${
                  outcome.decisionExecuted ? ' ; la décision liée est exécutée' : ''
                }.`,
              ),
          });
        }
      }}
    >
      <fieldset className="gov-fieldset">
        <legend>Vote du point n° {item.position}</legend>
        <div className="gov-votes">
          {VOTE_FIELDS.map(([key, label]) => (
            <TextField
              key={key}
              name={key}
              label={label}
              type="number"
              min={0}
              inputMode="numeric"
              required={key === 'for' || key === 'against'}
            />
          ))}
        </div>
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
      </fieldset>
      <div className="form-actions">
        <Button type="submit" pending={vote.isPending}>
          Enregistrer le vote du point n° {item.position}
        </Button>
      </div>
    </Form>
  );
}

function ItemResult({ session, item }: { session: SessionDetail; item: Item }) {
  if (!item.result) return null;
  return (
    <div className="stack">
      <p>
        <strong>{item.status === 'adopted' ? 'Adopté' : 'Rejeté'}</strong> le{' '}
        {formatDateTime(item.result.votedAt)} : {voteResultText(item.result)}.
      </p>
      {item.ballots.length > 0 && (
        <details>
          <summary>Vote nominatif ({item.ballots.length} élus)</summary>
          <ul>
            {item.ballots.map((b) => (
              <li key={b.seatId}>
                {b.fullName} : {VOTE_CHOICE_LABELS[b.choice]}
              </li>
            ))}
          </ul>
        </details>
      )}
      {item.decision?.executedAt && (
        <p>
          Décision exécutée le {formatDateTime(item.decision.executedAt)} : {item.decision.label}.
        </p>
      )}
      {item.act && (
        <p>
          <DeliberationLink organisationId={session.organisationId} act={item.act} />
          {item.act.publishedAt
            ? ` (publiée le ${formatDateTime(item.act.publishedAt)})`
            : ' (à transmettre et publier)'}
        </p>
      )}
    </div>
  );
}

/**
 * The agenda: each item with its explanatory note, its bound decision, and either its vote form (for
 * those who manage the assembly, once the quorum is reached) or its result and deliberation.
 */
export function AgendaSection({ session }: { session: SessionDetail }) {
  const canVote = session.canManage && session.quorum.reached && session.status !== 'closed';
  return (
    <section aria-labelledby="ordre-du-jour-titre">
      <h2 id="ordre-du-jour-titre">Ordre du jour</h2>
      {session.canManage && !session.quorum.reached && session.items.some((i) => i.status === 'pending') && (
        <Alert type="info">
          <p>Les votes s'ouvrent quand le quorum est atteint.</p>
        </Alert>
      )}
      <ol className="gov-agenda">
        {session.items.map((item) => (
          <li key={item.id}>
            <article aria-labelledby={`point-${item.id}`}>
              <h3 id={`point-${item.id}`}>
                {item.title} <ItemStatusBadge status={item.status} />
              </h3>
              {item.explanatoryNote && <p className="gov-note">{item.explanatoryNote}</p>}
              {item.decision && !item.decision.executedAt && (
                <p>
                  <strong>Décision liée</strong> : {item.decision.label} (exécutée à l'adoption).
                </p>
              )}
              <ItemDocumentList
                documents={item.documents}
                itemTitle={item.title}
                href={(documentId) => itemDocumentUrl(session.id, documentId)}
              />
              {session.canManage && session.status !== 'closed' && (
                <AddItemDocumentForm sessionId={session.id} itemId={item.id} position={item.position} />
              )}
              {(item.secretBallot || item.namedVote) && (
                <p className="muted">{item.secretBallot ? 'Scrutin secret.' : 'Vote nominatif.'}</p>
              )}
              {item.status === 'pending' ? (
                canVote &&
                (item.namedVote ? (
                  <NamedVoteForm session={session} item={item} />
                ) : (
                  <VoteForm session={session} item={item} />
                ))
              ) : (
                <ItemResult session={session} item={item} />
              )}
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}
