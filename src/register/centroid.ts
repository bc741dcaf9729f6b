/**
 * The area centroid of a polygon or multipolygon in lon/lat degrees (GeoJSON, RFC 7946), used as a region's seat
 * for distances (the desk's peer mentors). Pure, no I/O.
 *
 * Planar: the centroid of the polygon as drawn in an equirectangular projection whose longitudes are scaled by the
 * cosine of the shape's mean latitude, so that it is the centre of area on the ground for regions the size of a
 * Gemeinde or Kreis (the error for a Land is a few kilometres). Holes subtract their area; the polygons of a
 * multipolygon are weighted by their area. A shape without area (degenerate rings) gives the mean of its
 * positions; no position at all gives null.
 */
import type { LonLat } from './boundaries.js';

type Ring = readonly (readonly number[])[];

/** Signed area and the first moments of one ring (shoelace), in projected units. */
function ringMoments(ring: Ring, k: number): { a: number; cx: number; cy: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const x0 = ring[j]![0]! * k;
    const y0 = ring[j]![1]!;
    const x1 = ring[i]![0]! * k;
    const y1 = ring[i]![1]!;
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  return { a: a / 2, cx, cy };
}

/** The area centroid of a multipolygon (a list of polygons, each its outer ring followed by its holes). */
export function multiPolygonCentroid(polygons: readonly (readonly Ring[])[]): LonLat | null {
  const all = polygons.flatMap((rings) => rings.flat());
  if (all.length === 0) return null;
  const meanLat = all.reduce((s, p) => s + p[1]!, 0) / all.length;
  const k = Math.cos((meanLat * Math.PI) / 180) || 1;
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      const m = ringMoments(ring, k);
      // Outer rings add, holes subtract, whatever their orientation in the file.
      const w = (i === 0 ? 1 : -1) * Math.abs(m.a);
      if (m.a === 0) return;
      area += w;
      mx += (w * m.cx) / (6 * m.a);
      my += (w * m.cy) / (6 * m.a);
    });
  }
  if (Math.abs(area) < 1e-15) {
    const lon = all.reduce((s, p) => s + p[0]!, 0) / all.length;
    return [lon, meanLat];
  }
  return [mx / area / k, my / area];
}

/** The area centroid of a polygon (its outer ring followed by its holes). */
export function polygonCentroid(rings: readonly Ring[]): LonLat | null {
  return multiPolygonCentroid([rings]);
}
