import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useAuth } from '../../../app/auth.js';
import {
  Alert,
  Badge,
  Button,
  Form,
  formatDate,
  formatDateTime,
  PageTitle,
  QueryView,
  TextField,
} from '../../../ui/index.js';
import { ActForm } from '../ActForm.js';
import { type ActDetail, useAct, usePatchAct } from '../api.js';
import { ActsNav, natureLabel, useCanWriteActs } from '../components.js';
import { ActActions } from './ActActions.js';
import { ActDocumentsSection } from './ActDocumentsSection.js';
import { ActDetails, ActSituation } from './ActFacts.js';
import { ActMessagesSection } from './ActMessagesSection.js';

const EDITABLE = ['draft', 'ready', 'error'];

/** One act: its fields, documents, transmission, publication, the prefecture's messages and history. */
export function ActPage() {
  const { actId } = useParams({ from: '/espace/actes/$actId' });
  const auth = useAuth();
  const memberId = auth.current?.id ?? '';
  const canWrite = useCanWriteActs();
  const act = useAct(memberId, actId);
  const title = act.data ? `Acte ${act.data.number}` : 'Acte';
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/espace/actes">Actes</Link>
          </li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <PageTitle title={title} />
      <ActsNav memberId={memberId} canWrite={canWrite} />
      <QueryView query={act} loadingLabel="Chargement de l'acte…">
        {(a) => (
          <>
            <p className="lead acts-subject">
              {natureLabel(a.nature)} du {formatDate(a.decidedOn)} : {a.subject}
            </p>
            {canWrite && <ActActions act={a} />}
            <ActSituation act={a} />
            <InformationSection act={a} canWrite={canWrite} />
            <ActDocumentsSection act={a} canWrite={canWrite} />
            <ActMessagesSection act={a} canWrite={canWrite} />
            <HistorySection act={a} />
          </>
        )}
      </QueryView>
    </>
  );
}

function InformationSection({ act, canWrite }: { act: ActDetail; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const patch = usePatchAct(act.memberId, act.id);
  const editable = canWrite && !act.publishedAt && EDITABLE.includes(act.status);
  return (
    <section aria-labelledby="informations-titre">
      <h2 id="informations-titre">Informations</h2>
      {editing ? (
        <ActForm
          id="modifier-acte"
          memberId={act.memberId}
          act={act}
          error={patch.error}
          pending={patch.isPending}
          submitLabel="Enregistrer les modifications"
          onSubmit={(body) => patch.mutate(body, { onSuccess: () => setEditing(false) })}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <ActDetails act={act} />
          {editable && (
            <p className="form-actions">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Modifier l'acte
              </Button>
            </p>
          )}
          {canWrite && !editable && act.nature === 'AI' && <NotificationForm act={act} />}
        </>
      )}
    </section>
  );
}

/** An individual act's notification date is learnt after the fact: it may be recorded at any time. */
function NotificationForm({ act }: { act: ActDetail }) {
  const patch = usePatchAct(act.memberId, act.id);
  return (
    <Form
      id="notification"
      error={patch.error}
      aria-label="Date de notification"
      onSubmit={(data) => {
        const value = String(data.get('notifiedOn') ?? '');
        patch.mutate({ notifiedOn: value || null });
      }}
    >
      <TextField
        name="notifiedOn"
        type="date"
        label="Date de notification à la personne concernée"
        hint="Un acte individuel devient exécutoire une fois transmis et notifié."
        defaultValue={act.notifiedOn ?? ''}
      />
      <Button type="submit" variant="secondary" pending={patch.isPending}>
        Enregistrer la date de notification
      </Button>
      {patch.isSuccess && (
        <Alert type="success" live>
          <p>Date de notification enregistrée.</p>
        </Alert>
      )}
    </Form>
  );
}

function HistorySection({ act }: { act: ActDetail }) {
  return (
    <section aria-labelledby="historique-titre">
      <h2 id="historique-titre">Historique</h2>
      <ol className="timeline">
        {[...act.history].reverse().map((e) => (
          <li key={`${e.at}-${e.label}`} className="timeline__item">
            <strong>{e.label}</strong> {e.status === 'error' && <Badge tone="error">Erreur</Badge>}
            <div className="timeline__meta">
              {formatDateTime(e.at)}
              {e.by && ` — ${e.by}`}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
