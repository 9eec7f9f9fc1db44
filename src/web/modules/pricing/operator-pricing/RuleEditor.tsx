import { useId } from 'react';
import { RULE_KIND_LABELS, type RuleInput } from '../../../../contracts/pricing.js';
import { Button, SelectField, TextField } from '../../../ui/index.js';
import { centsToInput, parseEuros } from '../money.js';

export type ServiceRuleKind = Exclude<RuleInput['kind'], 'membershipFee'>;
export const SERVICE_RULE_KINDS: ServiceRuleKind[] = [
  'equal',
  'strata',
  'population',
  'fixedVariable',
  'units',
];

/** The editor keeps what the person typed (text) and turns it into a rule only on submit. */
export interface RuleDraft {
  kind: ServiceRuleKind;
  floor: string;
  ceiling: string;
  fixedPercent: string;
  unitLabel: string;
  strataMode: 'weight' | 'fixed';
  strata: { upTo: string; value: string }[];
}

const DEFAULT_STRATA = [
  { upTo: '500', value: '' },
  { upTo: '2000', value: '' },
  { upTo: '10000', value: '' },
  { upTo: '', value: '' },
];

export function draftOf(rule: RuleInput | null | undefined, unitLabel?: string | null): RuleDraft {
  const draft: RuleDraft = {
    kind: 'equal',
    floor: '',
    ceiling: '',
    fixedPercent: '30',
    unitLabel: unitLabel ?? '',
    strataMode: 'weight',
    strata: DEFAULT_STRATA,
  };
  if (!rule || rule.kind === 'membershipFee') return draft;
  draft.kind = rule.kind;
  if (rule.kind === 'population') {
    draft.floor = centsToInput(rule.floorCents);
    draft.ceiling = centsToInput(rule.ceilingCents);
  }
  if (rule.kind === 'fixedVariable') draft.fixedPercent = String(rule.fixedPercent).replace('.', ',');
  if (rule.kind === 'units') draft.unitLabel = rule.unitLabel ?? draft.unitLabel;
  if (rule.kind === 'strata') {
    draft.strataMode = rule.strata[0]?.fixedCents !== undefined ? 'fixed' : 'weight';
    draft.strata = rule.strata.map((s) => ({
      upTo: s.upTo == null ? '' : String(s.upTo),
      value:
        s.fixedCents !== undefined ? centsToInput(s.fixedCents) : String(s.weight ?? '').replace('.', ','),
    }));
  }
  return draft;
}

const parseDecimal = (text: string) => {
  const t = text.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
};

/** The rule, or field errors keyed like the server's paths (`rule.strata.1.upTo`). */
export function ruleOf(
  draft: RuleDraft,
  prefix = 'rule',
): { rule?: RuleInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  switch (draft.kind) {
    case 'equal':
      return { rule: { kind: 'equal' }, errors };
    case 'units':
      return {
        rule: { kind: 'units', ...(draft.unitLabel.trim() ? { unitLabel: draft.unitLabel.trim() } : {}) },
        errors,
      };
    case 'population': {
      const rule: RuleInput = { kind: 'population' };
      for (const [key, text, label] of [
        ['floorCents', draft.floor, 'Le plancher'],
        ['ceilingCents', draft.ceiling, 'Le plafond'],
      ] as const) {
        if (!text.trim()) continue;
        const cents = parseEuros(text);
        if (cents === null)
          errors[`${prefix}.${key}`] = `${label} doit être un montant en euros, par exemple 150 ou 150,50.`;
        else rule[key] = cents;
      }
      return { rule: Object.keys(errors).length ? undefined : rule, errors };
    }
    case 'fixedVariable': {
      const pct = parseDecimal(draft.fixedPercent);
      if (pct === null || pct > 100) {
        errors[`${prefix}.fixedPercent`] = 'Indiquez un pourcentage entre 0 et 100, par exemple 30.';
        return { errors };
      }
      return { rule: { kind: 'fixedVariable', fixedPercent: pct }, errors };
    }
    case 'strata': {
      const strata = draft.strata.map((s, i) => {
        const last = i === draft.strata.length - 1;
        let upTo: number | null = null;
        if (!last) {
          const n = Number(s.upTo.trim().replace(/\s/g, ''));
          if (!s.upTo.trim() || !Number.isInteger(n) || n < 0) {
            errors[`${prefix}.strata.${i}.upTo`] = 'Indiquez le seuil en nombre entier d’habitants.';
          }
          upTo = n;
        }
        if (draft.strataMode === 'fixed') {
          const cents = parseEuros(s.value);
          if (cents === null)
            errors[`${prefix}.strata.${i}.fixedCents`] = 'Indiquez un prix en euros, par exemple 120.';
          return { upTo, fixedCents: cents ?? 0 };
        }
        const weight = parseDecimal(s.value);
        if (weight === null)
          errors[`${prefix}.strata.${i}.weight`] = 'Indiquez un poids positif, par exemple 1 ou 1,5.';
        return { upTo, weight: weight ?? 0 };
      });
      return { rule: Object.keys(errors).length ? undefined : { kind: 'strata', strata }, errors };
    }
  }
}

