/**
 * Official lists of territorial changes, read into successor links (old key → new key).
 *
 * Two publishers, three layouts (details in shared/data/gebietsaenderungen/SOURCE.md):
 *
 *  - Destatis "Gebietsänderungen" (GV-ISys, one file per year or a running list `YYYY-MM.xlsx`):
 *    sheet `Gebietsaenderungen`, title in row 1, two header rows (2–3), data from row 5, a footer (legend,
 *    copyright) after the data. Columns A–M: Kennziffer, Regionaleinheit, old ARS, old AGS, old name,
 *    Änderungsart, area m², population, new ARS, new AGS, new name, date juristisch, date statistisch.
 *    Änderungsart: 1 Auflösung, 2 Teilausgliederung, 3 Schlüsseländerung, 4 Namensänderung.
 *  - BBSR Umstiegsschlüssel Gemeinden (`ref-gemeinden-ab-2020.xlsx`): one sheet per year-end step,
 *    header in row 1, keys as Excel integers (leading zero lost).
 *  - BBSR Umstiegsschlüssel Kreise (`ref-kreise-umrech-2021-1990-2020.xlsx`): one sheet per year 1990–2020,
 *    each mapping the Kreise of 31.12.YYYY onto those of 31.12.2021; keys are Kreis + "000" as integers.
 *
 * Rules for a successor link (the same for all three):
 *  - the old region ends: the old key differs from the new key and the old key does not go on (Destatis type 2
 *    partial transfers and their "remainder" rows are skipped; in BBSR a row whose old key is still a key of the
 *    target Gebietsstand is a partial transfer and is skipped too);
 *  - Destatis type 1 (Auflösung): one link per receiving region, `share` = population share of the old region
 *    (area share if no population moved, e.g. gemeindefreie Gebiete);
 *  - Destatis type 3 (Schlüsseländerung) only when the key itself changes (most type-3 rows change only the ARS,
 *    because the Gemeindeverband changed; the AGS stays); type 4 (name change) never gives a link.
 *  - Destatis Gemeinde rows give AGS keys (8 digits), Gemeindeverband rows 9-digit keys, Kreis rows 5 digits.
 */

import type { CellValue, Workbook, Worksheet } from 'exceljs';
import type { OfficialLink } from './changes.js';

export type { OfficialLink };

export type ChangeListKind = 'destatis' | 'bbsr-gemeinden' | 'bbsr-kreise';

/** A file that is not one of the known layouts, or a data row that breaks it. */
export class ChangeListError extends Error {
  readonly file: string;
  readonly sheet: string | null;
  /** 1-based row number in the sheet. */
  readonly row: number | null;
  readonly field: string | null;
  readonly reason: string;

  constructor(file: string, sheet: string | null, row: number | null, field: string | null, reason: string) {
    const where = [
      file,
      sheet !== null ? `Blatt ${sheet}` : null,
      row !== null ? `Zeile ${row}` : null,
      field !== null ? `Feld ${field}` : null,
    ]
      .filter((part): part is string => part !== null)
      .join(', ');
    super(`${where}: ${reason}`);
    this.name = 'ChangeListError';
    this.file = file;
    this.sheet = sheet;
    this.row = row;
    this.field = field;
    this.reason = reason;
  }
}

/** The bytes of an xlsx file. */
export type ChangeListInput = Buffer | ArrayBuffer | Uint8Array;

// ---------------------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------------------

/** Reads any of the three layouts; an unknown layout throws a ChangeListError naming what was expected. */
export async function readOfficialChanges(buf: ChangeListInput, fileName: string): Promise<OfficialLink[]> {
  const wb = await loadWorkbook(buf, fileName);
  const kind = detectKind(wb);
  switch (kind) {
    case 'destatis':
      return destatisLinks(wb, fileName);
    case 'bbsr-gemeinden':
      return bbsrGemeindeLinks(wb, fileName);
    case 'bbsr-kreise':
      return bbsrKreisLinks(wb, fileName);
    case null:
      throw new ChangeListError(fileName, null, null, null, `${UNKNOWN_LAYOUT}${sheetList(wb)}`);
  }
}

