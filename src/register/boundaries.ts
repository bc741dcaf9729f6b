/**
 * Import of administrative boundaries (BKG VG5000 / VG250 style GeoJSON) for web maps.
 *
 * Pure: no file, network or database access. The caller reads the file and passes its text.
 *
 * Input: a GeoJSON FeatureCollection of Länder, Kreise or Gemeinden in WGS84 lon/lat (RFC 7946,
 * `urn:ogc:def:crs:OGC:1.3:CRS84`). The key is the property `ARS` or else `AGS` (any letter case);
 * the name is `GEN` or else `name`.
 *
 * What happens:
 *  - keys are normalised to the register's keys (see region.ts): a 12-digit ARS of a Gemeinde becomes its
 *    8-digit AGS, all other lengths stay (2 Land, 3 Regierungsbezirk, 4 Region, 5 Kreis, 8 Gemeinde,
 *    9 Gemeindeverband);
 *  - all features with the same key are merged into one MultiPolygon (polygons are collected, not dissolved:
 *    VG5000 splits Länder into land and water parts, which then stay separate polygons of one MultiPolygon);
 *  - every ring is simplified with Douglas–Peucker (@turf/simplify), coordinates are rounded to 5 decimals
 *    (about 1 m). Rings that collapse to fewer than 4 positions (or to zero area) are dropped; a polygon whose
 *    outer ring collapses is dropped with its holes. A feature is never dropped as a whole: if all its
 *    polygons collapse, its largest polygon is kept with a smaller tolerance;
 *  - the bbox of each key comes from the unsimplified geometry (rounded to 5 decimals).
 *
 * All-or-nothing: `parseBoundaries` either returns every feature or throws a `BoundaryError`.
 */
import {
  type BBox,
  type Position,
  polygonsBBox,
  ringArea,
  simplifyRing as simplifyClosedRing,
} from '../platform/geo.js';
import { arsToAgs, levelOfKey } from './keys.js';
import type { Level } from './region.js';

export type { BBox };

/** [longitude, latitude] in degrees (WGS84). */
export type LonLat = Position;

/** A GeoJSON MultiPolygon (RFC 7946), structurally the same as `MultiPolygon` of @types/geojson. */
export interface BoundaryMultiPolygon {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}

export interface BoundaryFeature {
  key: string;
  level: Level;
  name: string | null;
  geometry: BoundaryMultiPolygon;
  bbox: BBox;
  /** Positions in the simplified geometry (closing positions of rings included). */
  vertexCount: number;
}

export interface BoundaryImport {
  /** One entry per key, in the order the keys first occur in the file. */
  features: BoundaryFeature[];
  /** Positions in the input (closing positions of rings included). */
  sourceVertexCount: number;
  /** Positions in the output, sum over `features`. */
  vertexCount: number;
  warnings: string[];
}

export interface BoundaryOptions {
  /**
   * Douglas–Peucker tolerance in degrees; 0 turns simplification off (coordinates are still rounded).
   * Default `DEFAULT_TOLERANCE`.
   */
  tolerance?: number;
}

/**
 * Default tolerance in degrees: 0.005° is about 550 m north–south and 350 m east–west at 51° N.
 * Measured on VG5000 Kreise (already a 1:5 000 000 generalisation): 40,835 → 31,917 vertices, no Kreis loses more
 * than about 4 % of its area, and the smallest kreisfreie Städte (Rosenheim, Speyer, Schwabach, Kaufbeuren,
 * 4–8 km across) keep 11–17 vertices. 0.01° halves the vertices again but starts to deform them (up to 11 %
 * area change) and drops small islands. For detailed Gemeinde data (VG250) pass a smaller value (0.001).
 */
export const DEFAULT_TOLERANCE = 0.005;

/** Decimals kept in output coordinates (1e-5° ≈ 1.1 m north–south). */
export const COORDINATE_DECIMALS = 5;

