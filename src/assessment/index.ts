/** What other modules may use of the Digitalcheck. */
export { ASSESSMENT_EVENTS } from './assessment.service.js';
export { BarChart } from './charts.js';
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
export { levelLabel, levelName } from './result.js';
export { levelForScore } from './scoring.js';
