/** What other modules may use of the market: the standards catalogue, the conformance contract and the checks. */

export { CONFORMANCE_EVENTS } from './conformance/events.js';
export { createFetcher } from './conformance/fetch.js';
export { checkInputs, VALIDATORS } from './conformance/registry.js';
export type { BadgeVerdict } from './conformance/registry.service.js';
export { verdictsForRegion, verdictsForSolutions } from './conformance/registry.service.js';
export type { Artefact, CheckStandard, Fetcher, Finding, Report, Validator, Verdict } from './conformance/types.js';
export { FetchRefused, STANDARD_IDS } from './conformance/types.js';
export { SOLUTION_EVENTS } from './solutions/events.js';
export type { PubliccodeFields, SolutionContent } from './solutions/model.js';
export type { ConformanceSource, ConformanceVerdicts, SolutionRow } from './solutions/solutions.service.js';
export type { Standard, StandardsCatalogue } from './standards/catalogue.js';
export { loadStandards } from './standards/catalogue.js';
