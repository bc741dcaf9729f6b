/**
 * Reads one GTFS table with csv-parse (streaming, UTF-8 with or without BOM, quoted fields, CRLF or LF) and runs
 * the checks every table shares, from the GTFS Schedule Reference: §File Requirements (header line, field names
 * case-sensitive, no tabs or line breaks in values, extra spaces), §Field Definitions (known fields, required
 * fields, enum values), §Field Types (formats) and §Dataset Attributes (primary key unique). Rows go to the
 * caller's callback one by one; nothing keeps the whole table.
 */
import { CsvError, parse } from 'csv-parse';
import type { FeedSource } from './feed-source.js';
import type { FindingCollector } from './findings.js';
import { checkFormat } from './formats.js';
import { type FieldSpec, type FileSpec, src } from './schema.js';

export interface Table {
  readonly spec: FileSpec;
  readonly header: readonly string[];
  /** Column index of a field, -1 when the file has no such column. */
  col(field: string): number;
  /** Data rows read. */
  rows: number;
}

export type RowHandler = (rec: string[], line: number, table: Table) => void;

const CONTROL = /[\t\r\n]/;

export async function readTable(
  source: FeedSource,
  spec: FileSpec,
  c: FindingCollector,
  onRow: RowHandler,
  onHeader?: (table: Table) => void,
): Promise<Table | null> {
  const file = spec.name;
  let table: Table | null = null;
  let columns: (FieldSpec | null)[] = [];
  let width = 0;
  const keyCols: number[] = [];
  const keys = new Set<string>();
  let keyNone = false;

  const onHeaderRecord = (rec: string[]): void => {
    const header = rec.map((h) => h.trim());
    rec.forEach((h, i) => {
      if (h !== header[i]) {
        c.add(
          'gtfs.header-whitespace',
          'warning',
          `${file}:1 ${header[i]}`,
          `Der Feldname „${h}“ hat Leerzeichen am Anfang oder Ende; sie sollten entfernt werden.`,
          src('File Requirements'),
        );
      }
    });
    const index = new Map<string, number>();
    header.forEach((h, i) => {
      if (index.has(h)) {
        c.add(
          'gtfs.duplicate-column',
          'error',
          `${file}:1 ${h}`,
          `Das Feld ${h} steht mehrfach in der Kopfzeile.`,
          src('File Requirements'),
        );
      } else index.set(h, i);
    });
    const byName = new Map(spec.fields.map((f) => [f.name, f]));
    columns = header.map((h, i) => {
      const f = byName.get(h);
      if (!f && index.get(h) === i) {
        c.add(
          'gtfs.unknown-column',
          'warning',
          `${file}:1 ${h}`,
          `Das Feld „${h}“ ist in ${file} nicht definiert und wird nicht geprüft (Feldnamen unterscheiden Groß- und Kleinschreibung).`,
          src(`${file}`),
        );
      }
      return f && index.get(h) === i ? f : null;
    });
    for (const f of spec.fields) {
      if (f.presence === 'required' && !index.has(f.name)) {
        c.add(
          'gtfs.required-column',
          'error',
          `${file}:1 ${f.name}`,
          `Das Pflichtfeld ${f.name} fehlt in der Kopfzeile von ${file}.`,
          src(file),
        );
      }
    }
    width = header.length;
    if (spec.primaryKey === 'none') keyNone = true;
    else if (spec.primaryKey === '*') keyCols.push(...header.map((_, i) => i).filter((i) => columns[i]));
    else {
      for (const k of spec.primaryKey) {
        const i = index.get(k);
        if (i !== undefined) keyCols.push(i);
      }
    }
    table = { spec, header, col: (field) => index.get(field) ?? -1, rows: 0 };
    onHeader?.(table);
  };

  const onDataRecord = (rec: string[], line: number, t: Table): void => {
    t.rows++;
    if (rec.length !== width) {
      c.add(
        'gtfs.csv-format',
        'error',
        `${file}:${line}`,
        `Die Zeile hat ${rec.length} Felder, die Kopfzeile aber ${width}.`,
        src('File Requirements'),
      );
      if (rec.length < width) for (let i = rec.length; i < width; i++) rec.push('');
    }
    for (let i = 0; i < width; i++) {
      let v = rec[i] as string;
      if (v.length > 0) {
        if (v.charCodeAt(0) === 32 || v.charCodeAt(v.length - 1) === 32) {
          c.add(
            'gtfs.value-whitespace',
            'warning',
            `${file}:${line} ${t.header[i]}`,
            `Der Wert „${v}“ hat Leerzeichen am Anfang oder Ende; sie sollten entfernt werden.`,
            src('File Requirements'),
          );
          v = v.trim();
          rec[i] = v;
        }
        if (CONTROL.test(v)) {
          c.add(
            'gtfs.csv-format',
            'error',
            `${file}:${line} ${t.header[i]}`,
            'Der Wert enthält einen Tabulator oder Zeilenumbruch; das ist nicht erlaubt.',
            src('File Requirements'),
          );
        }
        if (v.includes('\uFFFD')) {
          c.add(
            'gtfs.encoding',
            'warning',
            `${file}:${line} ${t.header[i]}`,
            'Der Wert ist kein gültiges UTF-8; Dateien sollten in UTF-8 kodiert sein.',
            src('File Requirements'),
          );
        }
      }
      const f = columns[i];
      if (!f) continue;
      if (v === '') {
        if (f.presence === 'required') {
          c.add(
            'gtfs.required-field',
            'error',
            `${file}:${line} ${f.name}`,
            `Das Pflichtfeld ${f.name} ist leer.`,
            src(file),
          );
        }
        continue;
      }
      if (f.values) {
        if (!f.values.includes(v)) {
          c.add(
            'gtfs.enum',
            'error',
            `${file}:${line} ${f.name}`,
            `Der Wert „${v}“ ist für ${f.name} nicht erlaubt; erlaubt sind ${f.values.join(', ')}${f.presence === 'required' ? '' : ' oder leer'}.`,
            src(file),
          );
        }
        continue;
      }
      const expected = checkFormat(f.type, v);
      if (expected !== null) {
        c.add(
          'gtfs.field-format',
          'error',
          `${file}:${line} ${f.name}`,
          `Der Wert „${v}“ in ${f.name} ist ungültig; erwartet wird ${expected}.`,
          src('Field Types'),
        );
      }
    }
    if (keyNone) {
      if (t.rows > 1) {
        c.add(
          'gtfs.duplicate-key',
          'error',
          `${file}:${line}`,
          `${file} darf nur eine Zeile enthalten.`,
          src('Dataset Attributes'),
        );
      }
    } else if (keyCols.length > 0) {
      const key =
        keyCols.length === 1 ? (rec[keyCols[0] as number] as string) : keyCols.map((k) => rec[k]).join('\u0000');
      if (keys.has(key)) {
        c.add(
          'gtfs.duplicate-key',
          'error',
          `${file}:${line}`,
          `Der Primärschlüssel (${keyCols.map((k) => `${t.header[k]}=${rec[k]}`).join(', ')}) kommt in ${file} mehrfach vor.`,
          src('Dataset Attributes'),
        );
      } else keys.add(key);
    }
    onRow(rec, line, t);
  };

  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (rec: string[], info: { lines: number }) => {
      if (table === null) onHeaderRecord(rec);
      else onDataRecord(rec, info.lines, table);
      return null;
    },
  });
  let failure: unknown = null;
  const done = new Promise<void>((resolve) => {
    parser.on('error', (err) => {
      failure ??= err;
      resolve();
    });
    parser.on('end', resolve);
    parser.resume();
  });
  for await (const chunk of source.chunks(file)) {
    if (failure) break;
    if (!parser.write(chunk)) await Promise.race([new Promise((r) => parser.once('drain', r)), done]);
  }
  if (!failure) parser.end();
  await done;
  if (failure) {
    if (!(failure instanceof CsvError)) throw failure;
    c.add(
      'gtfs.csv-syntax',
      'error',
      `${file}:${(failure as CsvError & { lines?: number }).lines ?? '?'}`,
      `Die Datei ist kein gültiges CSV und wurde ab hier nicht weiter gelesen (${failure.message}).`,
      src('File Requirements'),
    );
  }
  if (table === null) {
    c.add(
      'gtfs.empty-file',
      'error',
      file,
      `${file} ist leer; die erste Zeile muss die Feldnamen enthalten.`,
      src('File Requirements'),
    );
    return null;
  }
  const read = table as Table;
  if (read.rows === 0) {
    const required = spec.presence === 'required';
    c.add(
      'gtfs.empty-file',
      required ? 'error' : 'warning',
      file,
      required ? `${file} enthält keine Datensätze.` : `${file} enthält nur die Kopfzeile und keine Datensätze.`,
      src(required ? 'Dataset Files' : 'File Requirements'),
    );
  }
  return read;
}
