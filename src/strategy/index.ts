/** What other modules may use of the strategy module. */

export type { Measure, MeasureCatalogue } from './measures.js';
export { loadMeasures } from './measures.js';
export { STRATEGY_EVENTS } from './events.js';
export { linkMeasure, measureLinks, unlinkMeasure } from './strategy.service.js';
