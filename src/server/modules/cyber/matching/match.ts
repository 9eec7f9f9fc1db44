import type { AdvisoryProduct } from '../../../../contracts/cyber.js';
import { matchKey, parseCpe, sameVendor } from './cpe.js';
import { parseVers, sameVersion, type VersRange, versContains } from './versions.js';

/** An advisory product ready to be compared with many assets (keys and range parsed once). */
export interface PreparedProduct {
  productKeys: string[];
  vendorKeys: string[];
  version: string | null;
  range: VersRange | null;
  /** What the remediation shows as « matched on ». */
  label: string;
}

export function prepareProduct(product: AdvisoryProduct): PreparedProduct {
  const cpe = product.cpe ? parseCpe(product.cpe) : null;
  const productKeys = [matchKey(product.product), matchKey(cpe?.product)].filter(
    (k): k is string => k !== null,
  );
  const vendorKeys = [matchKey(product.vendor), matchKey(cpe?.vendor)].filter((k): k is string => k !== null);
  const version = product.version ?? cpe?.version ?? null;
  const range = product.versionRange ? parseVers(product.versionRange) : null;
  const what = `${product.vendor} ${product.product}`.trim();
  const label = range
    ? `${what} ${product.versionRange}`
    : product.cpe
      ? product.cpe
      : version
        ? `${what} ${version}`
        : `${what} (toutes versions)`;
  return {
    productKeys: [...new Set(productKeys)],
    vendorKeys: [...new Set(vendorKeys)],
    version,
    range,
    label,
  };
}

export interface MatchableAsset {
  vendorKey: string | null;
  productKey: string | null;
  version: string | null;
}

/**
 * Whether an asset is affected by a product: same product key, compatible vendor, and a version in
 * the range (or equal to the exact version). An asset whose version is unknown is not matched
 * against a versioned product (only the members whose version is affected are told); a product
 * with no version at all concerns every version.
 */
export function matches(asset: MatchableAsset, product: PreparedProduct): boolean {
  if (!asset.productKey || !product.productKeys.includes(asset.productKey)) return false;
  if (asset.vendorKey && product.vendorKeys.length > 0) {
    if (!product.vendorKeys.some((v) => sameVendor(v, asset.vendorKey))) return false;
  }
  if (product.range) return asset.version !== null && versContains(product.range, asset.version);
  if (product.version)
    return asset.version !== null && sameVersion('generic', asset.version, product.version);
  return true;
}

/** The first product an asset matches (its label), or null. */
export function firstMatch(asset: MatchableAsset, products: PreparedProduct[]): string | null {
  for (const product of products) if (matches(asset, product)) return product.label;
  return null;
}
