import { useState } from 'react';
import { Button, formatDate, TextField } from '../../../ui/index.js';
import { invoicesExportUrl } from '../api.js';

export function ExportsSection() {
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
