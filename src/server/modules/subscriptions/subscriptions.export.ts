import { MEMBER_KIND_LABELS } from '../../../contracts/members.js';
import { SUBSCRIPTION_STATUS_LABELS } from '../../../contracts/subscriptions.js';
import type { Column, Sheet } from '../../platform/export/spreadsheet.js';
import type { subscriberExport } from './subscriptions.service.js';

type Export = Awaited<ReturnType<typeof subscriberExport>>;
type ExportRow = Export['rows'][number];

/** French column names, in order, and how each is read from a row; the units column only if the service counts some. */
export function subscribersSheet(unitLabel: string | null): Sheet<ExportRow> {
  const columns: Column<ExportRow>[] = [
    { header: 'Structure', width: 40, value: (r) => r.memberName },
    { header: 'Type', width: 24, value: (r) => MEMBER_KIND_LABELS[r.kind] ?? r.kind },
    { header: 'SIREN', width: 12, value: (r) => r.siren },
    { header: 'SIRET', width: 16, value: (r) => r.siret },
    { header: 'Département', width: 8, value: (r) => r.departementCode },
    { header: 'Population', width: 12, value: (r) => r.population },
    { header: 'Statut', width: 22, value: (r) => SUBSCRIPTION_STATUS_LABELS[r.status] ?? r.status },
    { header: 'Demandée le', width: 12, value: (r) => r.requestedOn },
    { header: 'Début', width: 12, value: (r) => r.startDate },
    { header: 'Fin', width: 12, value: (r) => r.endDate },
  ];
  if (unitLabel) columns.push({ header: `Nombre de ${unitLabel}`, width: 14, value: (r) => r.units });
  columns.push(
    { header: 'Identifiant structure', width: 38, value: (r) => r.memberId },
    { header: 'Identifiant souscription', width: 38, value: (r) => r.subscriptionId },
  );
  return { name: 'Souscripteurs', columns };
}
