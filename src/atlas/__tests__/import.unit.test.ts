import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImportError } from '../../platform/errors.js';
import { IMPORT_FIELDS, locateJsonError, mergeImported, parsePracticesFile, unquoteFormula } from '../import.js';
import { emptyPractice } from '../model.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const parse = (file: string, data: string | Buffer, opts?: Parameters<typeof parsePracticesFile>[2]) =>
  parsePracticesFile(file, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, opts);

/** The command line's message of the ImportError the file raises (fails the test if it parses). */
function failure(file: string, data: string | Buffer, opts?: Parameters<typeof parsePracticesFile>[2]): string {
  try {
    parse(file, data, opts);
  } catch (err) {
    assert.ok(err instanceof ImportError, `an ImportError, got ${String(err)}`);
    return err.describe();
  }
  assert.fail('the file was accepted');
}

/** A CSV file from rows of cells (no quoting: the tests write their quotes themselves). */
const csv = (rows: string[], eol = '\n') => rows.join(eol) + eol;
const HEAD = 'externalId;title;summary;regions;sectors;status';
const ok = (id: string, status = 'operation') => `${id};Titel ${id};Kurzbeschreibung;08421000;verwaltung;${status}`;

const jsonRecord = (over: Record<string, unknown> = {}) => ({
  externalId: 'a',
  title: 'Titel',
  summary: 'Kurz',
  regions: ['08421000'],
  sectors: ['verwaltung'],
  status: 'operation',
  ...over,
});
const json = (...records: unknown[]) => JSON.stringify({ practices: records }, null, 2);

