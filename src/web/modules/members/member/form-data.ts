/** Form values as the API wants them: empty strings become null, untouched keys are dropped. */
export function valuesOf(data: FormData, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    if (!data.has(key)) continue;
    const value = String(data.get(key) ?? '').trim();
    out[key] = value === '' ? null : value;
  }
  return out;
}

/** Appends the text fields before the file: the server reads them in any order, proxies may not. */
export function uploadForm(fields: Record<string, string | null | undefined>, file: File): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value) form.append(key, value);
  form.append('file', file);
  return form;
}

export function isPdfName(file: File) {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
}
