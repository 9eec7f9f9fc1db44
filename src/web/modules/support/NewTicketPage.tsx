import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_RULES_TEXT,
  IMPACT_LABELS,
  LEVELS,
  type Level,
  TICKET_CATEGORIES,
  TICKET_CATEGORY_LABELS,
  type TicketCategory,
  URGENCY_LABELS,
} from '../../../contracts/support.js';
import { useCurrentOrganisation } from '../../app/auth.js';
import {
  Button,
  FileField,
  Form,
  optionsOf,
  PageTitle,
  SelectField,
  TextAreaField,
  TextField,
} from '../../ui/index.js';
import { useMySubscriptions } from '../subscriptions/api.js';
import { chosenFiles, useArticles, useOpenTicket, useOpenTicketWithFiles } from './api.js';

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const oneOf = <T extends string>(values: readonly T[], value: string): T | undefined =>
  values.find((v) => v === value);

/** Articles matching the subject being typed (after a pause), as links: the answer may be there already. */
function Suggestions({ subject }: { subject: string }) {
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(subject.trim().length >= 4 ? subject.trim() : ''), 400);
    return () => clearTimeout(timer);
  }, [subject]);
  const articles = useArticles(q, undefined, 5);
  const items = q ? (articles.data?.items ?? []) : [];
  return (
    <div aria-live="polite">
      {items.length > 0 && (
        <section aria-labelledby="suggestions-titre" className="support-suggestions">
          <h2 id="suggestions-titre">Ces articles répondent peut-être à votre question</h2>
          <ul>
            {items.map((a) => (
              <li key={a.id}>
                <Link to="/aide/$articleId" params={{ articleId: a.id }} target="_blank">
                  {a.title} (nouvel onglet)
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A member's person opens a request: subject, service, category, urgency and impact (→ priority). */
export function NewTicketPage() {
  const current = useCurrentOrganisation();
  const open = useOpenTicket(current.id);
  const openWithFiles = useOpenTicketWithFiles(current.id);
  const [subject, setSubject] = useState('');
  const navigate = useNavigate();
  const subscriptions = useMySubscriptions(current.id);
  const services = (subscriptions.data?.items ?? [])
    .filter((s) => s.status === 'active' || s.status === 'termination_requested')
    .map((s) => ({ value: s.service.id, label: s.service.name }));
  return (
    <>
      <PageTitle title="Nouvelle demande d’assistance" />
      <p className="lead">
        Pour {current.name}. Décrivez ce qui se passe : l’équipe vous répond par courriel et ici.
      </p>
      <Form
        id="ticket"
        error={open.error ?? openWithFiles.error}
        onSubmit={(data) => {
          const input = {
            subject: text(data, 'subject'),
            description: text(data, 'description'),
            serviceId: text(data, 'serviceId') || null,
            category: oneOf<TicketCategory>(TICKET_CATEGORIES, text(data, 'category')) ?? 'question',
            urgency: oneOf<Level>(LEVELS, text(data, 'urgency')),
            impact: oneOf<Level>(LEVELS, text(data, 'impact')),
          };
          const done = {
            onSuccess: (created: { id: string }) =>
              navigate({ to: '/espace/assistance/$ticketId', params: { ticketId: created.id } }),
          };
          const files = chosenFiles(data);
          if (files.length === 0) {
            open.mutate(input, done);
            return;
          }
          // With files: one multipart sending (the ticket and its files in one transaction).
          const form = new FormData();
          for (const [name, value] of Object.entries(input)) if (value) form.append(name, value);
          for (const file of files) form.append('file', file);
          openWithFiles.mutate(form, done);
        }}
      >
        <TextField
          name="subject"
          label="Objet"
          hint="En quelques mots : « Impossible d’envoyer des courriels »."
          required
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
        />
        <Suggestions subject={subject} />
        <SelectField
          name="serviceId"
          label="Service concerné"
          placeholder="Question générale"
          options={services}
        />
        <SelectField
          name="category"
          label="Type de demande"
          options={optionsOf(TICKET_CATEGORY_LABELS, TICKET_CATEGORIES)}
          defaultValue="question"
        />
        <SelectField
          name="urgency"
          label="Urgence"
          options={optionsOf(URGENCY_LABELS, LEVELS)}
          defaultValue="medium"
        />
        <SelectField
          name="impact"
          label="Personnes touchées"
          options={optionsOf(IMPACT_LABELS, LEVELS)}
          defaultValue="low"
        />
        <TextAreaField name="description" label="Description" rows={6} required />
        <FileField
          name="file"
          label="Pièces jointes (facultatif)"
          hint={`Captures d’écran, messages d’erreur, documents : ${ATTACHMENT_RULES_TEXT}.`}
          multiple
          accept={ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join(',')}
        />
        <div className="form-actions">
          <Button type="submit" pending={open.isPending || openWithFiles.isPending}>
            Envoyer la demande
          </Button>
        </div>
      </Form>
    </>
  );
}
