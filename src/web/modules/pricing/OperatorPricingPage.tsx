import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import {
  MEMBER_KIND_LABELS,
  MEMBER_KINDS,
  type MemberKind,
  type MemberSummary,
} from '../../../contracts/members.js';
import type { CostPool, Simulation } from '../../../contracts/pricing.js';
import { ApiError, api, type Page } from '../../app/api.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatNumber,
  Loading,
  optionsOf,
  PageTitle,
  QueryView,
  SearchComboBox,
  SelectField,
  Table,
  TextField,
} from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import {
  useEquity,
  useMemberCosts,
  useMembershipFee,
  usePools,
  useSaveMembershipFee,
  useSavePool,
  useSimulation,
} from './api.js';
import { BarChart, LineChart } from './charts.js';
import { centsToInput, formatCents, formatPreciseCents, parseEuros, yearOf } from './money.js';
import { draftOf, RuleEditor, ruleOf } from './RuleEditor.js';
import { YearSelect } from './YearSelect.js';

const POOL_ITEMS = [
  ['licencesCents', 'Licences'],
  ['hostingCents', 'Hébergement'],
  ['staffCents', 'Personnel'],
  ['otherCents', 'Autres charges'],
] as const;

function MembershipFeeSection({ year }: { year: number }) {
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
              ? `Règle actuelle : ${fee.data.ruleText}.`
              : missing
                ? `Pas encore de cotisation pour ${year}.`
                : null}
          </p>
          {save.isSuccess && (
            <Alert type="success" live>
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
              setClientErrors(errors);
              if (rate !== null && minimum !== null)
                save.mutate({ centsPerInhabitant: rate, minimumCents: minimum });
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

function PoolForm({
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
        <Alert type="success" title="Enregistré" live>
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

async function searchMembers(text: string) {
  const page = await api.get<Page<MemberSummary>>('/api/v1/members', { q: text, limit: 20 });
  return page.items.map((m) => ({
    id: m.id,
    label: `${m.name}${m.departementCode ? ` (${m.departementCode})` : ''}`,
  }));
}

function ExplainSection({ year, serviceId }: { year: number; serviceId: string }) {
  const [memberId, setMemberId] = useState<string | undefined>();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const costs = useMemberCosts(memberId, year);
  const line = costs.data?.lines.find((l) => l.serviceId === serviceId);
  return (
    <section aria-labelledby="explication-titre">
      <h3 id="explication-titre">Expliquer le montant d'un adhérent</h3>
      <Form
        id="explication"
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const id = String(data.get('memberId') ?? '');
          setClientErrors(id ? {} : { memberId: 'Choisissez une structure dans la liste.' });
          if (id) setMemberId(id);
        }}
      >
        <SearchComboBox
          name="memberId"
          label="Structure"
          hint="Tapez au moins 2 caractères du nom puis choisissez dans la liste"
          search={searchMembers}
          queryKey="pricing-members"
        />
        <Button type="submit" variant="secondary">
          Expliquer
        </Button>
      </Form>
      <div aria-live="polite">
        {memberId && (
          <QueryView query={costs} loadingLabel="Calcul en cours…">
            {(c) =>
              line ? (
                <div className="card">
                  <p>
                    <strong>
                      {c.memberName} : {formatCents(line.shareCents)}
                    </strong>
                    {line.aloneCents != null && ` (seule : ${formatCents(line.aloneCents)})`}
                  </p>
                  <ol>
                    {line.explanationLines.map((text, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: ordered steps of fixed text
                      <li key={i}>{text}</li>
                    ))}
                  </ol>
                </div>
              ) : (
                <p>
                  {c.memberName} n'est pas abonnée à ce service en {year}.
                </p>
              )
            }
          </QueryView>
        )}
      </div>
    </section>
  );
}

function SimulationResult({ result }: { result: Simulation }) {
  const changed = result.members.filter((m) => m.deltaCents !== 0);
  const current = result.growth.find((g) => g.added === 0)?.subscribers;
  const hasProfile = result.growth.some((g) => g.profileShareCents != null);
  return (
    <section aria-labelledby="resultat-titre">
      <h4 id="resultat-titre">Résultat de la simulation (rien n'a été enregistré)</h4>
      <p>
        Avant : {result.before.ruleText}, {formatCents(result.before.poolCents)}. Après :{' '}
        {result.after.ruleText}, {formatCents(result.after.poolCents)}.
        {result.newcomerShares.length > 0 &&
          ` Chaque nouvel abonné paierait ${formatCents(Math.min(...result.newcomerShares))}${
            Math.max(...result.newcomerShares) !== Math.min(...result.newcomerShares)
              ? ` à ${formatCents(Math.max(...result.newcomerShares))}`
              : ''
          }.`}{' '}
        {changed.length} abonné{changed.length > 1 ? 's' : ''} sur {result.members.length} verrai
        {changed.length > 1 ? 'ent' : 't'} son montant changer.
      </p>
      <Table
        caption="Montant par abonné actuel, avant et après"
        rows={result.members}
        rowKey={(m) => m.memberId}
        columns={[
          { key: 'name', header: 'Structure', rowHeader: true, render: (m) => m.memberName },
          { key: 'before', header: 'Avant', numeric: true, render: (m) => formatCents(m.beforeCents) },
          { key: 'after', header: 'Après', numeric: true, render: (m) => formatCents(m.afterCents) },
          {
            key: 'delta',
            header: 'Écart',
            numeric: true,
            render: (m) => (m.deltaCents > 0 ? `+${formatCents(m.deltaCents)}` : formatCents(m.deltaCents)),
          },
        ]}
      />
      {result.growth.length > 1 && (
        <>
          <h4>Économies d'échelle</h4>
          <LineChart
            title={`${result.serviceName} : prix par abonné selon le nombre d'abonnés`}
            description={`Prix moyen par abonné quand de nouveaux abonnés du profil simulé rejoignent le service : de ${formatCents(result.growth[0].averageShareCents)} avec ${formatNumber(result.growth[0].subscribers)} abonnés à ${formatCents(result.growth[result.growth.length - 1].averageShareCents)} avec ${formatNumber(result.growth[result.growth.length - 1].subscribers)} abonnés.`}
            series={
              hasProfile
                ? [{ name: 'Prix moyen' }, { name: 'Prix du profil simulé' }]
                : [{ name: 'Prix moyen' }]
            }
            points={result.growth.map((g) => ({
              x: g.subscribers,
              values: hasProfile ? [g.averageShareCents, g.profileShareCents] : [g.averageShareCents],
            }))}
            xLabel="Nombre d'abonnés"
            yLabel="Prix par abonné"
            formatX={formatNumber}
            formatY={formatCents}
            markX={current}
          />
        </>
      )}
    </section>
  );
}

function SimulationSection({ year, serviceId, pool }: { year: number; serviceId: string; pool: CostPool }) {
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

function EquitySection({ year }: { year: number }) {
  const equity = useEquity(year);
  const perInhabitant = (v: number | null) => (v == null ? '—' : formatPreciseCents(v));
  return (
    <section aria-labelledby="equite-titre">
      <h2 id="equite-titre">Équité {year} : coût par habitant</h2>
      <p>
        Ce que paient les adhérents par habitant, services et cotisation compris, selon leur taille et leur
        département : pour vérifier que les petites communes rurales ne paient pas plus que les autres.
      </p>
      <QueryView query={equity} loadingLabel="Calcul de l'équité…">
        {(e) => (
          <>
            <h3>Par taille de structure</h3>
            <BarChart
              title={`Coût par habitant par taille de structure en ${year}`}
              description={e.byStratum
                .map((s) => `${s.label} : ${perInhabitant(s.centsPerInhabitant)} par habitant`)
                .join(' ; ')}
              labelHeader="Taille"
              series={[{ name: 'Coût par habitant' }]}
              rows={e.byStratum.map((s) => ({
                key: String(s.upTo),
                label: s.label,
                values: [s.centsPerInhabitant ?? 0],
              }))}
              format={(v) => formatPreciseCents(v)}
              extraColumns={[
                {
                  key: 'members',
                  header: 'Adhérents',
                  numeric: true,
                  render: (r) => formatNumber(e.byStratum.find((s) => String(s.upTo) === r.key)?.members),
                },
                {
                  key: 'total',
                  header: 'Total payé',
                  numeric: true,
                  render: (r) => formatCents(e.byStratum.find((s) => String(s.upTo) === r.key)?.totalCents),
                },
              ]}
            />
            <h3>Par département</h3>
            <BarChart
              title={`Coût par habitant par département en ${year}`}
              description={e.byDepartement
                .map((d) => `${d.name} : ${perInhabitant(d.centsPerInhabitant)} par habitant`)
                .join(' ; ')}
              labelHeader="Département"
              series={[{ name: 'Coût par habitant' }]}
              rows={e.byDepartement.map((d) => ({
                key: d.code,
                label: `${d.code} — ${d.name}`,
                values: [d.centsPerInhabitant ?? 0],
              }))}
              format={(v) => formatPreciseCents(v)}
              extraColumns={[
                {
                  key: 'members',
                  header: 'Adhérents',
                  numeric: true,
                  render: (r) => formatNumber(e.byDepartement.find((d) => d.code === r.key)?.members),
                },
                {
                  key: 'total',
                  header: 'Total payé',
                  numeric: true,
                  render: (r) => formatCents(e.byDepartement.find((d) => d.code === r.key)?.totalCents),
                },
              ]}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}

export function OperatorPricingPage() {
  const search = useSearch({ from: '/operateur/tarification' });
  const navigate = useNavigate();
  const year = yearOf(search.annee);
  const services = useServices();
  const pools = usePools(year);
  const selected = services.data?.items.find((s) => s.id === search.service);
  const pool = pools.data?.items.find((p) => p.serviceId === search.service);
  return (
    <>
      <PageTitle title={`Tarification ${year}`} />
      <YearSelect
        year={year}
        onChange={(y) => navigate({ to: '/operateur/tarification', search: { ...search, annee: String(y) } })}
      />
      <MembershipFeeSection year={year} />
      <section aria-labelledby="services-titre">
        <h2 id="services-titre">Services : montants à répartir et règles</h2>
        <QueryView query={services} loadingLabel="Chargement des services…">
          {(list) =>
            list.items.length === 0 ? (
              <EmptyState>Aucun service au catalogue.</EmptyState>
            ) : (
              <Table
                caption={`Montant à répartir et règle de chaque service en ${year}`}
                rows={list.items}
                rowKey={(s) => s.id}
                columns={[
                  {
                    key: 'name',
                    header: 'Service',
                    rowHeader: true,
                    render: (s) => (
                      <Link
                        to="/operateur/tarification"
                        search={{ annee: String(year), service: s.id }}
                        aria-current={s.id === search.service ? 'true' : undefined}
                      >
                        {s.name}
                      </Link>
                    ),
                  },
                  {
                    key: 'pool',
                    header: 'Montant à répartir',
                    numeric: true,
                    render: (s) =>
                      formatCents(pools.data?.items.find((p) => p.serviceId === s.id)?.poolCents),
                  },
                  {
                    key: 'rule',
                    header: 'Règle',
                    render: (s) =>
                      pools.data?.items.find((p) => p.serviceId === s.id)?.ruleText ?? 'Non définie',
                  },
                ]}
              />
            )
          }
        </QueryView>
      </section>
      {selected && (
        <section aria-labelledby="service-titre">
          <h2 id="service-titre">
            {selected.name} — {year}
          </h2>
          {pools.isPending ? (
            <Loading />
          ) : (
            <>
              <PoolForm
                key={`${selected.id}-${year}-${pools.data ? 'ok' : ''}`}
                year={year}
                serviceId={selected.id}
                pool={pool}
                unitLabel={selected.unitLabel}
              />
              {pool ? (
                <>
                  <ExplainSection
                    key={`explain-${selected.id}-${year}`}
                    year={year}
                    serviceId={selected.id}
                  />
                  <SimulationSection
                    key={`sim-${selected.id}-${year}-${pool.updatedAt}`}
                    year={year}
                    serviceId={selected.id}
                    pool={pool}
                  />
                </>
              ) : (
                <p>Enregistrez d'abord le montant et la règle pour expliquer et simuler.</p>
              )}
            </>
          )}
        </section>
      )}
      <EquitySection year={year} />
    </>
  );
}