/** A structural error in a boundary file, pointing at the feature and field. */
export class BoundaryError extends Error {
  readonly file: string;
  /** 1-based index of the feature in `features`, null for errors of the whole file. */
  readonly feature: number | null;
  /** Property or GeoJSON member, e.g. "properties.ARS", "geometry.type", "geometry.coordinates[0][0][3]". */
  readonly field: string | null;
  readonly reason: string;

  constructor(file: string, feature: number | null, field: string | null, reason: string) {
    const where = [file, feature !== null ? `Feature ${feature}` : null, field !== null ? `Feld ${field}` : null]
      .filter((part): part is string => part !== null)
      .join(', ');
    super(`${where}: ${reason}`);
    this.name = 'BoundaryError';
    this.file = file;
    this.feature = feature;
    this.field = field;
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

export function parseBoundaries(text: string, fileName: string, opts: BoundaryOptions = {}): BoundaryImport {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`tolerance must be a finite number >= 0, got ${tolerance}`);
  }
  const warnings: string[] = [];
  const root = parseJson(text, fileName);
  const features = readCollection(root, fileName);

  // Pass 1: validate everything and group by key. Nothing is simplified before the whole file is known to be
  // valid, so an error in the last feature costs no simplification time.
  const groups = new Map<string, Group>();
  let sourceVertexCount = 0;
  features.forEach((raw, index) => {
    const parsed = readFeature(raw, index + 1, fileName, warnings);
    sourceVertexCount += parsed.vertexCount;
    const group = groups.get(parsed.key);
    if (group) {
      group.parts.push(parsed);
    } else {
      groups.set(parsed.key, { key: parsed.key, level: parsed.level, parts: [parsed] });
    }
  });

  // Pass 2: merge, simplify, round.
  const out: BoundaryFeature[] = [];
  let vertexCount = 0;
  const levelCounts = new Map<Level, number>();
  for (const group of groups.values()) {
    const feature = buildFeature(group, tolerance, warnings);
    out.push(feature);
    vertexCount += feature.vertexCount;
    levelCounts.set(feature.level, (levelCounts.get(feature.level) ?? 0) + 1);
  }

  if (levelCounts.size > 1) {
    const list = [...levelCounts].map(([level, n]) => `${level} ${n}`).join(', ');
    warnings.push(`Die Datei mischt Ebenen: ${list}.`);
  }
  warnIfSwapped(out, warnings);

  return { features: out, sourceVertexCount, vertexCount, warnings };
}

/** Which boundary keys are known to the register (e.g. the keys of the current release). Order kept, duplicates removed. */
export function matchBoundaryKeys(keys: string[], known: Set<string>): { matched: string[]; unmatched: string[] } {
  const matched: string[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    (known.has(key) ? matched : unmatched).push(key);
  }
  return { matched, unmatched };
}

// ---------------------------------------------------------------------------------------------------------
// JSON and collection
// ---------------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: Json | undefined): string {
  if (value === undefined) return 'fehlt';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'ein Array';
  if (typeof value === 'object') return 'ein Objekt';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

function parseJson(text: string, file: string): Json {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as Json;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const fromMessage = /at position (\d+)/.exec(message);
    const position = locateJsonError(body) ?? (fromMessage ? Number(fromMessage[1]) : body.length);
    const before = body.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    throw new BoundaryError(
      file,
      null,
      null,
      `kein gültiges JSON: Zeile ${line}, Spalte ${column} (Position ${position}): ${message}`,
    );
  }
}

function readCollection(root: Json, file: string): Json[] {
  if (!isObject(root)) {
    throw new BoundaryError(file, null, 'type', `keine GeoJSON-FeatureCollection: die Datei enthält ${describe(root)}`);
  }
  if (root.type !== 'FeatureCollection') {
    throw new BoundaryError(
      file,
      null,
      'type',
      `keine GeoJSON-FeatureCollection: "type" ist ${describe(root.type)}, erwartet "FeatureCollection"`,
    );
  }
  const features = root.features;
  if (!Array.isArray(features)) {
    throw new BoundaryError(file, null, 'features', `"features" ist ${describe(features)}, erwartet ein Array`);
  }
  checkCrs(root.crs, file);
  return features;
}

