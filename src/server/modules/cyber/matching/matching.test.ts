import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetKeys, matchKey, parseCpe } from './cpe.js';
import { readCsaf } from './csaf.js';
import { csafErrors } from './csaf-validation.js';
import { firstMatch, matches, prepareProduct } from './match.js';
import { compareGeneric, parseVers, versContains } from './versions.js';

const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

describe('vers ranges', () => {
  const inRange = (range: string, version: string) => versContains(parseVers(range), version);

  it('semver: bounds, pre-releases and exclusions', () => {
    const r = 'vers:semver/>=2.0.0|<2.4.1';
    expect(inRange(r, '2.0.0')).toBe(true);
    expect(inRange(r, '2.4.0')).toBe(true);
    expect(inRange(r, '2.4.1')).toBe(false);
    expect(inRange(r, '1.9.9')).toBe(false);
    expect(inRange(r, '2.4.1-rc.1')).toBe(true);
    expect(inRange('vers:semver/<1.2.3', '1.2.3-beta')).toBe(true);
    expect(inRange('vers:semver/>=1.0.0|!=1.1.0|<2.0.0', '1.1.0')).toBe(false);
    expect(inRange('vers:semver/>=1.0.0|!=1.1.0|<2.0.0', '1.1.1')).toBe(true);
    expect(inRange('vers:npm/1.2.3', '1.2.3')).toBe(true);
    expect(inRange('vers:semver/*', '9.9.9')).toBe(true);
  });

  it('semver: two disjoint intervals', () => {
    const r = 'vers:semver/>=1.0.0|<1.4.2|>=2.0.0|<2.1.5';
    expect(['1.0.0', '1.4.1', '2.0.0', '2.1.4'].map((v) => inRange(r, v))).toEqual([true, true, true, true]);
    expect(['0.9.0', '1.4.2', '1.9.9', '2.1.5', '3.0.0'].map((v) => inRange(r, v))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('generic: numbers and words, a leading v, pre-releases before releases', () => {
    expect(compareGeneric('10.2', '9.12')).toBe(1);
    expect(compareGeneric('V3.1', '3.1')).toBe(0);
    expect(compareGeneric('1.0.0-rc1', '1.0.0')).toBe(-1);
    expect(compareGeneric('1.0.0.1', '1.0.0')).toBe(1);
    expect(inRange('vers:generic/<8.00.01', '8.00.00')).toBe(true);
    expect(inRange('vers:generic/<8.00.01', '8.0.1')).toBe(false);
    expect(inRange('vers:intdot/>=10.2|<10.2.9', '10.2.8')).toBe(true);
    expect(inRange('vers:generic/>7.2', '7.10')).toBe(true);
    expect(inRange('vers:generic/>=11.1.0|<=11.1.2', '11.1.2')).toBe(true);
  });

  it('refuses what is not vers', () => {
    expect(() => parseVers('>=1.0')).toThrow(/n’est pas un intervalle vers/);
    expect(() => parseVers('vers:semver/>=1.0||<2')).toThrow(/vide/);
  });
});

describe('CPE names and keys', () => {
  it('reads 2.3 formatted strings (escapes included) and 2.2 URIs', () => {
    expect(parseCpe('cpe:2.3:a:paloaltonetworks:pan-os:10.2.3:*:*:*:*:*:*:*')).toEqual({
      part: 'a',
      vendor: 'paloaltonetworks',
      product: 'pan-os',
      version: '10.2.3',
    });
    expect(parseCpe('cpe:2.3:a:acme:tool\\:pro:*:*:*:*:*:*:*:*')?.product).toBe('tool:pro');
    expect(parseCpe('cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha')?.version).toBe('1.0.0-alpha');
    expect(parseCpe('not a cpe')).toBeNull();
  });

  it('gives names and CPE components the same keys', () => {
    expect(matchKey('Palo Alto Networks')).toBe('paloaltonetworks');
    expect(matchKey('PAN-OS')).toBe(matchKey('pan-os'));
    expect(matchKey('Logiciel « Élu »')).toBe('logicielelu');
    expect(
      assetKeys({ vendor: 'X', product: 'Y', cpe: 'cpe:2.3:a:fortinet:fortios:7.2.4:*:*:*:*:*:*:*' }),
    ).toEqual({
      vendorKey: 'fortinet',
      productKey: 'fortios',
    });
  });

  it('matches an asset by range, exact version or CPE, and never an unknown version against a versioned product', () => {
    const range = prepareProduct({
      vendor: 'Fortinet',
      product: 'FortiOS',
      version: null,
      versionRange: 'vers:generic/>=7.2.0|<7.2.5',
      cpe: null,
    });
    const asset = (version: string | null) => ({ vendorKey: 'fortinet', productKey: 'fortios', version });
    expect(matches(asset('7.2.4'), range)).toBe(true);
    expect(matches(asset('7.2.5'), range)).toBe(false);
    expect(matches(asset(null), range)).toBe(false);
    expect(matches({ ...asset('7.2.4'), vendorKey: 'othervendor' }, range)).toBe(false);
    const byCpe = prepareProduct({
      vendor: '',
      product: '',
      version: null,
      versionRange: null,
      cpe: 'cpe:2.3:o:fortinet:fortios:7.0.1:*:*:*:*:*:*:*',
    });
    expect(matches(asset('7.0.1'), byCpe)).toBe(true);
    expect(matches(asset('7.0.2'), byCpe)).toBe(false);
    expect(firstMatch(asset('7.0.1'), [range, byCpe])).toBe('cpe:2.3:o:fortinet:fortios:7.0.1:*:*:*:*:*:*:*');
  });
});

describe('CSAF 2.0 documents published by BSI, Cisco and Red Hat', () => {
  it('validates them with the Secvisogram validator, and refuses a broken one with messages', async () => {
    for (const name of ['bsi-2022-0001.json', 'cisco-sa-20180328-smi2.json', 'rhsa-2021_5217.json']) {
      expect(await csafErrors(fixture(name)), name).toEqual([]);
    }
    const broken = fixture('bsi-2022-0001.json');
    delete (broken.document as Record<string, unknown>).publisher;
    const errors = await csafErrors(broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/publisher/);
  });

  it('reads the BSI advisory: known affected versions only, with their CPE', () => {
    const advisory = readCsaf(fixture('bsi-2022-0001.json'));
    expect(advisory.reference).toBe('BSI-2022-0001');
    expect(advisory.publisher).toBe('Bundesamt für Sicherheit in der Informationstechnik');
    expect(advisory.cves).toEqual(['CVE-2022-27193']);
    expect(advisory.products.map((p) => p.version)).toEqual([
      '1.0.0-alpha',
      '1.0.0-dev1',
      '1.0.0-dev2',
      '1.0.0-dev3',
      '1.0.0-rc1',
    ]);
    const products = advisory.products.map(prepareProduct);
    const converter = (version: string) => ({
      ...assetKeys({ vendor: 'CSAF Tools', product: 'CVRF-CSAF-Converter', cpe: null }),
      version,
    });
    expect(firstMatch(converter('1.0.0-rc1'), products)).not.toBeNull();
    // 1.0.0-rc2 is the fixed version: not affected.
    expect(firstMatch(converter('1.0.0-rc2'), products)).toBeNull();
  });

  it('reads the Cisco advisory: service packs are the versions', () => {
    const advisory = readCsaf(fixture('cisco-sa-20180328-smi2.json'));
    expect(advisory.reference).toBe('cisco-sa-20180328-smi2');
    expect(advisory.severity).toBe('critical');
    const products = advisory.products.map(prepareProduct);
    expect(products.length).toBeGreaterThan(100);
    const ios = (version: string) => ({ vendorKey: 'cisco', productKey: 'ios', version });
    expect(firstMatch(ios('12.2(55)SE'), products)).not.toBeNull();
    expect(firstMatch(ios('99.9(1)ZZ'), products)).toBeNull();
  });

  it('reads the Red Hat advisory: nothing marked affected, nothing to match', () => {
    const advisory = readCsaf(fixture('rhsa-2021_5217.json'));
    expect(advisory.reference).toBe('RHSA-2021:5217');
    expect(advisory.severity).toBe('high');
    expect(advisory.products).toEqual([]);
  });
});

describe('CSAF product trees with version ranges and relationships', () => {
  const doc = {
    document: { tracking: { id: 'TEST-1', initial_release_date: '2026-01-15T10:00:00Z' }, title: 'Test' },
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: 'Fortinet',
          branches: [
            {
              category: 'product_name',
              name: 'FortiOS',
              branches: [
                {
                  category: 'product_version_range',
                  name: 'vers:generic/>=7.2.0|<7.2.5',
                  product: { product_id: 'P1', name: 'FortiOS 7.2' },
                },
                {
                  category: 'product_version',
                  name: '7.2.5',
                  product: { product_id: 'P2', name: 'FortiOS 7.2.5' },
                },
              ],
            },
          ],
        },
      ],
      full_product_names: [
        {
          product_id: 'P3',
          name: 'Zimbra 9',
          product_identification_helper: { cpe: 'cpe:2.3:a:zimbra:collaboration:9.0.0:*:*:*:*:*:*:*' },
        },
      ],
      relationships: [
        {
          category: 'installed_on',
          product_reference: 'P3',
          relates_to_product_reference: 'P1',
          full_product_name: { product_id: 'P4', name: 'Zimbra on FortiOS' },
        },
      ],
    },
    vulnerabilities: [
      {
        cve: 'CVE-2026-0001',
        product_status: { known_affected: ['P1', 'P4'], fixed: ['P2'] },
        scores: [{ cvss_v3: { baseScore: 9.8 } }],
      },
    ],
  };

  it('keeps the affected range, resolves a relationship to its product, leaves the fixed version out', () => {
    const advisory = readCsaf(doc);
    expect(advisory).toMatchObject({ reference: 'TEST-1', severity: 'critical', cves: ['CVE-2026-0001'] });
    expect(advisory.products).toEqual([
      {
        vendor: 'Fortinet',
        product: 'FortiOS',
        version: null,
        versionRange: 'vers:generic/>=7.2.0|<7.2.5',
        cpe: null,
      },
      {
        vendor: 'zimbra',
        product: 'collaboration',
        version: '9.0.0',
        versionRange: null,
        cpe: 'cpe:2.3:a:zimbra:collaboration:9.0.0:*:*:*:*:*:*:*',
      },
    ]);
    const products = advisory.products.map(prepareProduct);
    expect(
      firstMatch({ vendorKey: 'fortinet', productKey: 'fortios', version: '7.2.4' }, products),
    ).not.toBeNull();
    expect(
      firstMatch({ vendorKey: 'fortinet', productKey: 'fortios', version: '7.2.5' }, products),
    ).toBeNull();
    expect(
      firstMatch({ vendorKey: 'zimbra', productKey: 'collaboration', version: '9.0.0' }, products),
    ).not.toBeNull();
  });
});
