/**
 * Map projection for server-rendered SVG maps of Germany.
 *
 * Pure: WGS84 lon/lat in, SVG user units out. The projection is equirectangular with the longitude scaled by
 * cos(reference latitude) — at Germany's size (47–55° N) this keeps shapes within a few per cent of a
 * conformal projection and needs no trigonometry per vertex. y grows downwards (SVG), north is up.
 */
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
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
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
   * Douglas–Peucker tolerance in user units, applied to each ring after projection (on top of the simplification
   * done at import). 0 (default) keeps every vertex that stays distinct after rounding to 0.1 units. Rings that
   * collapse under the tolerance are dropped — except the largest ring of the geometry, which is always kept.
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
  const rings: number[][] = [];
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      const pts = projectRing(ring, project);
      if (pts.length >= 6) rings.push(pts);
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
      const simple = simplifyClosed(raw, tol);
      if (simple.length >= 6) pts = simple;
      else if (index !== largest) return;
    }
    out += `M${tenths(pts[0]!)} ${tenths(pts[1]!)}l`;
    let prev = '';
    for (let i = 2; i < pts.length; i += 2) {
      for (const v of [pts[i]! - pts[i - 2]!, pts[i + 1]! - pts[i - 1]!]) {
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

/** A ring projected to integer tenths of a unit, [x0, y0, x1, y1, …], repeated and closing positions removed. */
function projectRing(ring: LonLat[], project: (position: LonLat) => [number, number]): number[] {
  const pts: number[] = [];
  for (const position of ring) {
    const [x, y] = project(position);
    const X = Math.round(x * 10);
    const Y = Math.round(y * 10);
    const k = pts.length;
    if (k > 0 && pts[k - 2] === X && pts[k - 1] === Y) continue;
    pts.push(X, Y);
  }
  // "z" closes the ring: drop a last vertex equal to the first.
  while (pts.length >= 4 && pts[pts.length - 2] === pts[0] && pts[pts.length - 1] === pts[1]) pts.length -= 2;
  return pts;
}

/** Twice the signed area of a flat ring. */
function ringArea(pts: number[]): number {
  let sum = 0;
  const n = pts.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) sum += (pts[j]! - pts[i]!) * (pts[j + 1]! + pts[i + 1]!);
  return sum;
}

/**
 * Douglas–Peucker on a closed flat ring: split at the first vertex and the vertex farthest from it, simplify
 * both halves as open lines. Returns the kept vertices (at least the two anchors).
 */
function simplifyClosed(pts: number[], tol: number): number[] {
  const n = pts.length / 2;
  let far = 0;
  let farD = -1;
  for (let i = 1; i < n; i++) {
    const d = (pts[2 * i]! - pts[0]!) ** 2 + (pts[2 * i + 1]! - pts[1]!) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[far] = 1;
  const tol2 = tol * tol;
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const ax = pts[2 * a]!;
    const ay = pts[2 * a + 1]!;
    const bi = b % n; // b === n is vertex 0 again (the ring is closed)
    const bx = pts[2 * bi]!;
    const by = pts[2 * bi + 1]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let maxD = -1;
    let idx = -1;
    for (let i = a + 1; i < b; i++) {
      const px = pts[2 * i]! - ax;
      const py = pts[2 * i + 1]! - ay;
      // Squared distance to the segment's line (to the anchor point if the segment is degenerate).
      const d = len2 === 0 ? px * px + py * py : (px * dy - py * dx) ** 2 / len2;
      if (d > maxD) {
        maxD = d;
        idx = i;
      }
    }
    if (idx >= 0 && maxD > tol2) {
      keep[idx] = 1;
      stack.push([a, idx], [idx, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(pts[2 * i]!, pts[2 * i + 1]!);
  return out;
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
