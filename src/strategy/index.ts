/** What other modules may use of the strategy module. */

export { STRATEGY_EVENTS } from './events.js';
export type { Measure, MeasureCatalogue } from './measures.js';
export { loadMeasures } from './measures.js';
