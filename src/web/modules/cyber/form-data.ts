/**
 * The cyber forms' values read from the browser's FormData into the API's bodies, checked with the
 * contracts' own schemas so that a mistake is named in French before anything is sent.
 */

import type { z } from 'zod';
import {
  type CyberSettings,
  cyberSettingsSchema,
  type IncidentInput,
  type IncidentPatch,
  type InventoryItemInput,
  incidentInputSchema,
  incidentPatchSchema,
  inventoryItemInputSchema,
  type ManualAdvisoryInput,
  manualAdvisoryInputSchema,
  type RemediationPatch,
  remediationPatchSchema,
  SEVERITIES,
  type ServiceSoftwareInput,
  serviceSoftwarePutSchema,
} from '../../../contracts/cyber.js';
import { fieldErrorsOf } from '../../../contracts/validation.js';
import { fromParisLocalInput } from '../rgpd/format.js';

export type Read<T> =
  | { body: T; errors: Record<string, string> }
  | { body: null; errors: Record<string, string> };

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();
const orNull = (value: string) => (value === '' ? null : value);

function checked<T>(schema: z.ZodType<T>, raw: unknown, errors: Record<string, string>): Read<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrorsOf(parsed.error))) {
      const field = key.split('.')[0] ?? key;
      if (!errors[field]) errors[field] = message;
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data, errors }
    : { body: null, errors };
}

/** A remediation's new state; a reason is required when the risk is accepted. */
export function readRemediationForm(data: FormData): Read<RemediationPatch> {
  const raw = { state: text(data, 'state'), reason: orNull(text(data, 'reason')) };
  return checked(remediationPatchSchema, raw, {});
}

/** An inventory line: quantity only for workstations (1 for everything else), empty texts as null. */
export function readInventoryForm(data: FormData): Read<InventoryItemInput> {
  const kind = text(data, 'kind');
  const quantityText = text(data, 'quantity');
  const errors: Record<string, string> = {};
  let quantity = 1;
  if (kind === 'workstation') {
    if (!/^\d+$/.test(quantityText)) errors.quantity = 'Indiquez le nombre de postes (nombre entier)';
    else quantity = Number(quantityText);
  }
  const raw = {
    kind,
    name: text(data, 'name'),
    quantity,
    vendor: orNull(text(data, 'vendor')),
    product: orNull(text(data, 'product')),
    version: orNull(text(data, 'version')),
    cpe: orNull(text(data, 'cpe')),
    runner: text(data, 'runner') || 'member',
    exposure: text(data, 'exposure') || 'unknown',
    notes: orNull(text(data, 'notes')),
  };
  if (kind === 'software' && !raw.product) errors.product = 'Indiquez le produit du logiciel';
  return checked(inventoryItemInputSchema, raw, errors);
}

/** « messagerie, état civil ; site » → ['messagerie', 'état civil', 'site']. */
export function splitServices(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The declaration of an incident: `detectedAt` typed as Paris wall time. */
export function readIncidentForm(data: FormData): Read<IncidentInput> {
  const errors: Record<string, string> = {};
  const detectedText = text(data, 'detectedAt');
  const detectedAt = detectedText ? fromParisLocalInput(detectedText) : null;
  if (!detectedAt) errors.detectedAt = 'Indiquez la date et l’heure de détection';
  else if (new Date(detectedAt).getTime() > Date.now() + 5 * 60_000)
    errors.detectedAt = 'La détection ne peut pas être dans le futur';
  const personal = text(data, 'personalData');
  if (personal !== 'yes' && personal !== 'no')
    errors.personalData = 'Indiquez si des données personnelles sont touchées';
  if (!text(data, 'category')) errors.category = 'Choisissez la catégorie de l’incident';
  const raw = {
    category: text(data, 'category'),
    detectedAt: detectedAt ?? '',
    personalData: personal === 'yes',
    title: text(data, 'title') || undefined,
    description: orNull(text(data, 'description')),
    servicesAffected: splitServices(text(data, 'servicesAffected')),
  };
  return checked(incidentInputSchema, raw, errors);
}

/** The dates of an incident's steps (sent to the regulator, complaint, insurer), Paris wall time. */
export const INCIDENT_DATE_FIELDS = [
  'earlyWarningSentAt',
  'notificationSentAt',
  'finalReportSentAt',
  'policeComplaintAt',
  'insurerDeclaredAt',
] as const;

export function readIncidentDatesForm(data: FormData): Read<IncidentPatch> {
  const errors: Record<string, string> = {};
  const raw: Record<string, unknown> = { status: text(data, 'status') || undefined };
  for (const field of INCIDENT_DATE_FIELDS) {
    if (!data.has(field)) continue;
    const value = text(data, field);
    if (value === '') {
      raw[field] = null;
      continue;
    }
    const instant = fromParisLocalInput(value);
    if (!instant) errors[field] = 'Date et heure attendues (jj/mm/aaaa hh:mm)';
    else if (new Date(instant).getTime() > Date.now() + 5 * 60_000)
      errors[field] = 'Cette date ne peut pas être dans le futur';
    else raw[field] = instant;
  }
  return checked(incidentPatchSchema, raw, errors);
}

/** The days to remediate per severity, one whole number per field (`remediationDays.critical`…). */
export function readSettingsForm(data: FormData): Read<CyberSettings> {
  const errors: Record<string, string> = {};
  const days: Record<string, number> = {};
  for (const severity of SEVERITIES) {
    const value = text(data, `remediationDays.${severity}`);
    if (!/^\d+$/.test(value))
      errors[`remediationDays.${severity}`] = 'Nombre de jours attendu (nombre entier)';
    else days[severity] = Number(value);
  }
  const parsed = cyberSettingsSchema.safeParse({ remediationDays: days });
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrorsOf(parsed.error)))
      if (!errors[key]) errors[key] = message;
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data, errors }
    : { body: null, errors };
}

