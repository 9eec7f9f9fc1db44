import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { MEMBER_KIND_LABELS, MEMBER_KINDS } from '../../../../contracts/members.js';
import { Alert, Button, Form, TextField } from '../../../ui/index.js';
import { type Template, useSaveTemplate } from '../api.js';
import { Checkbox } from '../components.js';
import { FieldsEditor } from '../fields-editor/FieldsEditor.js';
import { cleanValue, type EditorValue } from '../fields-editor/value.js';

const emptyFields = (): EditorValue => ({
  name: 'Nouveau traitement',
  purposes: '',
  legalBasis: null,
  legalBasisJustification: null,
  sensitiveData: false,
  sensitiveException: null,
  dataSubjects: [],
  dataCategories: [],
  sources: null,
  collectionMethod: null,
  recipients: [],
  transfers: [],
  retention: [],
  securityMeasures: {
    accessControl: null,
    traceability: null,
    backups: null,
    updates: null,
    encryption: null,
    other: null,
  },
  software: null,
  department: null,
  dpiaCriteria: [],
});

export function TemplateEditor({ template }: { template?: Template }) {
  const save = useSaveTemplate();
  const navigate = useNavigate();
  const [code, setCode] = useState(template?.code ?? '');
  const [name, setName] = useState(template?.name ?? '');
  const [kinds, setKinds] = useState<string[]>(template?.applicableKinds ?? ['commune']);
  const [fields, setFields] = useState<EditorValue>(() => (template ? template.fields : emptyFields()));
  const [saved, setSaved] = useState(false);
  return (
    <Form
      id="modele"
      error={save.error}
      aria-label="Contenu du modèle"
      onSubmit={() => {
        setSaved(false);
        const body = {
          ...(template ? {} : { code }),
          name: name.trim() || fields.name,
          applicableKinds: kinds,
          fields: cleanValue(fields),
        };
        save.mutate(
          { id: template?.id, body },
          {
            onSuccess: (t) => {
              if (!template)
                navigate({ to: '/operateur/rgpd/modeles/$templateId', params: { templateId: t.id } });
              else setSaved(true);
            },
          },
        );
      }}
    >
      {saved && (
        <Alert type="success">
          <p>Modèle enregistré : les fiches liées proposent la mise à jour.</p>
        </Alert>
      )}
      <section className="rgpd-section" aria-labelledby="section-modele">
        <h2 id="section-modele">Modèle</h2>
        {!template && (
          <TextField
            name="code"
            label="Code du modèle"
            required
            hint="Minuscules, chiffres, - et _ (ex. : etat-civil)"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        )}
        <TextField
          name="name"
          label="Nom du modèle"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <fieldset>
          <legend>Types de structures concernées</legend>
          <div className="rgpd-checklist">
            {MEMBER_KINDS.map((k) => (
              <Checkbox
                key={k}
                label={MEMBER_KIND_LABELS[k]}
                checked={kinds.includes(k)}
                onChange={(checked) => setKinds((ks) => (checked ? [...ks, k] : ks.filter((x) => x !== k)))}
              />
            ))}
          </div>
        </fieldset>
      </section>
      <FieldsEditor
        value={fields}
        onChange={(change) => setFields((f) => ({ ...f, ...change }))}
        local={false}
      />
      <div className="form-actions sticky-actions">
        <Button type="submit" pending={save.isPending}>
          {template ? 'Enregistrer une nouvelle version' : 'Créer le modèle'}
        </Button>
      </div>
    </Form>
  );
}
