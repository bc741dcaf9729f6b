/**
 * Parser for the Destatis Gemeindeverzeichnis in the GV100AD fixed-width format
 * ("Datensatzbeschreibung GV100AD", gültig ab 14.06.2000).
 *
 * Pure: no file or network access. The caller reads the bytes, `decodeRelease` turns them into text
 * (UTF-8 or ISO-8859-1), and `parseGv100ad` turns the text into `RegionRecord`s.
 *
 * Layout (1-based, inclusive character positions; every record is 220 characters):
 *   1-2     Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (BW only), 40 Kreis, 50 Gemeindeverband, 60 Gemeinde
 *   3-10    Gebietsstand JJJJMMTT
 *   11-18   Amtlicher Regionalschlüssel: 11-12 Land, 13 RB, 14-15 Kreis (type 30: 14 Region), 16-18 Gemeinde
 *   19-22   Gemeindeverband (types 50, 60)
 *   23-72   name
 *   73-122  seat of the administration (types 10-50; blank in type 60)
 *   123-124 Textkennzeichen (types 40, 50, 60)
 *   type 60 only:
 *   129-139 area in ha, 140-150 population total, 151-161 population male (there is no female field),
 *   166-170 PLZ of the Gemeinde (of the administrative seat if it has several),
 *   171-175 blank = only one PLZ, anything else (in practice "*****") = several PLZ.
 *
 * Positions are character positions: decode first, then slice. The UTF-8 `.txt` files have lines of
 * 220 characters but up to 224 bytes (e.g. "Cottbus/Chóśebuz").
 */
import type { Level, RegionRecord } from './region.js';

