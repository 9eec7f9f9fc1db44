import { useState } from 'react';
import {
  type AlonePrice,
  SERVICE_DOMAIN_LABELS,
  SERVICE_DOMAINS,
  SERVICE_STATUS_LABELS,
  SERVICE_STATUSES,
  type ServiceDetail,
  type ServiceInput,
  type ServiceStatus,
  type ServiceSummary,
} from '../../../../contracts/catalogue.js';
import { MEMBER_KIND_LABELS, MEMBER_KINDS } from '../../../../contracts/members.js';
import {
  Alert,
  Button,
  CheckboxGroup,
  Form,
  optionsOf,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { centsToInput, parseEuros } from '../../pricing/money.js';
import { useSaveService } from '../api.js';

interface PriceRow {
  upTo: string;
  price: string;
}

function rowsOf(prices: AlonePrice[] | undefined): PriceRow[] {
  if (!prices || prices.length === 0) return [{ upTo: '', price: '' }];
  return prices.map((p) => ({
    upTo: p.upToPopulation == null ? '' : String(p.upToPopulation),
    price: centsToInput(p.aloneCents),
  }));
}

/** Create (service undefined) or edit a service; only changed fields are sent, so the history stays exact. */
export function ServiceForm({
  service,
  all,
  onSaved,
}: {
  service?: ServiceDetail;
  all: ServiceSummary[];
  onSaved: (id: string) => void;
}) {
  const save = useSaveService();
  const [kinds, setKinds] = useState<string[]>(service?.eligibleKinds ?? ['commune']);
  const [prerequisites, setPrerequisites] = useState<string[]>(service?.prerequisites.map((p) => p.id) ?? []);
  const [prices, setPrices] = useState<PriceRow[]>(rowsOf(service?.alonePrices));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const setPrice = (i: number, patch: Partial<PriceRow>) =>
    setPrices(prices.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <Form
      id="service"
      error={save.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const errors: Record<string, string> = {};
        const text = (key: string) => String(data.get(key) ?? '').trim();
        const notice = Number(text('noticeMonths'));
        if (!Number.isInteger(notice) || notice < 0)
          errors.noticeMonths = 'Indiquez un nombre entier de mois.';
        const alonePrices: AlonePrice[] = [];
        prices.forEach((p, i) => {
          if (!p.upTo.trim() && !p.price.trim() && prices.length === 1) return;
          const cents = parseEuros(p.price);
          if (cents === null)
            errors[`alonePrices.${i}.aloneCents`] = 'Indiquez un prix en euros, par exemple 1 200.';
          const upTo = p.upTo.trim() ? Number(p.upTo.replace(/\s/g, '')) : null;
          if (upTo !== null && (!Number.isInteger(upTo) || upTo < 1)) {
            errors[`alonePrices.${i}.upToPopulation`] =
              "Indiquez un nombre entier d'habitants, ou laissez vide pour « sans limite ».";
          }
          alonePrices.push({ upToPopulation: upTo, aloneCents: cents ?? 0 });
        });
        setClientErrors(errors);
        if (Object.keys(errors).length) return;
        const input: ServiceInput = {
          code: text('code'),
          name: text('name'),
          domain: text('domain') as ServiceInput['domain'],
          status: text('status') as ServiceStatus,
          description: text('description'),
          included: text('included'),
          eligibleKinds: kinds as ServiceInput['eligibleKinds'],
          noticeMonths: notice,
          unitLabel: text('unitLabel') || null,
          prerequisiteIds: prerequisites,
          alonePrices,
        };
        if (!service) {
          save.mutate({ body: input }, { onSuccess: (s) => onSaved(s.id) });
          return;
        }
        const current: Record<string, unknown> = {
          ...service,
          prerequisiteIds: service.prerequisites.map((p) => p.id),
        };
        const patch = Object.fromEntries(
          Object.entries(input).filter(
            ([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key] ?? null),
          ),
        );
        if (Object.keys(patch).length === 0) {
          setClientErrors({ name: "Aucune modification : changez au moins un champ avant d'enregistrer." });
          return;
        }
        save.mutate({ id: service.id, body: patch }, { onSuccess: (s) => onSaved(s.id) });
      }}
    >
      {save.isSuccess && (
        <Alert type="success">
          <p>Service enregistré.</p>
        </Alert>
      )}
      <div className="grid grid--2">
        <TextField
          name="code"
          label="Code service (Chorus Pro)"
          hint="Par exemple DEMAT-ACTES"
          defaultValue={service?.code}
          required
        />
        <TextField name="name" label="Nom" defaultValue={service?.name} required />
        <SelectField
          name="domain"
          label="Domaine"
          options={optionsOf(SERVICE_DOMAIN_LABELS, SERVICE_DOMAINS)}
          defaultValue={service?.domain ?? 'dematerialisation'}
        />
        <SelectField
          name="status"
          label="Statut"
          options={optionsOf(SERVICE_STATUS_LABELS, SERVICE_STATUSES)}
          defaultValue={service?.status ?? 'proposed'}
        />
        <TextField
          name="noticeMonths"
          label="Préavis de résiliation (en mois)"
          inputMode="numeric"
          defaultValue={String(service?.noticeMonths ?? 3)}
        />
        <TextField
          name="unitLabel"
          label="Unité déclarée (facultative)"
          hint="Pour un service facturé à l'unité : agents, licences, boîtes aux lettres"
          defaultValue={service?.unitLabel ?? ''}
        />
      </div>
      <TextAreaField name="description" label="Description" rows={3} defaultValue={service?.description} />
      <TextAreaField name="included" label="Ce qui est compris" rows={4} defaultValue={service?.included} />
      <CheckboxGroup
        name="eligibleKinds"
        legend="Structures éligibles"
        options={optionsOf(MEMBER_KIND_LABELS, MEMBER_KINDS)}
        values={kinds}
        onChange={setKinds}
      />
      <CheckboxGroup
        name="prerequisiteIds"
        legend="Prérequis (services à détenir avant de demander celui-ci)"
        options={all.filter((s) => s.id !== service?.id).map((s) => ({ value: s.id, label: s.name }))}
        values={prerequisites}
        onChange={setPrerequisites}
      />
      <fieldset>
        <legend>Prix annuel seul sur le marché, par taille de structure</legend>
        <p className="field__hint">
          Une ligne par tranche, de la plus petite à la plus grande ; la dernière sans limite d'habitants.
        </p>
        {prices.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are identified by their position
          <div className="filters" key={i}>
            <TextField
              name={`alonePrices.${i}.upToPopulation`}
              label={`Tranche ${i + 1} : jusqu'à (habitants, vide = sans limite)`}
              inputMode="numeric"
              value={p.upTo}
              onChange={(e) => setPrice(i, { upTo: e.target.value })}
            />
            <TextField
              name={`alonePrices.${i}.aloneCents`}
              label={`Tranche ${i + 1} : prix annuel (en euros)`}
              inputMode="decimal"
              value={p.price}
              onChange={(e) => setPrice(i, { price: e.target.value })}
            />
            <div className="actions row">
              <Button small variant="tertiary" onClick={() => setPrices(prices.filter((_, j) => j !== i))}>
                Supprimer la tranche {i + 1}
              </Button>
            </div>
          </div>
        ))}
        <Button small variant="secondary" onClick={() => setPrices([...prices, { upTo: '', price: '' }])}>
          Ajouter une tranche
        </Button>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" pending={save.isPending}>
          {service ? 'Enregistrer les modifications' : 'Créer le service'}
        </Button>
      </div>
    </Form>
  );
}
