import { useState } from 'react';
import { ACT_MESSAGE_KIND_LABELS, type ActDetail, type ActMessage } from '../../../../contracts/acts.js';
import { Alert, Badge, Button, FileField, Form, formatDate, formatDateTime } from '../../../ui/index.js';
import { useAnswerMessage } from '../api.js';
import { checkActFile, DocumentsTable } from './ActDocumentsSection.js';

/** The answer to a demande de pièces complémentaires: one or more files sent back through the tiers. */
function AnswerForm({ act, message }: { act: ActDetail; message: ActMessage }) {
  const answer = useAnswerMessage(act.memberId, act.id, message.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id={`reponse-${message.id}`}
      error={answer.error}
      clientErrors={clientErrors}
      aria-label="Répondre à la demande de pièces complémentaires"
      onSubmit={(data) => {
        const files = data.getAll('file').filter((f): f is File => f instanceof File && f.size > 0);
        const problem =
          files.length === 0
            ? 'Joignez au moins une pièce.'
            : (files.map((f) => checkActFile(f, 'annex', act.nature === 'BF')).find(Boolean) ?? null);
        const errors: Record<string, string> = problem ? { file: problem } : {};
        setClientErrors(errors);
        if (!problem) answer.mutate(files);
      }}
    >
      <FileField
        name="file"
        label="Pièces complémentaires"
        multiple
        accept="application/pdf,.pdf,image/png,.png,image/jpeg,.jpg,.jpeg"
        hint="Un ou plusieurs fichiers PDF, PNG ou JPEG ; 20 Mo au plus chacun."
        required
      />
      <Button type="submit" pending={answer.isPending}>
        Envoyer les pièces à la préfecture
      </Button>
    </Form>
  );
}

/**
 * What the prefecture sent about the act (courrier simple, demande de pièces, lettre d'observations,
 * déféré) and the member's answers, each with its documents.
 */
export function ActMessagesSection({ act, canWrite }: { act: ActDetail; canWrite: boolean }) {
  if (act.messages.length === 0) return null;
  return (
    <section aria-labelledby="messages-titre">
      <h2 id="messages-titre">Échanges avec la préfecture</h2>
      {act.messages.map((m) => {
        const open = m.kind === 'demande_pieces' && !m.answeredAt;
        return (
          <article key={m.id} className="card" aria-labelledby={`message-${m.id}`}>
            <h3 id={`message-${m.id}`}>
              {ACT_MESSAGE_KIND_LABELS[m.kind]}{' '}
              {m.kind === 'defere' && <Badge tone="error">Contentieux</Badge>}
              {open && <Badge tone="warning">Réponse attendue</Badge>}
            </h3>
            <dl className="dl">
              <dt>{m.kind === 'reponse_pieces' ? 'Envoyé le' : 'Reçu le'}</dt>
              <dd>{formatDateTime(m.receivedAt)}</dd>
              {m.answerDueOn && (
                <>
                  <dt>Réponse attendue avant le</dt>
                  <dd>{formatDate(m.answerDueOn)}</dd>
                </>
              )}
              {m.answeredAt && (
                <>
                  <dt>Répondu le</dt>
                  <dd>{formatDateTime(m.answeredAt)}</dd>
                </>
              )}
            </dl>
            {m.documents.length > 0 && (
              <DocumentsTable
                act={act}
                documents={m.documents}
                caption={`Documents : ${ACT_MESSAGE_KIND_LABELS[m.kind]} du ${formatDate(m.receivedAt)}`}
              />
            )}
            {m.kind === 'defere' && (
              <Alert type="warning">
                <p>
                  Le préfet a saisi le tribunal administratif. Prévenez le service juridique de la structure.
                </p>
              </Alert>
            )}
            {open && canWrite && <AnswerForm act={act} message={m} />}
          </article>
        );
      })}
    </section>
  );
}
