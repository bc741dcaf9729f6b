/** What other modules may use of the atlas (the practice projects, search and reuse). */

export { publishedPractices } from './atlas.service.js';
export { ATLAS_EVENTS } from './events.js';
export { renderMarkdown } from './markdown.js';
export type { PracticeContent, PracticeStatus } from './model.js';
export { PRACTICE_STATUSES } from './model.js';
export {
  decompound,
  editDistance,
  loadLexicon,
  maxTypoDistance,
  normalizeWord,
  stem,
  tokenize,
} from './search/analysis.js';
