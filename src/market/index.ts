/** What other modules may use of the market: the standards catalogue, the conformance contract and the checks. */

export { CONFORMANCE_EVENTS } from './conformance/events.js';
export { createFetcher } from './conformance/fetch.js';
export { checkInputs, VALIDATORS } from './conformance/registry.js';
export type { BadgeVerdict } from './conformance/registry.service.js';
export { verdictsForRegion, verdictsForSolutions } from './conformance/registry.service.js';
export type { Artefact, CheckStandard, Fetcher, Finding, Report, Validator, Verdict } from './conformance/types.js';
export { FetchRefused, STANDARD_IDS } from './conformance/types.js';
export type { Standard, StandardsCatalogue } from './standards/catalogue.js';
export { loadStandards } from './standards/catalogue.js';
