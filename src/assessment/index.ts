/** What other modules may use of the Digitalcheck. */
export { ASSESSMENT_EVENTS } from './assessment.service.js';
export type { Lagebild } from './lagebild.js';
export { currentLagebild } from './lagebild.service.js';
export { loadModel, type MaturityModel } from './model.js';
