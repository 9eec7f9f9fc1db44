import {
  type AlonePrice,
  SERVICE_DOMAIN_LABELS,
  SERVICE_STATUS_LABELS,
  type ServiceDomain,
  type ServiceStatus,
} from '../../../contracts/catalogue.js';
import { MEMBER_KIND_LABELS, type MemberKind } from '../../../contracts/members.js';
import { Badge, type BadgeTone, formatNumber, Table } from '../../ui/index.js';
import { formatCents } from '../pricing/money.js';

const STATUS_TONES: Record<ServiceStatus, BadgeTone> = {
  proposed: 'new',
  open: 'success',
  closed: 'warning',
  retired: 'error',
};

export function ServiceStatusBadge({ status }: { status: ServiceStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{SERVICE_STATUS_LABELS[status]}</Badge>;
}

export const domainLabel = (domain: string) => SERVICE_DOMAIN_LABELS[domain as ServiceDomain] ?? domain;

export const kindsText = (kinds: readonly MemberKind[]) =>
  kinds.length === 0 ? 'aucune structure' : kinds.map((k) => MEMBER_KIND_LABELS[k] ?? k).join(', ');

/** "jusqu'à 500 habitants", "de 501 à 2 000 habitants", "plus de 10 000 habitants". */
export function strataLabels(prices: readonly AlonePrice[]): string[] {
  return prices.map((p, i) => {
    const previous = i > 0 ? prices[i - 1].upToPopulation : null;
    if (p.upToPopulation === null) {
      return previous === null ? 'toutes tailles' : `plus de ${formatNumber(previous)} habitants`;
    }
    return previous === null
      ? `jusqu'à ${formatNumber(p.upToPopulation)} habitants`
      : `de ${formatNumber(previous + 1)} à ${formatNumber(p.upToPopulation)} habitants`;
  });
}

export function AlonePricesTable({ prices, caption }: { prices: AlonePrice[]; caption: string }) {
  const labels = strataLabels(prices);
  const rows = prices.map((p, i) => ({ ...p, label: labels[i] }));
  return (
    <Table
      caption={caption}
      rows={rows}
      rowKey={(r) => String(r.upToPopulation)}
      columns={[
        { key: 'stratum', header: 'Taille de la structure', rowHeader: true, render: (r) => r.label },
        {
          key: 'alone',
          header: 'Prix annuel seul sur le marché',
          numeric: true,
          render: (r) => formatCents(r.aloneCents),
        },
      ]}
    />
  );
}
