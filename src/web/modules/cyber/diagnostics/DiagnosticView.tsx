import { Link } from '@tanstack/react-router';
import {
  COST_LABELS,
  DIAGNOSTIC_THEME_LABELS,
  type Diagnostic,
  EFFORT_LABELS,
  IMPACT_LABELS,
} from '../../../../contracts/cyber.js';
import { euros } from '../../../../contracts/french.js';
import { Card, formatDate, formatDateTime, Table } from '../../../ui/index.js';
import { Figure, maturityName } from '../components.js';
import { changeText, scoreRows } from '../diagnostic-data.js';

/** A score as a number and a bar; the bar only repeats the number. */
function Score({ value }: { value: number }) {
  return (
    <span className="cyber-score">
      <span>{value} / 100</span>
      <span className="cyber-score__bar" aria-hidden="true">
        <span className="cyber-score__fill" style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
    </span>
  );
}

/** A diagnostic's results: overall and per theme, compared, then the prioritised action plan. */
export function DiagnosticView({
  diagnostic: d,
  catalogueLinks,
}: {
  diagnostic: Diagnostic;
  catalogueLinks: boolean;
}) {
  const rows = scoreRows(d);
  return (
    <>
      <p>
        Mené le {formatDateTime(d.createdAt)}
        {d.createdBy ? ` par ${d.createdBy}` : ''}
        {d.respondents ? `, avec ${d.respondents}` : ''}.
      </p>
      <div className="grid">
        <Card title="Score global">
          <Figure value={`${d.overallScore} / 100`} label={`Maturité : ${maturityName(d.maturity)}`} />
        </Card>
        <Card title="Diagnostic précédent">
          <Figure
            value={d.previous ? `${d.previous.overallScore} / 100` : '—'}
            label={
              d.previous
                ? `le ${formatDate(d.previous.createdAt)} (${changeText(d.overallScore - d.previous.overallScore)})`
                : 'premier diagnostic de la structure'
            }
          />
        </Card>
        <Card title="Structures comparables">
          <Figure
            value={d.peers ? `${d.peers.overallScore} / 100` : '—'}
            label={
              d.peers
                ? `médiane de ${d.peers.count} structures : ${d.peers.label}`
                : 'moins de 5 structures comparables diagnostiquées : pas de comparaison'
            }
          />
        </Card>
      </div>
      <Table
        caption="Score par thème"
        rows={rows}
        rowKey={(r) => r.theme}
        columns={[
          { key: 'theme', header: 'Thème', rowHeader: true, render: (r) => r.label },
          { key: 'score', header: 'Score', render: (r) => <Score value={r.score} /> },
          ...(d.previous
            ? [
                {
                  key: 'previous',
                  header: `Le ${formatDate(d.previous.createdAt)}`,
                  numeric: true,
                  render: (r: (typeof rows)[number]) => (r.previous === null ? '—' : `${r.previous} / 100`),
                },
                {
                  key: 'change',
                  header: 'Évolution',
                  numeric: true,
                  render: (r: (typeof rows)[number]) => changeText(r.change),
                },
              ]
            : []),
          ...(d.peers
            ? [
                {
                  key: 'peers',
                  header: 'Médiane des structures comparables',
                  numeric: true,
                  render: (r: (typeof rows)[number]) => (r.peers === null ? '—' : `${r.peers} / 100`),
                },
              ]
            : []),
        ]}
      />
      <section aria-labelledby="plan-titre">
        <h2 id="plan-titre">Plan d’action</h2>
        {d.actionPlan.length === 0 ? (
          <p>Aucune mesure à prendre : toutes les réponses sont positives.</p>
        ) : (
          <ol>
            {[...d.actionPlan]
              .sort((a, b) => a.priority - b.priority)
              .map((m) => (
                <li key={m.questionId}>
                  <h3>{m.title}</h3>
                  <p>{m.description}</p>
                  <p className="muted">
                    {DIAGNOSTIC_THEME_LABELS[m.theme]} — {EFFORT_LABELS[m.effort]},{' '}
                    {COST_LABELS[m.cost].toLowerCase()}, {IMPACT_LABELS[m.impact].toLowerCase()}.
                  </p>
                  {m.service && (
                    <p>
                      Service de l’opérateur :{' '}
                      {catalogueLinks ? (
                        <Link to="/catalogue/$serviceId" params={{ serviceId: m.service.id }}>
                          {m.service.name}
                        </Link>
                      ) : (
                        m.service.name
                      )}
                      {m.service.subscribed
                        ? ' (la structure y est abonnée).'
                        : m.service.annualCostCents !== null
                          ? ` — part de la structure : ${euros(m.service.annualCostCents)} HT par an.`
                          : ' — coût pour la structure non calculable à ce jour.'}
                    </p>
                  )}
                </li>
              ))}
          </ol>
        )}
      </section>
    </>
  );
}
