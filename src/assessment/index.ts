/** What other modules may use of the Digitalcheck. */
export { ASSESSMENT_EVENTS } from './assessment.service.js';
export type { Denominators, Lagebild } from './lagebild.js';
export { stateName } from './lagebild.pages.js';
export { currentLagebild, denominators as lagebildDenominators } from './lagebild.service.js';
export {
  type LocalizedText,
  loadModel,
  type MaturityModel,
  REGION_KINDS,
  type RegionKind,
  SIZE_CLASSES,
  type SizeClass,
} from './model.js';
export { K_MIN, suppressAcrossMargins } from './stats.js';
