import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import {
  INVENTORY_IMPORT_COLUMNS,
  INVENTORY_IMPORT_MAX_ROWS,
  type InventoryImportReport,
} from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import { ApiError } from '../../../app/api.js';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { Alert, Button, FileField, Form, formatNumber, PageTitle, Table } from '../../../ui/index.js';
import { type ImportMode, useInventoryImport } from '../api.js';
import { MemberCyberNav } from '../components.js';

/** A refused import may answer a problem carrying the whole report beside it. */
function reportOf(error: unknown): InventoryImportReport | null {
  if (!(error instanceof ApiError) || !error.problem.body) return null;
  const body = error.problem.body as Partial<InventoryImportReport>;
  return Array.isArray(body.errors) && typeof body.rows === 'number' ? (body as InventoryImportReport) : null;
}

function ReportView({ report }: { report: InventoryImportReport }) {
  return (
    <section aria-labelledby="rapport-titre">
      <h2 id="rapport-titre">Rapport de vérification</h2>
      <p>
        {countOf(report.rows, 'ligne lue', 'lignes lues')},{' '}
        {countOf(report.errors.length, 'erreur', 'erreurs')}.
        {report.removed > 0 &&
          ` ${countOf(report.removed, 'ligne saisie sera retirée', 'lignes saisies seront retirées')} (remplacement).`}
      </p>
      {report.errors.length > 0 && (
        <Table
          caption="Erreurs à corriger dans le fichier"
          rows={report.errors}
          rowKey={(e) => `${e.line}-${e.column}-${e.message}`}
          columns={[
            { key: 'line', header: 'Ligne', numeric: true, rowHeader: true, render: (e) => e.line },
            { key: 'column', header: 'Colonne', render: (e) => e.column ?? '—' },
            { key: 'message', header: 'Problème', render: (e) => e.message },
          ]}
        />
      )}
    </section>
  );
}

/** The inventory from a spreadsheet: checked first without writing anything, then imported at once. */
export function InventoryImportPage() {
  const current = useCurrentOrganisation();
  const check = useInventoryImport(current.id, true);
  const commit = useInventoryImport(current.id, false);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('append');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const resultRef = useRef<HTMLDivElement>(null);
  const focusResult = () => setTimeout(() => resultRef.current?.focus(), 0);
  const report = reportOf(commit.error) ?? check.data ?? reportOf(check.error);
  const clean = !!check.data && check.data.errors.length === 0 && check.data.rows > 0;
  return (
    <>
      <PageTitle title="Importer l’inventaire">Importer l’inventaire : {current.name}</PageTitle>
      <MemberCyberNav />
      <Alert type="info" title="Format du fichier">
        <p>
          CSV séparé par des points-virgules ou des virgules, en UTF-8 ou Windows-1252, avec une ligne
          d’en-tête : {INVENTORY_IMPORT_COLUMNS.map((c) => `« ${c} »`).join(', ')}. Type : poste, serveur,
          réseau, site, domaine, messagerie ou logiciel ; exploitant : structure, operateur ou prestataire ;
          exposition : internet, interne ou inconnue. {formatNumber(INVENTORY_IMPORT_MAX_ROWS)} lignes au
          plus.
        </p>
      </Alert>
      <Form
        id="import-inventaire"
        error={check.error && !reportOf(check.error) ? check.error : undefined}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const f = data.get('file');
          if (!(f instanceof File) || f.size === 0) {
            setClientErrors({ file: 'Choisissez un fichier CSV.' });
            return;
          }
          setClientErrors({});
          setFile(f);
          commit.reset();
          check.mutate({ file: f, mode }, { onSettled: focusResult });
        }}
      >
        <FileField
          name="file"
          label="Fichier CSV"
          accept=".csv,text/csv"
          required
          onChange={() => {
            check.reset();
            commit.reset();
          }}
        />
        <fieldset className="field">
          <legend className="label">Que faire des lignes déjà saisies ?</legend>
          {(
            [
              ['append', 'Les garder et ajouter celles du fichier'],
              ['replace', 'Les remplacer par celles du fichier (les services de l’opérateur restent)'],
            ] as const
          ).map(([value, label]) => (
            <div className="checkbox" key={value}>
              <input
                type="radio"
                id={`mode-${value}`}
                name="mode"
                value={value}
                checked={mode === value}
                onChange={() => {
                  setMode(value);
                  check.reset();
                }}
              />
              <label htmlFor={`mode-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <Button type="submit" pending={check.isPending}>
          Vérifier le fichier
        </Button>
      </Form>
      <div ref={resultRef} tabIndex={-1}>
        {commit.isSuccess && (
          <Alert type="success" title="Import terminé" live>
            <p>
              {countOf(commit.data.created, 'ligne ajoutée', 'lignes ajoutées')}
              {commit.data.removed > 0 &&
                `, ${countOf(commit.data.removed, 'ligne retirée', 'lignes retirées')}`}
              . <Link to="/espace/cyber/inventaire">Voir l’inventaire</Link>
            </p>
          </Alert>
        )}
        {commit.isError && !reportOf(commit.error) && (
          <Alert type="error" title="Import refusé" live>
            <p>{commit.error instanceof ApiError ? commit.error.problem.detail : 'Erreur inattendue.'}</p>
          </Alert>
        )}
        {check.isSuccess && !commit.isSuccess && (
          <Alert
            type={clean ? 'success' : 'error'}
            title={clean ? 'Le fichier est correct' : 'Le fichier contient des erreurs'}
            live
          >
            <p>
              {clean
                ? `${countOf(check.data.created, 'ligne prête', 'lignes prêtes')} à être importée${check.data.created > 1 ? 's' : ''}.`
                : "Corrigez les lignes signalées dans votre tableur, enregistrez le fichier puis vérifiez-le à nouveau. Rien n'a été enregistré."}
            </p>
          </Alert>
        )}
      </div>
      {clean && file && !commit.isSuccess && (
        <p>
          <Button
            pending={commit.isPending}
            onClick={() => commit.mutate({ file, mode }, { onSettled: focusResult })}
          >
            Importer {countOf(check.data?.created ?? 0, 'ligne', 'lignes')}
          </Button>
        </p>
      )}
      {report && !commit.isSuccess && <ReportView report={report} />}
    </>
  );
}
