import { useState } from 'react';
import { DOCUMENT_KIND_LABELS, DOCUMENT_KINDS } from '../../../../contracts/members.js';
import {
  Alert,
  Button,
  EmptyState,
  FileField,
  Form,
  formatBytes,
  formatDate,
  formatDateTime,
  optionsOf,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../../ui/index.js';
import { documentUrl, useDocuments, useUploadDocument } from '../api.js';
import { isPdfName, uploadForm } from './form-data.js';

export function DocumentsSection({ memberId, canWrite }: { memberId: string; canWrite: boolean }) {
  const documents = useDocuments(memberId);
  const upload = useUploadDocument(memberId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="documents-titre">
      <h2 id="documents-titre">Documents</h2>
      <QueryView query={documents} loadingLabel="Chargement des documents…">
        {(items) =>
          items.length === 0 ? (
            <EmptyState>Aucun document déposé.</EmptyState>
          ) : (
            <Table
              caption="Documents de la structure"
              captionHidden
              rows={items}
              rowKey={(d) => d.id}
              columns={[
                {
                  key: 'title',
                  header: 'Titre',
                  rowHeader: true,
                  render: (d) => (
                    <a href={documentUrl(memberId, d.id)} download={d.fileName}>
                      {d.title}
                      <span className="sr-only"> (PDF, {formatBytes(d.sizeBytes)})</span>
                    </a>
                  ),
                },
                { key: 'kind', header: 'Type', render: (d) => DOCUMENT_KIND_LABELS[d.kind] },
                { key: 'date', header: 'Date du document', render: (d) => formatDate(d.documentDate) },
                { key: 'size', header: 'Taille', numeric: true, render: (d) => formatBytes(d.sizeBytes) },
                { key: 'created', header: 'Déposé le', render: (d) => formatDateTime(d.createdAt) },
              ]}
            />
          )
        }
      </QueryView>
      {canWrite && (
        <>
          <h3>Déposer un document</h3>
          {done && (
            <Alert type="success">
              <p>Document « {done} » déposé.</p>
            </Alert>
          )}
          <Form
            id="depot-document"
            error={upload.error}
            clientErrors={clientErrors}
            onSubmit={(data, form) => {
              const file = data.get('file');
              const errors: Record<string, string> = {};
              if (!(file instanceof File) || file.size === 0) errors.file = 'Choisissez un fichier PDF.';
              else if (!isPdfName(file)) errors.file = 'Le fichier doit être un PDF.';
              if (String(data.get('title') ?? '').trim().length < 2)
                errors.title = 'Donnez un titre au document.';
              setClientErrors(errors);
              if (Object.keys(errors).length) return;
              const title = String(data.get('title')).trim();
              upload.mutate(
                uploadForm(
                  {
                    kind: String(data.get('kind')),
                    title,
                    documentDate: String(data.get('documentDate') ?? ''),
                  },
                  file as File,
                ),
                {
                  onSuccess: () => {
                    setDone(title);
                    form.reset();
                  },
                },
              );
            }}
          >
            <SelectField
              name="kind"
              label="Type de document"
              options={optionsOf(DOCUMENT_KIND_LABELS, DOCUMENT_KINDS)}
              required
            />
            <TextField
              name="title"
              label="Titre"
              hint="Par exemple : Délibération d'adhésion du 12 mars 2026"
              required
            />
            <TextField name="documentDate" label="Date du document" type="date" />
            <FileField
              name="file"
              label="Fichier"
              hint="Format PDF uniquement, 20 Mo au plus"
              accept="application/pdf,.pdf"
              required
            />
            <Button type="submit" pending={upload.isPending}>
              Déposer le document
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}
