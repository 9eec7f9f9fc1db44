import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvFileError, detectDelimiter, parseCsv } from './reader.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('reading a CSV file as spreadsheets export it', () => {
  it('detects the separator from the header line, ignoring separators inside quotes', () => {
    expect(detectDelimiter('type;nom;siren\n1,2,3,4,5')).toBe(';');
    expect(detectDelimiter('type,nom,siren\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('"a;b;c;d",nom,siren\n')).toBe(',');
    expect(detectDelimiter('type\tnom\tsiren')).toBe('\t');
    expect(detectDelimiter('type')).toBe(';');
  });

  it('reads ; and , files alike', () => {
    const semicolon = parseCsv(utf8('type;nom\r\nCCAS;CCAS de Nantes\r\n'));
    const comma = parseCsv(utf8('type,nom\nCCAS,CCAS de Nantes\n'));
    for (const parsed of [semicolon, comma]) {
      expect(parsed.headers).toEqual(['type', 'nom']);
      expect(parsed.rows).toEqual([{ line: 2, cells: ['CCAS', 'CCAS de Nantes'] }]);
    }
    expect(semicolon.delimiter).toBe(';');
    expect(comma.delimiter).toBe(',');
  });

  it('drops a UTF-8 byte order mark so that the first header reads as written', () => {
    const parsed = parseCsv(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('type;siren\nCommune;1\n')]),
    );
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.headers[0]).toBe('type');
  });

  it('reads Windows-1252 when the bytes are not UTF-8: "Saint-Étienne" round trip', () => {
    const bytes = iconv.encode('nom;ville\r\nCCAS de Saint-Étienne;Saint-Étienne\r\n', 'win1252');
    expect(bytes.includes(0xc9)).toBe(true);
    const parsed = parseCsv(bytes);
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.rows[0].cells).toEqual(['CCAS de Saint-Étienne', 'Saint-Étienne']);
  });

  it('skips blank rows but keeps the numbers of the following ones', () => {
    const parsed = parseCsv(utf8('type;nom\n\nCCAS;A\n;\nSPL;B\n'));
    expect(parsed.rows.map((r) => [r.line, r.cells[1]])).toEqual([
      [3, 'A'],
      [5, 'B'],
    ]);
  });

  it("follows Excel's sep= hint line", () => {
    const parsed = parseCsv(utf8('sep=,\ntype,nom;x\nCCAS,A;B\n'));
    expect(parsed.delimiter).toBe(',');
    expect(parsed.headers).toEqual(['type', 'nom;x']);
  });

  it('refuses files that cannot be read, saying why', () => {
    expect(() => parseCsv(utf8(''))).toThrow(/vide/);
    expect(() => parseCsv(utf8('type;nom\nCCAS;"pas fermé\n'))).toThrow(CsvFileError);
    expect(() => parseCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toThrow(/classeur/);
    expect(() => parseCsv(Buffer.from([0xff, 0xfe, 0x74, 0]))).toThrow(/UTF-16/);
    expect(() => parseCsv(Buffer.from([0x74, 0, 0x79]))).toThrow(/pas un fichier texte/);
  });

  it('names the line where an unclosed quote starts', () => {
    const thrown = (() => {
      try {
        parseCsv(utf8('type;nom\nCCAS;A\nSPL;"pas fermé\nSPL;B\n'));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(CsvFileError);
    expect(thrown).toMatchObject({ line: 3, message: expect.stringMatching(/Guillemet ouvrant/) });
  });
});
