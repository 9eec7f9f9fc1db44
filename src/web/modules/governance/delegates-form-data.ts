/** The designation of a member's delegates read from the browser's FormData, checked with the API's schema. */
import { type DelegateDesignation, delegateDesignationSchema } from '../../../contracts/governance.js';

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();
const orNull = (value: string) => (value === '' ? null : value);

const FRENCH: Record<string, string> = {
  designationDocumentId: 'Choisissez la délibération qui désigne les délégués',
  termStart: 'Indiquez la date de début du mandat',
};

/** Rows are named `delegates.<n>.<field>`, as the server names its errors; a row left blank is skipped. */
export function readDelegatesForm(data: FormData, rowCount: number) {
  const errors: Record<string, string> = {};
  const rows = Array.from({ length: rowCount }, (_, i) => ({
    index: i,
    kind: text(data, `delegates.${i}.kind`),
    fullName: text(data, `delegates.${i}.fullName`),
    email: orNull(text(data, `delegates.${i}.email`)),
  })).filter((d) => d.fullName !== '' || d.email !== null);
  for (const row of rows)
    if (!row.fullName) errors[`delegates.${row.index}.fullName`] = 'Le nom est obligatoire';
  const delegates = rows.map(({ index: _, ...d }) => d);
  if (delegates.length === 0) errors['delegates.0.fullName'] = 'Indiquez au moins un délégué';
  const body = {
    designationDocumentId: text(data, 'designationDocumentId'),
    termStart: text(data, 'termStart'),
    termEnd: orNull(text(data, 'termEnd')),
    delegates,
  };
  if (!body.designationDocumentId) errors.designationDocumentId = FRENCH.designationDocumentId ?? '';
  const parsed = delegateDesignationSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      // Blank rows were left out: an error on the n-th delegate is named after its row in the form.
      if (key === 'delegates') continue;
      if (key.startsWith('delegates.')) {
        const [, n, field] = key.split('.');
        const name = `delegates.${rows[Number(n)]?.index ?? n}.${field}`;
        if (!errors[name]) errors[name] = issue.message;
      } else if (key && !errors[key]) {
        errors[key] = FRENCH[key] ?? issue.message;
      }
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data as DelegateDesignation, errors }
    : { body: null, errors };
}
