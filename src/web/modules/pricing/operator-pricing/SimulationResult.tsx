import type { Simulation } from '../../../../contracts/pricing.js';
import { formatNumber, Table } from '../../../ui/index.js';
import { LineChart } from '../charts.js';
import { formatCents } from '../money.js';

export function SimulationResult({ result }: { result: Simulation }) {
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
