import { useState } from 'react';
import {
  ACT_DOCUMENT_MAX_BYTES,
  ACT_DOCUMENT_ROLE_LABELS,
  ACT_DOCUMENT_ROLES,
  type ActDetail,
  type ActDocument,
  type ActDocumentRole,
} from '../../../../contracts/acts.js';
import {
  Alert,
  Button,
  EmptyState,
  FileField,
  Form,
  formatBytes,
  formatDateTime,
  optionsOf,
  SelectField,
  Table,
} from '../../../ui/index.js';
import { actDocumentUrl, useUploadActDocument } from '../api.js';
import { Sha256 } from '../components.js';

const ACCEPT: Record<string, string> = {
  main: 'application/pdf,.pdf',
  annex: 'application/pdf,.pdf,image/png,.png,image/jpeg,.jpg,.jpeg',
  budget: 'application/pdf,.pdf,image/png,.png,image/jpeg,.jpg,.jpeg,application/xml,text/xml,.xml',
};

const isPdf = (file: File) => file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
const isAnnexType = (file: File, budget: boolean) =>
  isPdf(file) ||
  /^image\/(png|jpeg)$/.test(file.type) ||
  /\.(png|jpe?g)$/i.test(file.name) ||
  (budget && (/xml$/.test(file.type) || /\.xml$/i.test(file.name)));

/** Checked in the browser for a quick answer; the server checks the file's content again. */
export function checkActFile(file: unknown, role: ActDocumentRole, budget: boolean): string | null {
  if (!(file instanceof File) || file.size === 0) return 'Choisissez un fichier.';
  if (file.size > ACT_DOCUMENT_MAX_BYTES)
    return `Le fichier dépasse ${formatBytes(ACT_DOCUMENT_MAX_BYTES)}, la taille maximale d'une pièce.`;
  if (role === 'main' && !isPdf(file)) return 'Le document principal doit être un PDF.';
  if (role === 'annex' && !isAnnexType(file, budget))
    return budget
      ? 'Une annexe doit être un fichier PDF, PNG, JPEG ou XML.'
      : 'Une annexe doit être un fichier PDF, PNG ou JPEG.';
  return null;
}

export function DocumentsTable({
  act,
  documents,
  caption,
}: {
  act: ActDetail;
  documents: ActDocument[];
  caption: string;
}) {
  return (
    <Table
      caption={caption}
      rows={documents}
      rowKey={(d) => d.id}
      columns={[
        {
          key: 'file',
          header: 'Fichier',
          rowHeader: true,
          render: (d) => (
            <a href={actDocumentUrl(act.memberId, act.id, d.id)} download={d.filename}>
              {d.filename}
              <span className="sr-only"> ({formatBytes(d.size)})</span>
            </a>
          ),
        },
        { key: 'role', header: 'Rôle', render: (d) => ACT_DOCUMENT_ROLE_LABELS[d.role] },
        { key: 'size', header: 'Taille', numeric: true, render: (d) => formatBytes(d.size) },
        { key: 'sha', header: 'Empreinte SHA-256', render: (d) => <Sha256 value={d.sha256} /> },
        { key: 'created', header: 'Déposé le', render: (d) => formatDateTime(d.createdAt) },
      ]}
    />
  );
}

/** The signed PDF and its annexes; files are added while the act is a draft, ready or in error. */
export function ActDocumentsSection({ act, canWrite }: { act: ActDetail; canWrite: boolean }) {
  const upload = useUploadActDocument(act.memberId, act.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const hasMain = act.documents.some((d) => d.role === 'main');
  const [role, setRole] = useState<ActDocumentRole>(hasMain ? 'annex' : 'main');
  const editable = !act.publishedAt && ['draft', 'ready', 'error'].includes(act.status);
  const budget = act.nature === 'BF';
  return (
    <section aria-labelledby="pieces-titre">
      <h2 id="pieces-titre">Pièces de l'acte</h2>
      {act.documents.length === 0 ? (
        <EmptyState>
          Aucune pièce déposée : commencez par le document principal, l'acte signé en PDF.
        </EmptyState>
      ) : (
        <DocumentsTable act={act} documents={act.documents} caption="Pièces de l'acte" />
      )}
      {canWrite && editable && (
        <>
          <h3>Déposer une pièce</h3>
          {done && (
            <Alert type="success" live>
              <p>Pièce « {done} » déposée.</p>
            </Alert>
          )}
          <Form
            id="depot-piece"
            error={upload.error}
            clientErrors={clientErrors}
            onSubmit={(data, form) => {
              const file = data.get('file');
              const problem = checkActFile(file, role, budget);
              const errors: Record<string, string> = problem ? { file: problem } : {};
              setClientErrors(errors);
              if (problem || !(file instanceof File)) return;
              setDone(null);
              upload.mutate(
                { role, file },
                {
                  onSuccess: (document) => {
                    setDone(document.filename);
                    form.reset();
                    setRole('annex');
                  },
                },
              );
            }}
          >
            <SelectField
              name="role"
              label="Rôle de la pièce"
              options={optionsOf(ACT_DOCUMENT_ROLE_LABELS, ACT_DOCUMENT_ROLES)}
              value={role}
              onChange={(e) => setRole(e.target.value as ActDocumentRole)}
              hint={hasMain ? 'Le document principal est déjà déposé : ajoutez des annexes.' : undefined}
            />
            <FileField
              name="file"
              label="Fichier"
              accept={role === 'main' ? ACCEPT.main : budget ? ACCEPT.budget : ACCEPT.annex}
              hint={
                role === 'main'
                  ? 'L’acte signé, au format PDF ; 20 Mo au plus.'
                  : `PDF, PNG ou JPEG${budget ? ' (ou XML pour un document budgétaire)' : ''} ; 20 Mo au plus.`
              }
              required
            />
            <Button type="submit" pending={upload.isPending}>
              Déposer la pièce
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}
