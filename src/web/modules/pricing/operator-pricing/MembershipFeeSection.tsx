import { useState } from 'react';
import { FEE_PRORATION_LABELS, FEE_PRORATIONS, type FeeProration } from '../../../../contracts/pricing.js';
import { ApiError } from '../../../app/api.js';
import { Alert, Button, Form, Loading, optionsOf, SelectField, TextField } from '../../../ui/index.js';
import { useMembershipFee, useSaveMembershipFee } from '../api.js';
import { centsToInput, parseEuros } from '../money.js';

export function MembershipFeeSection({ year }: { year: number }) {
  const fee = useMembershipFee(year);
  const save = useSaveMembershipFee(year);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const missing = fee.error instanceof ApiError && fee.error.status === 404;
  return (
    <section aria-labelledby="cotisation-titre">
      <h2 id="cotisation-titre">Cotisation d'adhésion {year}</h2>
      {fee.isPending ? (
        <Loading label="Chargement de la cotisation…" />
      ) : (
        <>
          <p>
            {fee.data
              ? `Règle actuelle : ${fee.data.ruleText}. ${FEE_PRORATION_LABELS[fee.data.proration]}.`
              : missing
                ? `Pas encore de cotisation pour ${year}.`
                : null}
          </p>
          {save.isSuccess && (
            <Alert type="success">
              <p>Cotisation enregistrée.</p>
            </Alert>
          )}
          <Form
            id="cotisation"
            className="filters"
            error={save.error}
            clientErrors={clientErrors}
            onSubmit={(data) => {
              const errors: Record<string, string> = {};
              const rateText = String(data.get('centsPerInhabitant') ?? '')
                .trim()
                .replace(',', '.');
              const rate = /^\d+(\.\d{1,4})?$/.test(rateText) ? Number(rateText) : null;
              if (rate === null)
                errors.centsPerInhabitant =
                  'Indiquez un nombre de centimes par habitant, 4 décimales au plus (par exemple 50).';
              const minimum = parseEuros(String(data.get('minimumCents') ?? ''));
              if (minimum === null) errors.minimumCents = 'Indiquez un montant en euros, par exemple 100.';
              const chosen = String(data.get('proration') ?? 'none');
              const proration = FEE_PRORATIONS.find((p): p is FeeProration => p === chosen) ?? 'none';
              setClientErrors(errors);
              if (rate !== null && minimum !== null)
                save.mutate({ centsPerInhabitant: rate, minimumCents: minimum, proration });
            }}
            key={`${year}-${fee.dataUpdatedAt}`}
          >
            <TextField
              name="centsPerInhabitant"
              label="Tarif par habitant (en centimes)"
              hint="50 = 0,50 € par habitant"
              inputMode="decimal"
              defaultValue={fee.data ? String(fee.data.centsPerInhabitant).replace('.', ',') : ''}
            />
            <TextField
              name="minimumCents"
              label="Minimum par structure (en euros)"
              inputMode="decimal"
              defaultValue={centsToInput(fee.data?.minimumCents)}
            />
            <SelectField
              name="proration"
              label="Adhésion en cours d'année"
              hint="Ce que paie une structure qui adhère pendant l'année (facturation et coûts)"
              options={optionsOf(FEE_PRORATION_LABELS, FEE_PRORATIONS)}
              defaultValue={fee.data?.proration ?? 'none'}
            />
            <div className="actions row">
              <Button type="submit" pending={save.isPending}>
                Enregistrer la cotisation
              </Button>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
