import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { patchLine, setByte } from '../../../test/helpers/gv100ad-bytes.js';
import {
  DESIGNATIONS,
  decodeRelease,
  designationLabel,
  Gv100adError,
  type ParsedRelease,
  parseGv100ad,
} from '../gv100ad.js';
import type { RegionRecord } from '../region.js';

const FIXTURES = new URL('../../../test/fixtures/gv100ad/', import.meta.url);
const bytes = (name: string): Uint8Array => readFileSync(new URL(name, FIXTURES));
const fixtureText = (name: string): string => decodeRelease(bytes(name));
const parseFixture = (name: string): ParsedRelease => parseGv100ad(fixtureText(name), name);

/** release-a.txt as an array of lines (without line ends), for building broken variants. */
const releaseALines = (): string[] => fixtureText('release-a.txt').split('\r\n').slice(0, -1);
const join = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

/** Overwrite the characters of a 220-character line from the 1-based position `from` on. */
function setAt(line: string, from: number, value: string): string {
  return line.slice(0, from - 1) + value + line.slice(from - 1 + value.length);
}

function find(records: RegionRecord[], key: string): RegionRecord {
  const r = records.find((x) => x.key === key);
  assert.ok(r, `record ${key} not found`);
  return r;
}

/** Parse and return the thrown Gv100adError (fails if nothing or something else is thrown). */
function parseError(text: string, file = 'test.txt'): Gv100adError {
  try {
    parseGv100ad(text, file);
  } catch (err) {
    assert.ok(err instanceof Gv100adError, `expected Gv100adError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a Gv100adError');
}

const BASE = {
  designationCode: null,
  seat: null,
  areaKm2: null,
  population: null,
  populationMale: null,
  populationFemale: null,
  postcode: null,
  multiplePostcodes: false,
  release: '2023-12-31',
} satisfies Partial<RegionRecord>;

describe('decodeRelease', () => {
  test('reads UTF-8 and ISO-8859-1 to the same text (apart from line ends)', () => {
    const utf8 = fixtureText('release-a.txt');
    const latin1 = fixtureText('release-a-latin1.txt');
    assert.ok(utf8.includes('Baden-Württemberg'));
    assert.ok(latin1.includes('Baden-Württemberg'));
    assert.equal(latin1, utf8.replaceAll('\r\n', '\n'));
  });

  test('strips a UTF-8 byte order mark', () => {
    const plain = bytes('release-a.txt');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    assert.equal(decodeRelease(withBom), decodeRelease(plain));
    assert.ok(decodeRelease(withBom).startsWith('10'));
  });

  test('decodes ISO-8859-1 byte for byte, including 0x80-0x9F and 0xFF', () => {
    assert.equal(decodeRelease(new Uint8Array([0x41, 0xe4, 0x80, 0xff])), 'A\u00e4\u0080\u00ff');
  });

  test('pure ASCII and multi-byte UTF-8', () => {
    assert.equal(decodeRelease(new TextEncoder().encode('Kiel')), 'Kiel');
    assert.equal(decodeRelease(new TextEncoder().encode('Chóśebuz')), 'Chóśebuz');
  });

  test('a UTF-8 file with one invalid byte stays UTF-8 (it is not re-read as ISO-8859-1)', () => {
    // line 31 (Kreis Saaleland), seat "Röda": the "ö" (C3 B6) written as the ISO-8859-1 byte F6
    const damaged = patchLine(bytes('release-a.txt'), 31, 'Röda', [0x52, 0xf6, 0x64, 0x61]);
    const text = decodeRelease(damaged);
    assert.ok(text.includes('Baden-Württemberg'), 'the valid umlauts are decoded as UTF-8');
    assert.ok(!text.includes('WÃ¼rttemberg'));
    assert.ok(text.includes('R\udcf6da'), 'the invalid byte is kept as a marker for the parser');
  });

  test('ISO-8859-1 with a byte pair that happens to be valid UTF-8 is still ISO-8859-1', () => {
    // "Ã¤" in ISO-8859-1 is C3 A4, which is also "ä" in UTF-8; the file's other umlauts are single bytes
    const latin1 = bytes('release-a-latin1.txt');
    const odd = patchLine(latin1, 9, [0x20, 0x20], [0xc3, 0xa4]);
    const text = decodeRelease(odd);
    assert.ok(text.includes('Baden-Württemberg'));
    assert.ok(text.includes('Ã¤'));
  });

  test('with a BOM, invalid bytes are marked (the file says it is UTF-8)', () => {
    assert.equal(decodeRelease(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xe4])), 'A\udce4');
  });
});

describe('parseGv100ad', () => {
  const a = parseFixture('release-a.txt');

  test('release date and counts by record type', () => {
    assert.equal(a.release, '2023-12-31');
    assert.deepEqual(a.countsByType, { '10': 2, '20': 1, '30': 1, '40': 6, '50': 10, '60': 14 });
    assert.equal(a.records.length, 34);
    assert.ok(a.records.every((r) => r.release === '2023-12-31'));
  });

  test('type 10 Land', () => {
    assert.deepEqual(find(a.records, '08'), {
      ...BASE,
      key: '08',
      level: 'land',
      ars: '08',
      parentKey: null,
      name: 'Baden-Württemberg',
      seat: 'Stuttgart',
    });
  });

  test('type 20 Regierungsbezirk and type 30 Region', () => {
    assert.deepEqual(find(a.records, '081'), {
      ...BASE,
      key: '081',
      level: 'regierungsbezirk',
      ars: '081',
      parentKey: '08',
      name: 'Reg.-Bez. Stuttgart',
      seat: 'Stuttgart',
    });
    assert.deepEqual(find(a.records, '0811'), {
      ...BASE,
      key: '0811',
      level: 'region',
      ars: '0811',
      parentKey: '081',
      name: 'Region Stuttgart',
      seat: 'Stuttgart',
    });
  });

  test('type 40 Kreis: parent is the Region if there is one, else the RB, else the Land', () => {
    assert.deepEqual(find(a.records, '08115'), {
      ...BASE,
      key: '08115',
      level: 'kreis',
      ars: '08115',
      parentKey: '0811',
      name: 'Böblingen',
      seat: 'Böblingen',
      designationCode: '44',
    });
    assert.equal(find(a.records, '08121').parentKey, '081'); // no Region 0812 in the file
    assert.equal(find(a.records, '08121').designationCode, '42');
    assert.equal(find(a.records, '16063').parentKey, '16'); // Thüringen has no RB
  });

  test('type 50 Gemeindeverband: 9-digit key, seat, Textkennzeichen', () => {
    assert.deepEqual(find(a.records, '081155101'), {
      ...BASE,
      key: '081155101',
      level: 'gemeindeverband',
      ars: '081155101',
      parentKey: '08115',
      name: 'Gäuverband Ölbronn',
      seat: 'Ölbronn',
      designationCode: '56',
    });
    assert.equal(find(a.records, '081150003').seat, null);
  });

  test('type 60 Gemeinde: AGS, ARS, figures, postcode', () => {
    assert.deepEqual(find(a.records, '08115003'), {
      ...BASE,
      key: '08115003',
      level: 'gemeinde',
      ars: '081150003003',
      parentKey: '081150003',
      name: 'Böblingen, Stadt',
      designationCode: '67',
      areaKm2: 39.03,
      population: 50741,
      populationMale: 25321,
      populationFemale: 25420,
      postcode: '71032',
      multiplePostcodes: true,
    });
    const oelbronn = find(a.records, '08115901');
    assert.equal(oelbronn.ars, '081155101901');
    assert.equal(oelbronn.parentKey, '081155101');
    assert.equal(oelbronn.multiplePostcodes, false);
    assert.equal(find(a.records, '08115902').designationCode, '60');
  });

  test('gemeindefreies Gebiet without population and postcode', () => {
    const forst = find(a.records, '16063040');
    assert.equal(forst.designationCode, '66');
    assert.equal(forst.areaKm2, 3);
    assert.equal(forst.population, 0);
    assert.equal(forst.populationFemale, 0);
    assert.equal(forst.postcode, null);
    assert.equal(forst.seat, null);
  });

  test('ISO-8859-1/LF and UTF-8/CRLF copies give identical records', () => {
    assert.deepEqual(parseFixture('release-a-latin1.txt'), a);
  });

  test('multi-byte names are sliced by characters, not bytes', () => {
    const text = fixtureText('multibyte-trimmed.txt');
    const gemeindeLine = text.split('\n')[3] ?? '';
    assert.ok(new TextEncoder().encode(gemeindeLine).length > gemeindeLine.length); // more bytes than characters
    const m = parseGv100ad(text, 'multibyte-trimmed.txt');
    assert.equal(m.release, '2024-12-31');
    const kreis = find(m.records, '12052');
    assert.equal(kreis.name, 'Cottbus/Chóśebuz, Stadt');
    assert.equal(kreis.seat, 'Cottbus/Chóśebuz');
    assert.equal(kreis.designationCode, '41');
    assert.deepEqual(find(m.records, '12052000'), {
      ...BASE,
      release: '2024-12-31',
      key: '12052000',
      level: 'gemeinde',
      ars: '120520000000',
      parentKey: '120520000',
      name: 'Cottbus/Chóśebuz, Stadt',
      designationCode: '61',
      areaKm2: 165.61,
      population: 98693,
      populationMale: 48712,
      populationFemale: 49981,
      postcode: '03044',
      multiplePostcodes: true,
    });
  });

  test('lines with trailing blanks trimmed are accepted; trailing empty lines are ignored', () => {
    const trimmed = `${releaseALines()
      .map((l) => l.trimEnd())
      .join('\n')}\n\n\r\n`;
    assert.deepEqual(parseGv100ad(trimmed, 'release-a.txt'), a);
  });

  test('a Gemeinde of a Land-level pseudo Kreis (XX000, no Kreis record) hangs below its Verband and Land', () => {
    const lines = releaseALines();
    const land = setAt(setAt(lines[0]!, 11, '13'), 23, 'Mecklenburg-Vorpommern'.padEnd(50));
    const verband = setAt(setAt(lines[4]!, 11, '13000   9999'), 23, 'Küstengewässer'.padEnd(50));
    const gemeinde = setAt(setAt(lines[5]!, 11, '130009999999'), 23, 'Küstengewässer'.padEnd(50));
    const parsed = parseGv100ad(join([land, verband, gemeinde]));
    assert.equal(find(parsed.records, '130009999').parentKey, '13');
    assert.equal(find(parsed.records, '13000999').parentKey, '130009999');
    assert.equal(find(parsed.records, '13000999').ars, '130009999999');
  });
});

describe('parseGv100ad errors', () => {
  test('bad-line.txt: line 8, area not a number', () => {
    const err = parseError(fixtureText('bad-line.txt'), 'bad-line.txt');
    assert.equal(err.file, 'bad-line.txt');
    assert.equal(err.line, 8);
    assert.equal(err.field, 'Fläche');
    assert.equal(err.reason, '"00000x01254" ist keine Zahl');
    assert.equal(err.message, 'bad-line.txt, Zeile 8, Feld Fläche: "00000x01254" ist keine Zahl');
    assert.equal(err.name, 'Gv100adError');
    assert.ok(err instanceof Error);
  });

  /** Change line `lineNo` (1-based) of release-a.txt and expect an error at `expectLine`/`field`. */
  function expectError(
    change: (lines: string[]) => string[],
    expectLine: number,
    field: string,
    reason?: RegExp,
  ): Gv100adError {
    const err = parseError(join(change(releaseALines())));
    assert.equal(err.line, expectLine, err.message);
    assert.equal(err.field, field, err.message);
    if (reason) assert.match(err.reason, reason);
    assert.equal(err.message, `test.txt, Zeile ${err.line}, Feld ${err.field}: ${err.reason}`);
    return err;
  }
  const replaceLine =
    (lineNo: number, fn: (line: string) => string) =>
    (lines: string[]): string[] =>
      lines.map((l, i) => (i === lineNo - 1 ? fn(l) : l));

  test('unknown record type', () => {
    expectError(
      replaceLine(3, (l) => setAt(l, 1, '35')),
      3,
      'Satzart',
      /"35" ist keine bekannte Satzart/,
    );
  });

  test('invalid Gebietsstand', () => {
    expectError(
      replaceLine(1, (l) => setAt(l, 3, '20231332')),
      1,
      'Gebietsstand',
      /kein gültiges Datum/,
    );
    expectError(
      replaceLine(1, (l) => setAt(l, 3, '20230230')),
      1,
      'Gebietsstand',
    );
    expectError(
      replaceLine(9, (l) => setAt(l, 3, '2023-12-')),
      9,
      'Gebietsstand',
    );
  });

  test('Gebietsstand differing from the first record', () => {
    expectError(
      replaceLine(5, (l) => setAt(l, 3, '20240101')),
      5,
      'Gebietsstand',
      /weicht vom Gebietsstand "20231231" aus Zeile 1 ab/,
    );
  });

  test('non-digit keys', () => {
    expectError(
      replaceLine(6, (l) => setAt(l, 11, '0811500A')),
      6,
      'AGS',
    );
    expectError(
      replaceLine(4, (l) => setAt(l, 11, '08 15')),
      4,
      'Regionalschlüssel',
    );
    expectError(
      replaceLine(7, (l) => setAt(l, 19, '51O1')),
      7,
      'Gemeindeverband',
    );
    expectError(
      replaceLine(8, (l) => setAt(l, 19, '    ')),
      8,
      'Gemeindeverband',
    );
  });

  test('population fields', () => {
    expectError(
      replaceLine(6, (l) => setAt(l, 140, '0000005074 ')),
      6,
      'Einwohner',
      /^"0000005074 " ist keine Zahl$/,
    );
    expectError(
      replaceLine(6, (l) => setAt(l, 151, '00000050742')),
      6,
      'Einwohner männlich',
    );
    // a Gemeinde line truncated in the figures is not "only trailing blanks missing"
    expectError(
      replaceLine(6, (l) => l.slice(0, 145)),
      6,
      'Einwohner',
    );
  });

  test('postcode and Textkennzeichen', () => {
    expectError(
      replaceLine(6, (l) => setAt(l, 166, '7103A')),
      6,
      'PLZ',
    );
    expectError(
      replaceLine(4, (l) => setAt(l, 123, 'x4')),
      4,
      'Textkennzeichen',
    );
  });

  test('line length', () => {
    expectError(
      replaceLine(4, (l) => `${l}X`),
      4,
      'Zeilenlänge',
      /221 Zeichen statt 220/,
    );
    expectError(
      replaceLine(4, (l) => `${l} `),
      4,
      'Zeilenlänge',
    );
    expectError((lines) => [...lines.slice(0, 3), '', ...lines.slice(3)], 4, 'Zeilenlänge', /leere Zeile/);
  });

  test('empty file and missing name', () => {
    const err = parseError('\r\n\r\n');
    assert.equal(err.field, 'Datei');
    assert.equal(err.line, 1);
    expectError(
      replaceLine(2, (l) => setAt(l, 23, ' '.repeat(50))),
      2,
      'Name',
    );
  });

  test('an invalid UTF-8 byte is reported at its line and field, not as an encoding problem elsewhere', () => {
    const a = bytes('release-a.txt');
    // seat of Kreis Saaleland (line 31): "ö" written as the ISO-8859-1 byte F6
    const seat = parseError(decodeRelease(patchLine(a, 31, 'Röda', [0x52, 0xf6, 0x64, 0x61])), 'release-a.txt');
    assert.equal(seat.line, 31);
    assert.equal(seat.field, 'Verwaltungssitz');
    assert.match(seat.reason, /^ungültiges UTF-8-Byte 0xF6 an Stelle 74 /);
    assert.match(seat.message, /^release-a\.txt, Zeile 31, Feld Verwaltungssitz: ungültiges UTF-8-Byte 0xF6/);
    // name of the Gemeinde Röda (line 33): a truncated sequence (C3 without its continuation byte)
    const name = parseError(decodeRelease(patchLine(a, 33, 'Röda', [0x52, 0xc3, 0x64, 0x61])), 'release-a.txt');
    assert.equal(name.line, 33);
    assert.equal(name.field, 'Name');
    assert.match(name.reason, /^ungültiges UTF-8-Byte 0xC3 an Stelle 24 /);
    // in the figures of a Gemeinde (line 12, Fläche at 129-139)
    const area = parseError(decodeRelease(setByte(a, 12, 130, 0xa0)));
    assert.equal(area.line, 12, area.message);
    assert.equal(area.field, 'Fläche');
  });

  test('a NUL byte or another control character is reported with file, line and field', () => {
    // Gemeinde Überach (line 9): position 30 is in the name
    const nul = parseError(decodeRelease(patchLine(bytes('release-a.txt'), 9, 'berach', 'ber\0ch')), 'release-a.txt');
    assert.equal(nul.file, 'release-a.txt');
    assert.equal(nul.line, 9);
    assert.equal(nul.field, 'Name');
    assert.equal(nul.reason, 'Steuerzeichen U+0000 (NUL) an Stelle 27 ist in einem Datensatz nicht erlaubt');
    assert.equal(
      nul.message,
      'release-a.txt, Zeile 9, Feld Name: Steuerzeichen U+0000 (NUL) an Stelle 27 ist in einem Datensatz nicht erlaubt',
    );
    // the same in the ISO-8859-1 copy (LF), in the population of Gemeinde Heilbronn (line 12)
    const latin1 = parseError(decodeRelease(setByte(bytes('release-a-latin1.txt'), 12, 145, 0x00)), 'latin1.txt');
    assert.equal(latin1.line, 12);
    assert.equal(latin1.field, 'Einwohner');
    // a tab in the Regionalschlüssel of line 3, a stray CR in the blank tail of line 2, a C1 control
    // (ISO-8859-1 0x96, e.g. a windows-1252 dash) in the name of line 14
    const tab = parseError(decodeRelease(setByte(bytes('release-a.txt'), 3, 12, 0x09)));
    assert.equal(tab.line, 3);
    assert.equal(tab.field, 'Regionalschlüssel');
    assert.match(tab.reason, /U\+0009 \(Tabulator\)/);
    const cr = parseError(decodeRelease(setByte(bytes('release-a.txt'), 2, 210, 0x0d)));
    assert.equal(cr.line, 2);
    assert.equal(cr.field, 'Stelle 210 (leer)');
    const c1 = parseError(decodeRelease(setByte(bytes('release-a-latin1.txt'), 14, 24, 0x96)));
    assert.equal(c1.line, 14);
    assert.equal(c1.field, 'Name');
    assert.match(c1.reason, /U\+0096/);
  });

  test('duplicate keys', () => {
    expectError(
      (lines) => [...lines, lines[3]!],
      35,
      'Regionalschlüssel',
      /Schlüssel 08115 kommt doppelt vor \(zuerst in Zeile 4\)/,
    );
    expectError(
      (lines) => [...lines.slice(0, 9), lines[7]!, ...lines.slice(9)],
      10,
      'AGS',
      /08115901 kommt doppelt vor \(zuerst in Zeile 8\)/,
    );
  });

  test('missing Gemeindeverband, Kreis or Land of a Gemeinde is reported at the Gemeinde', () => {
    // line 5 is Verband 081150003; without it the Gemeinde Böblingen (now line 5) has no Verband
    expectError(
      (lines) => lines.filter((_, i) => i !== 4),
      5,
      'Gemeindeverband',
      /kein Gemeindeverband-Datensatz \(Satzart 50\) für Verband 081150003/,
    );
    // without Kreis 08121 and its Verband (lines 10 and 11) the Gemeinde Heilbronn (now line 10) has no Kreis
    expectError(
      (lines) => lines.filter((_, i) => i !== 9 && i !== 10),
      10,
      'AGS',
      /kein Kreis-Datensatz \(Satzart 40\) für Kreis 08121/,
    );
    // a Gemeinde whose Land record is missing (Land 08 changed to 09 on the Gemeinde line only)
    expectError(
      replaceLine(12, (l) => setAt(l, 11, '09')),
      12,
      'AGS',
      /kein Land-Datensatz \(Satzart 10\) für Land 09/,
    );
    // a Verband whose Kreis is missing is reported at the Verband
    expectError(
      (lines) => lines.filter((_, i) => i !== 9),
      10,
      'Regionalschlüssel',
      /kein Kreis-Datensatz \(Satzart 40\) für Kreis 08121/,
    );
  });
});

describe('Textkennzeichen', () => {
  test('all codes of the Datensatzbeschreibung, with levels', () => {
    const byLevel = (level: string): string[] =>
      Object.entries(DESIGNATIONS)
        .filter(([, d]) => d.level === level)
        .map(([code]) => code);
    assert.deepEqual(byLevel('kreis'), ['41', '42', '43', '44', '45']);
    assert.deepEqual(byLevel('gemeindeverband'), ['50', '51', '52', '53', '54', '55', '56', '57', '58']);
    assert.deepEqual(byLevel('gemeinde'), ['60', '61', '62', '63', '64', '65', '66', '67']);
  });

  test('designationLabel', () => {
    assert.equal(designationLabel('gemeinde', '61'), 'Kreisfreie Stadt');
    assert.equal(designationLabel('gemeinde', '61', 'en'), 'District-free city');
    assert.equal(designationLabel('kreis', '44', 'de'), 'Landkreis');
    assert.equal(designationLabel('gemeindeverband', '52', 'de'), 'Samtgemeinde');
    assert.equal(designationLabel('gemeinde', '60', 'de'), 'Markt');
    assert.equal(designationLabel('kreis', '61'), null); // code of another level
    assert.equal(designationLabel('gemeinde', '99'), null);
    assert.equal(designationLabel('land', null), null);
  });
});
