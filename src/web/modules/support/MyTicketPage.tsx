import { Link, useParams } from '@tanstack/react-router';
import { ATTACHMENT_EXTENSIONS, ATTACHMENT_RULES_TEXT, REOPEN_DAYS } from '../../../contracts/support.js';
import { useCurrentOrganisation } from '../../app/auth.js';
import {
  Button,
  FileField,
  Form,
  formatDateTime,
  PageTitle,
  QueryView,
  SelectField,
  TextAreaField,
} from '../../ui/index.js';
import { chosenFiles, type Ticket, useMemberFiles, useMemberTicket, useMemberTicketAction } from './api.js';
import { LinkedIncidents, Thread, TicketFacts } from './components.js';

const SATISFACTION = [
  { value: '5', label: '5 — Très satisfait' },
  { value: '4', label: '4 — Satisfait' },
  { value: '3', label: '3 — Moyennement satisfait' },
  { value: '2', label: '2 — Peu satisfait' },
  { value: '1', label: '1 — Pas satisfait' },
];

function ReplyForm({ memberId, ticket }: { memberId: string; ticket: Ticket }) {
  const reply = useMemberTicketAction(memberId, ticket.id, 'messages');
  const withFiles = useMemberFiles(memberId, ticket.id);
  return (
    <section aria-labelledby="repondre-titre">
      <h2 id="repondre-titre">Répondre</h2>
      <Form
        id="reponse"
        error={reply.error ?? withFiles.error}
        onSubmit={(data, form) => {
          const body = String(data.get('body') ?? '').trim();
          const files = chosenFiles(data);
          const reset = { onSuccess: () => form.reset() };
          if (files.length === 0) {
            reply.mutate({ body }, reset);
            return;
          }
          const sending = new FormData();
          sending.append('body', body);
          for (const file of files) sending.append('file', file);
          withFiles.mutate(sending, reset);
        }}
      >
        <TextAreaField name="body" label="Votre message" rows={4} required />
        <FileField
          name="file"
          label="Pièces jointes (facultatif)"
          hint={`${ATTACHMENT_RULES_TEXT}.`}
          multiple
          accept={ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join(',')}
        />
        <div className="form-actions">
          <Button type="submit" pending={reply.isPending || withFiles.isPending}>
            Envoyer
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** A resolved ticket: the member confirms (with a satisfaction mark) or reopens it. */
function ResolvedActions({ memberId, ticket }: { memberId: string; ticket: Ticket }) {
  const confirm = useMemberTicketAction(memberId, ticket.id, 'confirm');
  const reopen = useMemberTicketAction(memberId, ticket.id, 'reopen');
  return (
    <>
      <section aria-labelledby="confirmer-titre">
        <h2 id="confirmer-titre">La solution vous convient-elle ?</h2>
        <p>
          Résolution : {ticket.resolution}
          <br />
          Vous pouvez confirmer ou rouvrir la demande jusqu’au {formatDateTime(ticket.reopenUntil)} (
          {REOPEN_DAYS} jours) ; sans réponse, elle sera close.
        </p>
        <Form
          id="confirmation"
          error={confirm.error}
          onSubmit={(data) => {
            const mark = Number(data.get('satisfaction'));
            const comment = String(data.get('comment') ?? '').trim();
            confirm.mutate({ ...(mark ? { satisfaction: mark } : {}), ...(comment ? { comment } : {}) });
          }}
        >
          <SelectField
            name="satisfaction"
            label="Votre satisfaction"
            placeholder="Sans avis"
            options={SATISFACTION}
          />
          <TextAreaField name="comment" label="Un commentaire (facultatif)" rows={2} />
          <div className="form-actions">
            <Button type="submit" pending={confirm.isPending}>
              Confirmer et clore la demande
            </Button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="rouvrir-titre">
        <h2 id="rouvrir-titre">Le problème persiste ?</h2>
        <Form
          id="reouverture"
          error={reopen.error}
          onSubmit={(data) => reopen.mutate({ body: String(data.get('body') ?? '').trim() })}
        >
          <TextAreaField name="body" label="Ce qui ne va toujours pas" rows={3} required />
          <div className="form-actions">
            <Button type="submit" variant="secondary" pending={reopen.isPending}>
              Rouvrir la demande
            </Button>
          </div>
        </Form>
      </section>
    </>
  );
}

/** One request of the member, its exchanges with the support desk (never the team's internal notes). */
export function MyTicketPage() {
  const { ticketId } = useParams({ from: '/espace/assistance/$ticketId' });
  const current = useCurrentOrganisation();
  const ticket = useMemberTicket(current.id, ticketId);
  return (
    <QueryView query={ticket} loadingLabel="Chargement de la demande…">
      {(t) => (
        <>
          <PageTitle title={`${t.reference} — ${t.subject}`} />
          <p>
            <Link to="/espace/assistance">Toutes les demandes</Link>
          </p>
          <TicketFacts ticket={t} asOperator={false} />
          <LinkedIncidents ticket={t} />
          <Thread ticket={t} />
          {t.status === 'resolved' && <ResolvedActions memberId={current.id} ticket={t} />}
          {(t.status === 'open' || t.status === 'in_progress' || t.status === 'waiting_member') && (
            <ReplyForm memberId={current.id} ticket={t} />
          )}
        </>
      )}
    </QueryView>
  );
}
