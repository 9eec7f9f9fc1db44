import { Link, useParams } from '@tanstack/react-router';
import { useAuth } from '../../app/auth.js';
import { Button, Form, PageTitle, QueryView, TextAreaField } from '../../ui/index.js';
import { type Ticket, useAgentMessage, useAssign, useResolve, useTeamTicket } from './api.js';
import { Thread, TicketFacts } from './components.js';

function Check({ name, label, hint }: { name: string; label: string; hint: string }) {
  const id = `message-${name}`;
  return (
    <div className="checkbox">
      <input type="checkbox" id={id} name={name} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{label}</label>
      <span className="field__hint" id={`${id}-hint`}>
        {hint}
      </span>
    </div>
  );
}

function MessageForm({ ticket }: { ticket: Ticket }) {
  const send = useAgentMessage(ticket.id);
  return (
    <section aria-labelledby="message-titre">
      <h2 id="message-titre">Répondre ou noter</h2>
      <Form
        id="message"
        error={send.error}
        onSubmit={(data, form) =>
          send.mutate(
            {
              body: String(data.get('body') ?? '').trim(),
              internal: data.get('internal') === 'on',
              waitForMember: data.get('waitForMember') === 'on',
            },
            { onSuccess: () => form.reset() },
          )
        }
      >
        <TextAreaField name="body" label="Message" rows={5} required />
        <Check
          name="internal"
          label="Note interne"
          hint="Visible de l’équipe d’assistance seulement : ni affichée ni envoyée à la structure."
        />
        <Check
          name="waitForMember"
          label="J’attends une réponse de la structure"
          hint="Le délai de résolution est suspendu jusqu’à sa réponse."
        />
        <div className="form-actions">
          <Button type="submit" pending={send.isPending}>
            Enregistrer le message
          </Button>
        </div>
      </Form>
    </section>
  );
}

function ResolveForm({ ticket }: { ticket: Ticket }) {
  const resolve = useResolve(ticket.id);
  return (
    <section aria-labelledby="resolution-titre">
      <h2 id="resolution-titre">Résoudre</h2>
      <Form
        id="resolution"
        error={resolve.error}
        onSubmit={(data) => resolve.mutate({ resolution: String(data.get('resolution') ?? '').trim() })}
      >
        <TextAreaField
          name="resolution"
          label="Résolution"
          hint="Envoyée à la structure, qui confirme ou rouvre la demande sous 15 jours."
          rows={3}
          required
        />
        <div className="form-actions">
          <Button type="submit" pending={resolve.isPending}>
            Marquer comme résolu
          </Button>
        </div>
      </Form>
    </section>
  );
}

function Assignment({ ticket }: { ticket: Ticket }) {
  const me = useAuth().me;
  const assign = useAssign(ticket.id);
  const mine = me && ticket.assigneeId === me.user.id;
  return (
    <p>
      Attribué à : {ticket.assigneeName ?? 'personne'}{' '}
      {mine ? (
        <Button
          variant="secondary"
          small
          pending={assign.isPending}
          onClick={() => assign.mutate({ assigneeId: null })}
        >
          Libérer le ticket
        </Button>
      ) : (
        me && (
          <Button
            variant="secondary"
            small
            pending={assign.isPending}
            onClick={() => assign.mutate({ assigneeId: me.user.id })}
          >
            Me l’attribuer
          </Button>
        )
      )}
    </p>
  );
}

/** One ticket for the support team: facts, exchanges with internal notes, reply, assign, resolve. */
export function SupportTicketPage() {
  const { ticketId } = useParams({ from: '/operateur/assistance/$ticketId' });
  const ticket = useTeamTicket(ticketId);
  return (
    <QueryView query={ticket} loadingLabel="Chargement du ticket…">
      {(t) => (
        <>
          <PageTitle title={`${t.reference} — ${t.subject}`} />
          <p>
            <Link to="/operateur/assistance">Retour à la file</Link>
          </p>
          <TicketFacts ticket={t} asOperator />
          <Assignment ticket={t} />
          <Thread ticket={t} />
          {t.status !== 'closed' && <MessageForm ticket={t} />}
          {t.status !== 'closed' && t.status !== 'resolved' && <ResolveForm ticket={t} />}
        </>
      )}
    </QueryView>
  );
}
