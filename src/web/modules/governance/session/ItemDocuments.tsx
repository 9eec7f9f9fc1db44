import { useState } from 'react';
import { announce, Button, FileField, Form, formatBytes } from '../../../ui/index.js';
import type { ItemDocument } from '../api.js';
import { useAddItemDocument } from '../api.js';

/** The file types the server accepts for an item's document (checked again there, by content). */
const ACCEPT = '.pdf,.odt,.ods,.docx,.xlsx,.png,.jpg,.jpeg';

/** An item's documents as download links (`href` says where each is read: session page or link). */
export function ItemDocumentList({
  documents,
  href,
  itemTitle,
}: {
  documents: ItemDocument[];
  href: (documentId: string) => string;
  itemTitle: string;
}) {
  if (documents.length === 0) return null;
  return (
    <ul className="gov-documents" aria-label={`Documents du point « ${itemTitle} »`}>
      {documents.map((d) => (
        <li key={d.id}>
          <a href={href(d.id)} download={d.fileName}>
            {d.fileName}
          </a>{' '}
          <span className="muted">({formatBytes(d.sizeBytes)})</span>
        </li>
      ))}
    </ul>
  );
}

/** Attaching a document to an item, for those who manage the assembly. */
export function AddItemDocumentForm({
  sessionId,
  itemId,
  position,
}: {
  sessionId: string;
  itemId: string;
  position: number;
}) {
  const add = useAddItemDocument(sessionId, itemId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id={`document-${position}`}
      aria-label={`Joindre un document au point n° ${position}`}
      error={add.error}
      clientErrors={clientErrors}
      onSubmit={(data, form) => {
        const file = data.get('file');
        if (!(file instanceof File) || file.size === 0) {
          setClientErrors({ file: 'Choisissez le fichier à joindre.' });
          return;
        }
        setClientErrors({});
        add.mutate(data, {
          onSuccess: (document) => {
            form.reset();
            announce(`Document « ${document.fileName} » joint au point n° ${position}.`);
          },
        });
      }}
    >
      <FileField
        name="file"
        label={`Document à joindre au point n° ${position}`}
        hint="PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG."
        accept={ACCEPT}
      />
      <Button type="submit" variant="secondary" small pending={add.isPending}>
        Joindre
      </Button>
    </Form>
  );
}