/**
 * Old GeoJSON (2008) files may name a CRS. CRS84, EPSG:4326 and EPSG:4258 (ETRS89, within a metre of WGS84)
 * are accepted; anything else (e.g. EPSG:25832, EPSG:31467) is refused before looking at coordinates.
 */
function checkCrs(crs: Json | undefined, file: string): void {
  if (crs === undefined || crs === null) return;
  const name = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  if (typeof name !== 'string') return;
  if (/CRS84$/i.test(name) || /EPSG:(?:[\d.]*:)?:?(4326|4258)$/i.test(name)) return;
  throw new BoundaryError(
    file,
    null,
    'crs',
    `Koordinatenreferenzsystem ${name} ist nicht WGS84 lon/lat: ${REPROJECT_HINT}`,
  );
}

const REPROJECT_HINT = 'projizierte Koordinaten? Bitte nach WGS84 (EPSG:4326) umprojizieren';

// ---------------------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------------------

/** A polygon as read: rings of [lon, lat] positions (extra ordinates such as z are dropped). */
type Ring = LonLat[];
type PolygonRings = Ring[];

interface ParsedFeature {
  index: number;
  key: string;
  level: Level;
  name: string | null;
  polygons: PolygonRings[];
  vertexCount: number;
  /** Sum of |area| of the outer rings in square degrees, only to pick a name when parts are merged. */
  area: number;
}

interface Group {
  key: string;
  level: Level;
  parts: ParsedFeature[];
}

function findProperty(props: JsonObject, lowerName: string): [string, Json] | null {
  if (Object.hasOwn(props, lowerName.toUpperCase())) {
    return [lowerName.toUpperCase(), props[lowerName.toUpperCase()] ?? null];
  }
  for (const [name, value] of Object.entries(props)) {
    if (name.toLowerCase() === lowerName) return [name, value];
  }
  return null;
}

