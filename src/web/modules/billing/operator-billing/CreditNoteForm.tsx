import { useState } from 'react';
import type { InvoiceDetail } from '../../../../contracts/billing.js';
import { Alert, Button, Form, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { formatCents, parseEuros } from '../../pricing/money.js';
import { useCreditNote } from '../api.js';

export function CreditNoteForm({ invoice }: { invoice: InvoiceDetail }) {
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
        <Alert type="success">
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
