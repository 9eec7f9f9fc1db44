import type { ProcessingInput, TemplateFields } from '../../../../contracts/rgpd.js';

/** What the editor holds: a template's fields, plus the member's own part for a processing. */
export type EditorValue = TemplateFields & Partial<Omit<ProcessingInput, keyof TemplateFields>>;
export type Update = (patch: Partial<EditorValue>) => void;

export const digits = (value: string) => value.replace(/\D/g, '');

/** Blank lines of the textareas and rows left empty are dropped before sending. */
export function cleanValue<T extends EditorValue>(value: T): T {
  return {
    ...value,
    dataCategories: value.dataCategories.map((c) => c.trim()).filter(Boolean),
    dataSubjects: value.dataSubjects.filter((s) => s.category.trim() || s.estimatedCount != null),
    recipients: value.recipients.filter((r) => r.name.trim()),
    transfers: value.transfers.filter((t) => t.country.trim() || t.safeguard.trim()),
    retention: value.retention.filter((r) => r.dataCategory.trim() || r.duration.trim()),
    sensitiveException: value.sensitiveData ? value.sensitiveException : null,
  };
}

export const nullIfEmpty = (v: string) => (v.trim() === '' ? null : v);

/** What a section of the editor receives: the value, the change callback, read-only or not. */
export interface SectionProps {
  v: EditorValue;
  set: Update;
  ro?: boolean;
}
