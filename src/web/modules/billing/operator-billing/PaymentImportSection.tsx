import { useState } from 'react';
import type { PaymentImportReport } from '../../../../contracts/billing.js';
import { ApiError, errorMessage } from '../../../app/api.js';
import { Alert, Button, FileField, Form, formatDate, formatNumber, Table } from '../../../ui/index.js';
import { formatCents } from '../../pricing/money.js';
import { usePaymentImport } from '../api.js';

function ImportReport({ report }: { report: PaymentImportReport }) {
  return (
    <>
      <p>
        {formatNumber(report.totalLines)} ligne(s) lue(s), {formatNumber(report.validLines)} valide(s),{' '}
        {formatNumber(report.errors.length)} erreur(s).
      </p>
      {report.errors.length > 0 && (
        <Table
          caption="Erreurs à corriger dans le fichier"
          rows={report.errors}
          rowKey={(e) => `${e.line}-${e.path}-${e.message}`}
          columns={[
            { key: 'line', header: 'Ligne', numeric: true, rowHeader: true, render: (e) => e.line },
            { key: 'path', header: 'Colonne', render: (e) => e.path || '—' },
            { key: 'message', header: 'Problème', render: (e) => e.message },
          ]}
        />
      )}
      {report.payments.length > 0 && (
        <Table
          caption={report.dryRun ? 'Paiements prêts à être enregistrés' : 'Paiements enregistrés'}
          rows={report.payments}
          rowKey={(p) => String(p.line)}
          columns={[
            { key: 'line', header: 'Ligne', numeric: true, render: (p) => p.line },
            { key: 'number', header: 'Facture', rowHeader: true, render: (p) => p.number },
            { key: 'date', header: 'Date', render: (p) => formatDate(p.paidOn) },
            { key: 'amount', header: 'Montant', numeric: true, render: (p) => formatCents(p.amountCents) },
            { key: 'ref', header: 'Référence', render: (p) => p.reference || '—' },
          ]}
        />
      )}
    </>
  );
}

/** A refused import answers 422 with the report beside the problem fields. */
function reportOf(error: unknown): PaymentImportReport | null {
  if (!(error instanceof ApiError) || !error.problem.body) return null;
  const body = error.problem.body as Partial<PaymentImportReport>;
  return Array.isArray(body.errors) && typeof body.totalLines === 'number'
    ? (body as PaymentImportReport)
    : null;
}

export function PaymentImportSection() {
  const check = usePaymentImport();
  const commit = usePaymentImport();
  const [file, setFile] = useState<File | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const report = commit.data ?? reportOf(commit.error) ?? check.data ?? reportOf(check.error);
  const clean = !!check.data && check.data.errors.length === 0 && check.data.validLines > 0;
  return (
    <section aria-labelledby="import-paiements-titre">
      <h2 id="import-paiements-titre">Import des paiements (CSV)</h2>
      <p>
        Colonnes attendues : numéro de facture, date du paiement, montant, référence. Le fichier est d'abord
        vérifié sans rien enregistrer.
      </p>
      <Form
        id="import-paiements"
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
          check.mutate({ file: f, dryRun: true });
        }}
      >
        <FileField
          name="file"
          label="Fichier CSV des paiements"
          accept=".csv,text/csv"
          required
          onChange={() => {
            check.reset();
            commit.reset();
          }}
        />
        <Button type="submit" pending={check.isPending}>
          Vérifier le fichier
        </Button>
      </Form>
      <div aria-live="polite">
        {commit.isSuccess && (
          <Alert type="success" title="Paiements enregistrés">
            <p>{formatNumber(commit.data.recorded)} paiement(s) enregistré(s).</p>
          </Alert>
        )}
        {commit.isError && (
          <Alert type="error" title="Import refusé">
            <p>{errorMessage(commit.error)}</p>
          </Alert>
        )}
        {check.isSuccess && !commit.isSuccess && (
          <Alert
            type={clean ? 'success' : 'error'}
            title={clean ? 'Le fichier est correct' : 'Le fichier contient des erreurs'}
          >
            <p>
              {clean
                ? 'Vous pouvez enregistrer les paiements.'
                : "Corrigez les lignes signalées puis vérifiez à nouveau. Rien n'a été enregistré."}
            </p>
          </Alert>
        )}
      </div>
      {clean && file && !commit.isSuccess && (
        <p>
          <Button pending={commit.isPending} onClick={() => commit.mutate({ file, dryRun: false })}>
            Enregistrer {formatNumber(check.data?.validLines ?? 0)} paiement(s)
          </Button>
        </p>
      )}
      {report && <ImportReport report={report} />}
    </section>
  );
}
