import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import {
  type BillingRunResult,
  INVOICE_STATUS_LABELS,
  INVOICE_STATUSES,
  type InvoiceDetail,
  type InvoiceStatus,
  type PaymentImportReport,
} from '../../../contracts/billing.js';
import { ApiError, errorMessage } from '../../app/api.js';
import {
  Alert,
  Button,
  EmptyState,
  FileField,
  Form,
  formatDate,
  formatNumber,
  ModalDialog,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextAreaField,
  TextField,
  today,
  useCursorPages,
} from '../../ui/index.js';
import { centsToInput, currentYear, formatCents, parseEuros, yearOf } from '../pricing/money.js';
import {
  invoicesExportUrl,
  PAGE_SIZE,
  useBillingRun,
  useCreditNote,
  useInvoice,
  useInvoices,
  usePaymentImport,
  useRecordPayment,
} from './api.js';
import { InvoiceStatusBadge, invoiceColumns, PdfLink } from './components.js';

const yearOptions = () => {
  const now = currentYear();
  return [now + 1, now, now - 1, now - 2].map((y) => ({ value: String(y), label: String(y) }));
};

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

function BillingRunSection() {
  const preview = useBillingRun();
  const issue = useBillingRun();
  const [input, setInput] = useState<{
    year: number;
    call: 'annual' | 'complementary';
    dueOn?: string;
  } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
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
                {preview.data.message} {formatNumber(preview.data.invoiceCount)} facture
                {preview.data.invoiceCount > 1 ? 's' : ''} pour {formatCents(preview.data.totalCents)}
                {preview.data.alreadyInvoiced > 0 &&
                  (preview.data.call === 'complementary'
                    ? ` ; ${formatNumber(preview.data.alreadyInvoiced)} structure(s) déjà à jour`
                    : ` ; ${formatNumber(preview.data.alreadyInvoiced)} structure(s) déjà facturée(s) pour l'année ne le seront pas à nouveau`)}
                .
              </p>
            </Alert>
            {preview.data.invoiceCount > 0 && input && (
              <p>
                <Button
                  pending={issue.isPending}
                  onClick={() => issue.mutate({ ...input, mode: 'issue' }, { onSettled: focusResult })}
                >
                  Émettre les {formatNumber(preview.data.invoiceCount)} factures
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

function PaymentForm({ invoice }: { invoice: InvoiceDetail }) {
  const record = useRecordPayment(invoice.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id="paiement"
      error={record.error}
      clientErrors={clientErrors}
      onSubmit={(data, form) => {
        const amount = parseEuros(String(data.get('amountCents') ?? ''));
        const paidOn = String(data.get('paidOn') ?? '');
        const errors: Record<string, string> = {};
        if (amount === null || amount < 1)
          errors.amountCents = 'Indiquez un montant positif en euros, par exemple 120,50.';
        if (!paidOn) errors.paidOn = 'Indiquez la date du paiement.';
        setClientErrors(errors);
        if (Object.keys(errors).length || amount === null) return;
        record.mutate(
          { paidOn, amountCents: amount, reference: String(data.get('reference') ?? '').trim() },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <h3>Enregistrer un paiement</h3>
      {record.isSuccess && (
        <Alert type="success" live>
          <p>Paiement enregistré.</p>
        </Alert>
      )}
      <TextField name="paidOn" label="Date du paiement" type="date" defaultValue={today()} required />
      <TextField
        name="amountCents"
        label="Montant (en euros)"
        inputMode="decimal"
        defaultValue={centsToInput(invoice.dueCents)}
        required
      />
      <TextField name="reference" label="Référence (facultative)" hint="Par exemple le numéro de mandat" />
      <Button type="submit" pending={record.isPending}>
        Enregistrer le paiement
      </Button>
    </Form>
  );
}

function CreditNoteForm({ invoice }: { invoice: InvoiceDetail }) {
  const credit = useCreditNote(invoice.id);
  const [mode, setMode] = useState<'full' | 'line'>('full');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <Form
      id="avoir"
      error={credit.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const reason = String(data.get('reason') ?? '').trim();
        const errors: Record<string, string> = {};
        if (reason.length < 3) errors.reason = "Indiquez le motif de l'avoir (3 caractères au moins).";
        if (mode === 'full') {
          setClientErrors(errors);
          if (!Object.keys(errors).length) credit.mutate({ full: true, reason });
          return;
        }
        const lineId = String(data.get('lines.0.lineId') ?? '');
        const amountText = String(data.get('lines.0.amountCents') ?? '').trim();
        const amount = amountText ? parseEuros(amountText) : undefined;
        if (!lineId) errors['lines.0.lineId'] = 'Choisissez la ligne à créditer.';
        if (amount === null || amount === 0)
          errors['lines.0.amountCents'] = 'Indiquez un montant positif en euros.';
        setClientErrors(errors);
        if (Object.keys(errors).length) return;
        credit.mutate({ lines: [{ lineId, ...(amount ? { amountCents: amount } : {}) }], reason });
      }}
    >
      <h3>Avoir ou annulation</h3>
      {credit.isSuccess && (
        <Alert type="success" live>
          <p>Avoir émis.</p>
        </Alert>
      )}
      <SelectField
        name="mode"
        label="Type d'avoir"
        options={[
          { value: 'full', label: 'Annuler la facture (avoir total)' },
          { value: 'line', label: 'Avoir partiel sur une ligne' },
        ]}
        value={mode}
        onChange={(e) => setMode(e.target.value as 'full' | 'line')}
      />
      {mode === 'line' && (
        <>
          <SelectField
            name="lines.0.lineId"
            label="Ligne à créditer"
            placeholder="Choisir une ligne…"
            options={invoice.lines.map((l) => ({
              value: l.id,
              label: `${l.label} (${formatCents(l.totalCents)})`,
            }))}
          />
          <TextField
            name="lines.0.amountCents"
            label="Montant à créditer (en euros, facultatif)"
            hint="Vide : toute la ligne (ce qu'il en reste)"
            inputMode="decimal"
          />
        </>
      )}
      <TextAreaField name="reason" label="Motif" rows={2} required />
      <Button type="submit" variant="danger" pending={credit.isPending}>
        {mode === 'full' ? 'Annuler la facture' : "Émettre l'avoir"}
      </Button>
    </Form>
  );
}

function InvoiceDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const invoice = useInvoice(id);
  return (
    <ModalDialog
      title={invoice.data ? `Facture ${invoice.data.number}` : 'Facture'}
      isOpen
      onOpenChange={(o) => !o && onClose()}
    >
      <QueryView query={invoice} loadingLabel="Chargement de la facture…">
        {(inv) => (
          <>
            <dl className="dl">
              <dt>Structure</dt>
              <dd>
                {inv.memberName} (SIRET {inv.memberSiret ?? '—'})
              </dd>
              <dt>Statut</dt>
              <dd>
                <InvoiceStatusBadge status={inv.status} />
              </dd>
              <dt>Montant</dt>
              <dd>{formatCents(inv.totalCents)}</dd>
              <dt>Payé</dt>
              <dd>{formatCents(inv.paidCents)}</dd>
              <dt>Crédité</dt>
              <dd>{formatCents(inv.creditedCents)}</dd>
              <dt>Reste dû</dt>
              <dd>{formatCents(inv.dueCents)}</dd>
              {inv.creditOfNumber && (
                <>
                  <dt>Avoir sur</dt>
                  <dd>{inv.creditOfNumber}</dd>
                </>
              )}
              <dt>Document</dt>
              <dd>
                <PdfLink invoice={inv} />
              </dd>
            </dl>
            <Table
              caption="Lignes"
              rows={inv.lines}
              rowKey={(l) => l.id}
              columns={[
                { key: 'label', header: 'Libellé', rowHeader: true, render: (l) => l.label },
                { key: 'total', header: 'Montant', numeric: true, render: (l) => formatCents(l.totalCents) },
              ]}
            />
            {inv.payments.length > 0 && (
              <Table
                caption="Paiements reçus"
                rows={inv.payments}
                rowKey={(p) => p.id}
                columns={[
                  { key: 'date', header: 'Date', rowHeader: true, render: (p) => formatDate(p.paidOn) },
                  {
                    key: 'amount',
                    header: 'Montant',
                    numeric: true,
                    render: (p) => formatCents(p.amountCents),
                  },
                  { key: 'ref', header: 'Référence', render: (p) => p.reference || '—' },
                ]}
              />
            )}
            {inv.creditNotes.length > 0 && (
              <Table
                caption="Avoirs émis"
                rows={inv.creditNotes}
                rowKey={(c) => c.id}
                columns={[
                  { key: 'number', header: 'Numéro', rowHeader: true, render: (c) => c.number },
                  { key: 'date', header: 'Émis le', render: (c) => formatDate(c.issuedOn) },
                  {
                    key: 'amount',
                    header: 'Montant',
                    numeric: true,
                    render: (c) => formatCents(c.totalCents),
                  },
                ]}
              />
            )}
            {inv.kind === 'invoice' && inv.status !== 'cancelled' && (
              <>
                {inv.dueCents > 0 && <PaymentForm invoice={inv} />}
                <CreditNoteForm invoice={inv} />
              </>
            )}
          </>
        )}
      </QueryView>
      <div className="form-actions">
        <Button variant="secondary" onClick={onClose}>
          Fermer
        </Button>
      </div>
    </ModalDialog>
  );
}

function InvoicesSection() {
  const search = useSearch({ from: '/operateur/facturation' });
  const navigate = useNavigate();
  const year = search.annee ? yearOf(search.annee) : undefined;
  const status = (INVOICE_STATUSES as readonly string[]).includes(search.statut ?? '')
    ? (search.statut as InvoiceStatus)
    : undefined;
  const filters = { year, status };
  const pages = useCursorPages(JSON.stringify(filters));
  const invoices = useInvoices(filters, pages.cursor);
  const [open, setOpen] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: Record<string, string> = {};
    for (const key of ['annee', 'statut']) {
      const v = String(data.get(key) ?? '');
      if (v) next[key] = v;
    }
    navigate({ to: '/operateur/facturation', search: next });
  };
  return (
    <section aria-labelledby="factures-titre">
      <h2 id="factures-titre">Factures</h2>
      <search aria-label="Filtrer les factures">
        <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
          <SelectField
            name="annee"
            label="Année"
            placeholder="Toutes"
            options={yearOptions()}
            defaultValue={search.annee ?? ''}
          />
          <SelectField
            name="statut"
            label="Statut"
            placeholder="Tous"
            options={optionsOf(INVOICE_STATUS_LABELS, INVOICE_STATUSES)}
            defaultValue={status ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Filtrer</Button>
          </div>
        </form>
      </search>
      <QueryView query={invoices} loadingLabel="Chargement des factures…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune facture ne correspond à ces critères.</EmptyState>
          ) : (
            <>
              <p aria-live="polite">
                <strong>{formatNumber(page.total)}</strong> document{page.total > 1 ? 's' : ''}
              </p>
              <Table
                caption="Factures et avoirs"
                rows={page.items}
                rowKey={(i) => i.id}
                columns={invoiceColumns({
                  withMember: true,
                  number: (i) => (
                    <button type="button" className="link-button" onClick={() => setOpen(i.id)}>
                      {i.number}
                      <span className="sr-only"> — détail, paiement, avoir</span>
                    </button>
                  ),
                })}
              />
              <Pagination
                label="Pagination des factures"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
      {open && <InvoiceDialog id={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

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

function PaymentImportSection() {
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

function ExportsSection() {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  return (
    <section aria-labelledby="exports-titre">
      <h2 id="exports-titre">Exports comptables</h2>
      <form
        className="filters"
        aria-label="Période des exports"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setRange({
            from: String(data.get('from') ?? '') || undefined,
            to: String(data.get('to') ?? '') || undefined,
          });
        }}
      >
        <TextField name="from" label="Du" type="date" defaultValue={range.from} />
        <TextField name="to" label="Au" type="date" defaultValue={range.to} />
        <div className="actions row">
          <Button type="submit" variant="secondary">
            Appliquer la période
          </Button>
        </div>
      </form>
      <p aria-live="polite">
        Période : {range.from ? `du ${formatDate(range.from)}` : 'depuis le début'}{' '}
        {range.to ? `au ${formatDate(range.to)}` : "jusqu'à aujourd'hui"}.
      </p>
      <ul className="row" style={{ listStyle: 'none', padding: 0 }}>
        <li>
          <a className="btn btn--secondary btn--small" href={invoicesExportUrl('csv', range)} download>
            Factures, avoirs et lignes en CSV
          </a>
        </li>
        <li>
          <a className="btn btn--secondary btn--small" href={invoicesExportUrl('xlsx', range)} download>
            Factures, avoirs et lignes en XLSX (tableur)
          </a>
        </li>
      </ul>
    </section>
  );
}

export function OperatorBillingPage() {
  return (
    <>
      <PageTitle title="Facturation" />
      <BillingRunSection />
      <InvoicesSection />
      <PaymentImportSection />
      <ExportsSection />
    </>
  );
}
