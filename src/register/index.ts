/** What other modules may use of the register. */

export type { BBox, BoundaryMultiPolygon, LonLat } from './boundaries.js';
export { STATES } from './embedded-default.js';
export { displayName, splitName } from './names.js';
export type { Level, RegionRecord } from './region.js';
export { LEVELS } from './region.js';
export type { MapRegion, MapRegions, RegionDetail, RegionRow, SearchHit, SearchPage } from './register.service.js';
export {
  currentBoundaries,
  currentGemeindenFigures,
  getRegion,
  mapRegions,
  municipalityKey,
  REGISTER_EVENTS,
  registerStatus,
  searchRegions,
  seatCoordinates,
} from './register.service.js';