/** The layout of a workbook (or of the xlsx bytes), null if none of the three. */
export async function detectChangeListKind(input: Workbook | ChangeListInput): Promise<ChangeListKind | null> {
  const isBytes = Buffer.isBuffer(input) || input instanceof ArrayBuffer || input instanceof Uint8Array;
  const wb = isBytes ? await loadWorkbook(input as ChangeListInput, 'Arbeitsmappe') : (input as Workbook);
  return detectKind(wb);
}

export async function readDestatisChanges(buf: ChangeListInput, fileName: string): Promise<OfficialLink[]> {
  return destatisLinks(await loadWorkbook(buf, fileName), fileName);
}

export async function readBbsrGemeindeKeys(buf: ChangeListInput, fileName: string): Promise<OfficialLink[]> {
  return bbsrGemeindeLinks(await loadWorkbook(buf, fileName), fileName);
}

export async function readBbsrKreisKeys(buf: ChangeListInput, fileName: string): Promise<OfficialLink[]> {
  return bbsrKreisLinks(await loadWorkbook(buf, fileName), fileName);
}

const DESTATIS_EXPECTED =
  'erwartet die Destatis-Liste der Gebietsänderungen: Blatt "Gebietsaenderungen" mit Kopfzeilen ' +
  '(Kennziffer, Regionaleinheit, ARS, AGS, Name, Änderungsart, Fläche qm, Einwohner, ARS, AGS, Name, ' +
  'Wirksamkeitsdatum juristisch, statistisch) und Daten ab Zeile 5';
const BBSR_EXPECTED =
  'erwartet einen BBSR-Umstiegsschlüssel: Kopfzeile 1 mit zwei Schlüsselspalten "Gemeinden 31.12.JJJJ" ' +
  '(bzw. "Kreise 31.12.JJJJ") und dem bevölkerungs- oder flächenproportionalen Umsteigeschlüssel';
const UNKNOWN_LAYOUT = `unbekanntes Tabellenlayout; ${DESTATIS_EXPECTED}, oder ${BBSR_EXPECTED}.`;

function sheetList(wb: Workbook): string {
  return ` Gefundene Blätter: ${wb.worksheets.map((ws) => `"${ws.name}"`).join(', ') || 'keine'}.`;
}

async function loadWorkbook(buf: ChangeListInput, fileName: string): Promise<Workbook> {
  const bytes = Buffer.isBuffer(buf)
    ? buf
    : buf instanceof ArrayBuffer
      ? Buffer.from(buf)
      : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  // exceljs is large: load it only when a change list is actually read (keeps server start fast).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own global `Buffer extends ArrayBuffer`; Node's Buffer is not assignable to it.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ChangeListError(fileName, null, null, null, `keine lesbare xlsx-Datei (${message})`);
  }
  return wb;
}

function detectKind(wb: Workbook): ChangeListKind | null {
  if (findDestatisSheet(wb)) return 'destatis';
  for (const ws of wb.worksheets) {
    const layout = bbsrLayout(ws);
    if (layout) return layout.unit === 'gemeinden' ? 'bbsr-gemeinden' : 'bbsr-kreise';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------------------

type Plain = string | number | boolean | Date | null;

/** The value of a cell without rich text, hyperlink or formula wrappers. */
function plain(value: CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plain(value.text);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined || (typeof result === 'object' && !(result instanceof Date))) return null;
    return result;
  }
  return null; // error values (#N/A, …)
}

function text(value: CellValue): string | null {
  const v = plain(value);
  if (v === null) return null;
  const s = (v instanceof Date ? v.toISOString() : String(v)).trim();
  return s === '' ? null : s;
}