/**
 * One editor for every rule kind. Field names follow the API's paths so the form's error summary links
 * server errors (e.g. `body.rule.strata.2.upTo`) to the right input.
 */
export function RuleEditor({
  draft,
  onChange,
  prefix = 'rule',
}: {
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  prefix?: string;
}) {
  const id = useId();
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch });
  const setStratum = (i: number, patch: Partial<RuleDraft['strata'][number]>) =>
    set({ strata: draft.strata.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <fieldset>
      <legend>Règle de répartition</legend>
      <SelectField
        name={`${prefix}.kind`}
        label="Type de règle"
        options={SERVICE_RULE_KINDS.map((k) => ({ value: k, label: RULE_KIND_LABELS[k] }))}
        value={draft.kind}
        onChange={(e) => set({ kind: e.target.value as ServiceRuleKind })}
      />
      {draft.kind === 'equal' && (
        <p>Chaque abonné paie la même part (au prorata de ses mois d'abonnement).</p>
      )}
      {draft.kind === 'units' && (
        <TextField
          name={`${prefix}.unitLabel`}
          label="Unité (au pluriel)"
          hint="Par exemple : agents, licences, boîtes aux lettres"
          value={draft.unitLabel}
          onChange={(e) => set({ unitLabel: e.target.value })}
        />
      )}
      {draft.kind === 'population' && (
        <>
          <TextField
            name={`${prefix}.floorCents`}
            label="Plancher par membre (en euros, facultatif)"
            hint="Montant annuel minimum, par exemple 150"
            inputMode="decimal"
            value={draft.floor}
            onChange={(e) => set({ floor: e.target.value })}
          />
          <TextField
            name={`${prefix}.ceilingCents`}
            label="Plafond par membre (en euros, facultatif)"
            hint="Montant annuel maximum, par exemple 5 000"
            inputMode="decimal"
            value={draft.ceiling}
            onChange={(e) => set({ ceiling: e.target.value })}
          />
        </>
      )}
      {draft.kind === 'fixedVariable' && (
        <TextField
          name={`${prefix}.fixedPercent`}
          label="Part fixe, partagée à parts égales (en %)"
          hint="Le reste est réparti au prorata de la population. Par exemple 30"
          inputMode="decimal"
          value={draft.fixedPercent}
          onChange={(e) => set({ fixedPercent: e.target.value })}
        />
      )}
      {draft.kind === 'strata' && (
        <>
          <SelectField
            name={`${prefix}.strataMode`}
            label="Chaque tranche a"
            options={[
              { value: 'weight', label: 'un poids : le montant est partagé au prorata des poids' },
              { value: 'fixed', label: 'un prix fixe annuel (tarif)' },
            ]}
            value={draft.strataMode}
            onChange={(e) => set({ strataMode: e.target.value as 'weight' | 'fixed' })}
          />
          {draft.strata.map((s, i) => {
            const last = i === draft.strata.length - 1;
            const previous = i > 0 ? draft.strata[i - 1].upTo : '';
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are identified by their position
              <fieldset key={i} id={`${id}-tranche-${i}`}>
                <legend>
                  Tranche {i + 1}
                  {last ? ` : ${previous ? `plus de ${previous} habitants` : 'toutes tailles'}` : ''}
                </legend>
                {!last && (
                  <TextField
                    name={`${prefix}.strata.${i}.upTo`}
                    label={`Tranche ${i + 1} : jusqu'à (habitants)`}
                    inputMode="numeric"
                    value={s.upTo}
                    onChange={(e) => setStratum(i, { upTo: e.target.value })}
                  />
                )}
                <TextField
                  name={`${prefix}.strata.${i}.${draft.strataMode === 'fixed' ? 'fixedCents' : 'weight'}`}
                  label={
                    draft.strataMode === 'fixed'
                      ? `Tranche ${i + 1} : prix annuel (en euros)`
                      : `Tranche ${i + 1} : poids`
                  }
                  inputMode="decimal"
                  value={s.value}
                  onChange={(e) => setStratum(i, { value: e.target.value })}
                />
                {draft.strata.length > 1 && (
                  <Button
                    small
                    variant="tertiary"
                    onClick={() => set({ strata: draft.strata.filter((_, j) => j !== i) })}
                  >
                    Supprimer la tranche {i + 1}
                  </Button>
                )}
              </fieldset>
            );
          })}
          <Button
            small
            variant="secondary"
            onClick={() =>
              set({
                strata: [
                  ...draft.strata.slice(0, -1),
                  { upTo: '', value: '' },
                  draft.strata[draft.strata.length - 1],
                ],
              })
            }
          >
            Ajouter une tranche
          </Button>
          <p className="field__hint">La dernière tranche n'a pas de limite supérieure.</p>
        </>
      )}
    </fieldset>
  );
}
