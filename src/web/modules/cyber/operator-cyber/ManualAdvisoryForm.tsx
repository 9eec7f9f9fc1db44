import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { SEVERITIES, SEVERITY_LABELS } from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import { Alert, Button, Form, optionsOf, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { type AdvisoryCreated, useCreateManualAdvisory } from '../api.js';
import { readManualAdvisoryForm } from '../form-data.js';

/** An advisory without a CSAF document (a CERT-FR alert, a vendor's mail), written by the cyber team. */
export function ManualAdvisoryForm() {
  const create = useCreateManualAdvisory();
  const [rows, setRows] = useState(1);
  const [formKey, setFormKey] = useState(0);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<AdvisoryCreated | null>(null);
  return (
    <section aria-labelledby="avis-manuel-titre">
      <h2 id="avis-manuel-titre">Écrire un avis à la main</h2>
      <p>
        Pour une alerte publiée sans document CSAF : indiquez les produits concernés avec une version exacte,
        un intervalle au format « vers » (par exemple vers:semver/&gt;=7.0.0|&lt;7.0.14) ou un nom CPE.
      </p>
      {created && (
        <Alert type="success" title="Avis enregistré" live>
          <p>
            {created.affectedMembers === 0
              ? 'Aucune structure n’utilise un produit concerné.'
              : `${countOf(created.affectedMembers, 'structure concernée', 'structures concernées')}.`}{' '}
            <Link to="/operateur/cyber/avis/$advisoryId" params={{ advisoryId: created.id }}>
              Voir l’exposition des structures
            </Link>
          </p>
        </Alert>
      )}
      <Form
        key={formKey}
        id="avis-manuel"
        error={create.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          setCreated(null);
          const read = readManualAdvisoryForm(data, rows);
          setClientErrors(read.errors);
          if (!read.body) return;
          create.mutate(read.body, {
            onSuccess: (answer) => {
              setCreated(answer);
              setRows(1);
              setFormKey((k) => k + 1);
            },
          });
        }}
      >
        <TextField name="title" label="Titre" required />
        <TextField
          name="reference"
          label="Référence"
          hint="Celle de l’éditeur de l’avis : CERTFR-2024-ALE-005…"
          required
        />
        <SelectField
          name="severity"
          label="Gravité"
          options={optionsOf(SEVERITY_LABELS, SEVERITIES)}
          defaultValue="high"
        />
        <TextAreaField name="summary" label="Résumé" rows={3} />
        <TextField
          name="cves"
          label="Vulnérabilités (CVE)"
          hint="Séparées par des virgules : CVE-2024-21762, CVE-2024-23113"
        />
        <TextField name="url" type="url" label="Adresse de l’avis" />
        {Array.from({ length: rows }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended, the index is their identity
          <fieldset key={i} className="cyber-question">
            <legend>Produit concerné {i + 1}</legend>
            <TextField name={`products.${i}.vendor`} label="Éditeur" />
            <TextField name={`products.${i}.product`} label="Produit" />
            <TextField name={`products.${i}.version`} label="Version exacte" />
            <TextField
              name={`products.${i}.versionRange`}
              label="Intervalle de versions (vers)"
              spellCheck={false}
            />
            <TextField name={`products.${i}.cpe`} label="Nom CPE" spellCheck={false} />
          </fieldset>
        ))}
        <div className="form-actions">
          <Button variant="secondary" onClick={() => setRows((n) => n + 1)}>
            Ajouter un produit
          </Button>
          <Button type="submit" pending={create.isPending}>
            Enregistrer l’avis
          </Button>
        </div>
      </Form>
    </section>
  );
}