function readFeature(raw: Json, index: number, file: string, warnings: string[]): ParsedFeature {
  const fail = (field: string | null, reason: string): never => {
    throw new BoundaryError(file, index, field, reason);
  };
  if (!isObject(raw) || raw.type !== 'Feature') {
    fail('type', `kein GeoJSON-Feature: ${isObject(raw) ? `"type" ist ${describe(raw.type)}` : describe(raw)}`);
  }
  const feature = raw as JsonObject;
  const props = isObject(feature.properties) ? feature.properties : {};

  // Key: ARS first, then AGS. Empty values count as missing.
  const candidates = [findProperty(props, 'ars'), findProperty(props, 'ags')].filter(
    (entry): entry is [string, Json] => entry !== null && entry[1] !== null && entry[1] !== '',
  );
  const chosen = candidates[0];
  if (!chosen) {
    return fail('properties.ARS', 'kein Schlüssel: weder ARS noch AGS ist gesetzt');
  }
  const [keyField, keyValue] = chosen;
  const field = `properties.${keyField}`;
  if (typeof keyValue === 'number') {
    return fail(
      field,
      `Schlüssel ${keyValue} ist eine Zahl; führende Nullen gehen so verloren. ARS/AGS müssen als Text gespeichert sein`,
    );
  }
  if (typeof keyValue !== 'string')
    return fail(field, `Schlüssel ist ${describe(keyValue)}, erwartet Ziffern als Text`);
  const rawKey = keyValue.trim();
  if (!/^\d+$/.test(rawKey)) return fail(field, `Schlüssel "${rawKey}" besteht nicht nur aus Ziffern`);
  let key: string;
  let level: Level | null;
  if (rawKey.length === 12) {
    key = arsToAgs(rawKey);
    level = 'gemeinde';
  } else {
    key = rawKey;
    level = levelOfKey(rawKey);
  }
  if (level === null) {
    return fail(
      field,
      `Schlüssel "${rawKey}" hat ${rawKey.length} Ziffern; erwartet 2 (Land), 3 (Regierungsbezirk), 4 (Region), ` +
        '5 (Kreis), 8 (AGS), 9 (Gemeindeverband) oder 12 (ARS)',
    );
  }
  // Both ARS and AGS given: they must name the same Gemeinde.
  const agsEntry = candidates[1];
  if (rawKey.length === 12 && agsEntry && typeof agsEntry[1] === 'string' && /^\d{8}$/.test(agsEntry[1].trim())) {
    if (agsEntry[1].trim() !== key) {
      warnings.push(
        `Feature ${index}: ${keyField} ${rawKey} ergibt AGS ${key}, aber ${agsEntry[0]} ist ${agsEntry[1].trim()}; ` +
          `verwendet wird ${key}.`,
      );
    }
  }

  const nameEntry = findProperty(props, 'gen') ?? findProperty(props, 'name');
  const nameValue = nameEntry?.[1];
  const name =
    typeof nameValue === 'string' && nameValue.trim() !== ''
      ? nameValue.trim()
      : typeof nameValue === 'number'
        ? String(nameValue)
        : null;

  const geometry = feature.geometry;
  if (!isObject(geometry)) return fail('geometry', `keine Geometrie: "geometry" ist ${describe(geometry)}`);
  const type = geometry.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return fail('geometry.type', `Geometrietyp ${describe(type)}; erwartet Polygon oder MultiPolygon`);
  }
  const coords = geometry.coordinates;
  const state: ReadState = { file, index, unclosed: 0, vertexCount: 0 };
  let polygons: PolygonRings[];
  if (type === 'Polygon') {
    polygons = [readPolygon(coords, 'geometry.coordinates', state)];
  } else {
    if (!Array.isArray(coords)) {
      return fail('geometry.coordinates', `erwartet ein Array von Polygonen, gefunden ${describe(coords)}`);
    }
    if (coords.length === 0) return fail('geometry.coordinates', 'MultiPolygon ohne Polygone');
    polygons = coords.map((poly, i) => readPolygon(poly, `geometry.coordinates[${i}]`, state));
  }
  if (state.unclosed > 0) {
    warnings.push(
      `Feature ${index} (${key}): ${state.unclosed} Ring(e) waren nicht geschlossen und wurden geschlossen.`,
    );
  }
  const area = polygons.reduce((sum, rings) => sum + Math.abs(ringArea(rings[0] ?? [])), 0);
  return { index, key, level, name, polygons, vertexCount: state.vertexCount, area };
}

interface ReadState {
  file: string;
  index: number;
  unclosed: number;
  vertexCount: number;
}

function readPolygon(value: Json | undefined, path: string, state: ReadState): PolygonRings {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BoundaryError(
      state.file,
      state.index,
      path,
      `erwartet ein Array von Ringen, gefunden ${describe(value)}`,
    );
  }
  return value.map((ring, i) => readRing(ring, `${path}[${i}]`, state));
}

function readRing(value: Json | undefined, path: string, state: ReadState): Ring {
  if (!Array.isArray(value)) {
    throw new BoundaryError(
      state.file,
      state.index,
      path,
      `erwartet ein Array von Positionen, gefunden ${describe(value)}`,
    );
  }
  const ring: Ring = [];
  for (let i = 0; i < value.length; i++) {
    const pos = value[i];
    const posPath = `${path}[${i}]`;
    if (!Array.isArray(pos) || pos.length < 2) {
      throw new BoundaryError(
        state.file,
        state.index,
        posPath,
        `erwartet eine Position [lon, lat], gefunden ${describe(pos)}`,
      );
    }
    const lon = pos[0];
    const lat = pos[1];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new BoundaryError(
        state.file,
        state.index,
        posPath,
        `Koordinaten sind keine Zahlen: ${JSON.stringify(pos)}`,
      );
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw new BoundaryError(
        state.file,
        state.index,
        posPath,
        `Position [${lon}, ${lat}] liegt außerhalb von WGS84 lon/lat (−180…180, −90…90): ${REPROJECT_HINT}`,
      );
    }
    ring.push([lon, lat]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    ring.push([first[0], first[1]]);
    state.unclosed++;
  }
  if (ring.length < 4) {
    throw new BoundaryError(
      state.file,
      state.index,
      path,
      `Ring mit ${value.length} Position(en); ein geschlossener Ring braucht mindestens 4`,
    );
  }
  state.vertexCount += value.length;
  return ring;
}

