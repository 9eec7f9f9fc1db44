import {
  EPCI_TYPE_LABELS,
  MEMBER_KIND_LABELS,
  MEMBERSHIP_STATUS_LABELS,
} from '../../../contracts/members.js';
import { today } from '../../platform/clock.js';
import type { Column, Sheet } from '../../platform/export/spreadsheet.js';
import type { exportRows } from './members.service.js';

type ExportRow = Awaited<ReturnType<typeof exportRows>>[number];

/** French column names, in order, and how each is read from a row. */
const COLUMNS: Column<ExportRow>[] = [
  { header: 'Nom', width: 40, value: (r) => r.name },
  { header: 'Type', width: 24, value: (r) => MEMBER_KIND_LABELS[r.kind] },
  {
    header: "Type d'EPCI",
    width: 26,
    value: (r) => (r.epciType ? (EPCI_TYPE_LABELS[r.epciType] ?? r.epciType) : null),
  },
  { header: 'SIREN', width: 12, value: (r) => r.siren },
  { header: 'SIRET', width: 16, value: (r) => r.siret },
  { header: 'Code INSEE', width: 11, value: (r) => r.communeCode },
  { header: 'Code EPCI', width: 12, value: (r) => r.epciCode },
  { header: 'EPCI', width: 36, value: (r) => r.epciName },
  { header: 'Département', width: 8, value: (r) => r.departementCode },
  { header: 'Nom du département', width: 20, value: (r) => r.departementName },
  {
    header: 'Statut',
    width: 28,
    value: (r) => MEMBERSHIP_STATUS_LABELS[r.status],
  },
  { header: 'Date du statut', width: 14, value: (r) => today(r.statusChangedAt) },
  { header: 'Population', width: 12, value: (r) => (r.population === null ? null : Number(r.population)) },
  { header: 'Adresse', width: 36, value: (r) => r.address },
  { header: 'Code postal', width: 11, value: (r) => r.postalCode },
  { header: 'Ville', width: 24, value: (r) => r.city },
  { header: 'Identifiant Socle', width: 38, value: (r) => r.id },
];

export const MEMBERS_SHEET: Sheet<ExportRow> = { name: 'Adhérents', columns: COLUMNS };