describe('parsePracticesFile: CSV', () => {
  it('reads German Excel CSV: BOM, ";", CRLF, umlauts, quotes, semicolons and line breaks in quoted fields', () => {
    const file =
      '\ufeff' +
      csv(
        [
          'externalId;title;summary;description;regions;sectors;status;startYear;endYear;tags;url;source;licence',
          'ulm:1;Straßenbeleuchtung „smart“;"Größere Wirkung; weniger Strom";"Zeile eins mit ""Zitat""\r\n\r\nZeile drei";' +
            '08421000;energie-umwelt;operation;2021;2024;"LED; Sensorik ;";https://www.ulm.de/licht;Stadt Ulm;CC-BY-4.0',
          '',
          'ulm:2;Bürgerbüro;Öffnungszeiten;;"08421000;08425";verwaltung;idea;;;;;;',
        ],
        '\r\n',
      );
    const records = parse('practices.csv', file);
    assert.equal(records.length, 2);
    const [a, b] = records;
    assert.equal(a!.externalId, 'ulm:1');
    assert.deepEqual(a!.where, { line: 2, index: null });
    assert.equal(a!.content.title, 'Straßenbeleuchtung „smart“');
    assert.equal(a!.content.summary, 'Größere Wirkung; weniger Strom');
    assert.equal(a!.content.description, 'Zeile eins mit "Zitat"\n\nZeile drei');
    assert.deepEqual(a!.content.regions, ['08421000']);
    assert.deepEqual(a!.content.sectors, ['energie-umwelt']);
    assert.equal(a!.content.status, 'operation');
    assert.equal(a!.content.startYear, 2021);
    assert.equal(a!.content.endYear, 2024);
    assert.deepEqual(a!.content.tags, ['LED', 'Sensorik']);
    assert.equal(a!.content.links.website, 'https://www.ulm.de/licht');
    assert.equal(a!.content.source, 'Stadt Ulm');
    assert.equal(a!.content.licence, 'CC-BY-4.0');
    // Line 2 holds a record over three physical lines, line 5 is empty: the second record is on line 6.
    assert.deepEqual(b!.where, { line: 6, index: null });
    assert.deepEqual(b!.content.regions, ['08421000', '08425']);
    assert.equal(b!.content.startYear, null);
    assert.deepEqual(b!.content.tags, []);
  });

  it('reads "," CSV with LF, and leaves the fields the import does not have as a new practice has them', () => {
    const records = parse(
      'p.csv',
      csv([
        'status,sectors,regions,summary,title,externalId',
        'planning,"mobilitaet;verwaltung",08421000,"Rufbus, abends",Rufbus,x-1',
      ]),
    );
    const { content } = records[0]!;
    assert.deepEqual(content.sectors, ['mobilitaet', 'verwaltung']);
    assert.equal(content.summary, 'Rufbus, abends');
    const empty = emptyPractice();
    assert.deepEqual(
      { ...content, title: '', summary: '', regions: [], sectors: [], status: empty.status },
      empty,
      'only the import fields are set',
    );
  });

  it('skips empty lines and rows whose cells are all empty (Excel writes ";;;;;")', () => {
    const records = parse('p.csv', csv([HEAD, '', ok('a'), ';;;;;', '   ', ok('b')]));
    assert.deepEqual(
      records.map((r) => r.where.line),
      [3, 6],
    );
  });

  it('removes exactly one formula-protection quote, only before = + - @', () => {
    assert.equal(unquoteFormula('\'=HYPERLINK("x")'), '=HYPERLINK("x")');
    assert.equal(unquoteFormula("'-5 Grad"), '-5 Grad');
    assert.equal(unquoteFormula("''=x"), "''=x", 'the protection is one quote; two are the text');
    assert.equal(unquoteFormula("'Hallo"), "'Hallo");
    const [r] = parse(
      'p.csv',
      csv([HEAD, `a;"'=HYPERLINK(""https://evil.example"";""klick"")";'@Kurz;08421000;verwaltung;idea`]),
    );
    assert.equal(r!.content.title, '=HYPERLINK("https://evil.example";"klick")');
    assert.equal(r!.content.summary, '@Kurz');
  });

  it('names file, line and field of the first bad record, counting the physical lines of quoted line breaks', () => {
    const file = csv([
      HEAD,
      ok('a'),
      'b;"Titel über',
      'zwei Zeilen";Kurz;08421000;verwaltung;idea',
      '',
      ok('c'),
      ok('d', 'betrieb'),
      ok('e', 'kaputt'),
    ]);
    assert.equal(
      failure('practices.csv', file),
      'practices.csv, Zeile 7, Feld status: „betrieb“ ist kein Status; erlaubt sind: idea, planning, implementation, operation, ended.',
    );
  });

  it('reports the same lines for a CRLF file', () => {
    const file = csv([HEAD, 'b;"Titel\r\nzweite\r\ndritte";Kurz;08421000;verwaltung;idea', ok('c', 'x')], '\r\n');
    assert.match(failure('p.csv', file), /^p\.csv, Zeile 5, Feld status: /);
  });

  it('refuses an unknown column and suggests the field meant', () => {
    assert.equal(
      failure('p.csv', csv(['externalId;titel;summary;regions;sectors;status', ok('a')])),
      `p.csv, Zeile 1, Feld titel: Unbekanntes Feld – gemeint ist vielleicht „title“. Erlaubt sind: ${IMPORT_FIELDS.join(', ')}.`,
    );
    assert.match(
      failure('p.csv', csv([`${HEAD};Title`, `${ok('a')};x`])),
      /Feld Title: Unbekanntes Feld – gemeint ist vielleicht „title“/,
    );
    assert.match(failure('p.csv', csv([`${HEAD};farbe`, `${ok('a')};x`])), /Feld farbe: Unbekanntes Feld\. Erlaubt/);
  });

  it('accepts the columns only the export has, and ignores them', () => {
    const [r] = parse('p.csv', csv([`id;${HEAD};reuses;pageUrl`, `42;${ok('a')};3;https://x.example/praxis/42`]));
    assert.equal(r!.externalId, 'a');
  });

  it('refuses a missing required column, a column twice, a column without a name', () => {
    assert.equal(
      failure('p.csv', csv(['externalId;title;summary;regions;sectors', 'a;T;S;08421000;verwaltung'])),
      'p.csv, Zeile 1, Feld status: Pflichtspalte fehlt in der Kopfzeile.',
    );
    assert.match(
      failure('p.csv', csv([`${HEAD};title`, `${ok('a')};T`])),
      /Zeile 1, Feld title: Die Spalte steht zweimal/,
    );
    assert.match(
      failure('p.csv', csv([`${HEAD};`, `${ok('a')};`])),
      /Zeile 1: Spalte 7 der Kopfzeile hat keinen Namen/,
    );
  });

  it('refuses a row with the wrong number of columns, with its line', () => {
    assert.equal(
      failure('p.csv', csv([HEAD, ok('a'), `${ok('b')};zu viel`])),
      'p.csv, Zeile 3: Die Zeile hat 7 Spalten, die Kopfzeile 6 (ein „;“ zu viel oder zu wenig? Felder mit „;“ in Anführungszeichen setzen).',
    );
    assert.match(
      failure('p.csv', csv([HEAD, 'a;T;S;08421000;verwaltung'])),
      /^p\.csv, Zeile 2: Die Zeile hat 5 Spalten/,
    );
  });

  it('refuses Windows-1252 bytes with the line and what to do in Excel', () => {
    const bytes = Buffer.from(`${csv([HEAD, ok('a'), 'b;Bürgerbüro;Kurz;08421000;verwaltung;idea'])}`, 'latin1');
    const message = failure('p.csv', bytes);
    assert.match(message, /^p\.csv, Zeile 3: Die Datei ist nicht UTF-8-kodiert: das Byte 0xFC ist kein gültiges UTF-8/);
    assert.match(message, /„ü“/);
    assert.match(message, /in Excel: Speichern unter → Dateityp „CSV UTF-8 \(durch Trennzeichen getrennt\)“/);
  });

  it('refuses UTF-16 ("Unicode-Text" of Excel)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([HEAD, ok('a')]), 'utf16le')]);
    assert.match(failure('p.csv', bytes), /^p\.csv, Zeile 1: Die Datei ist UTF-16-kodiert/);
  });

  it('reports quote errors at their line; an unclosed quote at the line where its record starts', () => {
    assert.match(
      failure('p.csv', csv([HEAD, ok('a'), '', 'b;"Titel;Kurz;08421000;verwaltung;idea', ok('c')])),
      /^p\.csv, Zeile 4: Ein Anführungszeichen wird bis zum Ende der Datei nicht geschlossen/,
    );
    assert.match(
      failure('p.csv', csv([HEAD, ok('a'), 'b;"Titel" mit Rest;Kurz;08421000;verwaltung;idea'])),
      /^p\.csv, Zeile 3: Nach einem schließenden Anführungszeichen/,
    );
    assert.match(
      failure('p.csv', csv([HEAD, ok('a'), ok('b'), 'c;Titel "mit" Zitat;Kurz;08421000;verwaltung;idea'])),
      /^p\.csv, Zeile 4: Ein Anführungszeichen mitten in einem Feld/,
    );
  });

  it('checks years, the validation of model.ts, in German with its values filled in', () => {
    const row = (cells: Partial<Record<string, string>>) => {
      const c = {
        externalId: 'a',
        title: 'T',
        summary: 'S',
        regions: '08421000',
        sectors: 'verwaltung',
        status: 'idea',
        startYear: '',
        endYear: '',
        url: '',
        ...cells,
      };
      return csv(['externalId;title;summary;regions;sectors;status;startYear;endYear;url', Object.values(c).join(';')]);
    };
    assert.equal(
      failure('p.csv', row({ startYear: 'zwanzig' })),
      'p.csv, Zeile 2, Feld startYear: „zwanzig“ ist keine Jahreszahl (z. B. 2021).',
    );
    assert.equal(
      failure('p.csv', row({ startYear: '1850' })),
      'p.csv, Zeile 2, Feld startYear: Ein Jahr zwischen 1990 und 2100.',
    );
    assert.equal(
      failure('p.csv', row({ startYear: '2022', endYear: '2020' })),
      'p.csv, Zeile 2, Feld endYear: Das Ende liegt vor dem Beginn.',
    );
    assert.equal(failure('p.csv', row({ title: '' })), 'p.csv, Zeile 2, Feld title: Bitte ausfüllen.');
    assert.equal(
      failure('p.csv', row({ title: 'x'.repeat(201) })),
      'p.csv, Zeile 2, Feld title: Höchstens 200 Zeichen (jetzt 201).',
    );
    assert.equal(failure('p.csv', row({ regions: '' })), 'p.csv, Zeile 2, Feld regions: Bitte ausfüllen.');
    assert.equal(
      failure('p.csv', row({ sectors: '"verwaltung;raumfahrt"' })),
      'p.csv, Zeile 2, Feld sectors: 2. Eintrag: „raumfahrt“ ist kein bekannter Eintrag dieser Liste.',
    );
    assert.equal(
      failure('p.csv', row({ url: 'www.ulm.de' })),
      'p.csv, Zeile 2, Feld url: Eine vollständige Adresse mit https:// oder http://.',
    );
    assert.equal(failure('p.csv', row({ status: '' })), 'p.csv, Zeile 2, Feld status: Pflichtfeld – bitte ausfüllen.');
  });

  it('says when a spreadsheet has dropped the leading zero of a key', () => {
    assert.equal(
      failure('p.csv', csv([HEAD, 'a;T;S;9162000;verwaltung;idea'])),
      'p.csv, Zeile 2, Feld regions: 1. Eintrag: „9162000“ hat 7 Ziffern – vermutlich hat ein Tabellenprogramm die führende 0 entfernt (gemeint ist wohl 09162000).',
    );
  });

  it('checks externalId: required, its characters, unique in the file (naming both lines)', () => {
    assert.equal(
      failure('p.csv', csv([HEAD, ok('')])),
      'p.csv, Zeile 2, Feld externalId: Pflichtfeld – bitte ausfüllen.',
    );
    assert.match(
      failure('p.csv', csv([HEAD, ok('a b')])),
      /Feld externalId: „a b“ ist keine gültige Kennung: 1 bis 100 Zeichen/,
    );
    assert.match(
      failure('p.csv', csv([HEAD, ok('x'.repeat(101))])),
      /Feld externalId: „x{40}…“ ist keine gültige Kennung/,
    );
    assert.equal(
      failure('p.csv', csv([HEAD, ok('a'), ok('b'), '', ok('a')])),
      'p.csv, Zeile 5, Feld externalId: „a“ steht schon in Zeile 2; jede Kennung nur einmal je Datei.',
    );
  });

  it('refuses control characters (PostgreSQL would refuse NUL)', () => {
    assert.equal(
      failure('p.csv', csv([HEAD, 'a;Ti\u0000tel;S;08421000;verwaltung;idea'])),
      'p.csv, Zeile 2, Feld title: unerlaubtes Steuerzeichen U+0000 an Stelle 3.',
    );
  });

  it('enforces the limits of size and record count, and refuses a file without projects', () => {
    assert.match(
      failure('p.csv', csv([HEAD, ok('a'), ok('b'), ok('c')]), { limits: { records: 2 } }),
      /^p\.csv: Die Datei enthält mehr als 2 Projekte; erlaubt sind höchstens 2 je Datei/,
    );
    assert.equal(parse('p.csv', csv([HEAD, ok('a'), ok('b')]), { limits: { records: 2 } }).length, 2);
    assert.match(
      failure('p.csv', Buffer.alloc(2 * 1024 * 1024, 0x20), { limits: { fileBytes: 1024 * 1024 } }),
      /^p\.csv: Die Datei ist 2 MB groß; erlaubt sind höchstens 1 MB/,
    );
    assert.equal(failure('p.csv', csv([HEAD])), 'p.csv: Die Datei enthält keine Projekte.');
    assert.equal(failure('p.csv', ''), 'p.csv: Die Datei ist leer: keine Kopfzeile, keine Projekte.');
  });
});