/** Record types (Satzart) of GV100AD and the register level each one maps to. */
export const RECORD_TYPES = ['10', '20', '30', '40', '50', '60'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const LEVEL_BY_RECORD_TYPE: Record<RecordType, Level> = {
  '10': 'land',
  '20': 'regierungsbezirk',
  '30': 'region',
  '40': 'kreis',
  '50': 'gemeindeverband',
  '60': 'gemeinde',
};

/** Fixed record length in characters. */
export const RECORD_LENGTH = 220;

export interface ParsedRelease {
  /** Gebietsstand as ISO date "YYYY-MM-DD"; the same on every record of the file. */
  release: string;
  /** All records in file order. */
  records: RegionRecord[];
  countsByType: Record<RecordType, number>;
}

/**
 * Textkennzeichen (pos. 123-124) as listed in the Datensatzbeschreibung. The codes of the three record
 * types that carry one do not overlap (40: 41-45, 50: 50-58, 60: 60-67), so the map is keyed by the
 * code alone; `level` says which record type the code belongs to.
 */
export const DESIGNATIONS: Record<string, { de: string; en: string; level: Level }> = {
  // Satzart 40, Kreis
  '41': { de: 'Kreisfreie Stadt', en: 'District-free city', level: 'kreis' },
  '42': { de: 'Stadtkreis', en: 'Urban district (Stadtkreis)', level: 'kreis' },
  '43': { de: 'Kreis', en: 'District', level: 'kreis' },
  '44': { de: 'Landkreis', en: 'Rural district', level: 'kreis' },
  '45': { de: 'Regionalverband', en: 'Regional association', level: 'kreis' },
  // Satzart 50, Gemeindeverband
  '50': { de: 'Verbandsfreie Gemeinde', en: 'Municipality not in an association', level: 'gemeindeverband' },
  '51': { de: 'Amt', en: 'Amt (association of municipalities)', level: 'gemeindeverband' },
  '52': { de: 'Samtgemeinde', en: 'Samtgemeinde (joint municipality)', level: 'gemeindeverband' },
  '53': { de: 'Verbandsgemeinde', en: 'Verbandsgemeinde (collective municipality)', level: 'gemeindeverband' },
  '54': { de: 'Verwaltungsgemeinschaft', en: 'Administrative community', level: 'gemeindeverband' },
  '55': { de: 'Kirchspielslandgemeinde', en: 'Parish rural municipality', level: 'gemeindeverband' },
  '56': { de: 'Verwaltungsverband', en: 'Administrative union', level: 'gemeindeverband' },
  '57': {
    de: 'Verwaltungsgemeinschaft (Trägermodell)',
    en: 'Administrative community (host municipality model)',
    level: 'gemeindeverband',
  },
  '58': {
    de: 'Erfüllende Gemeinde',
    en: 'Municipality performing tasks for others (erfüllende Gemeinde)',
    level: 'gemeindeverband',
  },
  // Satzart 60, Gemeinde
  '60': { de: 'Markt', en: 'Market town', level: 'gemeinde' },
  '61': { de: 'Kreisfreie Stadt', en: 'District-free city', level: 'gemeinde' },
  '62': { de: 'Stadtkreis', en: 'Urban district (Stadtkreis)', level: 'gemeinde' },
  '63': { de: 'Stadt', en: 'Town', level: 'gemeinde' },
  '64': { de: 'Kreisangehörige Gemeinde', en: 'Municipality belonging to a district', level: 'gemeinde' },
  '65': { de: 'Gemeindefreies Gebiet, bewohnt', en: 'Unincorporated area, inhabited', level: 'gemeinde' },
  '66': { de: 'Gemeindefreies Gebiet, unbewohnt', en: 'Unincorporated area, uninhabited', level: 'gemeinde' },
  '67': { de: 'Große Kreisstadt', en: 'Major district town (Große Kreisstadt)', level: 'gemeinde' },
};

/**
 * Label of a Textkennzeichen for a region of the given level, or null if the code is null, unknown or
 * belongs to another level (the codes do not overlap, so the level is only a consistency check).
 */
export function designationLabel(level: Level, code: string | null, lang: 'de' | 'en' = 'de'): string | null {
  if (code === null) return null;
  const entry = DESIGNATIONS[code];
  return entry !== undefined && entry.level === level ? entry[lang] : null;
}

/** A structural error in a GV100AD file, pointing at the line and field. */
export class Gv100adError extends Error {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly field: string;
  readonly reason: string;

  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}, Zeile ${line}, Feld ${field}: ${reason}`);
    this.name = 'Gv100adError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decode a release file: UTF-8 (the current Destatis `.txt` files) or ISO-8859-1 (the older `.ASC` files).
 * A leading UTF-8 BOM is removed. Line ends are left as they are; `parseGv100ad` accepts CRLF and LF.
 *
 * Which encoding, when the bytes are not valid UTF-8 throughout:
 * - a BOM, or more valid UTF-8 multi-byte sequences than invalid bytes: a damaged UTF-8 file. It is
 *   decoded as UTF-8, and every invalid byte becomes a marker (a lone surrogate U+DC80-U+DCFF, which no
 *   valid UTF-8 can produce) that `parseGv100ad` reports with file, line and field. It is not re-read as
 *   ISO-8859-1: that would turn every correct umlaut into two characters and report a misleading error
 *   on the first line with an umlaut;
 * - otherwise (high bytes, but no or hardly any valid multi-byte sequences): ISO-8859-1. A German
 *   ISO-8859-1 text only rarely contains a byte pair that happens to be valid UTF-8 ("Ã¤").
 *
 * Note: TextDecoder('latin1') would actually decode windows-1252, which differs in 0x80-0x9F; the
 * ISO-8859-1 decoding here maps every byte to the code point of the same value.
 */
export function decodeRelease(buf: Uint8Array): string {
  let bytes = buf;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) bytes = bytes.subarray(3);
  try {
    // Pure ASCII is valid UTF-8 and decodes identically under both encodings.
    return utf8.decode(bytes);
  } catch {
    const { multiByte, invalid } = scanUtf8(bytes);
    return bom || multiByte.length > invalid.length ? decodeUtf8Marked(bytes, invalid) : decodeLatin1(bytes);
  }
}

/** First code point of the markers `decodeRelease` puts in place of invalid bytes (U+DC00 + byte). */
const INVALID_BYTE_MARKER = 0xdc00;

/** Offsets of the valid UTF-8 multi-byte sequences and of the bytes that are not part of one. */
function scanUtf8(bytes: Uint8Array): { multiByte: number[]; invalid: number[] } {
  const multiByte: number[] = [];
  const invalid: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i += 1;
      continue;
    }
    const n = utf8SequenceLength(bytes, i);
    if (n === 0) {
      invalid.push(i);
      i += 1;
    } else {
      multiByte.push(i);
      i += n;
    }
  }
  return { multiByte, invalid };
}

/** Length of the valid UTF-8 multi-byte sequence starting at `i` (RFC 3629), or 0 if there is none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  // Length and the allowed range of the second byte: E0 and F0 exclude overlong forms, ED the surrogates,
  // F4 everything above U+10FFFF.
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) n = 3;
  else if (b0 >= 0xf0 && b0 <= 0xf4) n = 4;
  else return 0;
  if (b0 === 0xe0) lo = 0xa0;
  else if (b0 === 0xed) hi = 0x9f;
  else if (b0 === 0xf0) lo = 0x90;
  else if (b0 === 0xf4) hi = 0x8f;
  if (i + n > bytes.length) return 0;
  const b1 = bytes[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** UTF-8 with a marker in place of each invalid byte (the offsets from `scanUtf8`). */
function decodeUtf8Marked(bytes: Uint8Array, invalid: number[]): string {
  const parts: string[] = [];
  let start = 0;
  for (const at of invalid) {
    parts.push(utf8Lenient.decode(bytes.subarray(start, at)), String.fromCharCode(INVALID_BYTE_MARKER + bytes[at]!));
    start = at + 1;
  }
  parts.push(utf8Lenient.decode(bytes.subarray(start)));
  return parts.join('');
}

function decodeLatin1(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chunkSize = 0x8000; // keep String.fromCharCode's argument count well below engine limits
  for (let i = 0; i < bytes.length; i += chunkSize) {
    chunks.push(String.fromCharCode(...bytes.subarray(i, i + chunkSize)));
  }
  return chunks.join('');
}

/**
 * Characters no record may contain: the markers of invalid UTF-8 bytes (lone surrogates; with the `u`
 * flag a surrogate pair is one code point and does not match) and control characters. PostgreSQL text
 * cannot hold NUL at all; the others (tab, a stray CR, C1 controls from a windows-1252 file read as
 * ISO-8859-1 …) break the fixed layout or end up invisibly in names.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNWANTED_CHAR = /[\u0000-\u001f\u007f-\u009f\udc80-\udcff]/u;

/** Why `ch` (found by UNWANTED_CHAR) is not allowed, for the error message. */
function unwantedCharReason(ch: string, position: number): string {
  const code = ch.charCodeAt(0);
  if (code >= INVALID_BYTE_MARKER) {
    const byte = (code - INVALID_BYTE_MARKER).toString(16).toUpperCase();
    return (
      `ungültiges UTF-8-Byte 0x${byte} an Stelle ${position} – die Datei ist sonst UTF-8-kodiert, ` +
      'diese Stelle ist beschädigt oder in einer anderen Kodierung (z. B. ISO-8859-1) geschrieben'
    );
  }
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const name = code === 0 ? ' (NUL)' : code === 9 ? ' (Tabulator)' : code === 13 ? ' (CR)' : '';
  return `Steuerzeichen U+${hex}${name} an Stelle ${position} ist in einem Datensatz nicht erlaubt`;
}

/** The field at a 1-based character position of a record (Datensatzbeschreibung), for error messages. */
function fieldAt(type: string, position: number): string {
  const gemeinde = type === '60';
  if (position <= 2) return 'Satzart';
  if (position <= 10) return 'Gebietsstand';
  if (position <= 18) return gemeinde ? 'AGS' : 'Regionalschlüssel';
  if (position <= 22) return 'Gemeindeverband';
  if (position <= 72) return 'Name';
  if (position <= 122 && !gemeinde) return 'Verwaltungssitz';
  if (position >= 123 && position <= 124) return 'Textkennzeichen';
  if (gemeinde) {
    if (position >= 129 && position <= 139) return 'Fläche';
    if (position >= 140 && position <= 150) return 'Einwohner';
    if (position >= 151 && position <= 161) return 'Einwohner männlich';
    if (position >= 166 && position <= 175) return 'PLZ';
  }
  return `Stelle ${position} (leer)`;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------

/** A record before parent resolution, with the line it came from. */
interface RawRecord {
  type: RecordType;
  line: number;
  record: RegionRecord;
}

const DIGITS = /^[0-9]+$/;

/**
 * Parse a decoded GV100AD file.
 *
 * Lines may end in CRLF or LF; empty lines at the end are ignored. A line may be shorter than 220
 * characters when only trailing blanks are missing (some copies trim them); a truncated mandatory
 * field then fails its own check. Longer lines are rejected.
 *
 * Throws `Gv100adError` on the first problem found (invalid bytes and control characters, record type,
 * Gebietsstand, keys, numbers, duplicate keys, missing parent records).
 */
export function parseGv100ad(text: string, fileName = 'GV100AD'): ParsedRelease {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length === 0) throw new Gv100adError(fileName, 1, 'Datei', 'die Datei enthält keine Datensätze');

  const raws: RawRecord[] = [];
  const firstLineOfKey = new Map<string, number>();
  let releaseRaw: string | null = null;
  let releaseLine = 0;

  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const fail = (field: string, reason: string): never => {
      throw new Gv100adError(fileName, lineNo, field, reason);
    };

    const unwanted = UNWANTED_CHAR.exec(rawLine);
    if (unwanted) {
      const position = unwanted.index + 1;
      fail(fieldAt(rawLine.slice(0, 2), position), unwantedCharReason(unwanted[0], position));
    }
    if (rawLine.length > RECORD_LENGTH) {
      fail('Zeilenlänge', `${rawLine.length} Zeichen statt ${RECORD_LENGTH}`);
    }
    if (rawLine.trim() === '') fail('Zeilenlänge', 'leere Zeile mitten in der Datei');
    const line = rawLine.padEnd(RECORD_LENGTH, ' ');
    /** Characters at 1-based inclusive positions from..to. */
    const at = (from: number, to: number): string => line.slice(from - 1, to);

    const type = at(1, 2);
    if (!isRecordType(type)) fail('Satzart', `"${type}" ist keine bekannte Satzart (10, 20, 30, 40, 50, 60)`);
    const recordType = type as RecordType;

    const stand = at(3, 10);
    if (releaseRaw === null) {
      if (isoDate(stand) === null) fail('Gebietsstand', `"${stand}" ist kein gültiges Datum (JJJJMMTT)`);
      releaseRaw = stand;
      releaseLine = lineNo;
    } else if (stand !== releaseRaw) {
      if (isoDate(stand) === null) fail('Gebietsstand', `"${stand}" ist kein gültiges Datum (JJJJMMTT)`);
      fail('Gebietsstand', `"${stand}" weicht vom Gebietsstand "${releaseRaw}" aus Zeile ${releaseLine} ab`);
    }

    const keyField = recordType === '60' ? 'AGS' : 'Regionalschlüssel';
    const digits = (field: string, value: string, what: string): string => {
      if (!DIGITS.test(value)) fail(field, `"${value}" ist kein gültiger ${what} (nur Ziffern erwartet)`);
      return value;
    };
    const number = (field: string, value: string): number => {
      if (!DIGITS.test(value)) fail(field, `"${value}" ist keine Zahl`);
      return Number.parseInt(value, 10);
    };

    let key: string;
    let ars: string;
    switch (recordType) {
      case '10':
        key = digits(keyField, at(11, 12), 'Landesschlüssel');
        ars = key;
        break;
      case '20':
        key = digits(keyField, at(11, 13), 'Schlüssel des Regierungsbezirks');
        ars = key;
        break;
      case '30':
        key = digits(keyField, at(11, 14), 'Schlüssel der Region');
        ars = key;
        break;
      case '40':
        key = digits(keyField, at(11, 15), 'Kreisschlüssel');
        ars = key;
        break;
      case '50':
        key =
          digits(keyField, at(11, 15), 'Kreisschlüssel') + digits('Gemeindeverband', at(19, 22), 'Verbandsschlüssel');
        ars = key;
        break;
      case '60': {
        key = digits(keyField, at(11, 18), 'Gemeindeschlüssel');
        const verband = digits('Gemeindeverband', at(19, 22), 'Verbandsschlüssel');
        ars = at(11, 15) + verband + at(16, 18);
        break;
      }
    }

    const name = at(23, 72).trim();
    if (name === '') fail('Name', 'Name fehlt');

    const designationRaw = at(123, 124).trim();
    const designationCode = designationRaw === '' ? null : designationRaw;
    if (designationCode !== null && !/^[0-9]{2}$/.test(designationCode)) {
      fail('Textkennzeichen', `"${at(123, 124)}" ist kein gültiges Textkennzeichen`);
    }

    const record: RegionRecord = {
      key,
      level: LEVEL_BY_RECORD_TYPE[recordType],
      ars,
      parentKey: null, // resolved below, once all records are known
      name,
      designationCode,
      seat: null,
      areaKm2: null,
      population: null,
      populationMale: null,
      populationFemale: null,
      postcode: null,
      multiplePostcodes: false,
      release: '', // set below
    };

    if (recordType === '60') {
      const areaHa = number('Fläche', at(129, 139));
      const population = number('Einwohner', at(140, 150));
      const male = number('Einwohner männlich', at(151, 161));
      if (male > population) {
        fail('Einwohner männlich', `${male} männliche Einwohner bei ${population} Einwohnern insgesamt`);
      }
      const postcode = at(166, 170).trim();
      if (postcode !== '' && !/^[0-9]{5}$/.test(postcode)) fail('PLZ', `"${at(166, 170)}" ist keine Postleitzahl`);
      record.areaKm2 = areaHa / 100;
      record.population = population;
      record.populationMale = male;
      record.populationFemale = population - male;
      record.postcode = postcode === '' ? null : postcode;
      // The PDF: blank = the Gemeinde has only one PLZ, anything else = several (the files use "*****").
      record.multiplePostcodes = at(171, 175).trim() !== '';
    } else {
      const seat = at(73, 122).trim();
      record.seat = seat === '' ? null : seat;
    }

    const firstLine = firstLineOfKey.get(key);
    if (firstLine !== undefined) {
      fail(keyField, `Schlüssel ${key} kommt doppelt vor (zuerst in Zeile ${firstLine})`);
    }
    firstLineOfKey.set(key, lineNo);
    raws.push({ type: recordType, line: lineNo, record });
  });

  // releaseRaw is set: there is at least one line, and the first line either set it or threw.
  const release = isoDate(releaseRaw ?? '') ?? '';
  const typeOfKey = new Map<string, RecordType>();
  for (const raw of raws) typeOfKey.set(raw.record.key, raw.type);
  const has = (key: string, type: RecordType): boolean => typeOfKey.get(key) === type;

  const countsByType: Record<RecordType, number> = { '10': 0, '20': 0, '30': 0, '40': 0, '50': 0, '60': 0 };
  for (const raw of raws) {
    raw.record.release = release;
    raw.record.parentKey = resolveParent(raw, has, fileName);
    countsByType[raw.type] += 1;
  }
  return { release, records: raws.map((r) => r.record), countsByType };
}

/**
 * Parent of a record (see region.ts):
 *   Gemeinde → Gemeindeverband (9) → Kreis (5) → Region (4, BW) or Regierungsbezirk (3) or Land (2).
 * A Gemeinde also needs its Kreis and Land to exist, except for the Land-level pseudo Kreise "XX000"
 * (e.g. 07000 "Gemeinsames deutsch-luxemburgisches Hoheitsgebiet", 13000 "Küstengewässer"), which have
 * a Gemeindeverband and Gemeinde record but no Kreis record. Such a Gemeindeverband hangs directly below
 * the Regierungsbezirk or Land.
 */
function resolveParent(raw: RawRecord, has: (key: string, type: RecordType) => boolean, file: string): string | null {
  const { key } = raw.record;
  const fail = (field: string, reason: string): never => {
    throw new Gv100adError(file, raw.line, field, reason);
  };
  const keyField = raw.type === '60' ? 'AGS' : 'Regionalschlüssel';
  const landOf = (k: string): string => {
    const land = k.slice(0, 2);
    if (!has(land, '10')) fail(keyField, `kein Land-Datensatz (Satzart 10) für Land ${land}`);
    return land;
  };
  /** Region if present (BW), else Regierungsbezirk if present, else Land — for a Kreis-level key. */
  const aboveKreis = (kreisKey: string): string => {
    const region = kreisKey.slice(0, 4);
    if (has(region, '30')) return region;
    const rb = kreisKey.slice(0, 3);
    if (has(rb, '20')) return rb;
    return landOf(kreisKey);
  };
  const isPseudoKreis = (kreisKey: string): boolean => kreisKey.endsWith('000');

  switch (raw.type) {
    case '10':
      return null;
    case '20':
      return landOf(key);
    case '30': {
      const rb = key.slice(0, 3);
      return has(rb, '20') ? rb : landOf(key);
    }
    case '40':
      return aboveKreis(key);
    case '50': {
      const kreis = key.slice(0, 5);
      if (has(kreis, '40')) return kreis;
      if (isPseudoKreis(kreis)) return aboveKreis(kreis);
      return fail('Regionalschlüssel', `kein Kreis-Datensatz (Satzart 40) für Kreis ${kreis}`);
    }
    case '60': {
      const kreis = key.slice(0, 5);
      const verband = raw.record.ars.slice(0, 9);
      landOf(key);
      if (!has(kreis, '40') && !isPseudoKreis(kreis)) {
        fail('AGS', `kein Kreis-Datensatz (Satzart 40) für Kreis ${kreis}`);
      }
      if (!has(verband, '50')) {
        fail('Gemeindeverband', `kein Gemeindeverband-Datensatz (Satzart 50) für Verband ${verband}`);
      }
      return verband;
    }
  }
}

function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value);
}

/** "20251130" → "2025-11-30", or null if it is not a real calendar date. */
function isoDate(value: string): string | null {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return null;
  }
  return `${y}-${mo}-${d}`;
}
