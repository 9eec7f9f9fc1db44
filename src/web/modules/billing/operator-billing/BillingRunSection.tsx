import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import {
  type BillingRunResult,
  type ChorusRequiredField,
  lackingForChorus,
} from '../../../../contracts/billing.js';
import { countOf, plural } from '../../../../contracts/french.js';
import { ApiError, errorMessage } from '../../../app/api.js';
import { Alert, Button, Form, formatNumber, SelectField, Table, TextField } from '../../../ui/index.js';
import { currentYear, formatCents } from '../../pricing/money.js';
import { useBillingRun } from '../api.js';
import { yearOptions } from './years.js';

function RunSummary({ result }: { result: BillingRunResult }) {
  return (
    <>
      <Table
        caption={`${result.mode === 'preview' ? 'Aperçu' : 'Montants facturés'} par service`}
        rows={result.services}
        rowKey={(s) => s.serviceId ?? 'cotisation'}
        columns={[
          { key: 'name', header: 'Service', rowHeader: true, render: (s) => s.name },
          { key: 'lines', header: 'Lignes', numeric: true, render: (s) => formatNumber(s.lines) },
          { key: 'total', header: 'Montant', numeric: true, render: (s) => formatCents(s.totalCents) },
        ]}
      />
      {result.invoices.length > 0 && (
        <Table
          caption={
            result.truncated
              ? `Les ${formatNumber(result.invoices.length)} premières factures sur ${formatNumber(result.invoiceCount)}`
              : `Factures (${formatNumber(result.invoiceCount)})`
          }
          rows={result.invoices}
          rowKey={(i) => i.memberId}
          columns={[
            { key: 'member', header: 'Structure', rowHeader: true, render: (i) => i.memberName },
            {
              key: 'lines',
              header: 'Lignes',
              render: (i) => i.lines.map((l) => `${l.label} : ${formatCents(l.totalCents)}`).join(' ; '),
            },
            { key: 'total', header: 'Total', numeric: true, render: (i) => formatCents(i.totalCents) },
          ]}
        />
      )}
    </>
  );
}