/** Header text for matching: lower case, without whitespace, hyphens and soft hyphens. */
function norm(value: CellValue): string {
  return (text(value) ?? '').toLowerCase().replace(/[\s\-\u00ad]+/g, '');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const DE_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

function isoFromParts(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** DD.MM.YYYY text, a date cell, an ISO text or an Excel serial number → ISO date; undefined if empty. */
function isoDate(value: CellValue): string | null | undefined {
  const v = plain(value);
  if (v === null || v === '') return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'number') {
    // Excel serial date (days since 1899-12-30)
    if (!Number.isInteger(v) || v < 1) return null;
    return new Date(Date.UTC(1899, 11, 30) + v * 86_400_000).toISOString().slice(0, 10);
  }
  const s = String(v).trim();
  const de = DE_DATE.exec(s);
  if (de) return isoFromParts(Number(de[3]), Number(de[2]), Number(de[1]));
  const iso = ISO_DATE.exec(s);
  if (iso) return isoFromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return null;
}

interface RowContext {
  file: string;
  sheet: string;
  row: number;
}

function fail(ctx: RowContext, field: string, reason: string): never {
  throw new ChangeListError(ctx.file, ctx.sheet, ctx.row, field, reason);
}

/**
 * A key cell as digits. Numbers lost their leading zeros and are left-padded to `length`; text must have exactly
 * `length` digits (or `length - 1` without a leading zero: a text copy of such a number). Null if the cell is empty.
 */
function keyDigits(value: CellValue, length: number, ctx: RowContext, field: string): string | null {
  const v = plain(value);
  if (v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) fail(ctx, field, `Schlüssel ${v} ist keine ganze Zahl`);
    const s = String(v).padStart(length, '0');
    if (s.length !== length) fail(ctx, field, `Schlüssel ${v} hat mehr als ${length} Ziffern`);
    return s;
  }
  const s = String(v).trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) fail(ctx, field, `Schlüssel "${s}" besteht nicht nur aus Ziffern`);
  if (s.length === length) return s;
  if (s.length === length - 1 && !s.startsWith('0')) return `0${s}`; // a number copied as text
  return fail(ctx, field, `Schlüssel "${s}" hat ${s.length} Ziffern, erwartet ${length}`);
}

