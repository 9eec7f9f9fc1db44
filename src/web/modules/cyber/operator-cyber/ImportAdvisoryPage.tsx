import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { countOf } from '../../../../contracts/french.js';
import { Alert, Button, FileField, Form, PageTitle, TextAreaField } from '../../../ui/index.js';
import { type AdvisoryCreated, useImportCsaf } from '../api.js';
import { OperatorCyberNav } from '../components.js';
import { readCsaf } from '../csaf-input.js';
import { ManualAdvisoryForm } from './ManualAdvisoryForm.js';

/**
 * The cyber team imports a CSAF 2.0 advisory (a file or pasted JSON): the server validates it, matches
 * its products against every inventory and notifies exactly the members affected.
 */
export function ImportAdvisoryPage() {
  const importCsaf = useImportCsaf();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<AdvisoryCreated | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const submit = async (data: FormData, form: HTMLFormElement) => {
    setCreated(null);
    const file = data.get('file');
    const pasted = String(data.get('json') ?? '');
    const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
    const field = file instanceof File && file.size > 0 ? 'file' : 'json';
    const read = readCsaf(text);
    if (read.error !== undefined) {
      setClientErrors({ [field]: read.error });
      return;
    }
    setClientErrors({});
    importCsaf.mutate(read.document, {
      onSuccess: (answer) => {
        setCreated(answer);
        form.reset();
        setTimeout(() => resultRef.current?.focus(), 0);
      },
    });
  };
  return (
    <>
      <PageTitle title="Importer un avis CSAF" />
      <OperatorCyberNav />
      <p className="lead">
        Un avis au format CSAF 2.0 (publié par le CERT-FR, le BSI, la CISA ou l’éditeur) est vérifié, puis ses
        produits et versions sont rapprochés de l’inventaire de chaque structure. Seules les structures
        concernées sont prévenues, avec une échéance de traitement selon la gravité.
      </p>
      <div ref={resultRef} tabIndex={-1}>
        {created && (
          <Alert type="success" title="Avis importé" live>
            <p>
              {created.affectedMembers === 0
                ? 'Aucune structure n’utilise un produit concerné : personne n’a été prévenu.'
                : `${countOf(created.affectedMembers, 'structure concernée', 'structures concernées')}, prévenue${created.affectedMembers > 1 ? 's' : ''} par courriel.`}{' '}
              <Link to="/operateur/cyber/avis/$advisoryId" params={{ advisoryId: created.id }}>
                Voir l’exposition des structures
              </Link>
            </p>
          </Alert>
        )}
      </div>
      <Form
        id="import-csaf"
        error={importCsaf.error}
        clientErrors={clientErrors}
        onSubmit={(data, form) => void submit(data, form)}
      >
        <FileField
          name="file"
          label="Fichier CSAF (JSON)"
          hint="Un document CSAF 2.0, extension .json."
          accept=".json,application/json"
        />
        <TextAreaField
          name="json"
          label="Ou collez le document CSAF"
          hint="Utilisé seulement si aucun fichier n’est choisi."
          className="textarea cyber-paste"
          spellCheck={false}
        />
        <div className="form-actions">
          <Button type="submit" pending={importCsaf.isPending}>
            Importer l’avis
          </Button>
        </div>
      </Form>
      <ManualAdvisoryForm />
    </>
  );
}
