/**
 * The reading side of `lotse import practices FILE`: a JSON or CSV file of practice projects becomes a list of
 * checked records, or an `ImportError` naming the first bad record (file, line or index, field, German reason).
 * Pure: no database. Whether the region keys exist in the register, and the all-or-nothing transaction, are
 * the service's job. The format is documented in docs/atlas-import.md.
 */
import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import { ImportError, type Text } from '../platform/errors.js';
import {
  emptyPractice,
  PRACTICE_STATUSES,
  type PracticeContent,
  type PracticeStatus,
  practiceVocabulary,
  type Vocabulary,
  validatePractice,
} from './model.js';
import { validationDe } from './validation-messages.js';

export interface ImportRecord {
  externalId: string;
  content: PracticeContent;
  /** 1-based line (CSV) or 0-based index (JSON) for messages */
  where: { line: number | null; index: number | null };
}

/** The fields of an import record, in the order of the documentation and of the CSV export. */
export const IMPORT_FIELDS = [
  'externalId',
  'title',
  'summary',
  'description',
  'regions',
  'sectors',
  'status',
  'startYear',
  'endYear',
  'tags',
  'url',
  'source',
  'licence',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: readonly ImportField[] = [
  'externalId',
  'title',
  'summary',
  'regions',
  'sectors',
  'status',
];

/** Columns the export adds (export.ts); the import accepts and ignores them, so that an export re-imports. */
export const EXPORT_ONLY_FIELDS = ['id', 'regionNames', 'pageUrl', 'publishedAt', 'updatedAt', 'reuses'] as const;

export const IMPORT_LIMITS = {
  /** 200 MiB: 100,000 records with descriptions of about a page (measured: 100,000 short ones are ~60 MB). */
  fileBytes: 200 * 1024 * 1024,
  records: 200_000,
  externalId: 100,
} as const;

const EXTERNAL_ID = /^[A-Za-z0-9._:-]+$/;
/** A C0/C1 control character other than tab and line feed, or a lone surrogate (PostgreSQL refuses both). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udfff]/u;
/** A quick test without the u flag (matches paired surrogates too); CONTROL decides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const MAYBE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]/;
/** The characters before which `csvCell` puts its formula-protection quote. */
const FORMULA_QUOTED = /^'[=+\-@\t\r]/;

const KNOWN = new Set<string>([...IMPORT_FIELDS, ...EXPORT_ONLY_FIELDS]);

export interface ParseOptions {
  /** The controlled lists (default: the maturity model's and the measures catalogue's). */
  vocabulary?: Vocabulary;
  /** Other limits than IMPORT_LIMITS (tests, benchmarks). */
  limits?: Partial<{ fileBytes: number; records: number }>;
}

type Format = 'json' | 'csv';

/** Where the current record is, and how to fail there. */
interface Place {
  fmt: Format;
  /** Field name as the reader sees it (CSV: the column; JSON: `practices[3].status`). */
  field(name: string | null): string | null;
  fail(field: string | null, reason: string): never;
  where: ImportRecord['where'];
}

// ---------------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------------

/**
 * Parse a practices file. JSON (`{"practices": [...]}`) when the content starts with `{` or `[`, or when the
 * name ends in `.json`; CSV (header row, `,` or `;`) otherwise. Throws `ImportError` at the first bad record
 * and never returns a partial list.
 */
export function parsePracticesFile(file: string, bytes: Buffer, opts: ParseOptions = {}): ImportRecord[] {
  const limits = { ...IMPORT_LIMITS, ...opts.limits };
  const vocab = opts.vocabulary ?? practiceVocabulary();
  if (bytes.length > limits.fileBytes) {
    throw new ImportError(
      file,
      null,
      null,
      `Die Datei ist ${megabytes(bytes.length)} MB groß; erlaubt sind höchstens ${megabytes(limits.fileBytes)} MB. ` +
        'Bitte in mehrere Dateien aufteilen.',
    );
  }
  const text = decode(file, bytes);
  const start = text.trimStart()[0];
  const isJson = start === '{' || start === '[' || /\.json$/i.test(file);
  const records = isJson ? readJson(file, text, vocab, limits.records) : readCsv(file, text, vocab, limits.records);
  if (records.length === 0) throw new ImportError(file, null, null, 'Die Datei enthält keine Projekte.');
  return records;
}

const megabytes = (n: number) => (n / (1024 * 1024)).toLocaleString('de-DE', { maximumFractionDigits: 1 });

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

const cp1252 = new TextDecoder('windows-1252');

const EXCEL_HINT = 'in Excel: Speichern unter → Dateityp „CSV UTF-8 (durch Trennzeichen getrennt)“';

function decode(file: string, buf: Buffer): string {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new ImportError(
      file,
      1,
      null,
      `Die Datei ist UTF-16-kodiert („Unicode-Text“), erwartet wird UTF-8; ${EXCEL_HINT}.`,
    );
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const bytes = bom ? buf.subarray(3) : buf;
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const byte = bytes[at] ?? 0;
  const guess = cp1252.decode(bytes.subarray(at, at + 1));
  throw new ImportError(
    file,
    line,
    null,
    `Die Datei ist nicht UTF-8-kodiert: das Byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ist kein gültiges UTF-8 ` +
      `(vermutlich Windows-1252 oder ISO-8859-1, dort „${guess}“). Bitte als UTF-8 speichern; ${EXCEL_HINT}.`,
  );
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const b0 = b[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) n = 3;
    else if (b0 >= 0xf0 && b0 <= 0xf4) n = 4;
    else return i;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
    else if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
    if (i + n > b.length) return i;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

// ---------------------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------------------

function readJson(file: string, text: string, vocab: Vocabulary, maxRecords: number): ImportRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const found = locateJsonError(text);
    if (!found) throw new ImportError(file, null, null, `Kein gültiges JSON: ${(err as Error).message}`);
    const { line, column } = lineAndColumn(text, found.offset);
    throw new ImportError(file, line, null, `Kein gültiges JSON in Spalte ${column}: ${found.reason}.`);
  }
  const shape = 'Erwartet wird ein JSON-Objekt der Form {"practices": [ … ]}';
  if (Array.isArray(data)) {
    throw new ImportError(
      file,
      null,
      null,
      `${shape}; die Datei ist eine Liste – bitte in {"practices": …} einschließen.`,
    );
  }
  if (data === null || typeof data !== 'object') throw new ImportError(file, null, null, `${shape}.`);
  const top = data as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (key !== 'practices') {
      throw new ImportError(file, null, key, `unbekannter Schlüssel auf oberster Ebene; ${shape}.`);
    }
  }
  const list = top.practices;
  if (!Array.isArray(list))
    throw new ImportError(file, null, 'practices', `${shape}; „practices“ fehlt oder ist keine Liste.`);
  tooMany(file, list.length, maxRecords);

  const seen = new Map<string, string>();
  return list.map((item, index) => {
    const path = `practices[${index}]`;
    const place: Place = {
      fmt: 'json',
      field: (name) => (name === null ? path : `${path}.${name}`),
      fail(field, reason) {
        throw new ImportError(file, null, this.field(field), reason);
      },
      where: { line: null, index },
    };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      place.fail(null, `Jedes Projekt ist ein JSON-Objekt {…}, hier steht ${jsonKind(item)}.`);
    }
    const values = item as Record<string, unknown>;
    for (const key in values) if (!KNOWN.has(key)) place.fail(key, unknownFieldReason(key));
    return toRecord(values, place, seen, path, vocab);
  });
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'eine Liste […]';
  if (typeof v === 'string') return 'eine Zeichenkette';
  if (typeof v === 'number') return 'eine Zahl';
  if (typeof v === 'boolean') return 'ein Wahrheitswert';
  return typeof v;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON.parse failed and why, in German (V8's message does not always carry a position). A small
 * iterative JSON syntax checker (RFC 8259), run only after JSON.parse has failed; null when it finds nothing.
 */
export function locateJsonError(s: string): { offset: number; reason: string } | null {
  let i = 0;
  const stack: string[] = [];
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const found = (reason: string, at = i) => ({ offset: at, reason });
  const unexpected = () =>
    i >= s.length ? found('unerwartetes Ende der Datei') : found(`unerwartetes Zeichen „${s[i]}“`);
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  /** Scans a string starting at its quote; returns an error or null. */
  const string = () => {
    const open = i;
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return found('ungültige Escape-Sequenz \\u');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return found(`ungültige Escape-Sequenz „\\${e ?? ''}“`);
        continue;
      }
      if (c < 0x20) {
        return found(
          c === 10
            ? 'Zeilenumbruch in einer Zeichenkette (in JSON als \\n schreiben)'
            : 'Steuerzeichen in einer Zeichenkette',
        );
      }
      i++;
    }
    return found('die Zeichenkette wird nicht geschlossen (fehlendes ")', open);
  };

  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    ws();
    if (state === 'value') {
      const c = s[i];
      if (c === '{') {
        stack.push('{');
        i++;
        ws();
        if (s[i] === '}') {
          stack.pop();
          i++;
          state = 'after';
        } else state = 'key';
      } else if (c === '[') {
        stack.push('[');
        i++;
        ws();
        if (s[i] === ']') {
          stack.pop();
          i++;
          state = 'after';
        }
      } else if (c === '"') {
        const err = string();
        if (err) return err;
        state = 'after';
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(s);
        if (!m || m[0] === '-') return found('ungültige Zahl');
        i += m[0].length;
        state = 'after';
      } else if (s.startsWith('true', i) || s.startsWith('null', i)) {
        i += 4;
        state = 'after';
      } else if (s.startsWith('false', i)) {
        i += 5;
        state = 'after';
      } else if (c === ']' && s[i - 1] !== '[') {
        return found('„]“ nach einem Komma (ein Komma zu viel)');
      } else return unexpected();
    } else if (state === 'key') {
      if (s[i] === '}') return found('„}“ nach einem Komma (ein Komma zu viel)');
      if (s[i] !== '"')
        return i >= s.length ? unexpected() : found(`Name in Anführungszeichen erwartet, gefunden „${s[i]}“`);
      const err = string();
      if (err) return err;
      ws();
      if (s[i] !== ':') return i >= s.length ? unexpected() : found(`„:“ nach dem Namen erwartet, gefunden „${s[i]}“`);
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < s.length ? found('weiterer Inhalt nach dem Ende der JSON-Daten') : null;
      const close = top === '{' ? '}' : ']';
      if (s[i] === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (s[i] === close) {
        stack.pop();
        i++;
      } else {
        return i >= s.length ? unexpected() : found(`„,“ oder „${close}“ erwartet, gefunden „${s[i]}“`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------

function readCsv(file: string, rawText: string, vocab: Vocabulary, maxRecords: number): ImportRecord[] {
  // One line end inside and between records: csv-parse counts lines inside quoted CRLF fields twice, and the
  // stored Markdown uses LF anyway.
  const text = rawText.includes('\r') ? rawText.replace(/\r\n?/g, '\n') : rawText;
  const delimiter = detectDelimiter(file, text);
  const records: ImportRecord[] = [];
  const seen = new Map<string, string>();
  let columns: string[] | null = null;
  let lastEnd = 0;

  /** Records are checked as csv-parse delivers them, so the first bad one in file order is reported. */
  const onRecord = (cells: string[], endLine: number) => {
    // Excel writes cleared rows as ";;;;": skipped like empty lines.
    if (cells.every((c) => c.trim() === '')) return;
    // The record ends on `endLine`; its line breaks are all inside quoted cells.
    let breaks = 0;
    for (const c of cells) for (let k = c.indexOf('\n'); k !== -1; k = c.indexOf('\n', k + 1)) breaks++;
    const line = endLine - breaks;
    if (columns === null) {
      columns = readHeader(file, line, cells);
      return;
    }
    const place: Place = {
      fmt: 'csv',
      field: (name) => name,
      fail(field, reason) {
        throw new ImportError(file, line, field, reason);
      },
      where: { line, index: null },
    };
    if (records.length === maxRecords) {
      throw new ImportError(
        file,
        null,
        null,
        `Die Datei enthält mehr als ${maxRecords.toLocaleString('de-DE')} Projekte; erlaubt sind höchstens ` +
          `${maxRecords.toLocaleString('de-DE')} je Datei. Bitte aufteilen.`,
      );
    }
    if (cells.length !== columns.length) {
      place.fail(
        null,
        `Die Zeile hat ${cells.length} Spalten, die Kopfzeile ${columns.length}` +
          (delimiter === ';' ? ' (ein „;“ zu viel oder zu wenig? Felder mit „;“ in Anführungszeichen setzen).' : '.'),
      );
    }
    const values: Record<string, unknown> = {};
    for (let k = 0; k < columns.length; k++) values[columns[k]!] = unquoteFormula(cells[k]!);
    records.push(toRecord(values, place, seen, `Zeile ${line}`, vocab));
  };

  try {
    parseCsv(text, {
      delimiter,
      bom: false,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (cells: string[], ctx) => {
        lastEnd = ctx.lines;
        onRecord(cells, ctx.lines);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw csvSyntaxError(file, text, err, lastEnd);
  }
  if (columns === null) throw new ImportError(file, null, null, 'Die Datei ist leer: keine Kopfzeile, keine Projekte.');
  return records;
}

/** The column names of the header row, checked: known, not twice, every required one there. */
function readHeader(file: string, line: number, cells: string[]): string[] {
  const fail = (field: string | null, reason: string): never => {
    throw new ImportError(file, line, field, reason);
  };
  const columns = cells.map((c) => c.trim());
  const seen = new Set<string>();
  columns.forEach((name, k) => {
    if (name === '') fail(null, `Spalte ${k + 1} der Kopfzeile hat keinen Namen.`);
    if (!KNOWN.has(name)) fail(name, unknownFieldReason(name));
    if (seen.has(name)) fail(name, 'Die Spalte steht zweimal in der Kopfzeile.');
    seen.add(name);
  });
  for (const name of REQUIRED_FIELDS) {
    if (!seen.has(name)) fail(name, 'Pflichtspalte fehlt in der Kopfzeile.');
  }
  return columns;
}

/** `csvCell` protects a cell starting with = + - @ (tab, CR) by a leading `'`; the import removes exactly that one. */
export function unquoteFormula(cell: string): string {
  return FORMULA_QUOTED.test(cell) ? cell.slice(1) : cell;
}

/** `;` (German Excel) or `,`, whichever the header row holds more of outside quotes. */
function detectDelimiter(file: string, text: string): ',' | ';' {
  let semicolons = 0;
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  let seenContent = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') {
      if (seenContent) break;
      line++;
    } else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === '\t') tabs++;
    if (c !== '\n' && c !== ' ') seenContent = true;
  }
  if (tabs > 0 && semicolons === 0 && commas === 0) {
    throw new ImportError(
      file,
      line,
      null,
      `Die Kopfzeile ist durch Tabulatoren getrennt; erwartet wird „;“ oder „,“ – ${EXCEL_HINT}.`,
    );
  }
  return semicolons > commas ? ';' : ',';
}

function csvSyntaxError(file: string, text: string, err: unknown, lastEnd: number): ImportError {
  const e = err as { code?: string; lines?: number; message?: string };
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
    // The record that never ends starts on the first non-empty line after the last complete one.
    const lines = text.split('\n');
    let start = lastEnd + 1;
    while (start <= lines.length && lines[start - 1]!.trim() === '') start++;
    return new ImportError(
      file,
      start,
      null,
      'Ein Anführungszeichen wird bis zum Ende der Datei nicht geschlossen (Anführungszeichen in einem Feld werden verdoppelt: "").',
    );
  }
  const line = typeof e.lines === 'number' ? e.lines : null;
  if (e.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new ImportError(
      file,
      line,
      null,
      'Nach einem schließenden Anführungszeichen folgt weder Trennzeichen noch Zeilenende (Anführungszeichen in einem Feld werden verdoppelt: "").',
    );
  }
  if (e.code === 'INVALID_OPENING_QUOTE') {
    return new ImportError(
      file,
      line,
      null,
      'Ein Anführungszeichen mitten in einem Feld: ein Feld mit Anführungszeichen steht ganz in Anführungszeichen, die inneren verdoppelt ("").',
    );
  }
  return new ImportError(file, line, null, `Die CSV-Datei ist nicht lesbar: ${e.message ?? String(err)}`);
}

// ---------------------------------------------------------------------------------------------------------
// One record
// ---------------------------------------------------------------------------------------------------------

function tooMany(file: string, n: number, max: number) {
  if (n > max) {
    throw new ImportError(
      file,
      null,
      null,
      `Die Datei enthält ${n.toLocaleString('de-DE')} Projekte; erlaubt sind höchstens ` +
        `${max.toLocaleString('de-DE')} je Datei. Bitte aufteilen.`,
    );
  }
}

function unknownFieldReason(name: string): string {
  const close = IMPORT_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase() || editDistance(f, name) <= 2);
  return `Unbekanntes Feld${close ? ` – gemeint ist vielleicht „${close}“` : ''}. Erlaubt sind: ${IMPORT_FIELDS.join(', ')}.`;
}

/** Levenshtein distance (field names are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Builds and checks one record from its raw values (CSV: strings; JSON: anything). */
function toRecord(
  values: Record<string, unknown>,
  place: Place,
  seen: Map<string, string>,
  label: string,
  vocab: Vocabulary,
): ImportRecord {
  for (const name of REQUIRED_FIELDS) {
    if (place.fmt === 'json' && (values[name] === undefined || values[name] === null))
      place.fail(name, 'Pflichtfeld fehlt.');
  }
  const get = (name: ImportField) => (Object.hasOwn(values, name) ? (values[name] ?? null) : null);

  const externalId = single(place, 'externalId', get('externalId'));
  if (externalId === '') place.fail('externalId', 'Pflichtfeld – bitte ausfüllen.');
  if (externalId.length > IMPORT_LIMITS.externalId || !EXTERNAL_ID.test(externalId)) {
    place.fail(
      'externalId',
      `„${clip(externalId)}“ ist keine gültige Kennung: 1 bis ${IMPORT_LIMITS.externalId} Zeichen aus A–Z, a–z, 0–9 und . _ : -`,
    );
  }
  const earlier = seen.get(externalId);
  if (earlier !== undefined)
    place.fail('externalId', `„${externalId}“ steht schon in ${earlier}; jede Kennung nur einmal je Datei.`);
  seen.set(externalId, label);

  const content = emptyPractice();
  content.title = single(place, 'title', get('title'));
  content.summary = single(place, 'summary', get('summary'));
  content.description = multi(place, 'description', get('description'));
  content.regions = list(place, 'regions', get('regions'));
  content.sectors = list(place, 'sectors', get('sectors'));
  content.status = status(place, get('status'));
  content.startYear = year(place, 'startYear', get('startYear'));
  content.endYear = year(place, 'endYear', get('endYear'));
  content.tags = list(place, 'tags', get('tags'));
  content.links.website = single(place, 'url', get('url'));
  content.source = single(place, 'source', get('source'));
  content.licence = single(place, 'licence', get('licence'));

  content.regions.forEach((key, i) => {
    if (/^\d+$/.test(key) && [1, 4, 7, 11].includes(key.length)) {
      failAt(
        place,
        'regions',
        i,
        `„${key}“ hat ${key.length} Ziffern – vermutlich hat ein Tabellenprogramm die führende 0 entfernt (gemeint ist wohl 0${key}).`,
      );
    }
  });

  const first = validatePractice(content, { complete: true }, vocab)[0];
  if (first) {
    const m = /^([A-Za-z.]+)(?:\[(\d+)\])?$/.exec(first.field);
    const base = m?.[1] === 'links.website' ? 'url' : (m?.[1] ?? first.field);
    failAt(place, base, m?.[2] === undefined ? null : Number(m[2]), formatDe(first.text));
  }
  return { externalId, content, where: place.where };
}

/** Fail at a field or at one entry of a list field (JSON: `regions[2]`; CSV: the column, "3. Eintrag"). */
function failAt(place: Place, field: string, item: number | null, reason: string): never {
  if (item === null) place.fail(field, reason);
  if (place.fmt === 'json') place.fail(`${field}[${item}]`, reason);
  place.fail(field, `${item + 1}. Eintrag: ${reason}`);
}

/** A validation message in German, its `{params}` filled in. */
export function formatDe(t: Text): string {
  const template = (validationDe as Record<string, string>)[t.key] ?? t.key;
  return template.replace(/\{(\w+)\}/g, (all, name: string) =>
    t.params && name in t.params ? String(t.params[name]) : all,
  );
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function checkControl(place: Place, field: string, s: string) {
  if (!MAYBE_CONTROL.test(s)) return;
  const m = CONTROL.exec(s);
  if (m) {
    const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    place.fail(field, `unerlaubtes Steuerzeichen U+${code} an Stelle ${m.index + 1}.`);
  }
}

function str(place: Place, field: string, v: unknown): string {
  if (v === null) return '';
  if (typeof v !== 'string')
    place.fail(field, `Eine Zeichenkette in Anführungszeichen erwartet, hier steht ${jsonKind(v)}.`);
  return v;
}

/** One-line text: trimmed, inner line breaks and tabs become one space. */
function single(place: Place, field: string, v: unknown): string {
  const s = oneLine(str(place, field, v));
  checkControl(place, field, s);
  return s;
}

const oneLine = (s: string) => (/[\t\n\r]/.test(s) ? s.replace(/\s*[\t\n\r]\s*/g, ' ').trim() : s.trim());

/** Multi-line text (Markdown): trimmed, line ends LF. */
function multi(place: Place, field: string, v: unknown): string {
  const s = str(place, field, v).replace(/\r\n?/g, '\n').trim();
  checkControl(place, field, s);
  return s;
}

/** JSON: an array of strings; CSV: entries separated by `;` (empty entries dropped). */
function list(place: Place, field: string, v: unknown): string[] {
  if (v === null) return [];
  if (place.fmt === 'csv') {
    return single(place, field, v)
      .split(';')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  }
  if (!Array.isArray(v)) {
    place.fail(field, `Eine Liste erwartet, z. B. ["a", "b"], hier steht ${jsonKind(v)}.`);
  }
  return v.map((item, i) => {
    if (typeof item !== 'string') failAt(place, field, i, `Eine Zeichenkette erwartet, hier steht ${jsonKind(item)}.`);
    const s = oneLine(item);
    checkControl(place, `${field}[${i}]`, s);
    return s;
  });
}

function status(place: Place, v: unknown): PracticeStatus {
  const s = single(place, 'status', v);
  if (s === '') place.fail('status', 'Pflichtfeld – bitte ausfüllen.');
  if (!(PRACTICE_STATUSES as readonly string[]).includes(s)) {
    place.fail('status', `„${clip(s)}“ ist kein Status; erlaubt sind: ${PRACTICE_STATUSES.join(', ')}.`);
  }
  return s as PracticeStatus;
}

function year(place: Place, field: string, v: unknown): number | null {
  if (v === null) return null;
  if (place.fmt === 'json') {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      place.fail(field, `Eine Jahreszahl ohne Anführungszeichen erwartet (z. B. 2021), hier steht ${jsonKind(v)}.`);
    }
    return v;
  }
  const s = single(place, field, v);
  if (s === '') return null;
  if (!/^\d{1,6}$/.test(s)) place.fail(field, `„${clip(s)}“ ist keine Jahreszahl (z. B. 2021).`);
  return Number(s);
}

/**
 * The content an import writes over an existing project: the import's fields from the file, every other
 * field (providers, costs, contact, links other than the website …) as the project has it.
 */
export function mergeImported(existing: PracticeContent, imported: PracticeContent): PracticeContent {
  return {
    ...existing,
    title: imported.title,
    summary: imported.summary,
    description: imported.description,
    regions: [...imported.regions],
    sectors: [...imported.sectors],
    status: imported.status,
    startYear: imported.startYear,
    endYear: imported.endYear,
    tags: [...imported.tags],
    links: { ...existing.links, website: imported.links.website },
    source: imported.source,
    licence: imported.licence,
  };
}
