import { formatNumber, QueryView } from '../../../ui/index.js';
import { useEquity } from '../api.js';
import { BarChart } from '../charts.js';
import { formatCents, formatPreciseCents } from '../money.js';

export function EquitySection({ year }: { year: number }) {
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
