/** What other modules may use of the strategy module. */

/** The accessible DOCX layout of a document outline (the desk's cooperation agreement templates reuse it). */
export { renderOutlineDocx } from './document/docx.js';
export type { Block, DocumentOutline, Fact, Section, TableBlock } from './document/outline.js';
export { LANGUAGE_TAG } from './document/outline.js';
/** The tagged-PDF layout of a document outline (the market's comparison export reuses it). */
export { renderOutlinePdf } from './document/pdf.js';
export { STRATEGY_EVENTS } from './events.js';
export type { Measure, MeasureCatalogue } from './measures.js';
export { loadMeasures, measureTitle } from './measures.js';
export { linkMeasure, measureLinks, measuresDoneByOrg, unlinkMeasure } from './strategy.service.js';