/**
 * The software of a service, one row per index (`items.0.vendor`…); a row left entirely empty is
 * dropped, errors keep the row's path (`items.1.version`) so the summary links to the field.
 */
export function readServiceSoftwareForm(data: FormData, rows: number): Read<ServiceSoftwareInput[]> {
  const FIELDS = ['name', 'vendor', 'product', 'version', 'cpe'] as const;
  const items: Record<string, unknown>[] = [];
  const paths: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Object.fromEntries(FIELDS.map((f) => [f, text(data, `items.${i}.${f}`)]));
    if (FIELDS.every((f) => row[f] === '')) continue;
    items.push({
      ...row,
      cpe: orNull(row.cpe ?? ''),
      exposure: text(data, `items.${i}.exposure`) || 'internet',
    });
    paths.push(i);
  }
  const errors: Record<string, string> = {};
  const parsed = serviceSoftwarePutSchema.safeParse({ items });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [, index, field] = issue.path.map(String);
      const key = index === undefined ? 'items' : `items.${paths[Number(index)] ?? index}.${field ?? 'name'}`;
      if (!errors[key]) errors[key] = issue.message;
    }
  }
  return parsed.success ? { body: parsed.data.items, errors } : { body: null, errors };
}

/**
 * An advisory written by hand: CVE identifiers separated by commas or spaces (upper-cased), products
 * one per row (`products.0.vendor`…, empty rows dropped); errors keep the row's path.
 */
export function readManualAdvisoryForm(data: FormData, rows: number): Read<ManualAdvisoryInput> {
  const FIELDS = ['vendor', 'product', 'version', 'versionRange', 'cpe'] as const;
  const products: Record<string, string | null>[] = [];
  const paths: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Object.fromEntries(FIELDS.map((f) => [f, text(data, `products.${i}.${f}`)]));
    if (FIELDS.every((f) => row[f] === '')) continue;
    products.push({
      vendor: row.vendor ?? '',
      product: row.product ?? '',
      version: orNull(row.version ?? ''),
      versionRange: orNull(row.versionRange ?? ''),
      cpe: orNull(row.cpe ?? ''),
    });
    paths.push(i);
  }
  const raw = {
    title: text(data, 'title'),
    reference: text(data, 'reference'),
    severity: text(data, 'severity'),
    summary: orNull(text(data, 'summary')),
    cves: text(data, 'cves')
      .split(/[\s,;]+/)
      .filter((c) => c !== '')
      .map((c) => c.toUpperCase()),
    url: orNull(text(data, 'url')),
    products,
  };
  const errors: Record<string, string> = {};
  const parsed = manualAdvisoryInputSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, field] = issue.path.map(String);
      const key =
        head === 'products' && index !== undefined
          ? `products.${paths[Number(index)] ?? index}.${field ?? 'product'}`
          : head === 'products'
            ? 'products.0.vendor'
            : (head ?? 'title');
      if (!errors[key]) errors[key] = issue.message;
    }
  }
  return parsed.success ? { body: parsed.data, errors } : { body: null, errors };
}
