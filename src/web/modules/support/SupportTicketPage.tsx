import { Link, useNavigate, useParams } from '@tanstack/react-router';
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_RULES_TEXT,
  TICKET_LINK_KIND_LABELS,
} from '../../../contracts/support.js';
import { useAuth } from '../../app/auth.js';
import {
  Button,
  FileField,
  Form,
  formatDate,
  PageTitle,
  QueryView,
  SelectField,
  TextAreaField,
} from '../../ui/index.js';
import {
  chosenFiles,
  type Ticket,
  useAgentFiles,
  useAgentMessage,
  useAssign,
  useLinkCandidates,
  useLinkIncident,
  useMerge,
  useMergeTargets,
  useResolve,
  useTeamTicket,
  useUnlinkIncident,
} from './api.js';
import { LinkedIncidents, Thread, TicketFacts } from './components.js';

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
  const withFiles = useAgentFiles(ticket.id);
  return (
    <section aria-labelledby="message-titre">
      <h2 id="message-titre">Répondre ou noter</h2>
      <Form
        id="message"
        error={send.error ?? withFiles.error}
        onSubmit={(data, form) => {
          const input = {
            body: String(data.get('body') ?? '').trim(),
            internal: data.get('internal') === 'on',
            waitForMember: data.get('waitForMember') === 'on',
          };
          const reset = { onSuccess: () => form.reset() };
          const files = chosenFiles(data);
          if (files.length === 0) {
            send.mutate(input, reset);
            return;
          }
          const sending = new FormData();
          sending.append('body', input.body);
          sending.append('internal', String(input.internal));
          sending.append('waitForMember', String(input.waitForMember));
          for (const file of files) sending.append('file', file);
          withFiles.mutate(sending, reset);
        }}
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
        <FileField
          name="file"
          label="Pièces jointes (facultatif)"
          hint={`Celles d’une note interne restent internes. ${ATTACHMENT_RULES_TEXT}.`}
          multiple
          accept={ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join(',')}
        />
        <div className="form-actions">
          <Button type="submit" pending={send.isPending || withFiles.isPending}>
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

/** Merges this ticket, a duplicate, into another active ticket of the same member. */
function MergeForm({ ticket }: { ticket: Ticket }) {
  const merge = useMerge(ticket.id);
  const navigate = useNavigate();
  const targets = useMergeTargets(ticket.memberId);
  const options = (targets.data?.items ?? [])
    .filter((o) => o.id !== ticket.id)
    .map((o) => ({ value: o.id, label: `${o.reference} — ${o.subject} (${formatDate(o.createdAt)})` }));
  return (
    <section aria-labelledby="fusion-titre">
      <h2 id="fusion-titre">Fusionner un doublon</h2>
      {options.length === 0 ? (
        <p>{ticket.memberName} n’a pas d’autre demande en cours.</p>
      ) : (
        <Form
          id="fusion"
          error={merge.error}
          onSubmit={(data) =>
            merge.mutate(
              { intoTicketId: String(data.get('intoTicketId') ?? '') },
              {
                onSuccess: (kept) =>
                  navigate({ to: '/operateur/assistance/$ticketId', params: { ticketId: kept.id } }),
              },
            )
          }
        >
          <SelectField
            name="intoTicketId"
            label="Ticket à conserver"
            hint="Ce ticket-ci est clos comme « fusionné » ; ses échanges et pièces jointes se lisent sur le ticket conservé, et le demandeur en est prévenu."
            options={options}
            required
          />
          <div className="form-actions">
            <Button type="submit" variant="secondary" pending={merge.isPending}>
              Fusionner dans ce ticket
            </Button>
          </div>
        </Form>
      )}
    </section>
  );
}

/** Links the ticket to a cyber incident of the member or to an incident of the status page. */
function LinkForm({ ticket }: { ticket: Ticket }) {
  const link = useLinkIncident(ticket.id);
  const candidates = useLinkCandidates(ticket.id);
  const linked = new Set(ticket.links.map((l) => l.incidentId));
  const options = (candidates.data?.items ?? [])
    .filter((c) => !linked.has(c.incidentId))
    .map((c) => ({
      value: `${c.kind}:${c.incidentId}`,
      label: `${TICKET_LINK_KIND_LABELS[c.kind]} — ${c.title} (${c.state}, ${formatDate(c.startedAt)})`,
    }));
  if (options.length === 0) return null;
  return (
    <section aria-labelledby="lier-titre">
      <h2 id="lier-titre">Lier à un incident</h2>
      <Form
        id="lien"
        error={link.error}
        onSubmit={(data) => {
          const [kind, incidentId] = String(data.get('incident') ?? '').split(':');
          if (kind === 'cyber_incident' || kind === 'hosting_incident') {
            link.mutate({ kind, incidentId: incidentId ?? '' });
          }
        }}
      >
        <SelectField name="incident" label="Incident" options={options} required />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={link.isPending}>
            Lier l’incident
          </Button>
        </div>
      </Form>
    </section>
  );
}

function UnlinkButton({ ticket, linkId }: { ticket: Ticket; linkId: string }) {
  const unlink = useUnlinkIncident(ticket.id);
  const title = ticket.links.find((l) => l.id === linkId)?.title ?? '';
  return (
    <Button
      variant="secondary"
      small
      pending={unlink.isPending}
      aria-label={`Retirer le lien vers « ${title} »`}
      onClick={() => unlink.mutate(linkId)}
    >
      Retirer
    </Button>
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
          <LinkedIncidents ticket={t} actions={(linkId) => <UnlinkButton ticket={t} linkId={linkId} />} />
          <Thread ticket={t} asOperator />
          {t.status !== 'closed' && <MessageForm ticket={t} />}
          {t.status !== 'closed' && t.status !== 'resolved' && <ResolveForm ticket={t} />}
          <LinkForm ticket={t} />
          {!t.mergedInto && t.status !== 'closed' && <MergeForm ticket={t} />}
        </>
      )}
    </QueryView>
  );
}
