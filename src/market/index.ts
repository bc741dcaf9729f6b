/** What other modules may use of the market (conformance badges: only from checks). */

export { CONFORMANCE_EVENTS } from './conformance/events.js';
export type { BadgeVerdict } from './conformance/registry.service.js';
export { verdictsForRegion, verdictsForSolutions } from './conformance/registry.service.js';
export type { CheckStandard, Verdict } from './conformance/types.js';