/** A count or area, int or text ("3218", "3.218", "3 218"); null if empty. */
function amount(value: CellValue, ctx: RowContext, field: string): number | null {
  const v = plain(value);
  if (v === null) return null;
  if (typeof v === 'number') return v;
  let s = String(v)
    .trim()
    .replace(/[\s\u00a0]/g, '');
  if (s === '' || s === '-' || s === '–') return null;
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  else s = s.replace(',', '.');
  const n = Number(s);
  if (!Number.isFinite(n)) fail(ctx, field, `"${String(v)}" ist keine Zahl`);
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Destatis Gebietsänderungen
// ---------------------------------------------------------------------------------------------------------

/** Columns A–M (1-based). */
const COL = {
  kennziffer: 1,
  unit: 2,
  oldArs: 3,
  oldAgs: 4,
  oldName: 5,
  type: 6,
  area: 7,
  population: 8,
  newArs: 9,
  newAgs: 10,
  newName: 11,
  dateLegal: 12,
  dateStatistical: 13,
} as const;

/** Header checks: column → test on the normalised text of the last header row. */
const DESTATIS_HEADER: [number, string, (h: string) => boolean][] = [
  [COL.unit, 'Regionaleinheit', (h) => h.includes('regionaleinheit')],
  [COL.oldArs, 'ARS', (h) => h.includes('regionalschlüssel') || h.includes('ars')],
  [COL.oldAgs, 'AGS', (h) => h.includes('gemeindeschlüssel') || h.includes('ags')],
  [COL.type, 'Änderungsart', (h) => h.includes('änderungsart')],
  [COL.area, 'Fläche', (h) => h.includes('fläche')],
  [COL.population, 'Einwohner', (h) => h.includes('einwohner')],
  [COL.newArs, 'ARS', (h) => h.includes('regionalschlüssel') || h.includes('ars')],
  [COL.newAgs, 'AGS', (h) => h.includes('gemeindeschlüssel') || h.includes('ags')],
  [COL.dateLegal, 'juristisch', (h) => h.includes('juristisch')],
  [COL.dateStatistical, 'statistisch', (h) => h.includes('statistisch')],
];

const UNITS = ['gemeinde', 'gemeindeverband', 'kreis'] as const;
type Unit = (typeof UNITS)[number];

function isUnit(s: string): s is Unit {
  return (UNITS as readonly string[]).includes(s);
}

/** The sheet and the last header row (the one with "ARS", "AGS", …), or null. */
/**
 * The sheet and its header rows: from the first row (of rows 1–8) with "Kennziffer" in A and "Regionaleinheit"
 * in B, through the next row unless that one is data (two header rows; A2:A3 and B2:B3 are merged in the
 * original, so both rows may carry "Kennziffer").
 */
function findDestatisSheet(wb: Workbook): { ws: Worksheet; headerFirst: number; headerLast: number } | null {
  const sheets = [...wb.worksheets].sort(
    (a, b) => Number(!/^gebiets(ae|ä)nderungen$/i.test(a.name)) - Number(!/^gebiets(ae|ä)nderungen$/i.test(b.name)),
  );
  for (const ws of sheets) {
    for (let r = 1; r <= Math.min(8, ws.rowCount); r++) {
      const row = ws.getRow(r);
      if (
        norm(row.getCell(COL.kennziffer).value) === 'kennziffer' &&
        norm(row.getCell(COL.unit).value) === 'regionaleinheit'
      ) {
        const next = text(ws.getRow(r + 1).getCell(COL.kennziffer).value) ?? '';
        return { ws, headerFirst: r, headerLast: KENNZIFFER.test(next) ? r : r + 1 };
      }
    }
  }
  return null;
}

/** Kennziffer of a data row, e.g. "16/2024/0013-R". */
const KENNZIFFER = /^\d{1,2}\/\d{4}\/\d+/;

interface DestatisRow {
  ctx: RowContext;
  kennziffer: string | undefined;
  oldKey: string;
  newKey: string;
  types: number[];
  area: number | null;
  population: number | null;
  date: string | undefined;
  name: string | undefined;
  newName: string | undefined;
}

function destatisLinks(wb: Workbook, file: string): OfficialLink[] {
  const found = findDestatisSheet(wb);
  if (!found)
    throw new ChangeListError(file, null, null, null, `kein Destatis-Layout; ${DESTATIS_EXPECTED}.${sheetList(wb)}`);
  const { ws, headerFirst, headerLast } = found;
  const headerRow = headerLast;
  const headerText = (col: number, join: (parts: string[]) => string): string => {
    const parts: string[] = [];
    for (let r = headerFirst; r <= headerLast; r++) parts.push(text(ws.getRow(r).getCell(col).value) ?? '');
    return join([...new Set(parts.filter((p) => p !== ''))]);
  };
  const wrong = DESTATIS_HEADER.filter(([col, , test]) => !test(norm(headerText(col, (p) => p.join(''))))).map(
    ([col, label]) =>
      `Spalte ${String.fromCharCode(64 + col)} "${headerText(col, (p) => p.join(' / '))}" statt ${label}`,
  );
  if (wrong.length > 0) {
    throw new ChangeListError(
      file,
      ws.name,
      headerRow,
      null,
      `Kopfzeile passt nicht: ${wrong.join('; ')}. ${DESTATIS_EXPECTED}.`,
    );
  }

  const rows: DestatisRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const ctx: RowContext = { file, sheet: ws.name, row: r };
    const kennziffer = text(row.getCell(COL.kennziffer).value) ?? undefined;
    const unitText = text(row.getCell(COL.unit).value);
    const unit = unitText?.toLowerCase() ?? '';
    if (!isUnit(unit)) {
      // Blank rows and the footer (legend, copyright) have no Regionaleinheit. A row with a Kennziffer is data.
      if (kennziffer !== undefined && KENNZIFFER.test(kennziffer)) {
        fail(
          ctx,
          'Regionaleinheit',
          `"${unitText ?? ''}" ist keine bekannte Regionaleinheit (Gemeinde, Gemeindeverband, Kreis)`,
        );
      }
      continue;
    }
    const oldKey = destatisKey(unit, row.getCell(COL.oldArs).value, row.getCell(COL.oldAgs).value, ctx, 'abgebend');
    if (oldKey === null) fail(ctx, 'ARS (abgebend)', 'weder ARS noch AGS der abgebenden Einheit ist gesetzt');
    const newKey = destatisKey(unit, row.getCell(COL.newArs).value, row.getCell(COL.newAgs).value, ctx, 'aufnehmend');
    const types = changeTypes(row.getCell(COL.type).value, ctx);
    // The statistical date decides in which list a change appears; the legal one can be years older.
    const statistical = isoDate(row.getCell(COL.dateStatistical).value);
    if (statistical === null) {
      fail(
        ctx,
        'Wirksamkeitsdatum statistisch',
        `"${text(row.getCell(COL.dateStatistical).value)}" ist kein Datum (TT.MM.JJJJ)`,
      );
    }
    const legal = isoDate(row.getCell(COL.dateLegal).value);
    if (legal === null) {
      fail(
        ctx,
        'Wirksamkeitsdatum juristisch',
        `"${text(row.getCell(COL.dateLegal).value)}" ist kein Datum (TT.MM.JJJJ)`,
      );
    }
    const date = statistical ?? legal;
    const area = amount(row.getCell(COL.area).value, ctx, 'Fläche qm');
    const population = amount(row.getCell(COL.population).value, ctx, 'Einwohner');
    // No successor given (2025: dissolved gemeindefreie Gebiete have an empty Gemeindeverband successor).
    if (newKey === null) continue;
    rows.push({
      ctx,
      kennziffer,
      oldKey,
      newKey,
      types,
      area,
      population,
      date,
      name: text(row.getCell(COL.oldName).value) ?? undefined,
      newName: text(row.getCell(COL.newName).value) ?? undefined,
    });
  }

  // Which rows are successor links.
  const linkRows = rows.filter((r) => {
    if (r.oldKey === r.newKey) return false; // remainder of a type 2, ARS-only key change, name change
    if (r.types.includes(1)) return true;
    if (r.types.includes(3)) return true; // key change that really changes the key
    return false; // type 2 (partial transfer), type 4 (name)
  });

  // Shares of type-1 dissolutions: population share per old region, area share if no population moved.
  const groups = new Map<string, DestatisRow[]>();
  for (const r of linkRows) {
    const id = `${r.oldKey}|${r.date ?? ''}`;
    const list = groups.get(id);
    if (list) list.push(r);
    else groups.set(id, [r]);
  }
  const shareOf = new Map<DestatisRow, number | undefined>();
  for (const list of groups.values()) {
    const population = list.reduce((s, r) => s + (r.population ?? 0), 0);
    const area = list.reduce((s, r) => s + (r.area ?? 0), 0);
    for (const r of list) {
      let share: number | undefined;
      if (list.length === 1) share = 1;
      else if (population > 0) share = (r.population ?? 0) / population;
      else if (area > 0) share = (r.area ?? 0) / area;
      shareOf.set(r, share);
    }
  }

  const links: OfficialLink[] = [];
  const byPair = new Map<string, OfficialLink>();
  for (const r of linkRows) {
    const share = shareOf.get(r);
    const pair = `${r.oldKey}|${r.newKey}|${r.date ?? ''}`;
    const existing = byPair.get(pair);
    if (existing) {
      // The same pair twice (not seen in practice): one link, shares added.
      if (existing.share !== undefined && share !== undefined) existing.share += share;
      continue;
    }
    const link: OfficialLink = { oldKey: r.oldKey, newKey: r.newKey };
    if (share !== undefined) link.share = share;
    if (r.date !== undefined) link.date = r.date;
    link.changeType = r.types.join(',');
    if (r.name !== undefined) link.name = r.name;
    if (r.newName !== undefined) link.newName = r.newName;
    if (r.kennziffer !== undefined) link.kennziffer = r.kennziffer;
    link.source = `${r.ctx.file}, ${r.ctx.sheet}, Zeile ${r.ctx.row}`;
    byPair.set(pair, link);
    links.push(link);
  }
  return links;
}

