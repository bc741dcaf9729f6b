/** What other modules may use of the market (the solution market; standards and conformance add theirs). */

export { SOLUTION_EVENTS } from './solutions/events.js';
export type { PubliccodeFields, SolutionContent } from './solutions/model.js';
export type { ConformanceSource, ConformanceVerdicts, SolutionRow } from './solutions/solutions.service.js';
export { NO_CONFORMANCE } from './solutions/solutions.service.js';
