/**
 * Plane geometry shared by the modules: the register's boundary import (lon/lat degrees) and the assessment's
 * SVG maps (projected units). Pure, no I/O.
 *
 * A position is [x, y] — [longitude, latitude] in degrees, or projected units. A ring is a list of positions;
 * closed rings repeat the first position at the end (GeoJSON, RFC 7946).
 */
import simplify from '@turf/simplify';

/** [x, y]: [longitude, latitude] in degrees (WGS84), or projected units. */
export type Position = [number, number];

/** [minX, minY, maxX, maxY] — for lon/lat: [minLon, minLat, maxLon, maxLat]. */
export type BBox = [number, number, number, number];

/**
 * Signed area of a ring (shoelace formula), in squared units: positive when the ring runs counter-clockwise
 * with y pointing up (clockwise on screen, where y points down). Open and closed rings give the same result
 * (the closing edge is implied); fewer than 3 positions give 0.
 */
export function ringArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0]! - b[0]!) * (a[1]! + b[1]!);
  }
  return sum / 2;
}

/**
 * The bbox of polygons (each a list of rings, as in a GeoJSON MultiPolygon's `coordinates`). Without any
 * position it is [+∞, +∞, −∞, −∞], which `Number.isFinite` tells apart.
 */
export function polygonsBBox(polygons: readonly (readonly (readonly (readonly number[])[])[])[]): BBox {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const p of ring) {
        const x = p[0]!;
        const y = p[1]!;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Douglas–Peucker simplification of one closed ring (@turf/simplify: a radial-distance pass, then
 * Douglas–Peucker; collinear and repeated positions are removed as well). `tolerance` is in the ring's units.
 *
 * The ring is simplified as a closed line, anchored at its first position: unlike turf's Polygon mode, which
 * lowers the tolerance until a ring survives (tiny islands would stay as slivers), a ring smaller than the
 * tolerance collapses. The result is closed again (first position = last) unless it collapsed: fewer than 4
 * positions means fewer than 3 distinct vertices are left, and the caller decides what to do with it.
 *
 * Douglas–Peucker keeps every removed position within `tolerance` of the result; the radial pass before it
 * may remove a position next to one that Douglas–Peucker removes later, so the bound is 2 × `tolerance`.
 *
 * With a tolerance ≤ 0 or fewer than 4 positions the ring is returned as it is (copied). The input is not
 * changed; the positions of the result are the input's own arrays, not copies.
 */
export function simplifyRing(ring: readonly Position[], tolerance: number): Position[] {
  if (!(tolerance > 0) || ring.length < 4) return ring.slice();
  // mutate: no deep copy of the input; turf replaces the line's coordinates and leaves the array alone.
  const line = { type: 'LineString' as const, coordinates: ring.slice() };
  return simplify(line, { tolerance, highQuality: false, mutate: true }).coordinates as Position[];
}
