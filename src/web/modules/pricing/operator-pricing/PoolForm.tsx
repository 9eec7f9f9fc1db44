import { useState } from 'react';
import type { CostPool } from '../../../../contracts/pricing.js';
import { Alert, Button, Form, TextField } from '../../../ui/index.js';
import { useSavePool } from '../api.js';
import { centsToInput, formatCents, parseEuros } from '../money.js';
import { draftOf, RuleEditor, ruleOf } from './RuleEditor.js';

const POOL_ITEMS = [
  ['licencesCents', 'Licences'],
  ['hostingCents', 'Hébergement'],
  ['staffCents', 'Personnel'],
  ['otherCents', 'Autres charges'],
] as const;

export function PoolForm({
  year,
  serviceId,
  pool,
  unitLabel,
}: {
  year: number;
  serviceId: string;
  pool: CostPool | undefined;
  unitLabel: string | null;
}) {
  const save = useSavePool(year);
  const [draft, setDraft] = useState(() => draftOf(pool?.rule, unitLabel));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <>
      {save.isSuccess && (
        <Alert type="success" title="Enregistré">
          <p>
            {formatCents(save.data.poolCents)} à répartir, {save.data.ruleText}.
          </p>
        </Alert>
      )}
      <Form
        id="montant-a-repartir"
        error={save.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const errors: Record<string, string> = {};
          const amounts: Record<string, number> = {};
          for (const [key, label] of POOL_ITEMS) {
            const text = String(data.get(key) ?? '').trim();
            const cents = text === '' ? 0 : parseEuros(text);
            if (cents === null)
              errors[key] = `${label} : indiquez un montant en euros, par exemple 12 000 ou 12 000,50.`;
            else amounts[key] = cents;
          }
          const { rule, errors: ruleErrors } = ruleOf(draft);
          Object.assign(errors, ruleErrors);
          setClientErrors(errors);
          if (Object.keys(errors).length || !rule || rule.kind === 'membershipFee') return;
          save.mutate({
            serviceId,
            body: {
              licencesCents: amounts.licencesCents,
              hostingCents: amounts.hostingCents,
              staffCents: amounts.staffCents,
              otherCents: amounts.otherCents,
              rule,
            },
          });
        }}
      >
        <fieldset>
          <legend>Coûts à répartir pour {year} (en euros)</legend>
          <div className="filters">
            {POOL_ITEMS.map(([key, label]) => (
              <TextField
                key={key}
                name={key}
                label={label}
                inputMode="decimal"
                defaultValue={centsToInput(pool?.[key] ?? 0)}
              />
            ))}
          </div>
        </fieldset>
        <RuleEditor draft={draft} onChange={setDraft} />
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            Enregistrer le montant et la règle
          </Button>
        </div>
      </Form>
    </>
  );
}
