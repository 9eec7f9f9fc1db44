import { MEMBER_KIND_LABELS } from '../../../../contracts/members.js';
import type { DashboardMember } from '../../../../contracts/rgpd-cases.js';
import type { Column, Sheet } from '../../../platform/export/spreadsheet.js';

/** French column names, in order, and how each is read from a dashboard row. */
const COLUMNS: Column<DashboardMember>[] = [
  { header: 'Structure', width: 40, value: (r) => r.name },
  { header: 'Type', width: 24, value: (r) => MEMBER_KIND_LABELS[r.kind] },
  { header: 'Département', width: 12, value: (r) => r.departementCode },
  { header: 'Traitements', width: 12, value: (r) => r.processings },
  { header: 'Complétude du registre (%)', width: 14, value: (r) => r.completion },
  { header: 'Revues à faire', width: 12, value: (r) => r.reviewDue },
  { header: 'AIPD requises non faites', width: 14, value: (r) => r.dpiaToDo },
  { header: 'Demandes en cours', width: 12, value: (r) => r.openRequests },
  { header: 'Demandes en retard', width: 12, value: (r) => r.overdueRequests },
  { header: 'Prochaine échéance', width: 14, value: (r) => r.nextDueOn },
  { header: 'Violations à notifier (72 h)', width: 14, value: (r) => r.breachesInWindow },
  { header: 'Référent RGPD', width: 10, value: (r) => (r.hasReferent ? 'oui' : 'non') },
  { header: 'Identifiant Socle', width: 38, value: (r) => r.memberId },
];

export const DASHBOARD_SHEET: Sheet<DashboardMember> = { name: 'Tableau de bord RGPD', columns: COLUMNS };