/** Register key of one side of a Destatis row: AGS for Gemeinden, 9 digits for Verbände, 5 for Kreise. */
function destatisKey(unit: Unit, arsCell: CellValue, agsCell: CellValue, ctx: RowContext, side: string): string | null {
  if (unit === 'gemeinde') {
    const ags = keyDigits(agsCell, 8, ctx, `AGS (${side})`);
    const ars = keyDigits(arsCell, 12, ctx, `ARS (${side})`);
    if (ars !== null) {
      const fromArs = ars.slice(0, 5) + ars.slice(9, 12);
      if (ags !== null && ags !== fromArs) fail(ctx, `AGS (${side})`, `AGS ${ags} passt nicht zum ARS ${ars}`);
      return fromArs;
    }
    return ags;
  }
  if (unit === 'gemeindeverband') return keyDigits(arsCell, 9, ctx, `ARS (${side})`);
  // Kreis: 5 digits, or an ARS/AGS padded with zeros.
  const raw = text(arsCell) ?? text(agsCell);
  if (raw === null) return null;
  const digits = typeof plain(arsCell) === 'number' ? raw.padStart(5, '0') : raw;
  if (!/^\d{5}(\d{3}|\d{7})?$/.test(digits)) fail(ctx, `ARS (${side})`, `"${raw}" ist kein Kreisschlüssel`);
  return digits.slice(0, 5);
}

