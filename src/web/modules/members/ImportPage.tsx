import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import {
  MEMBER_IMPORT_COLUMNS,
  type MemberImportIssue,
  type MemberImportReport,
} from '../../../contracts/members-import.js';
import { ApiError } from '../../app/api.js';
import { Alert, Button, FileField, Form, formatNumber, PageTitle, Table } from '../../ui/index.js';
import { useImportCheck, useImportCommit } from './api.js';
import { kindLabel, StatusBadge } from './components.js';

type Report = Omit<MemberImportReport, 'dryRun'>;

/** A refused commit answers 422 with the full report beside the problem fields. */
function reportOf(error: unknown): Report | null {
  if (!(error instanceof ApiError) || !error.problem.body) return null;
  const body = error.problem.body as Partial<Report>;
  return Array.isArray(body.errors) && typeof body.totalLines === 'number' ? (body as Report) : null;
}

function IssuesTable({ caption, issues }: { caption: string; issues: MemberImportIssue[] }) {
  return (
    <Table
      caption={caption}
      rows={issues}
      rowKey={(i) => `${i.line}-${i.column}-${i.message}`}
      columns={[
        { key: 'line', header: 'Ligne', numeric: true, rowHeader: true, render: (i) => i.line },
        { key: 'column', header: 'Colonne', render: (i) => i.column ?? '—' },
        { key: 'value', header: 'Valeur', render: (i) => (i.value ? <code>{i.value}</code> : '—') },
        { key: 'message', header: 'Problème', render: (i) => i.message },
      ]}
    />
  );
}

function ReportView({ report }: { report: Report }) {
  return (
    <section aria-labelledby="rapport-titre">
      <h2 id="rapport-titre">Rapport de vérification</h2>
      <p>
        {formatNumber(report.totalLines)} ligne{report.totalLines > 1 ? 's' : ''} lue
        {report.totalLines > 1 ? 's' : ''}, {formatNumber(report.validLines)} valide
        {report.validLines > 1 ? 's' : ''}, {formatNumber(report.errors.length)} erreur
        {report.errors.length > 1 ? 's' : ''}, {formatNumber(report.warnings.length)} avertissement
        {report.warnings.length > 1 ? 's' : ''}.
      </p>
      {report.errors.length > 0 && (
        <IssuesTable caption="Erreurs à corriger dans le fichier" issues={report.errors} />
      )}
      {report.warnings.length > 0 && (
        <IssuesTable caption="Avertissements (n'empêchent pas l'import)" issues={report.warnings} />
      )}
      {report.preview.length > 0 && (
        <Table
          caption={`Aperçu des ${formatNumber(report.preview.length)} premières lignes valides, telles qu'elles seront enregistrées`}
          rows={report.preview}
          rowKey={(l) => String(l.line)}
          columns={[
            { key: 'line', header: 'Ligne', numeric: true, render: (l) => l.line },
            { key: 'name', header: 'Nom', rowHeader: true, render: (l) => l.name },
            { key: 'kind', header: 'Type', render: (l) => kindLabel(l.kind, l.epciType) },
            { key: 'siren', header: 'SIREN', render: (l) => l.siren },
            { key: 'dep', header: 'Département', render: (l) => l.departementCode ?? '—' },
            { key: 'pop', header: 'Population', numeric: true, render: (l) => formatNumber(l.population) },
            { key: 'status', header: 'Statut', render: (l) => <StatusBadge status={l.status} /> },
          ]}
        />
      )}
    </section>
  );
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const resultRef = useRef<HTMLDivElement>(null);
  const focusResult = () => setTimeout(() => resultRef.current?.focus(), 0);
  const check = useImportCheck(focusResult);
  const commit = useImportCommit(focusResult);
  const report = reportOf(commit.error) ?? check.data ?? reportOf(check.error);
  const clean = !!check.data && check.data.errors.length === 0 && check.data.validLines > 0;
  return (
    <>
      <PageTitle title="Import CSV des structures" />
      <p className="lead">
        Importez une liste de structures depuis un tableur : le fichier est d'abord vérifié sans rien
        enregistrer, puis importé en une seule fois si toutes les lignes sont correctes.
      </p>
      <Alert type="info" title="Format du fichier">
        <p>
          CSV séparé par des points-virgules ou des virgules, encodé en UTF-8 (avec ou sans BOM) ou
          Windows-1252, comme l'enregistrent les tableurs. Colonnes obligatoires :{' '}
          {MEMBER_IMPORT_COLUMNS.filter((c) => c.required)
            .map((c) => `« ${c.header} »`)
            .join(', ')}
          .{' '}
          <a href="/modeles/import-adherents.csv" download>
            Télécharger le modèle de fichier (CSV)
          </a>
        </p>
      </Alert>
      <Form
        id="import"
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
          check.mutate(f);
        }}
      >
        <FileField
          name="file"
          label="Fichier CSV"
          hint="Extension .csv, 20 000 lignes au plus"
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
      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {commit.isSuccess && (
          <Alert type="success" title="Import terminé">
            <p>
              {formatNumber(commit.data.created)} structure{commit.data.created > 1 ? 's' : ''} créée
              {commit.data.created > 1 ? 's' : ''}. <Link to="/operateur/adherents">Voir les adhérents</Link>
            </p>
          </Alert>
        )}
        {commit.isError && (
          <Alert type="error" title="Import refusé">
            <p>{commit.error instanceof ApiError ? commit.error.problem.detail : 'Erreur inattendue.'}</p>
          </Alert>
        )}
        {check.isSuccess && !commit.isSuccess && (
          <Alert
            type={clean ? 'success' : 'error'}
            title={clean ? 'Le fichier est correct' : 'Le fichier contient des erreurs'}
          >
            <p>
              {clean
                ? `${formatNumber(check.data.validLines)} structure(s) prête(s) à être importée(s).`
                : "Corrigez les lignes signalées dans votre tableur, enregistrez le fichier puis vérifiez-le à nouveau. Rien n'a été enregistré."}
            </p>
          </Alert>
        )}
      </div>
      {clean && file && !commit.isSuccess && (
        <p>
          <Button pending={commit.isPending} onClick={() => commit.mutate(file)}>
            Importer {formatNumber(check.data?.validLines ?? 0)} structure
            {(check.data?.validLines ?? 0) > 1 ? 's' : ''}
          </Button>
        </p>
      )}
      {report && !commit.isSuccess && <ReportView report={report} />}
    </>
  );
}