// ---------------------------------------------------------------------------------------------------------
// Merge, simplify, round
// ---------------------------------------------------------------------------------------------------------

function buildFeature(group: Group, tolerance: number, warnings: string[]): BoundaryFeature {
  const { key, level, parts } = group;

  // Name: the one of the largest part (VG5000: "Baden-Württemberg" rather than "Baden-Württemberg (Bodensee)").
  let main = parts[0] as ParsedFeature;
  for (const part of parts) if (part.area > main.area) main = part;
  const name = main.name ?? parts.find((p) => p.name !== null)?.name ?? null;
  if (parts.length > 1) {
    const names = [...new Set(parts.map((p) => p.name).filter((n): n is string => n !== null))];
    warnings.push(
      `Schlüssel ${key}: ${parts.length} Features (Nr. ${parts.map((p) => p.index).join(', ')}) zu einem ` +
        `MultiPolygon zusammengeführt${names.length > 1 ? ` (Namen: ${names.join(' | ')}; verwendet: ${name})` : ''}.`,
    );
  }

  const sourcePolygons = parts.flatMap((p) => p.polygons);
  const coordinates: LonLat[][][] = [];
  let droppedPolygons = 0;
  let droppedHoles = 0;
  for (const rings of sourcePolygons) {
    const [outer, ...holes] = rings;
    const simpleOuter = outer ? simplifyRing(outer, tolerance) : null;
    if (!simpleOuter) {
      droppedPolygons++;
      continue;
    }
    const polygon: LonLat[][] = [simpleOuter];
    for (const hole of holes) {
      const simpleHole = simplifyRing(hole, tolerance);
      if (simpleHole) polygon.push(simpleHole);
      else droppedHoles++;
    }
    coordinates.push(polygon);
  }

  if (coordinates.length === 0) {
    // Never drop a whole feature: keep its largest polygon (outer ring only) with a smaller tolerance.
    const largest = largestOuterRing(sourcePolygons);
    coordinates.push([keepRing(largest, tolerance)]);
    droppedPolygons--;
    warnings.push(
      `Schlüssel ${key}: alle Flächen fielen bei Toleranz ${tolerance} zusammen; die größte wurde mit kleinerer ` +
        'Toleranz behalten.',
    );
  }
  if (droppedPolygons > 0 || droppedHoles > 0) {
    // Not a problem (tiny islands and holes vanish at web-map scale), but worth a line in the import log.
    warnings.push(
      `Schlüssel ${key}: ${droppedPolygons} Teilfläche(n) und ${droppedHoles} Loch/Löcher unterhalb der ` +
        `Toleranz ${tolerance} entfernt.`,
    );
  }

  let vertexCount = 0;
  for (const polygon of coordinates) for (const ring of polygon) vertexCount += ring.length;
  return {
    key,
    level,
    name,
    geometry: { type: 'MultiPolygon', coordinates },
    bbox: bboxOf(sourcePolygons),
    vertexCount,
  };
}

const FACTOR = 10 ** COORDINATE_DECIMALS;
function round(value: number): number {
  const r = Math.round(value * FACTOR) / FACTOR;
  return r === 0 ? 0 : r; // no -0 in the output
}

/**
 * Douglas–Peucker on one closed ring (see `simplifyRing` in platform/geo.ts: rings smaller than the tolerance
 * collapse), then rounding; null if the ring collapses. Triangles are kept as they are.
 */