export function BillingRunSection() {
  const preview = useBillingRun();
  const issue = useBillingRun();
  const [input, setInput] = useState<{
    year: number;
    call: 'annual' | 'complementary';
    dueOn?: string;
  } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [force, setForce] = useState(false);
  const focusResult = () => setTimeout(() => resultRef.current?.focus(), 0);
  const conflict = issue.error instanceof ApiError && issue.error.status === 409;
  return (
    <section aria-labelledby="campagne-titre">
      <h2 id="campagne-titre">Appel de cotisations</h2>
      <p>
        Une facture par adhérent, avec une ligne par service et la cotisation d'adhésion. Prévisualisez
        d'abord : rien n'est enregistré. L'émission ne facture pas deux fois une structure déjà facturée pour
        l'année.
      </p>
      <p>
        Après l'appel annuel, l'appel complémentaire facture à chaque structure ce que sa part de l'année
        dépasse désormais ce qui lui a été facturé (abonnement commencé depuis, unités déclarées en plus) ;
        les trop-perçus sont signalés, pour un avoir si vous le décidez.
      </p>
      <Form
        id="campagne"
        className="filters"
        error={preview.error}
        onSubmit={(data) => {
          const next = {
            year: Number(data.get('year')),
            call: data.get('call') === 'complementary' ? ('complementary' as const) : ('annual' as const),
            dueOn: String(data.get('dueOn') ?? '') || undefined,
          };
          setInput(next);
          setForce(false);
          issue.reset();
          preview.mutate({ ...next, mode: 'preview' }, { onSettled: focusResult });
        }}
      >
        <SelectField name="year" label="Année" options={yearOptions()} defaultValue={String(currentYear())} />
        <SelectField
          name="call"
          label="Appel"
          options={[
            { value: 'annual', label: 'Appel annuel' },
            { value: 'complementary', label: 'Appel complémentaire' },
          ]}
          defaultValue="annual"
        />
        <TextField
          name="dueOn"
          label="Date d'échéance (facultative)"
          hint="Par défaut, 30 jours après l'émission"
          type="date"
        />
        <div className="actions row">
          <Button type="submit" pending={preview.isPending}>
            Prévisualiser
          </Button>
        </div>
      </Form>
      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {issue.isSuccess && (
          <Alert type="success" title="Factures émises">
            <p>
              {issue.data.message}{' '}
              {issue.data.firstNumber &&
                `Numéros ${issue.data.firstNumber} à ${issue.data.lastNumber}, total ${formatCents(issue.data.totalCents)}.`}
            </p>
          </Alert>
        )}
        {issue.isError && (
          <Alert type="error" title={conflict ? 'Une autre campagne est en cours' : "L'émission a échoué"}>
            <p>{errorMessage(issue.error)}</p>
            {conflict && (
              <p>
                Attendez qu'elle se termine, puis prévisualisez à nouveau : rien n'a été émis par cette
                demande.
              </p>
            )}
          </Alert>
        )}
        {preview.data && !issue.isSuccess && (
          <>
            <Alert type="info" title={`Aperçu ${preview.data.year} — rien n'est encore enregistré`}>
              <p>
                {preview.data.message} {countOf(preview.data.invoiceCount, 'facture', 'factures')} pour{' '}
                {formatCents(preview.data.totalCents)}
                {preview.data.alreadyInvoiced > 0 &&
                  (preview.data.call === 'complementary'
                    ? ` ; ${countOf(preview.data.alreadyInvoiced, 'structure déjà à jour', 'structures déjà à jour')}`
                    : ` ; ${countOf(preview.data.alreadyInvoiced, 'structure déjà facturée', 'structures déjà facturées')} pour l'année ${plural(preview.data.alreadyInvoiced, 'ne le sera', 'ne le seront')} pas à nouveau`)}
                .
              </p>
            </Alert>
            {preview.data.incompleteCount > 0 && (
              <Alert
                type="warning"
                title={`${countOf(preview.data.incompleteCount, 'structure', 'structures')} sans ${lackingForChorus(preview.data.incomplete)} : Chorus Pro refusera ${plural(preview.data.incompleteCount, 'sa facture', 'leurs factures')}`}
              >
                <p>
                  Complétez {plural(preview.data.incompleteCount, 'sa fiche', 'leurs fiches')} avant
                  d'émettre, ou forcez l'émission (la décision est enregistrée dans le journal).
                </p>
                <ul>
                  {preview.data.incomplete.map((m) => (
                    <li key={m.memberId}>
                      <Link to="/operateur/adherents/$memberId" params={{ memberId: m.memberId }}>
                        {m.memberName}
                      </Link>{' '}
                      <span className="muted">({m.missing.map((f) => MISSING_LABELS[f]).join(', ')})</span>
                    </li>
                  ))}
                </ul>
                {preview.data.incompleteCount > preview.data.incomplete.length && (
                  <p>
                    … et{' '}
                    {countOf(
                      preview.data.incompleteCount - preview.data.incomplete.length,
                      'autre',
                      'autres',
                    )}
                    .
                  </p>
                )}
                <label className="checkbox">
                  <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />{' '}
                  Émettre quand même, sans {lackingForChorus(preview.data.incomplete)} pour{' '}
                  {plural(preview.data.incompleteCount, 'cette structure', 'ces structures')}
                </label>
              </Alert>
            )}
            {preview.data.invoiceCount > 0 && input && (
              <p>
                <Button
                  pending={issue.isPending}
                  disabled={preview.data.incompleteCount > 0 && !force}
                  onClick={() =>
                    issue.mutate(
                      { ...input, mode: 'issue', ...(force ? { force: true } : {}) },
                      { onSettled: focusResult },
                    )
                  }
                >
                  {preview.data.invoiceCount === 1
                    ? 'Émettre la facture'
                    : `Émettre les ${formatNumber(preview.data.invoiceCount)} factures`}
                </Button>
              </p>
            )}
            <RunSummary result={preview.data} />
          </>
        )}
      </div>
    </section>
  );
}

const MISSING_LABELS: Record<ChorusRequiredField, string> = {
  siret: 'SIRET manquant',
  serviceCode: 'code service exigé par Chorus Pro manquant',
};
