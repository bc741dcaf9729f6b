/** What other modules may use of the Digitalcheck. */
export { ASSESSMENT_EVENTS } from './assessment.service.js';
/** The accessible SVG building blocks of the charts, for other modules' charts (the strategy's roadmap). */
export { COLORS, SvgImage, safeId, TableWrap } from './charts.js';
export type { Lagebild } from './lagebild.js';
export { currentLagebild } from './lagebild.service.js';
export {
  type LocalizedText,
  loadModel,
  type MaturityModel,
  REGION_KINDS,
  type RegionKind,
  SIZE_CLASSES,
  type SizeClass,
} from './model.js';
