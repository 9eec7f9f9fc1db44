import { useState } from 'react';
import { MEMBER_KIND_LABELS, MEMBER_KINDS, type MemberKind } from '../../../../contracts/members.js';
import type { CostPool } from '../../../../contracts/pricing.js';
import { Button, Form, optionsOf, SelectField, TextField } from '../../../ui/index.js';
import { useSimulation } from '../api.js';
import { draftOf, RuleEditor, ruleOf } from './RuleEditor.js';
import { SimulationResult } from './SimulationResult.js';

export function SimulationSection({
  year,
  serviceId,
  pool,
}: {
  year: number;
  serviceId: string;
  pool: CostPool;
}) {
  const simulate = useSimulation();
  const [withJoin, setWithJoin] = useState(true);
  const [withRule, setWithRule] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(pool.rule));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <section aria-labelledby="simulation-titre">
      <h3 id="simulation-titre">Simuler</h3>
      <Form
        id="simulation"
        error={simulate.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const errors: Record<string, string> = {};
          const int = (key: string, label: string, min: number) => {
            const n = Number(
              String(data.get(key) ?? '')
                .trim()
                .replace(/\s/g, ''),
            );
            if (!Number.isInteger(n) || n < min)
              errors[key] = `${label} : nombre entier d'au moins ${min} attendu.`;
            return n;
          };
          let join: { count: number; population: number; kind: MemberKind; units?: number } | undefined;
          if (withJoin) {
            const units = String(data.get('join.units') ?? '').trim();
            join = {
              count: int('join.count', 'Nombre de nouveaux membres', 1),
              population: int('join.population', 'Population', 0),
              kind: String(data.get('join.kind')) as MemberKind,
              ...(units ? { units: int('join.units', 'Unités', 0) } : {}),
            };
          }
          const ruleResult = withRule ? ruleOf(draft) : { errors: {} };
          Object.assign(errors, ruleResult.errors);
          if (!withJoin && !withRule) errors['join.count'] = 'Choisissez au moins une hypothèse à simuler.';
          setClientErrors(errors);
          if (Object.keys(errors).length) return;
          const rule = 'rule' in ruleResult ? ruleResult.rule : undefined;
          simulate.mutate({
            serviceId,
            year,
            ...(join ? { join } : {}),
            ...(rule && rule.kind !== 'membershipFee' ? { rule } : {}),
          });
        }}
      >
        <div className="checkbox">
          <input
            type="checkbox"
            id="simulation-avec-arrivees"
            checked={withJoin}
            onChange={(e) => setWithJoin(e.target.checked)}
          />
          <label htmlFor="simulation-avec-arrivees">Si de nouveaux membres rejoignaient le service</label>
        </div>
        {withJoin && (
          <fieldset>
            <legend>Profil des nouveaux membres</legend>
            <div className="filters">
              <TextField
                name="join.count"
                label="Nombre de nouveaux membres"
                inputMode="numeric"
                defaultValue="10"
              />
              <SelectField
                name="join.kind"
                label="Type de structure"
                options={optionsOf(MEMBER_KIND_LABELS, MEMBER_KINDS)}
                defaultValue="commune"
              />
              <TextField
                name="join.population"
                label="Population de chacun"
                inputMode="numeric"
                defaultValue="1000"
              />
              <TextField name="join.units" label="Unités déclarées (facultatif)" inputMode="numeric" />
            </div>
          </fieldset>
        )}
        <div className="checkbox">
          <input
            type="checkbox"
            id="simulation-avec-regle"
            checked={withRule}
            onChange={(e) => setWithRule(e.target.checked)}
          />
          <label htmlFor="simulation-avec-regle">Si la règle de répartition changeait</label>
        </div>
        {withRule && <RuleEditor draft={draft} onChange={setDraft} />}
        <div className="form-actions">
          <Button type="submit" pending={simulate.isPending}>
            Lancer la simulation
          </Button>
        </div>
      </Form>
      <div aria-live="polite">{simulate.data && <SimulationResult result={simulate.data} />}</div>
    </section>
  );
}
