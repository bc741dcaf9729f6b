/** What other modules may use of the atlas (the practice projects, search and reuse). */

export { publishedPractices } from './atlas.service.js';
export { ATLAS_EVENTS } from './events.js';
export type { PracticeContent, PracticeStatus } from './model.js';
export { PRACTICE_STATUSES } from './model.js';