describe('parsePracticesFile: JSON', () => {
  it('reads {"practices": [...]}: types, trimming, null for optional fields, url as the website', () => {
    const records = parse(
      'practices.json',
      json(
        jsonRecord({
          title: '  Glasfaser für Schulen ',
          description: 'Absatz eins\r\n\r\nAbsatz „zwei“; mit ß',
          startYear: 2019,
          endYear: null,
          tags: [' Glasfaser ', 'Schulen'],
          url: 'https://www.example.org/glasfaser',
          licence: null,
        }),
        jsonRecord({ externalId: 'b', regions: ['08421000', '08425'] }),
      ),
    );
    assert.equal(records.length, 2);
    const [a, b] = records;
    assert.deepEqual(a!.where, { line: null, index: 0 });
    assert.equal(a!.content.title, 'Glasfaser für Schulen');
    assert.equal(a!.content.description, 'Absatz eins\n\nAbsatz „zwei“; mit ß');
    assert.equal(a!.content.startYear, 2019);
    assert.equal(a!.content.endYear, null);
    assert.deepEqual(a!.content.tags, ['Glasfaser', 'Schulen']);
    assert.equal(a!.content.links.website, 'https://www.example.org/glasfaser');
    assert.equal(a!.content.licence, '');
    assert.deepEqual(b!.where, { line: null, index: 1 });
    assert.deepEqual(b!.content.regions, ['08421000', '08425']);
  });

  it('takes JSON by content whatever the name, and a .json name with broken content as JSON', () => {
    assert.equal(parse('export.txt', json(jsonRecord())).length, 1);
    assert.match(
      failure('p.json', 'practices: []'),
      /^p\.json, Zeile 1: Kein gültiges JSON in Spalte 1: unerwartetes Zeichen „p“\.$/,
    );
  });

  it('reports the line and column of a syntax error', () => {
    assert.equal(
      failure('p.json', '{\n  "practices": [\n    {"externalId": "a",}\n  ]\n}'),
      'p.json, Zeile 3: Kein gültiges JSON in Spalte 24: „}“ nach einem Komma (ein Komma zu viel).',
    );
    assert.equal(
      failure('p.json', '{"practices": [\n {"externalId": "a"\n  "title": "b"}]}'),
      'p.json, Zeile 3: Kein gültiges JSON in Spalte 3: „,“ oder „}“ erwartet, gefunden „"“.',
    );
    assert.equal(
      failure('p.json', '{"practices": [{"title": "Zeile\nzwei"}]}'),
      'p.json, Zeile 1: Kein gültiges JSON in Spalte 32: Zeilenumbruch in einer Zeichenkette (in JSON als \\n schreiben).',
    );
    assert.equal(
      failure('p.json', '{"practices": [\n'),
      'p.json, Zeile 2: Kein gültiges JSON in Spalte 1: unerwartetes Ende der Datei.',
    );
  });

  it('refuses a bare list, other top-level keys, and a record that is not an object (with its index)', () => {
    assert.match(
      failure('p.json', JSON.stringify([jsonRecord()])),
      /^p\.json: Erwartet wird ein JSON-Objekt der Form \{"practices": \[ … \]\}; die Datei ist eine Liste/,
    );
    assert.match(
      failure('p.json', JSON.stringify({ practices: [], meta: 1 })),
      /^p\.json, Feld meta: unbekannter Schlüssel/,
    );
    assert.match(failure('p.json', JSON.stringify({ projects: [] })), /^p\.json, Feld projects: unbekannter Schlüssel/);
    assert.equal(
      failure('p.json', json(jsonRecord(), 'b', jsonRecord({ externalId: 'c' }))),
      'p.json, Feld practices[1]: Jedes Projekt ist ein JSON-Objekt {…}, hier steht eine Zeichenkette.',
    );
    assert.match(failure('p.json', json(jsonRecord(), [1])), /^p\.json, Feld practices\[1\]: .*hier steht eine Liste/);
    assert.equal(failure('p.json', '{"practices": []}'), 'p.json: Die Datei enthält keine Projekte.');
    assert.equal(
      failure('p.json', json(jsonRecord(), jsonRecord({ externalId: 'b' }), jsonRecord({ externalId: 'c' })), {
        limits: { records: 2 },
      }),
      'p.json: Die Datei enthält 3 Projekte; erlaubt sind höchstens 2 je Datei. Bitte aufteilen.',
    );
  });

  it('names index and field: unknown, missing, wrong types, list entries, validation', () => {
    assert.match(
      failure('p.json', json(jsonRecord(), jsonRecord({ externalId: 'b', titel: 'x' }))),
      /^p\.json, Feld practices\[1\]\.titel: Unbekanntes Feld – gemeint ist vielleicht „title“/,
    );
    const { status: _, ...noStatus } = jsonRecord();
    assert.equal(failure('p.json', json(noStatus)), 'p.json, Feld practices[0].status: Pflichtfeld fehlt.');
    assert.equal(
      failure('p.json', json(jsonRecord({ title: null }))),
      'p.json, Feld practices[0].title: Pflichtfeld fehlt.',
    );
    assert.equal(
      failure('p.json', json(jsonRecord({ startYear: '2021' }))),
      'p.json, Feld practices[0].startYear: Eine Jahreszahl ohne Anführungszeichen erwartet (z. B. 2021), hier steht eine Zeichenkette.',
    );
    assert.match(
      failure('p.json', json(jsonRecord({ startYear: 2021.5 }))),
      /Feld practices\[0\]\.startYear: Eine Jahreszahl/,
    );
    assert.match(
      failure('p.json', json(jsonRecord({ tags: 'a;b' }))),
      /Feld practices\[0\]\.tags: Eine Liste erwartet/,
    );
    assert.equal(
      failure('p.json', json(jsonRecord({ tags: ['a', 7] }))),
      'p.json, Feld practices[0].tags[1]: Eine Zeichenkette erwartet, hier steht eine Zahl.',
    );
    assert.match(
      failure('p.json', json(jsonRecord({ title: 42 }))),
      /Feld practices\[0\]\.title: Eine Zeichenkette in Anführungszeichen erwartet/,
    );
    assert.equal(
      failure('p.json', json(jsonRecord({ regions: ['08421000', 'Ulm'] }))),
      'p.json, Feld practices[0].regions[1]: „Ulm“ ist kein amtlicher Schlüssel (Regionalschlüssel oder Gemeindeschlüssel).',
    );
    assert.equal(
      failure('p.json', json(jsonRecord({ url: 'ftp://x.example' }))),
      'p.json, Feld practices[0].url: Eine vollständige Adresse mit https:// oder http://.',
    );
    assert.equal(
      failure('p.json', json(jsonRecord({ tags: ['a', ''] }))),
      'p.json, Feld practices[0].tags[1]: Ein Schlagwort mit 1 bis 60 Zeichen.',
    );
  });

  it('refuses a duplicate externalId naming both indexes', () => {
    assert.equal(
      failure('p.json', json(jsonRecord(), jsonRecord({ externalId: 'b' }), jsonRecord())),
      'p.json, Feld practices[2].externalId: „a“ steht schon in practices[0]; jede Kennung nur einmal je Datei.',
    );
  });

  it('refuses lone surrogates (from \\ud800 escapes)', () => {
    assert.match(
      failure('p.json', json(jsonRecord({ summary: 'a\ud800b' }))),
      /Feld practices\[0\]\.summary: unerlaubtes Steuerzeichen U\+D800 an Stelle 2/,
    );
    assert.equal(parse('p.json', json(jsonRecord({ summary: 'Rufbus 🚌' })))[0]!.content.summary, 'Rufbus 🚌');
  });
});

