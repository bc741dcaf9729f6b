/**
 * Map projection for server-rendered SVG maps of Germany.
 *
 * Pure: WGS84 lon/lat in, SVG user units out. The projection is equirectangular with the longitude scaled by
 * cos(reference latitude) — at Germany's size (47–55° N) this keeps shapes within a few per cent of a
 * conformal projection and needs no trigonometry per vertex. y grows downwards (SVG), north is up.
 */
import { type Position, polygonsBBox, ringArea, simplifyRing } from '../platform/geo.js';
import type { BBox, BoundaryMultiPolygon, LonLat } from '../register/index.js';

/** Germany's extent in lon/lat (VG5000 2021, rounded outwards). */
export const GERMANY_BBOX: BBox = [5.86, 47.27, 15.05, 55.06];

export interface Projection {
  /** Width and height of the viewBox in user units. */
  width: number;
  height: number;
  /** `0 0 width height`, for the `viewBox` attribute. */
  viewBox: string;
  /** [lon, lat] → [x, y] in user units (not rounded). */
  project(position: LonLat): [number, number];
}

export interface FitOptions {
  /** Width of the viewBox; default 500. */
  width?: number;
  /**
   * Height of the viewBox. Without it, the height follows from the bbox's aspect ratio (rounded up). With it,
   * the bbox is fitted into width × height and centred.
   */
  height?: number;
  /** Space kept free on every side, in user units; default 8. */
  padding?: number;
  /** Latitude whose cosine scales longitudes; default the middle of the bbox. */
  referenceLatitude?: number;
}

const DEG = Math.PI / 180;

/** An equirectangular projection that fits `bbox` into a viewBox with padding. */
export function fitProjection(bbox: BBox, opts: FitOptions = {}): Projection {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite) || minLon > maxLon || minLat > maxLat) {
    throw new RangeError(`invalid bbox ${JSON.stringify(bbox)}`);
  }
  const width = opts.width ?? 500;
  const padding = opts.padding ?? 8;
  const k = Math.cos((opts.referenceLatitude ?? (minLat + maxLat) / 2) * DEG);
  // A degenerate bbox (a point or a line) still gets a finite scale.
  const spanX = Math.max((maxLon - minLon) * k, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const innerW = Math.max(width - 2 * padding, 1);

  let scale: number;
  let height: number;
  if (opts.height === undefined) {
    scale = innerW / spanX;
    height = Math.ceil(spanY * scale + 2 * padding);
  } else {
    height = opts.height;
    const innerH = Math.max(height - 2 * padding, 1);
    scale = Math.min(innerW / spanX, innerH / spanY);
  }
  // Centre the drawing in the viewBox.
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;

  return {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    project([lon, lat]) {
      return [offsetX + (lon - minLon) * k * scale, offsetY + (maxLat - lat) * scale];
    },
  };
}

/** The bbox of a MultiPolygon. */
export function geometryBBox(geometry: BoundaryMultiPolygon): BBox {
  return polygonsBBox(geometry.coordinates);
}

/** The smallest bbox containing all given ones; GERMANY_BBOX for none. */
export function unionBBox(boxes: BBox[]): BBox {
  const finite = boxes.filter((b) => b.every(Number.isFinite));
  if (finite.length === 0) return GERMANY_BBOX;
  return [
    Math.min(...finite.map((b) => b[0])),
    Math.min(...finite.map((b) => b[1])),
    Math.max(...finite.map((b) => b[2])),
    Math.max(...finite.map((b) => b[3])),
  ];
}

export interface PathOptions {
  /**
   * Douglas–Peucker tolerance in user units, applied to each ring after projection and rounding (on top of the
   * simplification done at import; `simplifyRing` of platform/geo.ts, i.e. @turf/simplify). 0 (default) keeps
   * every vertex that stays distinct after rounding to 0.1 units. Rings that collapse under the tolerance are
   * dropped — except the largest ring of the geometry, which is always kept.
   */
  tolerance?: number;
}

/**
 * An SVG path for a MultiPolygon: every ring (outer rings and holes) becomes one closed subpath, so with
 * `fill-rule="evenodd"` holes stay empty whatever the ring orientation.
 *
 * Compact output: coordinates are rounded to 0.1 units and written relative to the previous vertex ("l"),
 * without leading zeros and without separators before a minus sign; the closing position of a ring is implied
 * by "z". Consecutive vertices that round to the same point are dropped, and so are rings left with fewer
 * than 3 distinct vertices (they would be invisible). Example: the square (0,0)–(10,10) becomes
 * `M0 10l10 0 0-10-10 0z`.
 */
export function geometryToPath(
  geometry: BoundaryMultiPolygon,
  project: (position: LonLat) => [number, number],
  opts: PathOptions = {},
): string {
  const tol = Math.max(opts.tolerance ?? 0, 0) * 10;
  const rings: Position[][] = [];
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      const pts = projectRing(ring, project);
      if (pts.length >= 4) rings.push(pts);
    }
  }
  let out = '';
  let largest = -1;
  if (tol > 0) {
    let best = -1;
    rings.forEach((pts, i) => {
      const a = Math.abs(ringArea(pts));
      if (a > best) {
        best = a;
        largest = i;
      }
    });
  }
  rings.forEach((raw, index) => {
    let pts = raw;
    if (tol > 0) {
      const simple = simplifyRing(raw, tol);
      if (simple.length >= 4) pts = simple;
      else if (index !== largest) return;
    }
    const [x0, y0] = pts[0]!;
    out += `M${tenths(x0)} ${tenths(y0)}l`;
    let prev = '';
    // The last position repeats the first: "z" draws that edge.
    for (let i = 1; i < pts.length - 1; i++) {
      const [x, y] = pts[i]!;
      const [px, py] = pts[i - 1]!;
      for (const v of [x - px, y - py]) {
        const s = tenths(v);
        // A separator is needed unless the number starts with "-", or starts with "." after a number that
        // already has a decimal point ("1.5.5" reads as 1.5 and .5).
        if (prev !== '' && !(s[0] === '-' || (s[0] === '.' && prev.includes('.')))) out += ' ';
        out += s;
        prev = s;
      }
    }
    out += 'z';
  });
  return out;
}

/**
 * A ring projected to integer tenths of a unit, repeated positions removed, closed (the last position is the
 * first). Fewer than 4 positions: fewer than 3 distinct vertices are left, the ring would be invisible.
 */
function projectRing(ring: LonLat[], project: (position: LonLat) => [number, number]): Position[] {
  const pts: Position[] = [];
  for (const position of ring) {
    const [x, y] = project(position);
    const X = Math.round(x * 10);
    const Y = Math.round(y * 10);
    const last = pts[pts.length - 1];
    if (last && last[0] === X && last[1] === Y) continue;
    pts.push([X, Y]);
  }
  const first = pts[0];
  while (first && pts.length >= 2 && pts[pts.length - 1]![0] === first[0] && pts[pts.length - 1]![1] === first[1]) {
    pts.pop();
  }
  if (first) pts.push(first);
  return pts;
}

/** An integer count of tenths as the shortest decimal: 15 → "1.5", 5 → ".5", -5 → "-.5", 20 → "2". */
function tenths(v: number): string {
  if (v === 0) return '0';
  const neg = v < 0;
  const a = Math.abs(v);
  const whole = Math.floor(a / 10);
  const frac = a % 10;
  const s = frac === 0 ? String(whole) : whole === 0 ? `.${frac}` : `${whole}.${frac}`;
  return neg ? `-${s}` : s;
}
