import { useState } from 'react';
import type { InvoiceDetail } from '../../../../contracts/billing.js';
import { Alert, Button, Form, TextField, today } from '../../../ui/index.js';
import { centsToInput, parseEuros } from '../../pricing/money.js';
import { useRecordPayment } from '../api.js';

export function PaymentForm({ invoice }: { invoice: InvoiceDetail }) {
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
        <Alert type="success">
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
