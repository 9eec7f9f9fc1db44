/**
 * CPE names (NIST IR 7695): the 2.3 formatted string `cpe:2.3:a:vendor:product:version:…` and the
 * 2.2 URI `cpe:/a:vendor:product:version`, both allowed in CSAF. Pure.
 */
export interface CpeName {
  part: string;
  vendor: string;
  product: string;
  /** null for ANY (`*`, or absent in a URI) and NA (`-`). */
  version: string | null;
}

/** Splits on `:` not escaped by a backslash. */
function splitFormatted(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i++;
    } else if (ch === ':') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

const anyValue = (v: string | undefined): string | null => (!v || v === '*' || v === '-' ? null : v);

export function parseCpe(text: string): CpeName | null {
  const value = text.trim();
  if (value.startsWith('cpe:2.3:')) {
    const parts = splitFormatted(value);
    if (parts.length < 6) return null;
    const [, , part, vendor, product, version] = parts;
    if (!part || !vendor || !product) return null;
    return { part, vendor, product, version: anyValue(version) };
  }
  if (value.startsWith('cpe:/')) {
    const parts = value
      .slice(5)
      .split(':')
      .map((p) => decodeURIComponent(p));
    const [part, vendor, product, version] = parts;
    if (!part || !vendor || !product) return null;
    return { part, vendor, product, version: anyValue(version) };
  }
  return null;
}

/**
 * The key names are matched by: lower-case letters and digits only, accents removed. « Palo Alto
 * Networks » and the CPE vendor `paloaltonetworks` give the same key, « PAN-OS » and `pan-os` too.
 */
export function matchKey(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return key === '' ? null : key;
}

/** Vendors match when equal, or when one key contains the other (« microsoft » / « microsoftcorporation »). */
export function sameVendor(a: string | null, b: string | null): boolean {
  if (!a || !b) return true;
  return a === b || a.includes(b) || b.includes(a);
}

/** An asset's matching keys: from its CPE name when it has one, else from vendor and product. */
export function assetKeys(asset: { vendor: string | null; product: string | null; cpe: string | null }): {
  vendorKey: string | null;
  productKey: string | null;
} {
  const cpe = asset.cpe ? parseCpe(asset.cpe) : null;
  if (cpe) return { vendorKey: matchKey(cpe.vendor), productKey: matchKey(cpe.product) };
  return { vendorKey: matchKey(asset.vendor), productKey: matchKey(asset.product) };
}
