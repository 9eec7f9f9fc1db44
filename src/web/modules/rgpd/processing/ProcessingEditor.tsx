import { useState } from 'react';
import { TEMPLATE_FIELD_NAMES, type TemplateFields } from '../../../../contracts/rgpd.js';
import { Alert, Button, Form } from '../../../ui/index.js';
import { type Processing, usePatchProcessing, useProcessors } from '../api.js';
import { FieldsEditor } from '../fields-editor/FieldsEditor.js';
import { cleanValue, type EditorValue } from '../fields-editor/value.js';
import type { RegistryScope } from '../scope.js';

function toEditorValue(p: Processing): EditorValue {
  const fields = Object.fromEntries(TEMPLATE_FIELD_NAMES.map((k) => [k, p[k]])) as TemplateFields;
  return {
    ...fields,
    status: p.status,
    lastReviewOn: p.lastReviewOn,
    nextReviewOn: p.nextReviewOn,
    dpiaStatus: p.dpiaStatus,
    dpiaNotRequiredReason: p.dpiaNotRequiredReason,
    isPublic: p.isPublic,
    processorIds: p.processors.map((x) => x.id),
  };
}

export function ProcessingEditor({
  scope,
  processing,
  canEdit,
  onSaved,
}: {
  scope: RegistryScope;
  processing: Processing;
  canEdit: boolean;
  onSaved: (version: number) => void;
}) {
  const [value, setValue] = useState<EditorValue>(() => toEditorValue(processing));
  // A new version (saved here, or a template update accepted) replaces what the form shows.
  const [shownVersion, setShownVersion] = useState(processing.version);
  if (shownVersion !== processing.version) {
    setShownVersion(processing.version);
    setValue(toEditorValue(processing));
  }
  const patch = usePatchProcessing(scope.memberId, processing.id);
  const processors = useProcessors();
  const options = [
    ...(processors.data?.items ?? []).map((p) => ({ id: p.id, name: p.name })),
    // A linked processor always shows, even when the directory has not loaded.
    ...processing.processors.filter((p) => !processors.data?.items.some((x) => x.id === p.id)),
  ];
  return (
    <>
      <h2 className="sr-only">Fiche du traitement</h2>
      {processing.missingFields.length > 0 && (
        <Alert type="warning" title={`Fiche complète à ${processing.completion} %`}>
          <p>Champs obligatoires à compléter : {processing.missingFields.join(', ')}.</p>
        </Alert>
      )}
      {!canEdit && (
        <Alert type="info">
          <p>Vous consultez ce traitement en lecture seule.</p>
        </Alert>
      )}
      <Form
        id="traitement"
        error={patch.error}
        aria-label="Fiche du traitement"
        onSubmit={() => {
          patch.mutate(
            { ...cleanValue(value), version: processing.version },
            { onSuccess: (saved) => onSaved(saved.version) },
          );
        }}
      >
        <FieldsEditor
          value={value}
          onChange={(change) => setValue((v) => ({ ...v, ...change }))}
          local
          processors={options}
          readOnly={!canEdit}
        />
        {canEdit && (
          <div className="form-actions sticky-actions">
            <Button type="submit" pending={patch.isPending}>
              Enregistrer le traitement
            </Button>
            <Button variant="secondary" onClick={() => setValue(toEditorValue(processing))}>
              Annuler les modifications
            </Button>
          </div>
        )}
      </Form>
    </>
  );
}