/** Änderungsart: 1–4 as int or text, also combined ("3, 4"). Sorted, without duplicates. */
function changeTypes(value: CellValue, ctx: RowContext): number[] {
  const raw = text(value);
  if (raw === null) return fail(ctx, 'Änderungsart', 'fehlt');
  const parts = raw.split(/[\s,;/+]+/).filter((p) => p !== '');
  const types = parts.map(Number);
  if (types.length === 0 || types.some((t) => !Number.isInteger(t) || t < 1 || t > 4)) {
    fail(ctx, 'Änderungsart', `"${raw}" ist keine Änderungsart (1–4)`);
  }
  return [...new Set(types)].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------
// BBSR Umstiegsschlüssel
// ---------------------------------------------------------------------------------------------------------

interface BbsrLayout {
  unit: 'gemeinden' | 'kreise';
  oldCol: number;
  newCol: number;
  oldNameCol: number | null;
  newNameCol: number | null;
  populationKeyCol: number | null;
  areaKeyCol: number | null;
  /** Population of the old region (absolute, in 100 or in 1000 depending on the sheet). */
  populationCol: number | null;
  from: string;
  to: string;
}

/** Header row 1: two key columns "Gemeinden 31.12.2020" … "Gemeinden 31.12.2021" (or "Kreise …"). */
function bbsrLayout(ws: Worksheet): BbsrLayout | null {
  const header = ws.getRow(1);
  const keyCols: { col: number; unit: 'gemeinden' | 'kreise'; date: string }[] = [];
  const nameCols: number[] = [];
  let populationKeyCol: number | null = null;
  let areaKeyCol: number | null = null;
  let populationCol: number | null = null;
  const last = Math.min(ws.columnCount, 40);
  for (let c = 1; c <= last; c++) {
    const h = norm(header.getCell(c).value);
    const key = /^(gemeinden|kreise)(\d{2})\.(\d{2})\.(\d{4})$/.exec(h);
    if (key) {
      const date = isoFromParts(Number(key[4]), Number(key[3]), Number(key[2]));
      if (date) keyCols.push({ col: c, unit: key[1] === 'gemeinden' ? 'gemeinden' : 'kreise', date });
    } else if (/^(gemeinde|kreis)name/.test(h)) {
      nameCols.push(c);
    } else if (h.includes('bevölkerungsproportional') && populationKeyCol === null) {
      populationKeyCol = c;
    } else if (h.includes('flächenproportional') && areaKeyCol === null) {
      areaKeyCol = c;
    } else if (h.startsWith('bevölkerungam') && populationCol === null) {
      populationCol = c;
    }
  }
  const [oldKey, newKey] = keyCols;
  if (!oldKey || !newKey || oldKey.unit !== newKey.unit) return null;
  if (populationKeyCol === null && areaKeyCol === null) return null;
  const oldName = nameCols.find((c) => c > oldKey.col && c < newKey.col) ?? null;
  const newName = nameCols.find((c) => c > newKey.col) ?? null;
  return {
    unit: oldKey.unit,
    oldCol: oldKey.col,
    newCol: newKey.col,
    oldNameCol: oldName,
    newNameCol: newName,
    populationKeyCol,
    areaKeyCol,
    populationCol,
    from: oldKey.date,
    to: newKey.date,
  };
}

interface BbsrRow {
  row: number;
  oldKey: string;
  newKey: string;
  populationKey: number | null;
  areaKey: number | null;
  population: number | null;
  name: string | undefined;
  newName: string | undefined;
}

interface BbsrSheet {
  ws: Worksheet;
  layout: BbsrLayout;
  rows: BbsrRow[];
}

function readBbsrSheets(wb: Workbook, file: string, unit: 'gemeinden' | 'kreise'): BbsrSheet[] {
  const sheets: BbsrSheet[] = [];
  for (const ws of wb.worksheets) {
    const layout = bbsrLayout(ws);
    if (!layout || layout.unit !== unit) continue;
    const keyLength = unit === 'gemeinden' ? 8 : 5;
    const rows: BbsrRow[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const ctx: RowContext = { file, sheet: ws.name, row: r };
      // Keys are 8 digits (Kreise: Kreis + "000"); integers lost their leading zero.
      const oldRaw = keyDigits(row.getCell(layout.oldCol).value, 8, ctx, `Schlüssel ${layout.from}`);
      if (oldRaw === null) continue; // trailing empty rows
      const newRaw = keyDigits(row.getCell(layout.newCol).value, 8, ctx, `Schlüssel ${layout.to}`);
      if (newRaw === null) fail(ctx, `Schlüssel ${layout.to}`, 'fehlt');
      const keyField = (date: string): string => `Umsteigeschlüssel ${date}`;
      rows.push({
        row: r,
        oldKey: oldRaw.slice(0, keyLength),
        newKey: newRaw.slice(0, keyLength),
        populationKey:
          layout.populationKeyCol === null
            ? null
            : amount(row.getCell(layout.populationKeyCol).value, ctx, keyField('bevölkerungsproportional')),
        areaKey:
          layout.areaKeyCol === null
            ? null
            : amount(row.getCell(layout.areaKeyCol).value, ctx, keyField('flächenproportional')),
        population:
          layout.populationCol === null ? null : amount(row.getCell(layout.populationCol).value, ctx, 'Bevölkerung'),
        name: layout.oldNameCol === null ? undefined : (text(row.getCell(layout.oldNameCol).value) ?? undefined),
        newName: layout.newNameCol === null ? undefined : (text(row.getCell(layout.newNameCol).value) ?? undefined),
      });
    }
    sheets.push({ ws, layout, rows });
  }
  if (sheets.length === 0) {
    throw new ChangeListError(
      file,
      null,
      null,
      null,
      `kein BBSR-Umstiegsschlüssel für ${unit === 'gemeinden' ? 'Gemeinden' : 'Kreise'}; ${BBSR_EXPECTED}.${sheetList(wb)}`,
    );
  }
  return sheets;
}

/**
 * Links of one sheet: rows whose old key ends (old ≠ new, and the old key is not a key of the target
 * Gebietsstand, which would make the row a partial transfer). Share: population key; area key if the old
 * region had no inhabitants (BBSR then splits the population key evenly, e.g. 0.3333 × 3 for the
 * gemeindefreie Gebiet Heinersreuther Forst) or the population key is empty.
 */
function bbsrSheetLinks(sheet: BbsrSheet, file: string): Map<string, OfficialLink[]> {
  const { ws, layout, rows } = sheet;
  const targetKeys = new Set(rows.map((r) => r.newKey));
  const byOld = new Map<string, BbsrRow[]>();
  for (const r of rows) {
    if (r.oldKey === r.newKey || targetKeys.has(r.oldKey)) continue;
    const list = byOld.get(r.oldKey);
    if (list) list.push(r);
    else byOld.set(r.oldKey, [r]);
  }
  const out = new Map<string, OfficialLink[]>();
  for (const [oldKey, list] of byOld) {
    const inhabited = list.every((r) => r.population === null) || list.some((r) => (r.population ?? 0) > 0);
    const usePopulation = inhabited && list.some((r) => (r.populationKey ?? 0) > 0);
    const links = new Map<string, OfficialLink>();
    for (const r of list) {
      const value = usePopulation ? r.populationKey : r.areaKey;
      const existing = links.get(r.newKey);
      if (existing) {
        if (value !== null) existing.share = (existing.share ?? 0) + value;
        continue;
      }
      const link: OfficialLink = { oldKey, newKey: r.newKey };
      if (value !== null) link.share = value;
      if (r.name !== undefined) link.name = r.name;
      if (r.newName !== undefined) link.newName = r.newName;
      link.period = { from: layout.from, to: layout.to };
      link.source = `${file}, ${ws.name}, Zeile ${r.row}`;
      links.set(r.newKey, link);
    }
    out.set(oldKey, [...links.values()]);
  }
  return out;
}

/** BBSR Gemeinden: links of every sheet (each sheet is one year-end step). */
function bbsrGemeindeLinks(wb: Workbook, file: string): OfficialLink[] {
  const links: OfficialLink[] = [];
  for (const sheet of readBbsrSheets(wb, file, 'gemeinden')) {
    for (const list of bbsrSheetLinks(sheet, file).values()) links.push(...list);
  }
  return links;
}

/**
 * BBSR Kreise: every sheet maps the Kreise of its year onto today's, so the sheets overlap. For each old Kreis
 * only the latest sheet that lists it is used (Eisenach 16056 appears in every sheet up to 2020; the link comes
 * from sheet 2020, period 2020-12-31 → 2021-12-31).
 */
function bbsrKreisLinks(wb: Workbook, file: string): OfficialLink[] {
  const sheets = readBbsrSheets(wb, file, 'kreise').sort((a, b) => b.layout.from.localeCompare(a.layout.from));
  // All sheets map onto the same Gebietsstand; the headers of sheets 2007–2010 say "Kreise 31.12.2020" although
  // their rows map onto 2021 (Eisenach → Wartburgkreis), so the latest target date is used for all.
  const to =
    sheets
      .map((s) => s.layout.to)
      .sort()
      .at(-1) ?? '';
  const done = new Set<string>();
  const links: OfficialLink[] = [];
  for (const sheet of sheets) {
    const sheetLinks = bbsrSheetLinks(sheet, file);
    for (const r of sheet.rows) {
      if (done.has(r.oldKey)) continue;
      done.add(r.oldKey);
      for (const link of sheetLinks.get(r.oldKey) ?? []) {
        link.period = { from: sheet.layout.from, to };
        links.push(link);
      }
    }
  }
  return links;
}
