import { describe, expect, it } from 'vitest';
import { readCsaf } from './csaf-input.js';

describe('the CSAF document read in the browser', () => {
  it('gives the parsed document, whatever BOM or spaces surround it', () => {
    const read = readCsaf('\uFEFF  {"document": {"csaf_version": "2.0", "title": "Avis"}}\n');
    expect(read.error).toBeUndefined();
    expect(read.document).toEqual({ document: { csaf_version: '2.0', title: 'Avis' } });
  });

  it('asks for a document when there is none', () => {
    expect(readCsaf('   ').error).toBe('Choisissez un fichier ou collez le document CSAF.');
  });

  it('says where the JSON is broken when the engine says so', () => {
    const { error } = readCsaf('{\n  "document": {\n    "csaf_version": "2.0",,\n  }\n}');
    expect(error).toMatch(/^Le document n’est pas un JSON valide/);
    // V8 gives the offset: the second comma of the third line.
    expect(error).toContain('(ligne 3, colonne 27)');
  });

  it('refuses JSON that is not a CSAF document', () => {
    expect(readCsaf('[1, 2]').error).toMatch(/objet JSON CSAF/);
    expect(readCsaf('{"vulnerabilities": []}').error).toMatch(/document\.csaf_version/);
  });
});