function simplifyRing(ring: Ring, tolerance: number): Ring | null {
  return roundRing(tolerance > 0 && ring.length > 4 ? simplifyClosedRing(ring, tolerance) : ring);
}

/** Rounds, removes repeated positions, closes; null if fewer than 4 positions or zero area remain. */
function roundRing(points: number[][]): Ring | null {
  const out: Ring = [];
  for (const p of points) {
    const lon = round(p[0] as number);
    const lat = round(p[1] as number);
    const prev = out[out.length - 1];
    if (prev && prev[0] === lon && prev[1] === lat) continue;
    out.push([lon, lat]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  if (out.length < 4 || ringArea(out) === 0) return null;
  return out;
}

/** The ring that survives at the largest tolerance below `tolerance`, down to the unsimplified rounded ring. */
function keepRing(ring: Ring, tolerance: number): Ring {
  for (let t = tolerance / 2; t > 1e-9; t /= 2) {
    const simple = simplifyRing(ring, t);
    if (simple) return simple;
  }
  return roundRing(ring) ?? ring.map(([lon, lat]) => [lon, lat] as LonLat);
}

function largestOuterRing(polygons: PolygonRings[]): Ring {
  let best: Ring = polygons[0]?.[0] ?? [];
  let bestArea = -1;
  for (const rings of polygons) {
    const outer = rings[0];
    if (!outer) continue;
    const area = Math.abs(ringArea(outer));
    if (area > bestArea) {
      best = outer;
      bestArea = area;
    }
  }
  return best;
}

function bboxOf(polygons: PolygonRings[]): BBox {
  const [minX, minY, maxX, maxY] = polygonsBBox(polygons);
  return [round(minX), round(minY), round(maxX), round(maxY)];
}

/**
 * Geographic sanity check: the register covers Germany (lon 5.8–15.1, lat 47.2–55.1). If the data lies
 * entirely in the mirrored box, lon and lat were probably swapped.
 */
function warnIfSwapped(features: BoundaryFeature[], warnings: string[]): void {
  if (features.length === 0) return;
  const inBox = (b: BBox, minX: number, minY: number, maxX: number, maxY: number): boolean =>
    b[0] >= minX && b[2] <= maxX && b[1] >= minY && b[3] <= maxY;
  if (features.every((f) => inBox(f.bbox, 47, 5, 56, 16))) {
    warnings.push('Alle Koordinaten liegen bei lon 47–56, lat 5–16: sind Länge und Breite vertauscht (lat/lon)?');
  } else if (!features.some((f) => inBox(f.bbox, 5, 47, 16, 56))) {
    warnings.push('Keine Fläche liegt in Deutschland (lon 5–16, lat 47–56).');
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON error position
// ---------------------------------------------------------------------------------------------------------

/**
 * Position of the first syntax error in `text`, or null if none is found. V8 gives a position for some errors
 * only ("Unexpected token '}', ... is not valid JSON" has none), so this small scanner finds it. Only runs
 * after JSON.parse has failed.
 */
function locateJsonError(text: string): number | null {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(readonly at: number) {}
  }
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) throw new Stop(i);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return;
      }
      if (ch < 0x20) throw new Stop(i);
      if (ch === 0x5c) {
        const esc = text[i + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i);
          i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          i += 2;
        } else {
          throw new Stop(i);
        }
      } else {
        i++;
      }
    }
    throw new Stop(n);
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m || m[0].length === 0) throw new Stop(i);
    i += m[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop(i);
        string();
        ws();
        if (text[i] !== ':') throw new Stop(i);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Stop(i);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Stop(i);
      }
    }
    if (ch === '"') string();
    else if (ch === 't') expect('true');
    else if (ch === 'f') expect('false');
    else if (ch === 'n') expect('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else throw new Stop(i);
  };
  try {
    value();
    ws();
    return i < n ? i : null;
  } catch (err) {
    if (err instanceof Stop) return err.at;
    throw err;
  }
}