describe('one-line fields and updates', () => {
  it('turns line breaks and tabs in one-line fields into one space; the description keeps them', () => {
    const [r] = parse(
      'p.json',
      json(jsonRecord({ title: 'Zwei\r\n  Zeilen\tund Tab', tags: ['a\nb'], description: 'A\n\tB' })),
    );
    assert.equal(r!.content.title, 'Zwei Zeilen und Tab');
    assert.deepEqual(r!.content.tags, ['a b']);
    assert.equal(r!.content.description, 'A\n\tB');
  });

  it('mergeImported takes the import fields from the file and keeps all others of the project', () => {
    const existing = {
      ...emptyPractice(),
      title: 'Alt',
      providers: ['Stadtwerke'],
      costOneOff: 5000,
      contact: { name: 'A. Muster', email: 'a@kommune.de', phone: '', visible: true },
      links: { website: 'https://alt.example', repository: 'https://code.example/r', publiccode: '' },
      tags: ['alt'],
    };
    const [r] = parse('p.json', json(jsonRecord({ title: 'Neu', url: 'https://neu.example', tags: ['neu'] })));
    const merged = mergeImported(existing, r!.content);
    assert.equal(merged.title, 'Neu');
    assert.deepEqual(merged.tags, ['neu']);
    assert.deepEqual(merged.regions, ['08421000']);
    assert.deepEqual(merged.providers, ['Stadtwerke']);
    assert.equal(merged.costOneOff, 5000);
    assert.deepEqual(merged.contact, existing.contact);
    assert.deepEqual(merged.links, {
      website: 'https://neu.example',
      repository: 'https://code.example/r',
      publiccode: '',
    });
  });
});

describe('locateJsonError', () => {
  it('finds nothing in valid JSON and an error in every truncation of it', () => {
    const doc = JSON.stringify(
      { practices: [jsonRecord({ startYear: -0.5e3, tags: ['\u00e4\\"', 'x'], url: null, ok: true, no: false })] },
      null,
      1,
    );
    assert.equal(locateJsonError(doc), null);
    for (let n = 0; n < doc.length; n++) {
      const cut = doc.slice(0, n);
      if (/^\s*-?\d+$/.test(cut)) continue;
      assert.notEqual(locateJsonError(cut), null, `truncated at ${n}: ${JSON.stringify(cut.slice(-20))}`);
    }
  });
});

describe('the example files of docs/', () => {
  for (const name of ['practices.json', 'practices.csv']) {
    it(`parses docs/examples/${name}`, () => {
      const records = parsePracticesFile(name, fs.readFileSync(path.join(ROOT, 'docs/examples', name)));
      assert.equal(records.length, 3);
      for (const r of records) {
        assert.match(r.externalId, /^beispiel:/);
        assert.match(r.content.source, /Beispieldaten/);
        for (const key of r.content.regions) assert.match(key, /^\d{5}(\d{3})?$/);
      }
    });
  }
});
