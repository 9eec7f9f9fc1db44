import { useState } from 'react';
import { countOf } from '../../../contracts/french.js';
import { USAGE_COUNT_COLUMNS, USAGE_ID_COLUMNS, USAGE_STATUS_COLUMNS } from '../../../contracts/hosting.js';
import { ApiError } from '../../app/api.js';
import { Alert, Button, FileField, Form, type Option, SelectField, Table } from '../../ui/index.js';
import { useUsageImport } from './api.js';

/**
 * The seats used from the software's own export (CSV): checked first without writing anything, then
 * imported; the report lists one French message per faulty line.
 */
export function LicenceImport({ memberId, licences }: { memberId: string; licences: Option[] }) {
  const check = useUsageImport(memberId, true);
  const commit = useUsageImport(memberId, false);
  const [pending, setPending] = useState<{ file: File; subscriptionId: string } | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const report = check.data;
  const clean = !!report && report.errors.length === 0 && report.rows > 0;
  return (
    <section aria-labelledby="import-licences-titre">
      <h4 id="import-licences-titre">Importer l’utilisation depuis l’export du logiciel</h4>
      <p>
        Le fichier CSV que le logiciel exporte : une ligne par compte (colonne d’état facultative :{' '}
        {USAGE_STATUS_COLUMNS.slice(0, 3).join(', ')} ; identifiant facultatif :{' '}
        {USAGE_ID_COLUMNS.slice(0, 3).join(', ')}), ou une colonne de nombres (
        {USAGE_COUNT_COLUMNS.slice(0, 3).join(', ')}).
      </p>
      <Form
        id="import-licences"
        error={check.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const file = data.get('file');
          const subscriptionId = String(data.get('subscriptionId') ?? '');
          if (!(file instanceof File) || file.size === 0) {
            setClientErrors({ file: 'Choisissez un fichier CSV.' });
            return;
          }
          setClientErrors({});
          setPending({ file, subscriptionId });
          commit.reset();
          check.mutate({ file, subscriptionId });
        }}
      >
        <SelectField name="subscriptionId" label="Service (import)" options={licences} required />
        <FileField
          name="file"
          label="Export CSV du logiciel"
          accept=".csv,text/csv"
          required
          onChange={() => {
            check.reset();
            commit.reset();
          }}
        />
        <div className="form-actions">
          <Button type="submit" variant="secondary" pending={check.isPending}>
            Vérifier le fichier
          </Button>
        </div>
      </Form>
      <div aria-live="polite">
        {commit.isSuccess && commit.data.licence && (
          <Alert type="success" title="Utilisation importée">
            <p>
              {countOf(commit.data.seatsUsed, 'licence utilisée', 'licences utilisées')} sur{' '}
              {commit.data.seatsAllowed}.
            </p>
          </Alert>
        )}
        {commit.isError && (
          <Alert type="error" title="Import refusé">
            <p>{commit.error instanceof ApiError ? commit.error.problem.detail : 'Erreur inattendue.'}</p>
          </Alert>
        )}
        {report && !commit.isSuccess && (
          <>
            <p>
              {countOf(report.rows, 'ligne lue', 'lignes lues')} :{' '}
              {countOf(report.seatsUsed, 'licence utilisée', 'licences utilisées')} sur {report.seatsAllowed}
              {report.inactive > 0 &&
                `, ${countOf(report.inactive, 'compte inactif', 'comptes inactifs')} non comptés`}
              , {countOf(report.errors.length, 'erreur', 'erreurs')}.
            </p>
            {report.errors.length > 0 && (
              <Table
                caption="Erreurs à corriger dans le fichier"
                rows={report.errors}
                rowKey={(e) => `${e.line}-${e.message}`}
                columns={[
                  { key: 'line', header: 'Ligne', numeric: true, rowHeader: true, render: (e) => e.line },
                  { key: 'message', header: 'Problème', render: (e) => e.message },
                ]}
              />
            )}
            {clean && pending && (
              <Button type="button" pending={commit.isPending} onClick={() => commit.mutate(pending)}>
                Importer : {countOf(report.seatsUsed, 'licence utilisée', 'licences utilisées')}
              </Button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
